-- The loaded extract files, newest peildatum first, with the warnings their check gave.
SELECT peildatum, soort, bestandsnaam, rijen, sha256, geladen_op, waarschuwingen
FROM bestanden
ORDER BY peildatum DESC, CASE soort WHEN 'aanmeldingen' THEN 1 WHEN 'ondersteuning' THEN 2 ELSE 3 END
