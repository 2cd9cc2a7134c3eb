-- Peildata with the optional survey extract (ervaring) loaded: the others show "geen meting".
SELECT DISTINCT peildatum FROM bestanden WHERE soort = 'ervaring' ORDER BY peildatum
