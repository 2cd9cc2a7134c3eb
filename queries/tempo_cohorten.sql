-- For the back-test: what the extract of $peildatum (the latest) shows actually happened, as event counts
-- per day and registration cohort. A parent's cohort is the first peildatum with a loaded aanmeldingen
-- extract on or after their registration, so "registered by peildatum P0" is the sum over the cohorts up
-- to P0. National.
-- soort: aangemeld (registrations), erkend (recognised at the first check), eerste_toets, forfait, and
-- integrale_beoordeling (completed full reviews: every registered parent gets one), ib_erkend (those of
-- recognised parents).
SELECT e.soort, p.peildatum AS cohort, e.datum, count(*) AS aantal
FROM (
    SELECT aanmelddatum, soort, datum
    FROM (
        SELECT
            aanmelddatum,
            aanmelddatum AS aangemeld,
            eerste_toets_datum AS eerste_toets,
            CASE WHEN eerste_toets_uitkomst = 'gedupeerd' THEN eerste_toets_datum END AS erkend,
            forfait_betaald_datum AS forfait,
            integrale_beoordeling_datum AS integrale_beoordeling,
            CASE WHEN eerste_toets_uitkomst = 'gedupeerd' THEN integrale_beoordeling_datum END AS ib_erkend
        FROM aanmeldingen
        WHERE peildatum = $peildatum
    )
    UNPIVOT (datum FOR soort IN (aangemeld, eerste_toets, erkend, forfait, integrale_beoordeling, ib_erkend))
) e
ASOF JOIN (SELECT peildatum FROM bestanden WHERE soort = 'aanmeldingen') p ON e.aanmelddatum <= p.peildatum
GROUP BY e.soort, p.peildatum, e.datum
ORDER BY e.soort, p.peildatum, e.datum
