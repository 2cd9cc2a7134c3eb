-- Process figures per gemeente at peildatum $peildatum, to set beside parent experience (the scatter on the
-- page Ervaring van ouders), read from the metrics table (queries/metrieken.sql: counted in the gemeente
-- giving support), plus the national row (gemeentecode NULL). Every gemeente of the reference list.
SELECT g.gemeentecode, coalesce(g.gemeentenaam, 'Nederland') AS gemeentenaam, g.provincienaam,
    m.bereik_basis, m.bereikt, m.bereik_pct, m.in_contact, m.afgerond,
    -- @metric afgerond_pct | percentage | Ondersteuning afgerond (%) | Van de ouders met wie de gemeente contact heeft gehad: het percentage bij wie de ondersteuning is afgerond. | in_contact
    100.0 * m.afgerond / nullif(m.in_contact, 0) AS afgerond_pct
FROM metrieken m
LEFT JOIN gemeenten g ON g.gemeentecode = m.gemeente
WHERE m.peildatum = $peildatum AND (m.gemeente IS NULL OR g.gemeentecode IS NOT NULL)
ORDER BY g.gemeentecode NULLS FIRST
