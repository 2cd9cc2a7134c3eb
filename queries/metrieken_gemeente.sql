-- One gemeente's ($gemeente) row of the metrics table for every peildatum in [$van, $tot].
SELECT * FROM metrieken
WHERE gemeente = $gemeente AND peildatum BETWEEN $van AND $tot
ORDER BY peildatum
