-- The forecast's back-test, stored at ingest (herstelmonitor/terugtoets.py): one row per forecast
-- peildatum, step, scenario and horizon (weken), for window $venster, on $bron: 'extracten' (the loaded
-- extracts, checked against the latest) or 'gepubliceerd' (data/reference/landelijke_cijfers.csv).
SELECT * FROM terugtoets WHERE venster = $venster AND bron = $bron ORDER BY peildatum, stap, scenario, weken
