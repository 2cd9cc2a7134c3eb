-- Buiten de boot: every registered parent at each peildatum in [$van, $tot], counted once, at the first way
-- out of reach that applies (in the order of the columns below), per gemeente and peildatum. The columns
-- from bdb_geen_gemeente on add up to bdb_aangemeld; buiten_bereik is the sum of the ways out.
-- A parent counts in the gemeente giving support when a gemeente reports on them (steun.gemeente), else in
-- the gemeente of registration; 'onbekend' when neither is known (unknown residence: listed apart on the
-- page, counted in every total). $bereik_dagen: the reach setting ([bereik] weken) in days, as in queries/metrieken.sql.
-- $zonder_aanpak: the gemeenten that are not aangesloten or need achtervang, as 'YYYY-MM-DD/GMxxxx' per
-- peildatum; herstelmonitor.buiten_de_boot takes them from queries/signalen.sql (one definition).
WITH zonder_aanpak AS (
    SELECT DISTINCT CAST(split_part(sleutel, '/', 1) AS DATE) AS peildatum, split_part(sleutel, '/', 2) AS gemeente
    FROM (SELECT unnest($zonder_aanpak::VARCHAR[]) AS sleutel)
),
ouder AS (
    SELECT
        o.peildatum,
        CASE WHEN s.gemeente IS NOT NULL AND s.gemeente <> 'onbekend' THEN s.gemeente ELSE o.gemeente END AS gemeente,
        o.gegevens_gedeeld_datum,
        s.status,
        s.eerste_contact_datum,
        -- The legal term, as over_wettelijke_termijn in tempo_stromen.sql: a decision within one year of
        -- registration; the decision is the first check when not recognised, the full review when recognised.
        CAST(o.aanmelddatum + INTERVAL 1 YEAR AS DATE) <= o.peildatum
            AND CASE o.eerste_toets_uitkomst WHEN 'gedupeerd' THEN o.integrale_beoordeling_datum
                                             WHEN 'niet_gedupeerd' THEN o.eerste_toets_datum END IS NULL AS over_termijn
    FROM ouders o
    -- A parent reported by two gemeenten (moved) counts once: in the report that shows most progress.
    LEFT JOIN (
        SELECT * FROM steun WHERE peildatum BETWEEN $van AND $tot
        QUALIFY row_number() OVER (PARTITION BY peildatum, ouder_id
            ORDER BY eerste_contact_datum IS NULL, status IS NOT DISTINCT FROM 'niet_bereikbaar', gemeente) = 1
    ) s ON s.peildatum = o.peildatum AND s.ouder_id = o.ouder_id
    WHERE o.peildatum BETWEEN $van AND $tot
),
stap AS (
    SELECT ouder.peildatum, ouder.gemeente,
        CASE
            WHEN gegevens_gedeeld_datum IS NULL AND ouder.gemeente = 'onbekend' THEN 'geen_gemeente'
            WHEN gegevens_gedeeld_datum IS NULL AND status = 'hulp_afgewezen' THEN 'geweigerd'
            WHEN gegevens_gedeeld_datum IS NULL THEN 'niet_gedeeld'
            WHEN eerste_contact_datum IS NULL AND coalesce(status, '') NOT IN ('niet_bereikbaar', 'hulp_afgewezen')
                 AND gegevens_gedeeld_datum <= ouder.peildatum - $bereik_dagen::INT THEN 'geen_contact'
            WHEN status = 'niet_bereikbaar' THEN 'niet_bereikbaar'
            WHEN status = 'hulp_afgewezen' THEN 'hulp_afgewezen'
            WHEN over_termijn THEN 'over_termijn'
            WHEN z.gemeente IS NOT NULL THEN 'zonder_aanpak'
            WHEN eerste_contact_datum IS NOT NULL THEN 'bereikt'
            ELSE 'nog_binnen_8_weken'
        END AS stap
    FROM ouder
    LEFT JOIN zonder_aanpak z ON z.peildatum = ouder.peildatum AND z.gemeente = ouder.gemeente
)
SELECT
    peildatum,
    gemeente,
    -- @metric bdb_aangemeld | count | Aangemeld (trechter buiten de boot) | Ouders die zich uiterlijk op de peildatum bij UHT hebben aangemeld: het begin van de trechter. Per gemeente geteld in de gemeente die de ondersteuning geeft, anders in de gemeente van inschrijving.
    count(*) AS bdb_aangemeld,
    -- @metric bdb_geen_gemeente | count | Niet gedeeld: geen gemeente bekend | Aangemelde ouders van wie de gegevens niet met een gemeente zijn gedeeld en van wie geen woongemeente bekend is.
    count(*) FILTER (WHERE stap = 'geen_gemeente') AS bdb_geen_gemeente,
    -- @metric bdb_geweigerd | count | Niet gedeeld: hulp geweigerd | Aangemelde ouders van wie de gegevens niet zijn gedeeld en die volgens de gemeente de hulp hebben geweigerd.
    count(*) FILTER (WHERE stap = 'geweigerd') AS bdb_geweigerd,
    -- @metric bdb_niet_gedeeld | count | Niet gedeeld: reden niet bekend | Aangemelde ouders met een bekende woongemeente van wie de gegevens (nog) niet met de gemeente zijn gedeeld; het extract zegt niet waarom.
    count(*) FILTER (WHERE stap = 'niet_gedeeld') AS bdb_niet_gedeeld,
    -- @metric bdb_geen_contact | count | Geen contact na {bereik_weken} weken | Ouders van wie de gegevens {bereik_weken} weken of langer geleden met de gemeente zijn gedeeld, met wie nog geen contact is geweest en die de gemeente niet als onbereikbaar of weigerend meldt.
    count(*) FILTER (WHERE stap = 'geen_contact') AS bdb_geen_contact,
    -- @metric bdb_niet_bereikbaar | count | Niet bereikbaar (trechter buiten de boot) | Ouders van wie de gegevens zijn gedeeld en die de gemeente niet heeft kunnen bereiken (status niet bereikbaar).
    count(*) FILTER (WHERE stap = 'niet_bereikbaar') AS bdb_niet_bereikbaar,
    -- @metric bdb_hulp_afgewezen | count | Hulp afgewezen (eigen keuze) | Ouders van wie de gegevens zijn gedeeld en die de hulp van de gemeente hebben afgewezen. Dat mag altijd; zij tellen niet als buiten bereik.
    count(*) FILTER (WHERE stap = 'hulp_afgewezen') AS bdb_hulp_afgewezen,
    -- @metric bdb_over_termijn | count | Over de wettelijke termijn zonder besluit | De overige ouders die meer dan een jaar geleden zijn aangemeld en nog geen besluit over hun compensatie hebben (geen eerste toets, of erkend zonder afgeronde integrale beoordeling).
    count(*) FILTER (WHERE stap = 'over_termijn') AS bdb_over_termijn,
    -- @metric bdb_zonder_aanpak | count | In een gemeente zonder aanpak | De overige ouders in een gemeente die niet is aangesloten bij de gezamenlijke aanpak of waar minstens één achtervangsignaal afgaat.
    count(*) FILTER (WHERE stap = 'zonder_aanpak') AS bdb_zonder_aanpak,
    -- @metric bdb_bereikt | count | Bereikt | De overige ouders met wie de gemeente contact heeft gehad: het einde van de trechter.
    count(*) FILTER (WHERE stap = 'bereikt') AS bdb_bereikt,
    -- @metric bdb_nog_binnen_8_weken | count | Gedeeld, nog binnen {bereik_weken} weken | De overige ouders van wie de gegevens korter dan {bereik_weken} weken geleden zijn gedeeld en met wie nog geen contact is geweest: nog niet buiten bereik.
    count(*) FILTER (WHERE stap = 'nog_binnen_8_weken') AS bdb_nog_binnen_8_weken,
    -- @metric buiten_bereik | count | Buiten bereik | Alle ouders op een van de wegen buiten bereik samen: niet gedeeld, geen contact, niet bereikbaar, over de wettelijke termijn of in een gemeente zonder aanpak (hulp afgewezen telt niet mee: dat is een eigen keuze).
    count(*) FILTER (WHERE stap IN ('geen_gemeente', 'geweigerd', 'niet_gedeeld', 'geen_contact', 'niet_bereikbaar',
                                    'over_termijn', 'zonder_aanpak')) AS buiten_bereik
FROM stap
GROUP BY peildatum, gemeente
ORDER BY peildatum, gemeente
