-- Flows, cumulative counts and stocks per period, from the extract of each peildatum in [$van, $tot]:
-- every count uses only the event dates of that extract, up to its peildatum. One row per period.
-- $periode 'week': 7-day periods ending on the peildatum (the last one is complete, so its count is a
-- full week of throughput); 'maand': calendar months, the last one up to the peildatum.
-- Selection: $provincie (provincienaam) and/or $gemeente (code or 'onbekend'), NULL for all.
-- A period is identified by its last day (periode_tm); periods without events are rows with zeros.
WITH selectie AS (
    SELECT o.*
    FROM ouders o
    LEFT JOIN gemeenten g ON g.gemeentecode = o.gemeente
    WHERE o.peildatum BETWEEN $van AND $tot
      AND ($gemeente::VARCHAR IS NULL OR o.gemeente = $gemeente)
      AND ($provincie::VARCHAR IS NULL OR g.provincienaam = $provincie)
),
datums AS (
    SELECT
        peildatum,
        aanmelddatum AS aangemeld,
        eerste_toets_datum AS eerste_toets,
        CASE WHEN eerste_toets_uitkomst = 'gedupeerd' THEN eerste_toets_datum END AS erkend,
        forfait_betaald_datum AS forfait,
        integrale_beoordeling_datum AS integrale_beoordeling,
        -- The legal term: a decision within one year of registration. The decision is the first check
        -- for a parent not recognised, the full review for a recognised parent. A parent is past the term
        -- from the day the year ends until the decision (never, when decided within the year).
        CAST(aanmelddatum + INTERVAL 1 YEAR AS DATE) AS termijn_in,
        CASE WHEN besluit IS NOT NULL THEN greatest(besluit, termijn_in) END AS termijn_uit
    FROM (
        SELECT *, CASE eerste_toets_uitkomst WHEN 'gedupeerd' THEN integrale_beoordeling_datum
                                             WHEN 'niet_gedupeerd' THEN eerste_toets_datum END AS besluit
        FROM selectie
    )
),
gebeurtenissen AS (
    SELECT peildatum, soort,
        CASE WHEN $periode = 'week' THEN peildatum - CAST(7 * ((peildatum - datum) // 7) AS INTEGER)
             ELSE least(last_day(datum), peildatum) END AS periode_tm
    FROM datums
    UNPIVOT (datum FOR soort IN (aangemeld, eerste_toets, erkend, forfait, integrale_beoordeling,
                                 termijn_in, termijn_uit))
    WHERE datum <= peildatum
),
reeks AS (
    -- Every period from the first event up to the peildatum; `stap` is a week's last day or a month's first.
    SELECT peildatum,
        CASE WHEN $periode = 'week' THEN stap - 6 ELSE stap END AS periode_van,
        CASE WHEN $periode = 'week' THEN stap ELSE least(last_day(stap), peildatum) END AS periode_tm
    FROM (
        SELECT peildatum, CAST(unnest(CASE WHEN $periode = 'week'
                THEN generate_series(peildatum - CAST(7 * ((peildatum - eerste) // 7) AS INTEGER), peildatum, INTERVAL 7 DAY)
                ELSE generate_series(date_trunc('month', eerste), date_trunc('month', peildatum), INTERVAL 1 MONTH)
            END) AS DATE) AS stap
        FROM (SELECT peildatum, min(periode_tm) AS eerste FROM gebeurtenissen GROUP BY peildatum)
    )
),
tellingen AS (
    SELECT peildatum, periode_tm,
        count(*) FILTER (WHERE soort = 'aangemeld') AS aangemeld,
        count(*) FILTER (WHERE soort = 'eerste_toets') AS eerste_toets,
        count(*) FILTER (WHERE soort = 'erkend') AS erkend,
        count(*) FILTER (WHERE soort = 'forfait') AS forfait,
        count(*) FILTER (WHERE soort = 'integrale_beoordeling') AS integrale_beoordeling,
        count(*) FILTER (WHERE soort = 'termijn_in') AS termijn_in,
        count(*) FILTER (WHERE soort = 'termijn_uit') AS termijn_uit
    FROM gebeurtenissen
    GROUP BY peildatum, periode_tm
)
SELECT
    r.peildatum, r.periode_van, r.periode_tm,
    -- @metric stroom_aangemeld | count | Nieuwe aanmeldingen in de periode | Ouders met een aanmelddatum in de periode.
    coalesce(t.aangemeld, 0) AS stroom_aangemeld,
    -- @metric stroom_eerste_toets | count | Eerste toetsen in de periode | Ouders bij wie de eerste toets in de periode is gedaan, ongeacht de uitkomst.
    coalesce(t.eerste_toets, 0) AS stroom_eerste_toets,
    -- @metric stroom_erkend | count | Erkend in de periode | Ouders die bij een eerste toets in de periode als gedupeerd zijn erkend.
    coalesce(t.erkend, 0) AS stroom_erkend,
    -- @metric stroom_forfait | count | € 30.000 betaald in de periode | Ouders aan wie in de periode € 30.000 is betaald.
    coalesce(t.forfait, 0) AS stroom_forfait,
    -- @metric stroom_integrale_beoordeling | count | Integrale beoordelingen in de periode | Ouders bij wie de integrale beoordeling in de periode is afgerond.
    coalesce(t.integrale_beoordeling, 0) AS stroom_integrale_beoordeling,
    -- @metric totaal_aangemeld | count | Aangemeld (cumulatief) | Ouders aangemeld tot en met het einde van de periode.
    CAST(sum(coalesce(t.aangemeld, 0)) OVER w AS BIGINT) AS totaal_aangemeld,
    -- @metric totaal_eerste_toets | count | Eerste toets afgerond (cumulatief) | Ouders met een eerste toets tot en met het einde van de periode.
    CAST(sum(coalesce(t.eerste_toets, 0)) OVER w AS BIGINT) AS totaal_eerste_toets,
    -- @metric totaal_erkend | count | Erkend gedupeerd (cumulatief) | Ouders erkend als gedupeerd tot en met het einde van de periode.
    CAST(sum(coalesce(t.erkend, 0)) OVER w AS BIGINT) AS totaal_erkend,
    -- @metric totaal_forfait | count | € 30.000 betaald (cumulatief) | Ouders aan wie tot en met het einde van de periode € 30.000 is betaald.
    CAST(sum(coalesce(t.forfait, 0)) OVER w AS BIGINT) AS totaal_forfait,
    -- @metric totaal_integrale_beoordeling | count | Integrale beoordeling afgerond (cumulatief) | Ouders met een afgeronde integrale beoordeling tot en met het einde van de periode.
    CAST(sum(coalesce(t.integrale_beoordeling, 0)) OVER w AS BIGINT) AS totaal_integrale_beoordeling,
    -- @metric wacht_op_eerste_toets | count | Wacht op eerste toets (einde periode) | Aan het einde van de periode: aangemelde ouders zonder eerste toets.
    totaal_aangemeld - totaal_eerste_toets AS wacht_op_eerste_toets,
    -- @metric wacht_op_ib | count | Wacht op integrale beoordeling | Aan het einde van de periode: aangemelde ouders van wie de integrale beoordeling nog niet is afgerond. Iedere aangemelde ouder krijgt een integrale beoordeling, erkend of niet.
    totaal_aangemeld - totaal_integrale_beoordeling AS wacht_op_ib,
    -- @metric over_wettelijke_termijn | count | Over de wettelijke termijn | Aan het einde van de periode: ouders die meer dan een jaar geleden zijn aangemeld en nog geen besluit hebben (geen eerste toets, of erkend zonder afgeronde integrale beoordeling).
    CAST(sum(coalesce(t.termijn_in, 0) - coalesce(t.termijn_uit, 0)) OVER w AS BIGINT) AS over_wettelijke_termijn
FROM reeks r
LEFT JOIN tellingen t ON t.peildatum = r.peildatum AND t.periode_tm = r.periode_tm
WINDOW w AS (PARTITION BY r.peildatum ORDER BY r.periode_tm)
ORDER BY r.peildatum, r.periode_tm
