-- Per gemeente of the reference list at $peildatum: what the Regio page needs besides the spec's metrics
-- (those, and the achtervang signals, come from herstelmonitor.metrics): the regions a gemeente belongs
-- to, households with children, participation and the existing centrumgemeente arrangement.
-- $bereik_dagen: as in metrieken_ondersteuning.sql; bereik_basis is the number of parents bereik_pct is
-- built on there, needed to hide or discount a percentage built on fewer than 5 parents.
WITH bereik AS (
    SELECT gemeente,
        count(*) FILTER (WHERE gegevens_gedeeld_datum <= peildatum - $bereik_dagen::INT) AS bereik_basis
    FROM steun
    WHERE peildatum = $peildatum
    GROUP BY gemeente
),
deelname_p AS (
    SELECT * FROM deelname WHERE peildatum = $peildatum
)
SELECT
    g.gemeentecode, g.gemeentenaam, g.provinciecode, g.provincienaam, g.coropcode, g.coropnaam,
    -- @metric huishoudens_met_kinderen | aantal | Huishoudens met kinderen | Het aantal huishoudens in de gemeente maal het percentage huishoudens met kinderen (CBS, 2023), afgerond.
    round(g.huishoudens * g.pct_huishoudens_met_kinderen / 100.0)::BIGINT AS huishoudens_met_kinderen,
    coalesce(b.bereik_basis, 0) AS bereik_basis,
    CASE WHEN d.aangesloten_datum <= $peildatum THEN d.aangesloten_datum END AS aangesloten_sinds,
    -- The existing arrangement: a gemeente's region is its centrumgemeente; a centrumgemeente heads its
    -- own region; a gemeente in no arrangement has none (NULL).
    CASE
        WHEN nullif(d.centrumgemeente, '') IS NOT NULL THEN d.centrumgemeente
        WHEN g.gemeentecode IN (SELECT centrumgemeente FROM deelname_p) THEN g.gemeentecode
    END AS bestaande_regio
FROM gemeenten g
LEFT JOIN deelname_p d ON d.gemeentecode = g.gemeentecode
LEFT JOIN bereik b ON b.gemeente = g.gemeentecode
ORDER BY g.gemeentecode
