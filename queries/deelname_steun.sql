-- Support by the gemeenten for every peildatum in [$van, $tot]: per gemeente, per peer group (provincie
-- and size class, as on waarstaatjegemeente.nl), per provincie and national (column `niveau`).
-- Like the spec's support metrics, a parent counts in the gemeente giving support (steun.gemeente); every
-- gemeente of the reference list gets a row, also without parents; 'onbekend' has its own gemeente row and
-- counts in the national row (and in a provincie row with provincie NULL). $grenzen: the lower bounds of
-- the size classes by inhabitants (herstelmonitor.deelname.GROOTTEKLASSEN); klasse is the number of bounds
-- a gemeente reaches (0 = smallest).
--
-- The counts are defined once, per gemeente; a group adds up the counts of its gemeenten, and every
-- percentage is computed from those sums (pooled over the parents, never an average of percentages).
-- bereik_pct and doorlooptijd_contact_* repeat the spec's definitions in metrieken_ondersteuning.sql
-- (same expression, other grouping) and are filled on the group rows only: a gemeente's own figures come
-- from that query. basis_bereik and basis_contact are the number of parents a percentage is built on.
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
),
per_gemeente AS (
    SELECT peildatum, gemeente, any_value(gemeentenaam) AS gemeentenaam, any_value(provincienaam) AS provincienaam,
        any_value(coropnaam) AS coropnaam, any_value(inwoners) AS inwoners, any_value(klasse) AS klasse,
        -- @metric plan_van_aanpak | aantal | Plan van aanpak | Ouders met wie de gemeente een plan van aanpak heeft afgesproken (een plandatum is ingevuld), ook als de ondersteuning daarna is afgerond.
        count(plan_datum) AS plan_van_aanpak,
        -- @metric ondersteuning_loopt | aantal | Ondersteuning loopt | Ouders bij wie de ondersteuning van de gemeente op de peildatum loopt (status ondersteuning loopt).
        count(*) FILTER (WHERE status = 'ondersteuning_loopt') AS ondersteuning_loopt,
        -- @metric afgerond | aantal | Ondersteuning afgerond | Ouders bij wie de ondersteuning van de gemeente is afgerond (status afgerond).
        count(*) FILTER (WHERE status = 'afgerond') AS afgerond,
        -- @metric niet_bereikbaar | aantal | Niet bereikbaar | Ouders die de gemeente niet heeft kunnen bereiken (status niet bereikbaar).
        count(*) FILTER (WHERE status = 'niet_bereikbaar') AS niet_bereikbaar,
        count(plan_datum) FILTER (WHERE eerste_contact_datum IS NOT NULL) AS plan_na_contact,
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
        -- The bases, as in metrieken_ondersteuning.sql (bereik_pct) and metrieken_ondersteuning.in_contact.
        count(*) FILTER (WHERE gegevens_gedeeld_datum <= peildatum - $bereik_dagen::INT) AS basis_bereik,
        count(eerste_contact_datum) FILTER (WHERE gegevens_gedeeld_datum <= peildatum - $bereik_dagen::INT) AS bereikt,
        count(eerste_contact_datum) AS basis_contact
    FROM rijen
    GROUP BY peildatum, gemeente
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
        sum(plan_van_aanpak)::BIGINT AS plan_van_aanpak, sum(ondersteuning_loopt)::BIGINT AS ondersteuning_loopt,
        sum(afgerond)::BIGINT AS afgerond, sum(niet_bereikbaar)::BIGINT AS niet_bereikbaar, sum(plan_na_contact)::BIGINT AS plan_na_contact,
        sum(lg_financien)::BIGINT AS lg_financien, sum(lg_wonen)::BIGINT AS lg_wonen, sum(lg_werk)::BIGINT AS lg_werk,
        sum(lg_zorg)::BIGINT AS lg_zorg, sum(lg_gezin)::BIGINT AS lg_gezin,
        sum(basis_bereik)::BIGINT AS basis_bereik, sum(bereikt)::BIGINT AS bereikt, sum(basis_contact)::BIGINT AS basis_contact
    FROM per_gemeente
    GROUP BY GROUPING SETS ((peildatum, gemeente), (peildatum, provincienaam, klasse), (peildatum, provincienaam), (peildatum))
),
-- Medians do not add up: per group from the parent rows, as in metrieken_ondersteuning.sql.
dagen AS (
    SELECT peildatum, provincienaam, klasse,
        grouping(provincienaam) AS zonder_provincie, grouping(klasse) AS zonder_klasse,
        median(eerste_contact_datum - gegevens_gedeeld_datum)
            FILTER (WHERE eerste_contact_datum >= gegevens_gedeeld_datum) AS doorlooptijd_contact_mediaan,
        quantile_cont(eerste_contact_datum - gegevens_gedeeld_datum, 0.9)
            FILTER (WHERE eerste_contact_datum >= gegevens_gedeeld_datum) AS doorlooptijd_contact_p90
    FROM rijen
    GROUP BY GROUPING SETS ((peildatum, provincienaam, klasse), (peildatum, provincienaam), (peildatum))
)
SELECT
    g.peildatum, niveau, gemeente, gemeentenaam, provincie, corop, inwoners, g.klasse, gemeenten,
    plan_van_aanpak, ondersteuning_loopt, afgerond, niet_bereikbaar,
    -- @metric plan_pct | pct | Plan van aanpak na contact | Van de ouders met wie de gemeente contact heeft gehad: het percentage met een plan van aanpak.
    100.0 * plan_na_contact / nullif(basis_contact, 0) AS plan_pct,
    lg_financien, lg_wonen, lg_werk, lg_zorg, lg_gezin,
    -- @metric lg_financien_pct | pct | Leefgebied financiën (%) | Van de ouders met wie de gemeente contact heeft gehad: het percentage dat ondersteuning nodig heeft bij financiën en schulden.
    100.0 * lg_financien / nullif(basis_contact, 0) AS lg_financien_pct,
    -- @metric lg_wonen_pct | pct | Leefgebied wonen (%) | Van de ouders met wie de gemeente contact heeft gehad: het percentage dat ondersteuning nodig heeft bij wonen.
    100.0 * lg_wonen / nullif(basis_contact, 0) AS lg_wonen_pct,
    -- @metric lg_werk_pct | pct | Leefgebied werk (%) | Van de ouders met wie de gemeente contact heeft gehad: het percentage dat ondersteuning nodig heeft bij werk en inkomen.
    100.0 * lg_werk / nullif(basis_contact, 0) AS lg_werk_pct,
    -- @metric lg_zorg_pct | pct | Leefgebied zorg (%) | Van de ouders met wie de gemeente contact heeft gehad: het percentage dat ondersteuning nodig heeft bij zorg en gezondheid.
    100.0 * lg_zorg / nullif(basis_contact, 0) AS lg_zorg_pct,
    -- @metric lg_gezin_pct | pct | Leefgebied gezin (%) | Van de ouders met wie de gemeente contact heeft gehad: het percentage dat ondersteuning nodig heeft bij gezin en opvoeding.
    100.0 * lg_gezin / nullif(basis_contact, 0) AS lg_gezin_pct,
    CASE WHEN niveau <> 'gemeente' THEN 100.0 * bereikt / nullif(basis_bereik, 0) END AS bereik_pct,
    d.doorlooptijd_contact_mediaan,
    d.doorlooptijd_contact_p90,
    basis_bereik,
    basis_contact
FROM groepen g
LEFT JOIN dagen d
    ON niveau <> 'gemeente' AND d.peildatum = g.peildatum
    AND d.zonder_provincie = g.zonder_provincie AND d.zonder_klasse = g.zonder_klasse
    AND d.provincienaam IS NOT DISTINCT FROM g.provincie AND d.klasse IS NOT DISTINCT FROM g.klasse
ORDER BY g.peildatum, niveau, gemeente, provincie, g.klasse
