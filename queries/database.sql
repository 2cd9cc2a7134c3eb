-- Which file a connection reads and whether it is read-only: what identifies its data for the cache.
SELECT path, readonly FROM duckdb_databases() WHERE database_name = current_database()
