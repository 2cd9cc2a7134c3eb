-- Support metrics (gemeente side) for every peildatum in [$van, $tot], per gemeente and national.
-- A parent counts in the gemeente giving support (ondersteuning.gemeentecode); see steun_afleiden.sql.
-- $bereik_dagen: how long ago details must have been shared to count for reach (default 8 weeks).
SELECT
    peildatum,
    CASE WHEN grouping(gemeente) = 0 THEN gemeente END AS gemeente,
    -- @metric in_contact | aantal | In contact met gemeente | Ouders met wie de gemeente echt contact heeft gehad (een eerste contactdatum is ingevuld).
    count(eerste_contact_datum) AS in_contact,
    -- @metric hulp_afgewezen | aantal | Hulp afgewezen | Ouders die de hulp van de gemeente hebben afgewezen; dat mag altijd en heeft geen gevolg voor de compensatie.
    count(*) FILTER (WHERE status = 'hulp_afgewezen') AS hulp_afgewezen,
    -- @metric bereik_pct | pct | Bereik na acht weken | Van de ouders van wie de gegevens minstens acht weken vóór de peildatum met de gemeente zijn gedeeld: het percentage met wie de gemeente contact heeft gehad.
    100.0 * count(eerste_contact_datum) FILTER (WHERE gegevens_gedeeld_datum <= peildatum - $bereik_dagen::INT)
        / nullif(count(*) FILTER (WHERE gegevens_gedeeld_datum <= peildatum - $bereik_dagen::INT), 0) AS bereik_pct,
    -- @metric doorlooptijd_contact_mediaan | dagen | Tijd tot eerste contact (mediaan) | Mediaan van het aantal dagen van het delen van de gegevens tot het eerste contact (een eerste contact vóór het delen, een fout in de gegevens, telt niet mee).
    median(eerste_contact_datum - gegevens_gedeeld_datum)
        FILTER (WHERE eerste_contact_datum >= gegevens_gedeeld_datum) AS doorlooptijd_contact_mediaan,
    -- @metric doorlooptijd_contact_p90 | dagen | Tijd tot eerste contact (90e percentiel) | 90% van de bereikte ouders had binnen dit aantal dagen na het delen contact.
    quantile_cont(eerste_contact_datum - gegevens_gedeeld_datum, 0.9)
        FILTER (WHERE eerste_contact_datum >= gegevens_gedeeld_datum) AS doorlooptijd_contact_p90
FROM steun
WHERE peildatum BETWEEN $van AND $tot
GROUP BY GROUPING SETS ((peildatum, gemeente), (peildatum))
ORDER BY peildatum, gemeente NULLS FIRST
