-- Per gemeente, within the region of the chosen division: its share of the region's parents and its score
-- as centrumgemeente. Reads `regio_invoer`, registered by herstelmonitor.regio (one row per gemeente:
-- regio, aangemeld, bereik_pct, bereik_basis, doorlooptijd_contact_mediaan, in_contact, aangesloten, signaal,
-- huishoudens_met_kinderen; the metrics themselves come from herstelmonitor.metrics).
-- Each component is scaled within the region to 0-1 against the best gemeente of that region; the score is
-- the weighted sum, 0-100. Reach and speed count only when built on at least $min_ouders parents
-- (otherwise 0: too few to judge). The share counts only as far as the gemeente's own reach and speed carry
-- it (times their mean), so a large share cannot alone outweigh poor reach and speed; score_oud is the score
-- without that limit, for comparison. A gemeente that needs achtervang (signaal) is a candidate only when
-- $met_signaal is true. Gemeenten without a region ('geen regio') get no score.
WITH basis AS (
    SELECT *,
        CASE WHEN bereik_basis >= $min_ouders THEN bereik_pct END AS bereik_telt,
        CASE WHEN in_contact >= $min_ouders THEN doorlooptijd_contact_mediaan END AS mediaan_telt
    FROM regio_invoer
),
aandeel AS (
    SELECT *,
        -- @metric per_1000_huishoudens_met_kinderen | ratio | Aangemeld per 1.000 huishoudens met kinderen | Aangemelde ouders in de gemeente per 1.000 huishoudens met kinderen (CBS 2023): de last naar verhouding van de omvang van de gemeente. | aangemeld
        1000.0 * aangemeld / nullif(huishoudens_met_kinderen, 0) AS per_1000_huishoudens_met_kinderen,
        -- @metric aandeel_regio_pct | percentage | Aandeel van de regio | Het percentage van de aangemelde ouders in de regio dat in deze gemeente woont. | numerator aangemeld
        CASE WHEN regio <> 'geen regio' THEN 100.0 * aangemeld / nullif(sum(aangemeld) OVER regio, 0) END AS aandeel_regio_pct
    FROM basis
    WINDOW regio AS (PARTITION BY regio)
),
punten AS (
    SELECT *,
        -- @metric punt_aandeel | score | Score-onderdeel aandeel | Het aandeel van de gemeente in de ouders van de regio, gedeeld door het grootste aandeel in de regio (0 tot 1; de grootste gemeente krijgt 1).
        coalesce(aandeel_regio_pct / nullif(max(aandeel_regio_pct) OVER regio, 0), 0) AS punt_aandeel,
        -- @metric punt_bereik | score | Score-onderdeel bereik | Het bereik van de gemeente, gedeeld door het hoogste bereik in de regio (0 tot 1). Telt als 0 als het bereik op minder dan {kleine_aantallen} ouders berust.
        coalesce(bereik_telt / nullif(max(bereik_telt) OVER regio, 0), 0) AS punt_bereik,
        -- @metric punt_snelheid | score | Score-onderdeel snelheid | De kortste mediaan tijd tot eerste contact in de regio, gedeeld door die van de gemeente (0 tot 1; de snelste krijgt 1; minimaal 1 dag gerekend). Telt als 0 bij minder dan {kleine_aantallen} bereikte ouders.
        CASE WHEN mediaan_telt IS NOT NULL
            THEN greatest(min(mediaan_telt) OVER regio, 1) / greatest(mediaan_telt, 1) ELSE 0 END AS punt_snelheid,
        -- @metric punt_aangesloten | score | Score-onderdeel aangesloten | 1 als de gemeente op de peildatum is aangesloten bij de gezamenlijke aanpak, anders 0.
        CASE WHEN aangesloten THEN 1.0 ELSE 0.0 END AS punt_aangesloten
    FROM aandeel
    WINDOW regio AS (PARTITION BY regio)
),
begrensd AS (
    SELECT *,
        -- @metric kwaliteit | score | Eigen bereik en snelheid | Het gemiddelde van de score-onderdelen bereik en snelheid (0 tot 1). Het aandeel telt in de score maal dit getal mee: een groot aandeel weegt niet op tegen slecht bereik en trage start.
        (punt_bereik + punt_snelheid) / 2 AS kwaliteit,
        -- @metric kandidaat | number | Kandidaat | 1 als de gemeente als centrumgemeente wordt voorgesteld: in een regio, en zonder achtervangsignaal (tenzij de gebruiker gemeenten met een signaal ook wil zien).
        regio <> 'geen regio' AND ($met_signaal OR NOT signaal) AS kandidaat
    FROM punten
),
score AS (
    SELECT *,
        -- @metric score | score | Score als centrumgemeente | 100 maal de gewogen som van de vier score-onderdelen (aandeel maal eigen bereik en snelheid, bereik, snelheid, aangesloten), gedeeld door de som van de gewichten; standaardgewichten 0,5, 0,2, 0,2 en 0,1. Alleen binnen één regio te vergelijken.
        CASE WHEN regio <> 'geen regio' THEN
            100 * ($w_aandeel * punt_aandeel * kwaliteit + $w_bereik * punt_bereik + $w_snelheid * punt_snelheid
                   + $w_aangesloten * punt_aangesloten)
                / nullif($w_aandeel + $w_bereik + $w_snelheid + $w_aangesloten, 0)
        END AS score,
        -- @metric score_oud | score | Score zonder begrenzing van het aandeel | De score zoals vóór de begrenzing: het aandeel telt volledig mee, ongeacht bereik en snelheid. Alleen ter vergelijking.
        CASE WHEN regio <> 'geen regio' THEN
            100 * ($w_aandeel * punt_aandeel + $w_bereik * punt_bereik + $w_snelheid * punt_snelheid
                   + $w_aangesloten * punt_aangesloten)
                / nullif($w_aandeel + $w_bereik + $w_snelheid + $w_aangesloten, 0)
        END AS score_oud
    FROM begrensd
)
SELECT * EXCLUDE (bereik_telt, mediaan_telt),
    -- @metric rang | rank | Rang in de regio | De plaats van een kandidaat in haar regio bij aflopende score (bij gelijke score: meer aangemelde ouders eerst); leeg voor een gemeente die geen kandidaat is.
    CASE WHEN kandidaat THEN
        row_number() OVER (PARTITION BY regio, kandidaat ORDER BY score DESC NULLS LAST, aangemeld DESC, gemeentecode)
    END AS rang,
    -- @metric rang_oud | rank | Rang zonder begrenzing van het aandeel | De plaats van een kandidaat bij de score zonder begrenzing (score_oud): zo is te zien hoe de begrenzing de volgorde verandert.
    CASE WHEN kandidaat THEN
        row_number() OVER (PARTITION BY regio, kandidaat ORDER BY score_oud DESC NULLS LAST, aangemeld DESC, gemeentecode)
    END AS rang_oud
FROM score
ORDER BY regio, rang, gemeentecode
