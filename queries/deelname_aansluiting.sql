-- National, for every peildatum in [$van, $tot]: how many registered parents live in a gemeente that has
-- joined the joint approach. A parent counts in the gemeente of registration (as for the compensation
-- metrics); parents without a known gemeente count in the total, never as living in a joined gemeente.
-- The number of gemeenten that joined is the spec's gemeenten_aangesloten (metrieken_deelname.sql).
SELECT
    o.peildatum,
    -- @metric ouders_in_aangesloten_gemeente | aantal | Ouders in een aangesloten gemeente | Aangemelde ouders die wonen in een gemeente die op de peildatum bij de gezamenlijke aanpak is aangesloten.
    count(*) FILTER (WHERE d.aangesloten_datum <= o.peildatum) AS ouders_in_aangesloten_gemeente,
    -- @metric ouders_in_aangesloten_gemeente_pct | pct | Aandeel ouders in een aangesloten gemeente | Van alle aangemelde ouders (ook die zonder bekende gemeente): het percentage dat woont in een gemeente die op de peildatum is aangesloten.
    100.0 * count(*) FILTER (WHERE d.aangesloten_datum <= o.peildatum) / count(*) AS ouders_in_aangesloten_gemeente_pct
FROM ouders o
LEFT JOIN deelname d ON d.peildatum = o.peildatum AND d.gemeentecode = o.gemeente
WHERE o.peildatum BETWEEN $van AND $tot
GROUP BY o.peildatum
ORDER BY o.peildatum
