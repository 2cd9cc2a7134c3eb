-- Process figures per gemeente at peildatum $peildatum, to set beside parent experience (the scatter on
-- the page Ervaring van ouders), and one national row (gemeentecode NULL, pooled over all parents, also
-- those under 'onbekend'). Counted like the spec's support metrics in the gemeente giving support
-- (steun.gemeente); bereik_pct repeats metrieken_ondersteuning.sql's expression. Every gemeente of the
-- reference list gets a row.
WITH per_gemeente AS (
    SELECT CASE WHEN grouping(gemeente) = 0 THEN gemeente END AS gemeente, grouping(gemeente) = 1 AS landelijk,
        count(*) FILTER (WHERE gegevens_gedeeld_datum <= peildatum - $bereik_dagen::INT) AS basis_bereik,
        count(eerste_contact_datum) FILTER (WHERE gegevens_gedeeld_datum <= peildatum - $bereik_dagen::INT) AS bereikt,
        count(eerste_contact_datum) AS in_contact,
        count(*) FILTER (WHERE status = 'afgerond') AS afgerond
    FROM steun
    WHERE peildatum = $peildatum
    GROUP BY GROUPING SETS ((gemeente), ())
),
rijen AS (
    SELECT g.gemeentecode, g.gemeentenaam, g.provincienaam, s.*
    FROM gemeenten g
    LEFT JOIN per_gemeente s ON s.gemeente = g.gemeentecode AND NOT s.landelijk
    UNION ALL
    SELECT NULL, 'Nederland', NULL, s.* FROM per_gemeente s WHERE s.landelijk
)
SELECT gemeentecode, gemeentenaam, provincienaam,
    coalesce(basis_bereik, 0) AS basis_bereik,
    100.0 * bereikt / nullif(basis_bereik, 0) AS bereik_pct,
    coalesce(in_contact, 0) AS in_contact,
    coalesce(afgerond, 0) AS afgerond,
    -- @metric afgerond_pct | pct | Ondersteuning afgerond (%) | Van de ouders met wie de gemeente contact heeft gehad: het percentage bij wie de ondersteuning is afgerond.
    100.0 * afgerond / nullif(in_contact, 0) AS afgerond_pct
FROM rijen
ORDER BY gemeentecode NULLS FIRST
