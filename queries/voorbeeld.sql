-- Whether every loaded extract is the built-in synthetic sample (true for an empty database).
SELECT coalesce(bool_and(voorbeeld), true) AS voorbeeld FROM bestanden
