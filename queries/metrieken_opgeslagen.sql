-- The spec's metrics as ingest stored them per peildatum (computed by metrieken_compensatie.sql,
-- metrieken_ondersteuning.sql and metrieken_deelname.sql when the peildatum's extracts were loaded).
SELECT * FROM metrieken
WHERE peildatum BETWEEN $van AND $tot
ORDER BY peildatum, gemeente NULLS FIRST
