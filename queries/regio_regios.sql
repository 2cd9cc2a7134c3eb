-- Per region of the chosen division: how big and how concentrated the task is. Reads `regio_invoer`,
-- registered by herstelmonitor.regio (one row per gemeente with its region; aangemeld from
-- metrics.per_gemeente, signaal from metrics.signals). $klein: a gemeente with fewer registered parents
-- counts as small. Gemeenten without a region form the row 'geen regio' (last).
SELECT
    regio,
    any_value(regionaam) AS regionaam,
    -- @metric regio_gemeenten | number | Gemeenten in de regio | Het aantal gemeenten dat in de gekozen indeling tot de regio hoort.
    count(*) AS regio_gemeenten,
    -- @metric regio_ouders | count | Aangemelde ouders in de regio | De som van de aangemelde ouders van de gemeenten in de regio.
    sum(aangemeld)::BIGINT AS regio_ouders,
    arg_max(gemeentenaam, (aangemeld, gemeentecode)) AS grootste_gemeente,
    max(aangemeld) AS grootste_ouders,
    -- @metric aandeel_grootste_pct | percentage | Aandeel grootste gemeente | Het percentage van de aangemelde ouders in de regio dat in de gemeente met de meeste aangemelde ouders woont: hoe geconcentreerd de taak is. | grootste_ouders
    100.0 * max(aangemeld) / nullif(sum(aangemeld), 0) AS aandeel_grootste_pct,
    -- @metric kleine_gemeenten | number | Kleine gemeenten | Het aantal gemeenten in de regio met minder aangemelde ouders dan de gekozen grens (standaard 50): daar is de taak klein en moeilijker te organiseren.
    count(*) FILTER (WHERE aangemeld < $klein) AS kleine_gemeenten,
    -- @metric ouders_met_signaal | count | Ouders in gemeenten met achtervangsignaal | De aangemelde ouders in de regio die wonen in een gemeente waar minstens één achtervangsignaal afgaat.
    coalesce(sum(aangemeld) FILTER (WHERE signaal), 0)::BIGINT AS ouders_met_signaal,
    -- @metric regio_per_1000_huishoudens_met_kinderen | ratio | Aangemeld per 1.000 huishoudens met kinderen (regio) | De aangemelde ouders in de regio per 1.000 huishoudens met kinderen in de regio. | regio_ouders
    1000.0 * sum(aangemeld) / nullif(sum(huishoudens_met_kinderen), 0) AS regio_per_1000_huishoudens_met_kinderen
FROM regio_invoer
GROUP BY regio
ORDER BY regio = 'geen regio', regionaam, regio
