-- The database the extracts are loaded into. Every extract table is keyed by peildatum.
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

-- Support per parent and gemeente, derived at ingest from aanmeldingen (sharing date) and ondersteuning
-- (progress) of the same peildatum by queries/steun_afleiden.sql.
CREATE TABLE IF NOT EXISTS steun (
    peildatum DATE NOT NULL,
    ouder_id VARCHAR NOT NULL,
    gemeente VARCHAR NOT NULL,
    gegevens_gedeeld_datum DATE,
    status VARCHAR,
    eerste_contact_datum DATE,
    plan_datum DATE,
    afgerond_datum DATE,
    lg_financien BOOLEAN,
    lg_wonen BOOLEAN,
    lg_werk BOOLEAN,
    lg_zorg BOOLEAN,
    lg_gezin BOOLEAN
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

-- The forecast's back-test (herstelmonitor/terugtoets.py), recomputed at ingest when registrations change:
-- per source ('extracten': the loaded extracts against the latest; 'gepubliceerd': the published national
-- figures), window, forecast peildatum, step, scenario and horizon in weeks.
CREATE TABLE IF NOT EXISTS terugtoets (
    bron VARCHAR, venster INTEGER, peildatum DATE, stap VARCHAR, scenario VARCHAR, weken INTEGER,
    bekend_op DATE, gedaan DOUBLE, nog_te_doen DOUBLE, werk DOUBLE, tempo DOUBLE, verwacht DOUBLE,
    werkelijk DOUBLE, multiplier DOUBLE, laag DOUBLE, hoog DOUBLE, eigen_fouten BOOLEAN, fout_pct DOUBLE,
    binnen_band BOOLEAN, laatste DATE
);
