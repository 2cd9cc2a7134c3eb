-- Compensation metrics (UHT side) for every peildatum in [$van, $tot], per gemeente and national.
-- A parent counts in the gemeente of aanmeldingen.gemeentecode ('onbekend' when empty or not in the
-- reference list). gemeente is NULL on the national row. Days are calendar days.
SELECT
    peildatum,
    CASE WHEN grouping(gemeente) = 0 THEN gemeente END AS gemeente,
    -- @metric aangemeld | aantal | Aangemeld | Ouders die zich uiterlijk op de peildatum bij UHT hebben aangemeld.
    count(*) AS aangemeld,
    -- @metric eerste_toets_afgerond | aantal | Eerste toets afgerond | Aangemelde ouders bij wie de eerste (lichte) toets is gedaan, ongeacht de uitkomst.
    count(eerste_toets_datum) AS eerste_toets_afgerond,
    -- @metric erkend_gedupeerd | aantal | Erkend gedupeerd | Ouders die na de eerste toets als gedupeerd zijn erkend.
    count(*) FILTER (WHERE eerste_toets_uitkomst = 'gedupeerd') AS erkend_gedupeerd,
    -- @metric forfait_betaald | aantal | € 30.000 betaald | Ouders aan wie het vaste bedrag van € 30.000 (Catshuisregeling) is betaald.
    count(forfait_betaald_datum) AS forfait_betaald,
    -- @metric integrale_beoordeling_afgerond | aantal | Integrale beoordeling afgerond | Ouders bij wie de volledige (integrale) beoordeling is afgerond.
    count(integrale_beoordeling_datum) AS integrale_beoordeling_afgerond,
    -- @metric wachtend_op_eerste_toets | aantal | Wacht op eerste toets | Aangemelde ouders die nog geen eerste toets hebben gehad: de achterstand.
    count(*) - count(eerste_toets_datum) AS wachtend_op_eerste_toets,
    -- @metric gegevens_gedeeld | aantal | Gegevens gedeeld met gemeente | Ouders van wie UHT de contactgegevens met de gemeente heeft gedeeld.
    count(gegevens_gedeeld_datum) AS gegevens_gedeeld,
    -- @metric doorlooptijd_eerste_toets_mediaan | dagen | Tijd tot eerste toets (mediaan) | Mediaan van het aantal dagen van aanmelding tot eerste toets, over ouders met een eerste toets.
    median(eerste_toets_datum - aanmelddatum) AS doorlooptijd_eerste_toets_mediaan,
    -- @metric doorlooptijd_eerste_toets_p90 | dagen | Tijd tot eerste toets (90e percentiel) | 90% van de ouders met een eerste toets kreeg die binnen dit aantal dagen na aanmelding.
    quantile_cont(eerste_toets_datum - aanmelddatum, 0.9) AS doorlooptijd_eerste_toets_p90,
    -- @metric doorlooptijd_forfait_mediaan | dagen | Tijd tot betaling (mediaan) | Mediaan van het aantal dagen van aanmelding tot betaling van € 30.000.
    median(forfait_betaald_datum - aanmelddatum) AS doorlooptijd_forfait_mediaan,
    -- @metric doorlooptijd_forfait_p90 | dagen | Tijd tot betaling (90e percentiel) | 90% van de betaalde ouders kreeg de € 30.000 binnen dit aantal dagen na aanmelding.
    quantile_cont(forfait_betaald_datum - aanmelddatum, 0.9) AS doorlooptijd_forfait_p90,
    -- @metric doorlooptijd_integrale_beoordeling_mediaan | dagen | Tijd tot integrale beoordeling (mediaan) | Mediaan van het aantal dagen van aanmelding tot afgeronde integrale beoordeling.
    median(integrale_beoordeling_datum - aanmelddatum) AS doorlooptijd_integrale_beoordeling_mediaan,
    -- @metric doorlooptijd_integrale_beoordeling_p90 | dagen | Tijd tot integrale beoordeling (90e percentiel) | 90% van de afgeronde integrale beoordelingen was binnen dit aantal dagen na aanmelding klaar.
    quantile_cont(integrale_beoordeling_datum - aanmelddatum, 0.9) AS doorlooptijd_integrale_beoordeling_p90
FROM ouders
WHERE peildatum BETWEEN $van AND $tot
GROUP BY GROUPING SETS ((peildatum, gemeente), (peildatum))
ORDER BY peildatum, gemeente NULLS FIRST
