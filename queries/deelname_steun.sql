-- Support by the gemeenten for every peildatum in [$van, $tot]: per gemeente, per peer group (provincie
-- and size class, as on waarstaatjegemeente.nl), per provincie and national (column `niveau`).
-- Like the spec's support metrics, a parent counts in the gemeente giving support (steun.gemeente); every
-- gemeente of the reference list gets a row, also without parents; 'onbekend' has its own gemeente row and
-- counts in the national row only. $grenzen: the lower bounds of the size classes by inhabitants
-- (herstelmonitor.deelname.GROOTTEKLASSEN); klasse is the number of bounds a gemeente reaches (0 = smallest).
--
-- bereik_pct and the doorlooptijd_contact_* columns repeat the spec's definitions in
-- metrieken_ondersteuning.sql (same expression, other grouping) and are filled on the group rows only: a
-- gemeente's own figures come from that query. basis_bereik and basis_contact are the number of parents
-- a percentage is built on (for small-count suppression of the group rows).
WITH gem AS (
    SELECT gemeentecode, gemeentenaam, provincienaam, coropnaam, inwoners,
        len(list_filter($grenzen::INTEGER[], lambda grens: grens <= inwoners)) AS klasse
    FROM gemeenten
),
rijen AS (
    SELECT coalesce(p.peildatum, s.peildatum) AS peildatum, coalesce(gem.gemeentecode, s.gemeente) AS gemeente,
        gem.* EXCLUDE (gemeentecode), s.* EXCLUDE (peildatum, gemeente)
    FROM (SELECT peildatum FROM peildata WHERE peildatum BETWEEN $van AND $tot) p
    CROSS JOIN gem
    FULL JOIN (SELECT * FROM steun WHERE peildatum BETWEEN $van AND $tot) s
        ON s.peildatum = p.peildatum AND s.gemeente = gem.gemeentecode
)
SELECT
    peildatum,
    CASE WHEN grouping(gemeente) = 0 THEN 'gemeente' WHEN grouping(klasse) = 0 THEN 'vergelijkbaar'
         WHEN grouping(provincienaam) = 0 THEN 'provincie' ELSE 'landelijk' END AS niveau,
    CASE WHEN grouping(gemeente) = 0 THEN gemeente END AS gemeente,
    CASE WHEN grouping(gemeente) = 0 THEN any_value(gemeentenaam) END AS gemeentenaam,
    CASE WHEN grouping(gemeente) = 0 THEN any_value(provincienaam) WHEN grouping(provincienaam) = 0 THEN provincienaam END AS provincie,
    CASE WHEN grouping(gemeente) = 0 THEN any_value(coropnaam) END AS corop,
    CASE WHEN grouping(gemeente) = 0 THEN any_value(inwoners) END AS inwoners,
    CASE WHEN grouping(gemeente) = 0 THEN any_value(klasse) WHEN grouping(klasse) = 0 THEN klasse END AS klasse,
    count(DISTINCT gemeentenaam) AS gemeenten,
    -- @metric plan_van_aanpak | aantal | Plan van aanpak | Ouders met wie de gemeente een plan van aanpak heeft afgesproken (een plandatum is ingevuld), ook als de ondersteuning daarna is afgerond.
    count(plan_datum) AS plan_van_aanpak,
    -- @metric ondersteuning_loopt | aantal | Ondersteuning loopt | Ouders bij wie de ondersteuning van de gemeente op de peildatum loopt (status ondersteuning loopt).
    count(*) FILTER (WHERE status = 'ondersteuning_loopt') AS ondersteuning_loopt,
    -- @metric afgerond | aantal | Ondersteuning afgerond | Ouders bij wie de ondersteuning van de gemeente is afgerond (status afgerond).
    count(*) FILTER (WHERE status = 'afgerond') AS afgerond,
    -- @metric niet_bereikbaar | aantal | Niet bereikbaar | Ouders die de gemeente niet heeft kunnen bereiken (status niet bereikbaar).
    count(*) FILTER (WHERE status = 'niet_bereikbaar') AS niet_bereikbaar,
    -- @metric plan_pct | pct | Plan van aanpak na contact | Van de ouders met wie de gemeente contact heeft gehad: het percentage met een plan van aanpak.
    100.0 * count(plan_datum) FILTER (WHERE eerste_contact_datum IS NOT NULL) / nullif(count(eerste_contact_datum), 0) AS plan_pct,
    -- @metric lg_financien | aantal | Leefgebied financiën | Ouders in contact met de gemeente die ondersteuning nodig hebben bij financiën en schulden.
    count(*) FILTER (WHERE eerste_contact_datum IS NOT NULL AND lg_financien) AS lg_financien,
    -- @metric lg_wonen | aantal | Leefgebied wonen | Ouders in contact met de gemeente die ondersteuning nodig hebben bij wonen.
    count(*) FILTER (WHERE eerste_contact_datum IS NOT NULL AND lg_wonen) AS lg_wonen,
    -- @metric lg_werk | aantal | Leefgebied werk | Ouders in contact met de gemeente die ondersteuning nodig hebben bij werk en inkomen.
    count(*) FILTER (WHERE eerste_contact_datum IS NOT NULL AND lg_werk) AS lg_werk,
    -- @metric lg_zorg | aantal | Leefgebied zorg | Ouders in contact met de gemeente die ondersteuning nodig hebben bij zorg en gezondheid.
    count(*) FILTER (WHERE eerste_contact_datum IS NOT NULL AND lg_zorg) AS lg_zorg,
    -- @metric lg_gezin | aantal | Leefgebied gezin | Ouders in contact met de gemeente die ondersteuning nodig hebben bij gezin en opvoeding.
    count(*) FILTER (WHERE eerste_contact_datum IS NOT NULL AND lg_gezin) AS lg_gezin,
    -- @metric lg_financien_pct | pct | Leefgebied financiën (%) | Van de ouders met wie de gemeente contact heeft gehad: het percentage dat ondersteuning nodig heeft bij financiën en schulden.
    100.0 * count(*) FILTER (WHERE eerste_contact_datum IS NOT NULL AND lg_financien) / nullif(count(eerste_contact_datum), 0) AS lg_financien_pct,
    -- @metric lg_wonen_pct | pct | Leefgebied wonen (%) | Van de ouders met wie de gemeente contact heeft gehad: het percentage dat ondersteuning nodig heeft bij wonen.
    100.0 * count(*) FILTER (WHERE eerste_contact_datum IS NOT NULL AND lg_wonen) / nullif(count(eerste_contact_datum), 0) AS lg_wonen_pct,
    -- @metric lg_werk_pct | pct | Leefgebied werk (%) | Van de ouders met wie de gemeente contact heeft gehad: het percentage dat ondersteuning nodig heeft bij werk en inkomen.
    100.0 * count(*) FILTER (WHERE eerste_contact_datum IS NOT NULL AND lg_werk) / nullif(count(eerste_contact_datum), 0) AS lg_werk_pct,
    -- @metric lg_zorg_pct | pct | Leefgebied zorg (%) | Van de ouders met wie de gemeente contact heeft gehad: het percentage dat ondersteuning nodig heeft bij zorg en gezondheid.
    100.0 * count(*) FILTER (WHERE eerste_contact_datum IS NOT NULL AND lg_zorg) / nullif(count(eerste_contact_datum), 0) AS lg_zorg_pct,
    -- @metric lg_gezin_pct | pct | Leefgebied gezin (%) | Van de ouders met wie de gemeente contact heeft gehad: het percentage dat ondersteuning nodig heeft bij gezin en opvoeding.
    100.0 * count(*) FILTER (WHERE eerste_contact_datum IS NOT NULL AND lg_gezin) / nullif(count(eerste_contact_datum), 0) AS lg_gezin_pct,
    -- Group rows only, as in metrieken_ondersteuning.sql (bereik_pct, doorlooptijd_contact_mediaan/_p90):
    CASE WHEN grouping(gemeente) = 1 THEN
        100.0 * count(eerste_contact_datum) FILTER (WHERE gegevens_gedeeld_datum <= peildatum - $bereik_dagen::INT)
        / nullif(count(*) FILTER (WHERE gegevens_gedeeld_datum <= peildatum - $bereik_dagen::INT), 0) END AS bereik_pct,
    CASE WHEN grouping(gemeente) = 1 THEN median(eerste_contact_datum - gegevens_gedeeld_datum) END AS doorlooptijd_contact_mediaan,
    CASE WHEN grouping(gemeente) = 1 THEN quantile_cont(eerste_contact_datum - gegevens_gedeeld_datum, 0.9) END AS doorlooptijd_contact_p90,
    count(*) FILTER (WHERE gegevens_gedeeld_datum <= peildatum - $bereik_dagen::INT) AS basis_bereik,
    count(eerste_contact_datum) AS basis_contact
FROM rijen
GROUP BY GROUPING SETS ((peildatum, gemeente), (peildatum, provincienaam, klasse), (peildatum, provincienaam), (peildatum))
ORDER BY peildatum, niveau, gemeente, provincie, klasse
