-- The database, in three layers (the way dbt separates staging from marts):
--
-- 1. The loaded extracts, as checked and stored by ingest: gemeenten (reference list), aanmeldingen,
--    ondersteuning, deelname, the optional parent survey ervaring, and the file log bestanden. Every
--    extract table is keyed by peildatum.
-- 2. Derived tables, each made by one named query in queries/ and rebuilt by ingest (herstelmonitor.ingest
--    .derive), in the order declared below:
--      steun      per parent and supporting gemeente (queries/steun_afleiden.sql);
--      basis      per peildatum and gemeente: every count the metrics, signals, regions and pages build on
--                 (queries/basis.sql);
--      metrieken  per peildatum and gemeente, plus a national row (gemeente NULL): every metric, the rates
--                 and lead times computed from the counts of `basis` (queries/metrieken.sql).
-- 3. Each derived table is stored with a fingerprint of its query, the settings it reads and the tables
--    it is derived from (table afgeleid). When a fingerprint differs, ingest rebuilds that table and every
--    later one for every peildatum; the dashboard refuses to show a database whose fingerprints differ.
--    A table made by Python code at ingest is declared with `@gemaakt <table> | <file>, ...`: the code's
--    modules and every file and query it reads (paths from the repository root); its fingerprint is a hash of
--    their contents, so a change of the code or of a file it reads makes ingest rebuild it.
--
-- @afgeleid steun | steun_afleiden
-- @afgeleid basis | basis | ervaring_weken = ervaring.weken
-- @afgeleid metrieken | metrieken | bereik_weken = bereik.weken, min_antwoorden = ervaring.min_antwoorden
-- @gemaakt terugtoets | herstelmonitor/prognose.py, herstelmonitor/terugtoets.py, data/reference/landelijke_cijfers.csv, data/events.csv, queries/tempo_stromen.sql, queries/tempo_cohorten.sql, queries/terugtoets_laatste.sql
CREATE TABLE IF NOT EXISTS gemeenten (
    gemeentecode VARCHAR PRIMARY KEY,
    gemeentenaam VARCHAR NOT NULL,
    provinciecode VARCHAR NOT NULL,
    provincienaam VARCHAR NOT NULL,
    coropcode VARCHAR NOT NULL,
    coropnaam VARCHAR NOT NULL,
    inwoners INTEGER NOT NULL,
    huishoudens INTEGER NOT NULL,
    pct_huishoudens_met_kinderen INTEGER NOT NULL,
    lat DOUBLE NOT NULL,
    lon DOUBLE NOT NULL
);

CREATE TABLE IF NOT EXISTS aanmeldingen (
    peildatum DATE NOT NULL,
    ouder_id VARCHAR NOT NULL,
    aanmelddatum DATE NOT NULL,
    gemeentecode VARCHAR,
    gegevens_gedeeld_datum DATE,
    eerste_toets_datum DATE,
    eerste_toets_uitkomst VARCHAR,
    forfait_betaald_datum DATE,
    integrale_beoordeling_datum DATE,
    compensatie_bedrag DECIMAL(14, 2) NOT NULL
);

CREATE TABLE IF NOT EXISTS ondersteuning (
    peildatum DATE NOT NULL,
    ouder_id VARCHAR NOT NULL,
    gemeentecode VARCHAR NOT NULL,
    status VARCHAR NOT NULL,
    eerste_contact_datum DATE,
    plan_datum DATE,
    afgerond_datum DATE,
    lg_financien BOOLEAN NOT NULL,
    lg_wonen BOOLEAN NOT NULL,
    lg_werk BOOLEAN NOT NULL,
    lg_zorg BOOLEAN NOT NULL,
    lg_gezin BOOLEAN NOT NULL
);

CREATE TABLE IF NOT EXISTS deelname (
    peildatum DATE NOT NULL,
    gemeentecode VARCHAR NOT NULL,
    aangesloten_datum DATE,
    centrumgemeente VARCHAR
);

-- The parent survey (optional, spec 2.5): one answer per parent per file. ouder_aangemeld: whether the
-- parent is in the registrations of the same peildatum (set at ingest; an answer of an unregistered
-- parent counts in the figures and is reported as a warning).
CREATE TABLE IF NOT EXISTS ervaring (
    peildatum DATE NOT NULL,
    ouder_id VARCHAR NOT NULL,
    gemeentecode VARCHAR NOT NULL,
    antwoord_datum DATE NOT NULL,
    voelt_zich_geholpen VARCHAR NOT NULL,
    rapportcijfer INTEGER,
    hulp_sneller_na_compensatie VARCHAR,
    ouder_aangemeld BOOLEAN
);

-- One row per loaded extract file: what the "Over de cijfers" page shows per peildatum.
CREATE TABLE IF NOT EXISTS bestanden (
    soort VARCHAR NOT NULL,
    peildatum DATE NOT NULL,
    bestandsnaam VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    rijen BIGINT NOT NULL,
    geladen_op TIMESTAMP NOT NULL,
    waarschuwingen VARCHAR[] NOT NULL,
    -- true for the built-in synthetic sample (listed in the folder's VOORBEELD.sha256): without sign-in
    -- the dashboard only runs on such data.
    voorbeeld BOOLEAN NOT NULL DEFAULT false,
    PRIMARY KEY (soort, peildatum)
);
ALTER TABLE bestanden ADD COLUMN IF NOT EXISTS voorbeeld BOOLEAN DEFAULT false;  -- databases from before it

-- Parents with the gemeente they count in for compensation metrics: a code not in the reference list
-- (or none) counts under 'onbekend'.
CREATE OR REPLACE VIEW ouders AS
SELECT a.*, coalesce(g.gemeentecode, 'onbekend') AS gemeente
FROM aanmeldingen a
LEFT JOIN gemeenten g ON g.gemeentecode = a.gemeentecode;

-- A peildatum is shown once all three required kinds of extract are loaded for it (ervaring is optional).
CREATE OR REPLACE VIEW peildata AS
SELECT peildatum FROM bestanden
GROUP BY peildatum
HAVING count(DISTINCT soort) FILTER (WHERE soort IN ('aanmeldingen', 'ondersteuning', 'deelname')) = 3;

-- The forecast's back-test (herstelmonitor/terugtoets.py), recomputed at ingest when registrations change
-- or its fingerprint (@gemaakt above) differs:
-- per source ('extracten': the loaded extracts against the latest; 'gepubliceerd': the published national
-- figures), window, forecast peildatum, step, scenario and horizon in weeks.
CREATE TABLE IF NOT EXISTS terugtoets (
    bron VARCHAR, venster INTEGER, peildatum DATE, stap VARCHAR, scenario VARCHAR, weken INTEGER,
    bekend_op DATE, gedaan DOUBLE, nog_te_doen DOUBLE, werk DOUBLE, tempo DOUBLE, verwacht DOUBLE,
    werkelijk DOUBLE, multiplier DOUBLE, laag DOUBLE, hoog DOUBLE, eigen_fouten BOOLEAN, fout_pct DOUBLE,
    binnen_band BOOLEAN, laatste DATE
);

-- The fingerprint each derived table was made with (see the top of this file).
CREATE TABLE IF NOT EXISTS afgeleid (
    tabel VARCHAR PRIMARY KEY,
    vingerafdruk VARCHAR NOT NULL
);
