-- Achtervang signals per gemeente for every peildatum in [$van, $tot], with the figures behind them.
-- Thresholds are parameters (defaults in config/herstelmonitor.toml, section [achtervang]).
-- Counts are in the gemeente giving support (steun.gemeente). Every gemeente of the reference list gets a
-- row for every loaded peildatum, also when it has no parents. A signal whose figures are missing (no parent
-- with a sharing date, so no median) does not fire: every signal is true or false, never NULL.
WITH per_gemeente AS (
    SELECT
        peildatum,
        gemeente,
        count(*) AS ouders_gedeeld,
        count(*) FILTER (WHERE gegevens_gedeeld_datum <= peildatum - 7 * $laag_bereik_weken::INT) AS ouders_bereik_basis,
        count(eerste_contact_datum) FILTER (WHERE gegevens_gedeeld_datum <= peildatum - 7 * $laag_bereik_weken::INT) AS ouders_bereikt,
        count(eerste_contact_datum) AS ouders_in_contact,
        -- a first contact before the sharing date (a data error, warned at ingest) is left out of the lead time
        median(eerste_contact_datum - gegevens_gedeeld_datum) FILTER (WHERE eerste_contact_datum >= gegevens_gedeeld_datum)
            AS mediaan_dagen_tot_contact,
        count(*) FILTER (WHERE status IS DISTINCT FROM 'afgerond' AND status IS DISTINCT FROM 'hulp_afgewezen') AS ouders_open,
        greatest(max(eerste_contact_datum), max(plan_datum), max(afgerond_datum)) AS laatste_activiteit
    FROM steun
    WHERE peildatum BETWEEN $van AND $tot
    GROUP BY peildatum, gemeente
),
basis AS (
    SELECT p.peildatum, g.gemeentecode, g.gemeentenaam, g.provincienaam,
        d.aangesloten_datum IS NOT NULL AND d.aangesloten_datum <= p.peildatum AS aangesloten,
        coalesce(s.ouders_gedeeld, 0) AS ouders_gedeeld,
        coalesce(s.ouders_bereik_basis, 0) AS ouders_bereik_basis,
        coalesce(s.ouders_bereikt, 0) AS ouders_bereikt,
        100.0 * s.ouders_bereikt / nullif(s.ouders_bereik_basis, 0) AS bereik_pct,
        coalesce(s.ouders_in_contact, 0) AS ouders_in_contact,
        s.mediaan_dagen_tot_contact,
        coalesce(s.ouders_open, 0) AS ouders_open,
        s.laatste_activiteit
    FROM peildata p
    CROSS JOIN gemeenten g
    LEFT JOIN deelname d ON d.peildatum = p.peildatum AND d.gemeentecode = g.gemeentecode
    LEFT JOIN per_gemeente s ON s.peildatum = p.peildatum AND s.gemeente = g.gemeentecode
    WHERE p.peildatum BETWEEN $van AND $tot
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
        AND (laatste_activiteit IS NULL OR laatste_activiteit <= peildatum - 7 * $stilstand_weken::INT), false) AS stilstand
FROM basis
ORDER BY peildatum, gemeentecode
