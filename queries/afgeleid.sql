-- The fingerprint each derived table was made with (see queries/schema.sql).
SELECT tabel, vingerafdruk FROM afgeleid
