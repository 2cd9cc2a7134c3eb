-- The latest peildatum with registrations: what the forecast's back-test checks against.
SELECT max(peildatum) AS laatste FROM bestanden WHERE soort = 'aanmeldingen'
