-- The metrics table `metrieken` at $peildatum: one row per gemeente (and 'onbekend') and a national row
-- (gemeente NULL). Counts are the sums of the counts of `basis`
-- (queries/basis.sql, where each count is defined); rates are computed from those sums (pooled over the
-- parents, never an average of percentages); lead times need the parents' own dates, so they are computed
-- here from the rows, per gemeente and nationally, in one place. Days are calendar days.
-- $bereik_weken: details must have been shared at least this many weeks before the peildatum to count for
-- reach (config [bereik] weken). $min_antwoorden: the survey answers a share or mean mark needs (config
-- [ervaring] min_antwoorden).
WITH tellingen AS (
    SELECT
        peildatum,
        CASE WHEN grouping(gemeente) = 0 THEN gemeente END AS gemeente,
        CAST(sum(COLUMNS(* EXCLUDE (peildatum, gemeente, laatste_activiteit, gedeeld_weken, bereikt_weken))) AS BIGINT),
        -- @metric bereik_basis | count | Ouders in de bereikmeting | Ouders van wie de gegevens minstens het ingestelde aantal weken vóór de peildatum met de gemeente zijn gedeeld: de ouders waarover het bereik gaat.
        CAST(sum(gedeeld_weken[$bereik_weken + 1]) AS BIGINT) AS bereik_basis,
        -- @metric bereikt | count | Bereikt in de bereikmeting | Van de ouders in de bereikmeting: met hoeveel de gemeente contact heeft gehad.
        CAST(sum(bereikt_weken[$bereik_weken + 1]) AS BIGINT) AS bereikt
    FROM basis
    WHERE peildatum = $peildatum
    GROUP BY GROUPING SETS ((peildatum, gemeente), (peildatum))
),
compensatie AS (
    SELECT
        peildatum,
        CASE WHEN grouping(gemeente) = 0 THEN gemeente END AS gemeente,
        -- @metric doorlooptijd_eerste_toets_mediaan | days | Tijd tot eerste toets (mediaan) | Mediaan van het aantal dagen van aanmelding tot eerste toets, over ouders met een eerste toets. | eerste_toets_afgerond
        median(eerste_toets_datum - aanmelddatum) AS doorlooptijd_eerste_toets_mediaan,
        -- @metric doorlooptijd_eerste_toets_p90 | days | Tijd tot eerste toets (90e percentiel) | 90% van de ouders met een eerste toets kreeg die binnen dit aantal dagen na aanmelding. | eerste_toets_afgerond
        quantile_cont(eerste_toets_datum - aanmelddatum, 0.9) AS doorlooptijd_eerste_toets_p90,
        -- @metric doorlooptijd_forfait_mediaan | days | Tijd tot betaling (mediaan) | Mediaan van het aantal dagen van aanmelding tot betaling van € 30.000. | forfait_betaald
        median(forfait_betaald_datum - aanmelddatum) AS doorlooptijd_forfait_mediaan,
        -- @metric doorlooptijd_forfait_p90 | days | Tijd tot betaling (90e percentiel) | 90% van de betaalde ouders kreeg de € 30.000 binnen dit aantal dagen na aanmelding. | forfait_betaald
        quantile_cont(forfait_betaald_datum - aanmelddatum, 0.9) AS doorlooptijd_forfait_p90,
        -- @metric doorlooptijd_integrale_beoordeling_mediaan | days | Tijd tot integrale beoordeling (mediaan) | Mediaan van het aantal dagen van aanmelding tot afgeronde integrale beoordeling. | integrale_beoordeling_afgerond
        median(integrale_beoordeling_datum - aanmelddatum) AS doorlooptijd_integrale_beoordeling_mediaan,
        -- @metric doorlooptijd_integrale_beoordeling_p90 | days | Tijd tot integrale beoordeling (90e percentiel) | 90% van de afgeronde integrale beoordelingen was binnen dit aantal dagen na aanmelding klaar. | integrale_beoordeling_afgerond
        quantile_cont(integrale_beoordeling_datum - aanmelddatum, 0.9) AS doorlooptijd_integrale_beoordeling_p90
    FROM ouders
    WHERE peildatum = $peildatum
    GROUP BY GROUPING SETS ((peildatum, gemeente), (peildatum))
),
contact AS (
    SELECT
        peildatum,
        CASE WHEN grouping(gemeente) = 0 THEN gemeente END AS gemeente,
        -- @metric doorlooptijd_contact_mediaan | days | Tijd tot eerste contact (mediaan) | Mediaan van het aantal dagen van het delen van de gegevens tot het eerste contact (een eerste contact vóór het delen, een fout in de gegevens, telt niet mee). | in_contact
        median(eerste_contact_datum - gegevens_gedeeld_datum)
            FILTER (WHERE eerste_contact_datum >= gegevens_gedeeld_datum) AS doorlooptijd_contact_mediaan,
        -- @metric doorlooptijd_contact_p90 | days | Tijd tot eerste contact (90e percentiel) | 90% van de bereikte ouders had binnen dit aantal dagen na het delen contact. | in_contact
        quantile_cont(eerste_contact_datum - gegevens_gedeeld_datum, 0.9)
            FILTER (WHERE eerste_contact_datum >= gegevens_gedeeld_datum) AS doorlooptijd_contact_p90
    FROM steun
    WHERE peildatum = $peildatum
    GROUP BY GROUPING SETS ((peildatum, gemeente), (peildatum))
)
SELECT
    t.*,
    -- @metric bereik_pct | percentage | Bereik na {bereik_weken} weken | Van de ouders van wie de gegevens minstens {bereik_weken} weken vóór de peildatum met de gemeente zijn gedeeld: het percentage met wie de gemeente contact heeft gehad. | bereik_basis
    100.0 * t.bereikt / nullif(t.bereik_basis, 0) AS bereik_pct,
    -- @metric plan_pct | percentage | Plan van aanpak na contact | Van de ouders met wie de gemeente contact heeft gehad: het percentage met een plan van aanpak. | in_contact
    100.0 * t.plan_na_contact / nullif(t.in_contact, 0) AS plan_pct,
    -- @metric lg_financien_pct | percentage | Leefgebied financiën (%) | Van de ouders met wie de gemeente contact heeft gehad: het percentage dat ondersteuning nodig heeft bij financiën en schulden. | in_contact
    100.0 * t.lg_financien / nullif(t.in_contact, 0) AS lg_financien_pct,
    -- @metric lg_wonen_pct | percentage | Leefgebied wonen (%) | Van de ouders met wie de gemeente contact heeft gehad: het percentage dat ondersteuning nodig heeft bij wonen. | in_contact
    100.0 * t.lg_wonen / nullif(t.in_contact, 0) AS lg_wonen_pct,
    -- @metric lg_werk_pct | percentage | Leefgebied werk (%) | Van de ouders met wie de gemeente contact heeft gehad: het percentage dat ondersteuning nodig heeft bij werk en inkomen. | in_contact
    100.0 * t.lg_werk / nullif(t.in_contact, 0) AS lg_werk_pct,
    -- @metric lg_zorg_pct | percentage | Leefgebied zorg (%) | Van de ouders met wie de gemeente contact heeft gehad: het percentage dat ondersteuning nodig heeft bij zorg en gezondheid. | in_contact
    100.0 * t.lg_zorg / nullif(t.in_contact, 0) AS lg_zorg_pct,
    -- @metric lg_gezin_pct | percentage | Leefgebied gezin (%) | Van de ouders met wie de gemeente contact heeft gehad: het percentage dat ondersteuning nodig heeft bij gezin en opvoeding. | in_contact
    100.0 * t.lg_gezin / nullif(t.in_contact, 0) AS lg_gezin_pct,
    -- @metric ouders_in_aangesloten_gemeente_pct | percentage | Aandeel ouders in een aangesloten gemeente | Van alle aangemelde ouders (ook die zonder bekende gemeente): het percentage dat woont in een gemeente die op de peildatum is aangesloten. | aangemeld
    100.0 * t.ouders_in_aangesloten_gemeente / nullif(t.aangemeld, 0) AS ouders_in_aangesloten_gemeente_pct,
    -- Parent experience: below $min_antwoorden answers no share and no mark ("te weinig antwoorden").
    -- @metric geholpen_pct | percentage | Voelt zich geholpen | Van de antwoorden op de oudervragenlijst in de {ervaring_weken} weken tot en met de peildatum: het percentage ouders dat zich door de gemeente geholpen voelt (antwoord ja). Bij minder dan {min_antwoorden} antwoorden: te weinig antwoorden. | antwoorden
    CASE WHEN t.antwoorden >= $min_antwoorden THEN 100.0 * t.antwoorden_ja / t.antwoorden END AS geholpen_pct,
    -- @metric deels_pct | percentage | Voelt zich deels geholpen | Van dezelfde antwoorden: het percentage dat zich deels geholpen voelt (antwoord deels). Bij minder dan {min_antwoorden} antwoorden: te weinig antwoorden. | antwoorden
    CASE WHEN t.antwoorden >= $min_antwoorden THEN 100.0 * t.antwoorden_deels / t.antwoorden END AS deels_pct,
    -- @metric rapportcijfer_gem | ratio | Rapportcijfer (gemiddeld) | Gemiddelde van de gegeven rapportcijfers (1-10) in dezelfde antwoorden; een antwoord zonder cijfer telt niet mee. Bij minder dan {min_antwoorden} antwoorden: te weinig antwoorden. | antwoorden
    CASE WHEN t.antwoorden >= $min_antwoorden THEN t.rapportcijfer_som / nullif(t.rapportcijfers, 0) END AS rapportcijfer_gem,
    COLUMNS(c.* EXCLUDE (peildatum, gemeente)),
    COLUMNS(k.* EXCLUDE (peildatum, gemeente))
FROM tellingen t
LEFT JOIN compensatie c ON c.peildatum = t.peildatum AND c.gemeente IS NOT DISTINCT FROM t.gemeente
LEFT JOIN contact k ON k.peildatum = t.peildatum AND k.gemeente IS NOT DISTINCT FROM t.gemeente
ORDER BY t.peildatum, t.gemeente NULLS FIRST
