-- Achtervang signals per gemeente for every peildatum in [$van, $tot], with the figures behind them.
-- Thresholds are parameters (defaults in config/herstelmonitor.toml, section [achtervang]).
-- The counts come from the base table (queries/basis.sql) and the median from the metrics table; counts are
-- in the gemeente giving support. Reach is measured at the signal's own number of weeks ($laag_bereik_weken),
-- which a user may change. Every gemeente of the reference list gets a row for every loaded peildatum.
-- niet_geholpen reads the optional survey extract over its own window ($niet_geholpen_weken, which a user may
-- change): without a survey file for a peildatum the signal stays quiet (ervaring_gemeten false, 0 answers).
-- A signal whose figures are missing (no parent with a sharing date, so no median) does not fire: every
-- signal is true or false, never NULL.
WITH ervaring_per_gemeente AS (
    SELECT peildatum, gemeentecode AS gemeente,
        count(*) AS antwoorden,
        count(*) FILTER (WHERE voelt_zich_geholpen IN ('ja', 'deels')) AS antwoorden_geholpen
    FROM ervaring
    WHERE peildatum BETWEEN $van AND $tot
      AND antwoord_datum > peildatum - 7 * $niet_geholpen_weken::INT AND antwoord_datum <= peildatum
    GROUP BY peildatum, gemeentecode
),
ervaring_gemeten AS (
    SELECT DISTINCT peildatum FROM bestanden WHERE soort = 'ervaring'
),
basis_ AS (
    SELECT p.peildatum, g.gemeentecode, g.gemeentenaam, g.provincienaam,
        b.gemeenten_aangesloten > 0 AS aangesloten,
        b.ouders_gedeeld,
        b.gedeeld_weken[$laag_bereik_weken + 1] AS ouders_bereik_basis,
        b.bereikt_weken[$laag_bereik_weken + 1] AS ouders_bereikt,
        b.in_contact AS ouders_in_contact,
        m.doorlooptijd_contact_mediaan AS mediaan_dagen_tot_contact,
        b.ouders_open,
        b.laatste_activiteit,
        e_m.peildatum IS NOT NULL AS ervaring_gemeten,
        coalesce(e.antwoorden, 0) AS antwoorden,
        coalesce(e.antwoorden_geholpen, 0) AS antwoorden_geholpen,
        100.0 * e.antwoorden_geholpen / nullif(e.antwoorden, 0) AS geholpen_of_deels_pct
    FROM peildata p
    CROSS JOIN gemeenten g
    JOIN basis b ON b.peildatum = p.peildatum AND b.gemeente = g.gemeentecode
    JOIN metrieken m ON m.peildatum = p.peildatum AND m.gemeente = g.gemeentecode
    LEFT JOIN ervaring_gemeten e_m ON e_m.peildatum = p.peildatum
    LEFT JOIN ervaring_per_gemeente e ON e.peildatum = p.peildatum AND e.gemeente = g.gemeentecode
    WHERE p.peildatum BETWEEN $van AND $tot
),
basis__ AS (
    SELECT *, 100.0 * ouders_bereikt / nullif(ouders_bereik_basis, 0) AS bereik_pct FROM basis_
)
SELECT *,
    -- @signaal niet_aangesloten | Niet aangesloten | De gemeente heeft minstens {niet_aangesloten_min_ouders} ouders van wie de gegevens zijn gedeeld, maar is (nog) niet aangesloten bij de gezamenlijke aanpak.
    coalesce(ouders_gedeeld >= $niet_aangesloten_min_ouders AND NOT aangesloten, false) AS niet_aangesloten,
    -- @signaal laag_bereik | Laag bereik | Van minstens {laag_bereik_min_ouders} ouders zijn de gegevens {laag_bereik_weken} weken of langer geleden gedeeld, en de gemeente heeft minder dan {laag_bereik_max_pct}% van hen bereikt.
    coalesce(ouders_bereik_basis >= $laag_bereik_min_ouders AND bereik_pct < $laag_bereik_max_pct, false) AS laag_bereik,
    -- @signaal trage_start | Trage start | De gemeente heeft minstens {trage_start_min_ouders} ouders bereikt, maar het duurde van het delen van de gegevens tot het eerste contact in de helft van de gevallen langer dan {trage_start_max_dagen} dagen.
    coalesce(ouders_in_contact >= $trage_start_min_ouders AND mediaan_dagen_tot_contact > $trage_start_max_dagen, false)
        AS trage_start,
    -- @signaal stilstand | Stilstand | Minstens {stilstand_min_ouders} ouders hebben een open traject, maar in de laatste {stilstand_weken} weken vóór de peildatum is er geen eerste contact, plan van aanpak of afronding geweest.
    coalesce(ouders_open >= $stilstand_min_ouders
        AND (laatste_activiteit IS NULL OR laatste_activiteit <= peildatum - 7 * $stilstand_weken::INT), false) AS stilstand,
    -- @signaal niet_geholpen | Ouders niet geholpen | In de oudervragenlijst gaven minstens {niet_geholpen_min_antwoorden} ouders in de {niet_geholpen_weken} weken tot de peildatum antwoord, en minder dan {niet_geholpen_max_pct}% van hen voelt zich geholpen (antwoord ja of deels).
    coalesce(antwoorden >= $niet_geholpen_min_antwoorden AND geholpen_of_deels_pct < $niet_geholpen_max_pct, false)
        AS niet_geholpen
FROM basis__
ORDER BY peildatum, gemeentecode
