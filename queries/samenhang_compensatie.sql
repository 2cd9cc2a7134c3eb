-- Compensation and support together, for every peildatum in [$van, $tot]: the parents in support (UHT shared
-- their details with the gemeente) by their compensation state at that peildatum, with their progress in
-- support. National and per provincie of the gemeente giving support (provincie NULL on the national rows;
-- 'Onbekend' for parents counted under 'onbekend').
-- Compensation state at the peildatum (from the aanmeldingen extract of the same peildatum):
--   geen_eerste_toets     no first check yet
--   niet_erkend           first check done, not recognised, full review not yet done
--   wacht_op_betaling     recognised, EUR 30,000 not yet paid
--   betaald               EUR 30,000 paid, full review not yet done
--   integraal_beoordeeld  full review done
WITH ouders AS (
    SELECT s.peildatum, coalesce(g.provincienaam, 'Onbekend') AS provincie,
        CASE WHEN a.eerste_toets_datum IS NULL THEN 'geen_eerste_toets'
             WHEN a.integrale_beoordeling_datum IS NOT NULL THEN 'integraal_beoordeeld'
             WHEN a.forfait_betaald_datum IS NOT NULL THEN 'betaald'
             WHEN a.eerste_toets_uitkomst = 'gedupeerd' THEN 'wacht_op_betaling'
             ELSE 'niet_erkend' END AS staat,
        s.gegevens_gedeeld_datum, s.eerste_contact_datum, s.plan_datum, s.afgerond_datum
    FROM steun s
    JOIN aanmeldingen a ON a.peildatum = s.peildatum AND a.ouder_id = s.ouder_id
    LEFT JOIN gemeenten g ON g.gemeentecode = s.gemeente
    WHERE s.peildatum BETWEEN $van AND $tot AND s.gegevens_gedeeld_datum IS NOT NULL
)
SELECT peildatum,
    CASE WHEN grouping(provincie) = 0 THEN provincie END AS provincie,
    staat,
    -- @metric samenhang_ouders | count | Ouders in ondersteuning | Ouders van wie UHT de gegevens met de gemeente heeft gedeeld, per stand van hun compensatie op de peildatum.
    count(*) AS samenhang_ouders,
    count(eerste_contact_datum) AS in_contact,
    count(plan_datum) AS met_plan,
    count(afgerond_datum) AS afgerond,
    -- @metric samenhang_contact_pct | percentage | In contact (%) | Van de ouders in ondersteuning met deze stand van de compensatie: het percentage met wie de gemeente contact heeft gehad. | samenhang_ouders
    100.0 * count(eerste_contact_datum) / count(*) AS samenhang_contact_pct,
    -- @metric samenhang_plan_pct | percentage | Plan van aanpak (%) | Van dezelfde ouders: het percentage met een plan van aanpak. | samenhang_ouders
    100.0 * count(plan_datum) / count(*) AS samenhang_plan_pct,
    -- @metric samenhang_afgerond_pct | percentage | Afgerond (%) | Van dezelfde ouders: het percentage bij wie de ondersteuning is afgerond. | samenhang_ouders
    100.0 * count(afgerond_datum) / count(*) AS samenhang_afgerond_pct,
    -- @metric samenhang_dagen_contact | days | Tijd tot eerste contact per stand van de compensatie (mediaan) | Mediaan van de dagen van het delen van de gegevens tot het eerste contact, over de ouders die contact hadden. | in_contact
    median(eerste_contact_datum - gegevens_gedeeld_datum) AS samenhang_dagen_contact,
    -- @metric samenhang_dagen_plan | days | Dagen tot plan (mediaan) | Mediaan van de dagen van het delen van de gegevens tot het plan van aanpak, over de ouders met een plan. | met_plan
    median(plan_datum - gegevens_gedeeld_datum) AS samenhang_dagen_plan,
    -- @metric samenhang_dagen_afgerond | days | Dagen tot afgerond (mediaan) | Mediaan van de dagen van het delen van de gegevens tot de afronding, over de ouders bij wie de ondersteuning is afgerond. | afgerond
    median(afgerond_datum - gegevens_gedeeld_datum) AS samenhang_dagen_afgerond,
    -- @metric samenhang_dagen_gedeeld | days | Dagen sinds gedeeld (mediaan) | Mediaan van de dagen van het delen van de gegevens tot de peildatum: hoe lang de groep al in beeld is bij de gemeente. | samenhang_ouders
    median(peildatum - gegevens_gedeeld_datum) AS samenhang_dagen_gedeeld
FROM ouders
GROUP BY GROUPING SETS ((peildatum, staat), (peildatum, provincie, staat))
ORDER BY peildatum, provincie NULLS FIRST, staat
