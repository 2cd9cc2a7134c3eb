-- The peildata with all three kinds of extract loaded, oldest first.
SELECT peildatum FROM peildata ORDER BY peildatum
