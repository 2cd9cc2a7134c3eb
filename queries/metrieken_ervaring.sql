-- Parent experience (spec 2.5 and 3) for every peildatum in [$van, $tot], per gemeente and national, from
-- the optional survey extract `ervaring`. A peildatum without that file has no rows here ("geen meting").
-- Answers count when given in the $ervaring_dagen days up to the peildatum (26 weeks: antwoord_datum after
-- peildatum - 182 and not after the peildatum), in the gemeente giving support (ervaring.gemeentecode; a
-- code not in the reference list counts under 'onbekend'). With fewer than $min_antwoorden answers the
-- shares and the mean mark are NULL: shown as "te weinig antwoorden", never as a figure.
WITH antwoorden AS (
    SELECT e.peildatum, coalesce(g.gemeentecode, 'onbekend') AS gemeente, e.voelt_zich_geholpen, e.rapportcijfer
    FROM ervaring e
    LEFT JOIN gemeenten g ON g.gemeentecode = e.gemeentecode
    WHERE e.peildatum BETWEEN $van AND $tot
      AND e.antwoord_datum > e.peildatum - $ervaring_dagen::INT AND e.antwoord_datum <= e.peildatum
),
telling AS (
    SELECT
        peildatum,
        CASE WHEN grouping(gemeente) = 0 THEN gemeente END AS gemeente,
        count(*) AS antwoorden,
        count(*) FILTER (WHERE voelt_zich_geholpen = 'ja') AS ja,
        count(*) FILTER (WHERE voelt_zich_geholpen = 'deels') AS deels,
        avg(rapportcijfer) AS cijfer
    FROM antwoorden
    GROUP BY GROUPING SETS ((peildatum, gemeente), (peildatum))
),
-- Every loaded survey peildatum gets a national row, also when no answer falls in the window (0 answers).
gemeten AS (
    SELECT DISTINCT peildatum FROM bestanden WHERE soort = 'ervaring' AND peildatum BETWEEN $van AND $tot
)
SELECT
    m.peildatum,
    t.gemeente,
    -- @metric antwoorden | aantal | Antwoorden in de enquête | Aantal antwoorden op de oudervragenlijst in de 26 weken tot en met de peildatum, geteld in de gemeente die de ondersteuning geeft. Zonder enquête-extract voor de peildatum: geen meting.
    coalesce(t.antwoorden, 0) AS antwoorden,
    -- @metric geholpen_pct | pct | Voelt zich geholpen | Van de antwoorden in de 26 weken tot en met de peildatum: het percentage ouders dat zich door de gemeente geholpen voelt (antwoord ja). Bij minder dan 10 antwoorden: te weinig antwoorden.
    CASE WHEN t.antwoorden >= $min_antwoorden THEN 100.0 * t.ja / t.antwoorden END AS geholpen_pct,
    -- @metric deels_pct | pct | Voelt zich deels geholpen | Van dezelfde antwoorden: het percentage dat zich deels geholpen voelt (antwoord deels). Bij minder dan 10 antwoorden: te weinig antwoorden.
    CASE WHEN t.antwoorden >= $min_antwoorden THEN 100.0 * t.deels / t.antwoorden END AS deels_pct,
    -- @metric rapportcijfer_gem | cijfer | Rapportcijfer (gemiddeld) | Gemiddelde van de gegeven rapportcijfers (1-10) in dezelfde antwoorden; een antwoord zonder cijfer telt niet mee. Bij minder dan 10 antwoorden: te weinig antwoorden.
    CASE WHEN t.antwoorden >= $min_antwoorden THEN t.cijfer END AS rapportcijfer_gem
FROM gemeten m
LEFT JOIN telling t ON t.peildatum = m.peildatum
ORDER BY m.peildatum, t.gemeente NULLS FIRST
