-- Waiting time for the first check at $peildatum, national: the parents checked in the last 26 weeks next
-- to all parents checked so far (the all-time median hides that recent parents waited much longer).
SELECT
    -- @metric wachttijd_recent_mediaan | days | Wachttijd eerste toets, laatste 26 weken | Mediaan van de dagen van aanmelding tot eerste toets, voor de ouders die hun eerste toets kregen in de 26 weken tot en met de peildatum. | wachttijd_recent_ouders
    median(eerste_toets_datum - aanmelddatum) FILTER (WHERE eerste_toets_datum > $peildatum - INTERVAL 182 DAY)
        AS wachttijd_recent_mediaan,
    -- @metric wachttijd_recent_ouders | count | Eerste toetsen, laatste 26 weken | Ouders die hun eerste toets kregen in de 26 weken tot en met de peildatum.
    count(*) FILTER (WHERE eerste_toets_datum > $peildatum - INTERVAL 182 DAY) AS wachttijd_recent_ouders,
    -- @metric wachttijd_alle_mediaan | days | Wachttijd eerste toets, alle ouders | Mediaan van de dagen van aanmelding tot eerste toets, voor alle ouders met een eerste toets op de peildatum.
    median(eerste_toets_datum - aanmelddatum) AS wachttijd_alle_mediaan
FROM aanmeldingen
WHERE peildatum = $peildatum AND eerste_toets_datum IS NOT NULL
