-- Participation of gemeenten for every peildatum in [$van, $tot]; gemeente NULL on the national row.
SELECT
    peildatum,
    CASE WHEN grouping(gemeente) = 0 THEN gemeente END AS gemeente,
    -- @metric gemeenten_aangesloten | aantal | Gemeenten aangesloten | Gemeenten die zich uiterlijk op de peildatum bij de gezamenlijke aanpak hebben aangesloten (team en aanspreekpunt geregeld). Per gemeente: 1 als aangesloten, anders 0.
    count(*) FILTER (WHERE aangesloten_datum <= peildatum) AS gemeenten_aangesloten
FROM (
    SELECT d.*, coalesce(g.gemeentecode, 'onbekend') AS gemeente
    FROM deelname d LEFT JOIN gemeenten g ON g.gemeentecode = d.gemeentecode
)
WHERE peildatum BETWEEN $van AND $tot
GROUP BY GROUPING SETS ((peildatum, gemeente), (peildatum))
ORDER BY peildatum, gemeente NULLS FIRST
