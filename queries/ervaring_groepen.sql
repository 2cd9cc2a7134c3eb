-- Parent experience for every survey peildatum in [$van, $tot] per gemeente, per peer group (provincie and
-- size class, as deelname_steun.sql), per provincie and national (column `niveau`): the answers of the
-- $ervaring_dagen days up to the peildatum, as in metrieken_ervaring.sql (same window, same counting in the
-- gemeente giving support). A group pools the answers of its gemeenten. Shares and the mean mark are NULL
-- below $min_antwoorden answers ("te weinig antwoorden"). Only peildata with a survey file have rows.
WITH gem AS (
    SELECT gemeentecode, gemeentenaam, provincienaam,
        len(list_filter($grenzen::INTEGER[], lambda grens: grens <= inwoners)) AS klasse
    FROM gemeenten
),
antwoorden AS (
    SELECT e.peildatum, coalesce(gem.gemeentecode, 'onbekend') AS gemeente, gem.provincienaam, gem.klasse,
        e.voelt_zich_geholpen, e.rapportcijfer, e.hulp_sneller_na_compensatie
    FROM ervaring e
    LEFT JOIN gem ON gem.gemeentecode = e.gemeentecode
    WHERE e.peildatum BETWEEN $van AND $tot
      AND e.antwoord_datum > e.peildatum - $ervaring_dagen::INT AND e.antwoord_datum <= e.peildatum
),
telling AS (
    SELECT peildatum,
        CASE WHEN grouping(gemeente) = 0 THEN 'gemeente' WHEN grouping(klasse) = 0 THEN 'vergelijkbaar'
             WHEN grouping(provincienaam) = 0 THEN 'provincie' ELSE 'landelijk' END AS niveau,
        CASE WHEN grouping(gemeente) = 0 THEN gemeente END AS gemeente,
        CASE WHEN grouping(gemeente) = 0 THEN any_value(provincienaam) ELSE provincienaam END AS provincie,
        CASE WHEN grouping(gemeente) = 0 THEN any_value(klasse) ELSE klasse END AS klasse,
        count(*) AS antwoorden,
        count(*) FILTER (WHERE voelt_zich_geholpen = 'ja') AS ja,
        count(*) FILTER (WHERE voelt_zich_geholpen = 'deels') AS deels,
        count(rapportcijfer) AS cijfers,
        avg(rapportcijfer) AS cijfer,
        count(hulp_sneller_na_compensatie) AS sneller_beantwoord,
        count(*) FILTER (WHERE hulp_sneller_na_compensatie = 'ja') AS sneller_ja,
        count(*) FILTER (WHERE hulp_sneller_na_compensatie = 'nee') AS sneller_nee,
        count(*) FILTER (WHERE hulp_sneller_na_compensatie = 'weet_niet') AS sneller_weet_niet
    FROM antwoorden
    GROUP BY GROUPING SETS ((peildatum, gemeente), (peildatum, provincienaam, klasse), (peildatum, provincienaam), (peildatum))
)
SELECT peildatum, niveau, gemeente, provincie, klasse, antwoorden, ja, deels, antwoorden - ja - deels AS nee,
    CASE WHEN antwoorden >= $min_antwoorden THEN 100.0 * ja / antwoorden END AS geholpen_pct,
    CASE WHEN antwoorden >= $min_antwoorden THEN 100.0 * deels / antwoorden END AS deels_pct,
    -- @metric geholpen_of_deels_pct | percentage | Voelt zich (deels) geholpen | Van de antwoorden in de {ervaring_weken} weken tot en met de peildatum: het percentage ja of deels (waar het signaal Ouders niet geholpen naar kijkt). Bij minder dan {min_antwoorden} antwoorden: te weinig antwoorden. | antwoorden
    CASE WHEN antwoorden >= $min_antwoorden THEN 100.0 * (ja + deels) / antwoorden END AS geholpen_of_deels_pct,
    CASE WHEN antwoorden >= $min_antwoorden THEN cijfer END AS rapportcijfer_gem,
    sneller_beantwoord,
    -- @metric sneller_ja_pct | percentage | Hulp sneller na compensatie | Van de ouders die de vraag beantwoordden of de hulp van de gemeente sneller ging nadat de compensatie geregeld was: het percentage ja (de anderen: nee of weet niet). Bij minder dan {min_antwoorden} antwoorden op die vraag: te weinig antwoorden. | sneller_beantwoord
    CASE WHEN sneller_beantwoord >= $min_antwoorden THEN 100.0 * sneller_ja / sneller_beantwoord END AS sneller_ja_pct,
    CASE WHEN sneller_beantwoord >= $min_antwoorden THEN 100.0 * sneller_nee / sneller_beantwoord END AS sneller_nee_pct,
    CASE WHEN sneller_beantwoord >= $min_antwoorden THEN 100.0 * sneller_weet_niet / sneller_beantwoord END AS sneller_weet_niet_pct
FROM telling
ORDER BY peildatum, niveau, gemeente, provincie, klasse
