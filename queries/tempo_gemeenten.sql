-- The gemeenten for the page's filters, by name.
SELECT gemeentecode, gemeentenaam, provincienaam
FROM gemeenten
ORDER BY gemeentenaam
