-- What identifies the data a connection sees, for caching figures across page runs: every loaded extract
-- by kind, peildatum and checksum. Ingest changes it whenever it loads a file.
SELECT md5(list((soort, peildatum, sha256) ORDER BY soort, peildatum)::VARCHAR) AS geladen
FROM bestanden
