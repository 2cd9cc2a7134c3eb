-- Support rows of one peildatum: every parent whose details UHT shared, joined to the gemeente's progress
-- report. A shared parent the gemeente does not report stays in (status NULL: open, not reached), so a
-- gemeente that reports nothing shows zero reach instead of disappearing. A parent counts in the gemeente
-- giving support (ondersteuning.gemeentecode), else in the gemeente of registration.
SELECT
    $peildatum::DATE AS peildatum,
    coalesce(o.ouder_id, a.ouder_id) AS ouder_id,
    coalesce(g.gemeentecode, 'onbekend') AS gemeente,
    a.gegevens_gedeeld_datum,
    o.status,
    o.eerste_contact_datum,
    o.plan_datum,
    o.afgerond_datum,
    o.lg_financien,
    o.lg_wonen,
    o.lg_werk,
    o.lg_zorg,
    o.lg_gezin
FROM (
    SELECT ouder_id, gemeentecode, gegevens_gedeeld_datum
    FROM aanmeldingen
    WHERE peildatum = $peildatum AND gegevens_gedeeld_datum IS NOT NULL
) a
FULL JOIN (SELECT * FROM ondersteuning WHERE peildatum = $peildatum) o ON o.ouder_id = a.ouder_id
LEFT JOIN gemeenten g ON g.gemeentecode = coalesce(o.gemeentecode, a.gemeentecode)
