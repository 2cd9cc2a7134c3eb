-- Per gemeente of the reference list at $peildatum: what the Regio page needs besides the spec's metrics
-- (those, and the achtervang signals, come from herstelmonitor.metrics): the regions a gemeente belongs
-- to, households with children, participation and the existing centrumgemeente arrangement.
WITH deelname_p AS (
    SELECT * FROM deelname WHERE peildatum = $peildatum
)
SELECT
    g.gemeentecode, g.gemeentenaam, g.provinciecode, g.provincienaam, g.coropcode, g.coropnaam,
    -- @metric huishoudens_met_kinderen | number | Huishoudens met kinderen | Het aantal huishoudens in de gemeente maal het percentage huishoudens met kinderen (CBS, 2023), afgerond.
    round(g.huishoudens * g.pct_huishoudens_met_kinderen / 100.0)::BIGINT AS huishoudens_met_kinderen,
    CASE WHEN d.aangesloten_datum <= $peildatum THEN d.aangesloten_datum END AS aangesloten_sinds,
    -- The existing arrangement: a gemeente's region is its centrumgemeente; a centrumgemeente heads its
    -- own region; a gemeente in no arrangement has none (NULL).
    CASE
        WHEN nullif(d.centrumgemeente, '') IS NOT NULL THEN d.centrumgemeente
        WHEN g.gemeentecode IN (SELECT centrumgemeente FROM deelname_p) THEN g.gemeentecode
    END AS bestaande_regio
FROM gemeenten g
LEFT JOIN deelname_p d ON d.gemeentecode = g.gemeentecode
ORDER BY g.gemeentecode
