-- The metrics table as ingest stored it (queries/metrieken.sql), for every peildatum in [$van, $tot].
SELECT * FROM metrieken
WHERE peildatum BETWEEN $van AND $tot
ORDER BY peildatum, gemeente NULLS FIRST
