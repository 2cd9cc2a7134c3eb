-- One gemeente ($gemeente) at peildatum $peildatum: its reference data, when it joined the joint approach,
-- its centrumgemeente, the gemeenten it is centrumgemeente for (names, alphabetical; empty list if none), and
-- its size class (klasse: the number of the bounds $grenzen it reaches, as in deelname_steun.sql).
SELECT
    g.gemeentecode, g.gemeentenaam, g.provincienaam, g.coropnaam, g.inwoners, g.huishoudens,
    len(list_filter($grenzen::INTEGER[], lambda grens: grens <= g.inwoners)) AS klasse,
    d.aangesloten_datum,
    d.centrumgemeente,
    c.gemeentenaam AS centrumgemeente_naam,
    coalesce((SELECT list(g2.gemeentenaam ORDER BY g2.gemeentenaam)
              FROM deelname d2 JOIN gemeenten g2 ON g2.gemeentecode = d2.gemeentecode
              WHERE d2.peildatum = $peildatum AND d2.centrumgemeente = $gemeente), []) AS centrumgemeente_voor
FROM gemeenten g
LEFT JOIN deelname d ON d.gemeentecode = g.gemeentecode AND d.peildatum = $peildatum
LEFT JOIN gemeenten c ON c.gemeentecode = d.centrumgemeente
WHERE g.gemeentecode = $gemeente
