-- The gemeenten of the reference list for the chooser on the gemeente page, by name.
SELECT gemeentecode, gemeentenaam, provincienaam
FROM gemeenten
ORDER BY lower(ltrim(gemeentenaam, '''')), gemeentecode
