-- Support by the gemeenten for every peildatum in [$van, $tot], per gemeente, per peer group (provincie
-- and size class, as on waarstaatjegemeente.nl), per provincie and national (column `niveau`).
-- The counts are those of the base table (queries/basis.sql), where each is defined; a group adds up the
-- counts of its gemeenten and its rates are computed from those sums with the expressions of
-- queries/metrieken.sql (pooled over the parents, never an average of percentages). A gemeente's reach and
-- lead time are not repeated on its row: they are in the metrics table. Every gemeente of the reference list gets a row; 'onbekend' counts in the
-- national row (and in a provincie row with provincie NULL). $grenzen: the lower bounds of the size classes
-- by inhabitants (herstelmonitor.deelname.GROOTTEKLASSEN); klasse is the number of bounds a gemeente
-- reaches (0 = smallest). $bereik_weken: as in metrieken.sql.
WITH gem AS (
    SELECT gemeentecode, gemeentenaam, provincienaam, coropnaam, inwoners,
        len(list_filter($grenzen::INTEGER[], lambda grens: grens <= inwoners)) AS klasse
    FROM gemeenten
),
per_gemeente AS (
    SELECT b.peildatum, b.gemeente, gem.* EXCLUDE (gemeentecode),
        b.plan_van_aanpak, b.ondersteuning_loopt, b.afgerond, b.niet_bereikbaar, b.plan_na_contact,
        b.lg_financien, b.lg_wonen, b.lg_werk, b.lg_zorg, b.lg_gezin, b.in_contact,
        b.gedeeld_weken[$bereik_weken + 1] AS bereik_basis, b.bereikt_weken[$bereik_weken + 1] AS bereikt
    FROM basis b
    LEFT JOIN gem ON gem.gemeentecode = b.gemeente
    WHERE b.peildatum BETWEEN $van AND $tot AND b.peildatum IN (SELECT peildatum FROM peildata)
        AND (b.gemeente <> 'onbekend' OR b.ouders_gedeeld > 0)  -- 'onbekend' only when parents count there
),
groepen AS (
    SELECT peildatum,
        CASE WHEN grouping(gemeente) = 0 THEN 'gemeente' WHEN grouping(klasse) = 0 THEN 'vergelijkbaar'
             WHEN grouping(provincienaam) = 0 THEN 'provincie' ELSE 'landelijk' END AS niveau,
        grouping(provincienaam) AS zonder_provincie, grouping(klasse) AS zonder_klasse,
        gemeente,
        CASE WHEN grouping(gemeente) = 0 THEN any_value(gemeentenaam) END AS gemeentenaam,
        CASE WHEN grouping(gemeente) = 0 THEN any_value(provincienaam) ELSE provincienaam END AS provincie,
        CASE WHEN grouping(gemeente) = 0 THEN any_value(coropnaam) END AS corop,
        CASE WHEN grouping(gemeente) = 0 THEN any_value(inwoners) END AS inwoners,
        CASE WHEN grouping(gemeente) = 0 THEN any_value(klasse) ELSE klasse END AS klasse,
        count(gemeentenaam) AS gemeenten,
        CAST(sum(COLUMNS(* EXCLUDE (peildatum, gemeente, gemeentenaam, provincienaam, coropnaam, inwoners, klasse))) AS BIGINT)
    FROM per_gemeente
    GROUP BY GROUPING SETS ((peildatum, gemeente), (peildatum, provincienaam, klasse), (peildatum, provincienaam), (peildatum))
),
-- Medians do not add up: per group from the parent rows, as in metrieken.sql.
dagen AS (
    SELECT s.peildatum, gem.provincienaam, gem.klasse,
        grouping(gem.provincienaam) AS zonder_provincie, grouping(gem.klasse) AS zonder_klasse,
        median(eerste_contact_datum - gegevens_gedeeld_datum)
            FILTER (WHERE eerste_contact_datum >= gegevens_gedeeld_datum) AS doorlooptijd_contact_mediaan,
        quantile_cont(eerste_contact_datum - gegevens_gedeeld_datum, 0.9)
            FILTER (WHERE eerste_contact_datum >= gegevens_gedeeld_datum) AS doorlooptijd_contact_p90
    FROM steun s
    LEFT JOIN gem ON gem.gemeentecode = s.gemeente
    WHERE s.peildatum BETWEEN $van AND $tot
    GROUP BY GROUPING SETS ((s.peildatum, gem.provincienaam, gem.klasse), (s.peildatum, gem.provincienaam), (s.peildatum))
)
SELECT
    g.peildatum, niveau, gemeente, gemeentenaam, provincie, corop, inwoners, g.klasse, gemeenten,
    plan_van_aanpak, ondersteuning_loopt, afgerond, niet_bereikbaar,
    lg_financien, lg_wonen, lg_werk, lg_zorg, lg_gezin, in_contact, bereik_basis,
    100.0 * plan_na_contact / nullif(in_contact, 0) AS plan_pct,
    100.0 * lg_financien / nullif(in_contact, 0) AS lg_financien_pct,
    100.0 * lg_wonen / nullif(in_contact, 0) AS lg_wonen_pct,
    100.0 * lg_werk / nullif(in_contact, 0) AS lg_werk_pct,
    100.0 * lg_zorg / nullif(in_contact, 0) AS lg_zorg_pct,
    100.0 * lg_gezin / nullif(in_contact, 0) AS lg_gezin_pct,
    CASE WHEN niveau <> 'gemeente' THEN 100.0 * bereikt / nullif(bereik_basis, 0) END AS bereik_pct,
    d.doorlooptijd_contact_mediaan,
    d.doorlooptijd_contact_p90
FROM groepen g
LEFT JOIN dagen d
    ON niveau <> 'gemeente' AND d.peildatum = g.peildatum
    AND d.zonder_provincie = g.zonder_provincie AND d.zonder_klasse = g.zonder_klasse
    AND d.provincienaam IS NOT DISTINCT FROM g.provincie AND d.klasse IS NOT DISTINCT FROM g.klasse
ORDER BY g.peildatum, niveau, gemeente, provincie, g.klasse
