-- Lead times per month of registration (cohort), from the extract of $peildatum, for the selection
-- ($provincie, $gemeente: NULL for all). One row per cohort and step (stap):
--   eerste_toets           all parents of the cohort, days from registration to first check;
--   forfait                parents of the cohort recognised as gedupeerd, days to the EUR 30,000 payment;
--   integrale_beoordeling  parents of the cohort recognised as gedupeerd, days to the completed full review.
-- Parents still waiting count with the days they have waited so far, so for recent cohorts the figure is
-- a lower bound ("minstens"): leaving them out would make newer parents look faster than they are.
-- A figure is final (definitief) once no waiting parent can still change it: the quantile computed with
-- the waiting parents at infinity is finite and not above the shortest wait so far, and (for payment and
-- full review) no parent of the cohort still waits for the first check that may yet recognise them.
WITH selectie AS (
    SELECT o.*
    FROM ouders o
    LEFT JOIN gemeenten g ON g.gemeentecode = o.gemeente
    WHERE o.peildatum = $peildatum
      AND ($gemeente::VARCHAR IS NULL OR o.gemeente = $gemeente)
      AND ($provincie::VARCHAR IS NULL OR g.provincienaam = $provincie)
),
per_stap AS (
    SELECT
        CAST(date_trunc('month', aanmelddatum) AS DATE) AS cohort,
        s.stap,
        s.stap = 'eerste_toets' OR eerste_toets_uitkomst = 'gedupeerd' AS in_populatie,
        eerste_toets_datum IS NULL AS zonder_eerste_toets,
        CASE s.stap WHEN 'eerste_toets' THEN eerste_toets_datum
                    WHEN 'forfait' THEN forfait_betaald_datum
                    ELSE integrale_beoordeling_datum END - aanmelddatum AS dagen,
        $peildatum::DATE - aanmelddatum AS gewacht
    FROM selectie
    CROSS JOIN (VALUES ('eerste_toets'), ('forfait'), ('integrale_beoordeling')) s(stap)
),
kwantielen AS (
    SELECT cohort, stap,
        count(*) FILTER (WHERE in_populatie) AS ouders,
        count(dagen) FILTER (WHERE in_populatie) AS klaar,
        count(*) FILTER (WHERE zonder_eerste_toets) AS cohort_zonder_eerste_toets,
        min(gewacht) FILTER (WHERE in_populatie AND dagen IS NULL) AS kortste_wacht,
        quantile_cont(coalesce(dagen, gewacht), 0.5) FILTER (WHERE in_populatie) AS mediaan_ondergrens,
        quantile_cont(coalesce(dagen, 1e9), 0.5) FILTER (WHERE in_populatie) AS mediaan_bovengrens,
        quantile_cont(coalesce(dagen, gewacht), 0.9) FILTER (WHERE in_populatie) AS p90_ondergrens,
        quantile_cont(coalesce(dagen, 1e9), 0.9) FILTER (WHERE in_populatie) AS p90_bovengrens
    FROM per_stap
    GROUP BY cohort, stap
)
SELECT cohort, stap,
    -- @metric ouders | count | Ouders in het cohort | De ouders die in deze maand zijn aangemeld (voor betaling en integrale beoordeling: die als gedupeerd zijn erkend).
    ouders,
    -- @metric klaar | count | Klaar | Van de ouders in het cohort: bij hoeveel deze stap is gedaan.
    klaar,
    -- @metric wacht_nog | count | Wachten nog | Van de ouders in het cohort: bij hoeveel deze stap nog niet is gedaan.
    ouders - klaar AS wacht_nog,
    -- @metric doorlooptijd_cohort_mediaan | days | Doorlooptijd per aanmeldmaand (mediaan) | De helft van de ouders die in deze maand zijn aangemeld, was binnen dit aantal dagen aan de beurt (eerste toets; of, van de erkende ouders, betaling of integrale beoordeling). Wie nog wacht, telt mee met de dagen die hij tot nu toe wacht; zolang dat de uitkomst nog kan veranderen, is het cijfer een ondergrens ('minstens'). | ouders
    CASE WHEN mediaan_definitief THEN mediaan_bovengrens ELSE mediaan_ondergrens END AS doorlooptijd_cohort_mediaan,
    mediaan_definitief,
    -- @metric doorlooptijd_cohort_p90 | days | Doorlooptijd per aanmeldmaand (90e percentiel) | 90% van de ouders die in deze maand zijn aangemeld, was binnen dit aantal dagen aan de beurt; wie nog wacht, telt mee zoals bij de mediaan, en dan is het cijfer een ondergrens ('minstens'). | ouders
    CASE WHEN p90_definitief THEN p90_bovengrens ELSE p90_ondergrens END AS doorlooptijd_cohort_p90,
    p90_definitief
FROM (
    SELECT *,
        ouders > 0 AND mediaan_bovengrens < 1e5 AND mediaan_bovengrens <= coalesce(kortste_wacht, 1e9)
            AND (stap = 'eerste_toets' OR cohort_zonder_eerste_toets = 0) AS mediaan_definitief,
        ouders > 0 AND p90_bovengrens < 1e5 AND p90_bovengrens <= coalesce(kortste_wacht, 1e9)
            AND (stap = 'eerste_toets' OR cohort_zonder_eerste_toets = 0) AS p90_definitief
    FROM kwantielen
)
ORDER BY cohort, CASE stap WHEN 'eerste_toets' THEN 1 WHEN 'forfait' THEN 2 ELSE 3 END
