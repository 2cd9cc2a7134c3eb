-- The base table `basis` at $peildatum (when an extract of it is loaded): one row per gemeente of the
-- reference list plus 'onbekend' (parents without a known gemeente). It holds every count the metrics,
-- signals, regions and pages build on, each defined once, here; queries/metrieken.sql adds them up per
-- gemeente and nationally and computes the rates and lead times from them.
--
-- Compensation counts (UHT side) count a parent in the gemeente of aanmeldingen.gemeentecode; support
-- counts (gemeente side) in the gemeente giving support (steun.gemeente, see steun_afleiden.sql).
-- A count declared here (with its @metric tag) is added up into the metrics table by itself; a column here
-- that is not a count must be excluded by name in queries/metrieken.sql.
WITH plaatsen AS (
    SELECT p.peildatum, g.gemeente
    FROM (SELECT DISTINCT peildatum FROM bestanden WHERE peildatum = $peildatum) p
    CROSS JOIN (SELECT gemeentecode AS gemeente FROM gemeenten UNION ALL SELECT 'onbekend') g
),
compensatie AS (
    SELECT peildatum, gemeente,
        -- @metric aangemeld | count | Aangemeld | Ouders die zich uiterlijk op de peildatum bij UHT hebben aangemeld, geteld in de gemeente van inschrijving.
        count(*) AS aangemeld,
        -- @metric eerste_toets_afgerond | count | Eerste toets afgerond | Aangemelde ouders bij wie de eerste (lichte) toets is gedaan, ongeacht de uitkomst.
        count(eerste_toets_datum) AS eerste_toets_afgerond,
        -- @metric erkend_gedupeerd | count | Erkend gedupeerd | Ouders die na de eerste toets als gedupeerd zijn erkend.
        count(*) FILTER (WHERE eerste_toets_uitkomst = 'gedupeerd') AS erkend_gedupeerd,
        -- @metric forfait_betaald | count | € 30.000 betaald | Ouders aan wie het vaste bedrag van € 30.000 (Catshuisregeling) is betaald.
        count(forfait_betaald_datum) AS forfait_betaald,
        -- @metric integrale_beoordeling_afgerond | count | Integrale beoordeling afgerond | Ouders bij wie de volledige (integrale) beoordeling is afgerond.
        count(integrale_beoordeling_datum) AS integrale_beoordeling_afgerond,
        -- @metric wachtend_op_eerste_toets | count | Wacht op eerste toets | Aangemelde ouders die nog geen eerste toets hebben gehad: de achterstand.
        count(*) - count(eerste_toets_datum) AS wachtend_op_eerste_toets,
        -- @metric gegevens_gedeeld | count | Gegevens gedeeld | Ouders van wie UHT de contactgegevens met een gemeente heeft gedeeld, geteld in de gemeente van inschrijving bij UHT.
        count(gegevens_gedeeld_datum) AS gegevens_gedeeld
    FROM ouders
    WHERE peildatum = $peildatum
    GROUP BY peildatum, gemeente
),
ondersteuning_ AS (
    SELECT peildatum, gemeente,
        -- @metric ouders_gedeeld | count | Getroffen ouders (gegevens gedeeld) | Ouders van wie UHT de contactgegevens met de gemeente heeft gedeeld (of over wie de gemeente rapporteert), geteld in de gemeente die de ondersteuning geeft: de ouders voor wie die gemeente aan de slag moet. Niet hetzelfde als Aangemeld, dat telt in de gemeente van inschrijving bij UHT.
        count(*) AS ouders_gedeeld,
        -- @metric in_contact | count | In contact | Ouders met wie de gemeente echt contact heeft gehad (een eerste contactdatum is ingevuld).
        count(eerste_contact_datum) AS in_contact,
        -- @metric hulp_afgewezen | count | Hulp afgewezen | Ouders die de hulp van de gemeente hebben afgewezen; dat mag altijd en heeft geen gevolg voor de compensatie.
        count(*) FILTER (WHERE status = 'hulp_afgewezen') AS hulp_afgewezen,
        -- @metric plan_van_aanpak | count | Plan van aanpak | Ouders met wie de gemeente een plan van aanpak heeft afgesproken (een plandatum is ingevuld), ook als de ondersteuning daarna is afgerond.
        count(plan_datum) AS plan_van_aanpak,
        -- @metric plan_na_contact | count | Ouders met plan na contact | Ouders in contact met de gemeente met wie een plan van aanpak is afgesproken.
        count(plan_datum) FILTER (WHERE eerste_contact_datum IS NOT NULL) AS plan_na_contact,
        -- @metric ondersteuning_loopt | count | Ondersteuning loopt | Ouders bij wie de ondersteuning van de gemeente op de peildatum loopt (status ondersteuning loopt).
        count(*) FILTER (WHERE status = 'ondersteuning_loopt') AS ondersteuning_loopt,
        -- @metric afgerond | count | Ondersteuning afgerond | Ouders bij wie de ondersteuning van de gemeente is afgerond (status afgerond).
        count(*) FILTER (WHERE status = 'afgerond') AS afgerond,
        -- @metric niet_bereikbaar | count | Niet bereikbaar | Ouders die de gemeente niet heeft kunnen bereiken (status niet bereikbaar).
        count(*) FILTER (WHERE status = 'niet_bereikbaar') AS niet_bereikbaar,
        -- @metric ouders_open | count | Open trajecten | Ouders van wie de ondersteuning nog niet is afgerond en die de hulp niet hebben afgewezen.
        count(*) FILTER (WHERE status IS DISTINCT FROM 'afgerond' AND status IS DISTINCT FROM 'hulp_afgewezen') AS ouders_open,
        -- @metric lg_financien | count | Leefgebied financiën | Ouders in contact met de gemeente die ondersteuning nodig hebben bij financiën en schulden.
        count(*) FILTER (WHERE eerste_contact_datum IS NOT NULL AND lg_financien) AS lg_financien,
        -- @metric lg_wonen | count | Leefgebied wonen | Ouders in contact met de gemeente die ondersteuning nodig hebben bij wonen.
        count(*) FILTER (WHERE eerste_contact_datum IS NOT NULL AND lg_wonen) AS lg_wonen,
        -- @metric lg_werk | count | Leefgebied werk | Ouders in contact met de gemeente die ondersteuning nodig hebben bij werk en inkomen.
        count(*) FILTER (WHERE eerste_contact_datum IS NOT NULL AND lg_werk) AS lg_werk,
        -- @metric lg_zorg | count | Leefgebied zorg | Ouders in contact met de gemeente die ondersteuning nodig hebben bij zorg en gezondheid.
        count(*) FILTER (WHERE eerste_contact_datum IS NOT NULL AND lg_zorg) AS lg_zorg,
        -- @metric lg_gezin | count | Leefgebied gezin | Ouders in contact met de gemeente die ondersteuning nodig hebben bij gezin en opvoeding.
        count(*) FILTER (WHERE eerste_contact_datum IS NOT NULL AND lg_gezin) AS lg_gezin,
        -- The latest first contact, plan or completion (for the signal stilstand).
        greatest(max(eerste_contact_datum), max(plan_datum), max(afgerond_datum)) AS laatste_activiteit
    FROM steun
    WHERE peildatum = $peildatum
    GROUP BY peildatum, gemeente
),
-- Reach needs "details shared at least w weeks before the peildatum" for any w (the setting [bereik] weken,
-- and the achtervang threshold a user may change): per gemeente, for w = 0 to 104, the parents shared w or
-- more whole weeks before the peildatum (gedeeld_weken[w + 1]) and how many of them were contacted
-- (bereikt_weken[w + 1]).
per_week AS (
    SELECT peildatum, gemeente, least(greatest((peildatum - gegevens_gedeeld_datum) // 7, 0), 104) AS week,
        count(*) AS gedeeld, count(eerste_contact_datum) AS bereikt
    FROM steun
    WHERE peildatum = $peildatum AND gegevens_gedeeld_datum IS NOT NULL
    GROUP BY ALL
),
weken AS (
    SELECT peildatum, gemeente,
        list_transform(range(105), lambda w: coalesce(list_sum(list_transform(list_filter(hist, lambda h: h.week >= w), lambda h: h.gedeeld)), 0)::BIGINT) AS gedeeld_weken,
        list_transform(range(105), lambda w: coalesce(list_sum(list_transform(list_filter(hist, lambda h: h.week >= w), lambda h: h.bereikt)), 0)::BIGINT) AS bereikt_weken
    FROM (SELECT peildatum, gemeente, list({'week': week, 'gedeeld': gedeeld, 'bereikt': bereikt}) AS hist
          FROM per_week GROUP BY peildatum, gemeente)
),
-- The parent survey (optional extract `ervaring`, spec 2.5): the answers given in the $ervaring_weken weeks up
-- to the peildatum (antwoord_datum after peildatum - 7 * weeks, not after the peildatum), counted in the
-- gemeente giving support. A peildatum without a survey file has 0 answers ("geen meting" on the pages).
ervaring_ AS (
    SELECT e.peildatum, coalesce(g.gemeentecode, 'onbekend') AS gemeente,
        -- @metric antwoorden | count | Antwoorden in de enquête | Aantal antwoorden op de oudervragenlijst in de {ervaring_weken} weken tot en met de peildatum, geteld in de gemeente die de ondersteuning geeft. Zonder enquête-extract voor de peildatum: geen meting.
        count(*) AS antwoorden,
        -- @metric antwoorden_ja | count | Antwoord: geholpen | Van die antwoorden: hoeveel ouders zich door de gemeente geholpen voelen (ja).
        count(*) FILTER (WHERE voelt_zich_geholpen = 'ja') AS antwoorden_ja,
        -- @metric antwoorden_deels | count | Antwoord: deels geholpen | Van die antwoorden: hoeveel ouders zich deels geholpen voelen.
        count(*) FILTER (WHERE voelt_zich_geholpen = 'deels') AS antwoorden_deels,
        -- @metric rapportcijfers | count | Gegeven rapportcijfers | Van die antwoorden: hoeveel een rapportcijfer geven (het cijfer is niet verplicht).
        count(rapportcijfer) AS rapportcijfers,
        -- @metric rapportcijfer_som | number | Som van de rapportcijfers | De gegeven rapportcijfers opgeteld (voor het gemiddelde).
        coalesce(sum(rapportcijfer), 0) AS rapportcijfer_som
    FROM ervaring e
    LEFT JOIN gemeenten g ON g.gemeentecode = e.gemeentecode
    WHERE e.peildatum = $peildatum
      AND e.antwoord_datum > e.peildatum - 7 * $ervaring_weken::INT AND e.antwoord_datum <= e.peildatum
    GROUP BY ALL
),
deelname_ AS (
    SELECT peildatum, coalesce(g.gemeentecode, 'onbekend') AS gemeente,
        -- @metric gemeenten_aangesloten | number | Gemeenten aangesloten | Gemeenten die zich uiterlijk op de peildatum bij de gezamenlijke aanpak hebben aangesloten (team en aanspreekpunt geregeld). Per gemeente: 1 als aangesloten, anders 0.
        count(*) FILTER (WHERE aangesloten_datum <= peildatum) AS gemeenten_aangesloten
    FROM deelname d
    LEFT JOIN gemeenten g ON g.gemeentecode = d.gemeentecode
    WHERE peildatum = $peildatum
    GROUP BY ALL
)
SELECT
    p.peildatum, p.gemeente,
    coalesce(COLUMNS(c.* EXCLUDE (peildatum, gemeente)), 0),
    coalesce(COLUMNS(o.* EXCLUDE (peildatum, gemeente, laatste_activiteit)), 0),
    o.laatste_activiteit,
    coalesce(w.gedeeld_weken, list_transform(range(105), lambda w: 0::BIGINT)) AS gedeeld_weken,
    coalesce(w.bereikt_weken, list_transform(range(105), lambda w: 0::BIGINT)) AS bereikt_weken,
    coalesce(d.gemeenten_aangesloten, 0) AS gemeenten_aangesloten,
    coalesce(COLUMNS(v.* EXCLUDE (peildatum, gemeente)), 0),
    -- @metric ouders_in_aangesloten_gemeente | count | Ouders in een aangesloten gemeente | Aangemelde ouders die wonen in een gemeente die op de peildatum bij de gezamenlijke aanpak is aangesloten.
    CASE WHEN p.gemeente <> 'onbekend' AND d.gemeenten_aangesloten > 0 THEN coalesce(c.aangemeld, 0) ELSE 0 END
        AS ouders_in_aangesloten_gemeente
FROM plaatsen p
LEFT JOIN compensatie c ON c.peildatum = p.peildatum AND c.gemeente = p.gemeente
LEFT JOIN ondersteuning_ o ON o.peildatum = p.peildatum AND o.gemeente = p.gemeente
LEFT JOIN weken w ON w.peildatum = p.peildatum AND w.gemeente = p.gemeente
LEFT JOIN deelname_ d ON d.peildatum = p.peildatum AND d.gemeente = p.gemeente
LEFT JOIN ervaring_ v ON v.peildatum = p.peildatum AND v.gemeente = p.gemeente
ORDER BY p.peildatum, p.gemeente
