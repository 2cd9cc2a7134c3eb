"""The spec's metrics (section 3) and achtervang signals, from the named queries in queries/.

Everything that shows a metric (pages, command line, tests) gets it from here, so there is one definition.
"""
import math
from datetime import date

import duckdb
import pandas as pd

from herstelmonitor import config
from herstelmonitor.queries import all_metrics, derived, run

SIGNALS = ("niet_aangesloten", "laag_bereik", "trage_start", "stilstand", "niet_geholpen")
ONBEKEND = "onbekend"


def survey_peildata(con: duckdb.DuckDBPyConnection) -> set[date]:
    """Peildata with the optional survey extract loaded; the others show "geen meting"."""
    return set(run(con, "ervaring_gemeten")["peildatum"].dt.date)


def peildata(con: duckdb.DuckDBPyConnection) -> list[date]:
    """Peildata with all three kinds of extract loaded, oldest first."""
    return [d.date() for d in run(con, "peildata")["peildatum"]]


def metric_table(con: duckdb.DuckDBPyConnection, van: date, tot: date) -> pd.DataFrame:
    """All metrics for each peildatum in [van, tot]: one row per (peildatum, gemeente), gemeente None = national.
    Read from the table `metrieken`, which ingest derives with queries/metrieken.sql."""
    return run(con, "metrieken_opgeslagen", van=van, tot=tot)


def compute_metric_table(con: duckdb.DuckDBPyConnection, van: date, tot: date) -> pd.DataFrame:
    """queries/metrieken.sql run now on the base table, per peildatum as ingest runs it (for checking the
    stored table)."""
    params = next(d.params() for d in derived() if d.table == "metrieken")
    frames = [run(con, "metrieken", peildatum=p, **params) for p in peildata(con) if van <= p <= tot]
    return pd.concat(frames, ignore_index=True)


def national(con: duckdb.DuckDBPyConnection, van: date, tot: date) -> pd.DataFrame:
    """The national metrics per peildatum in [van, tot], indexed by peildatum, counts 0 where nothing counted."""
    return national_rows(metric_table(con, van, tot))


def national_rows(table: pd.DataFrame) -> pd.DataFrame:
    return fill_counts(table[table["gemeente"].isna()].drop(columns="gemeente").set_index("peildatum"))


def per_gemeente(con: duckdb.DuckDBPyConnection, peildatum: date) -> pd.DataFrame:
    """The metrics of one peildatum for every gemeente of the reference list plus 'onbekend', by code."""
    return gemeente_rows(con, metric_table(con, peildatum, peildatum))


def gemeente_rows(con: duckdb.DuckDBPyConnection, table: pd.DataFrame) -> pd.DataFrame:
    table = table[table["gemeente"].notna()].drop(columns="peildatum").set_index("gemeente")
    codes = sorted(run(con, "gemeente_lijst")["gemeentecode"])
    return fill_counts(table.reindex(codes + [ONBEKEND]))


def fill_counts(frame: pd.DataFrame) -> pd.DataFrame:
    counts = [m.name for m in all_metrics().values() if m.kind in ("count", "number") and m.name in frame.columns]
    frame[counts] = frame[counts].fillna(0).astype("int64")
    return frame


def signals(con: duckdb.DuckDBPyConnection, van: date, tot: date, thresholds: dict | None = None) -> pd.DataFrame:
    """Achtervang signals and the figures behind them, per gemeente and peildatum in [van, tot]."""
    params = config.achtervang_defaults() | (thresholds or {})
    table = run(con, "signalen", van=van, tot=tot, **params)
    table[list(SIGNALS)] = table[list(SIGNALS)].fillna(False).astype(bool)  # missing figures: not firing
    return table


def fired(row: pd.Series) -> list[str]:
    """The signals that fire in one row of signals()."""
    return [s for s in SIGNALS if row[s] is True or (pd.notna(row[s]) and bool(row[s]))]


def clean(value):
    """A JSON-ready number: None for missing, int for whole counts."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    if hasattr(value, "item"):
        value = value.item()
    return value


def kpis(con: duckdb.DuckDBPyConnection, peildatum: date) -> dict:
    """The full set of metrics at one peildatum, as the `kpis --json` command prints it."""
    names = list(all_metrics())
    table = metric_table(con, peildatum, peildatum)
    land = national_rows(table).astype(object).iloc[0]
    gem = gemeente_rows(con, table)[names].astype(object).to_dict("index")
    sig = signals(con, peildatum, peildatum).set_index("gemeentecode")
    firing = {code: fired(row) for code, row in sig.iterrows()}
    gemeenten = {code: {**{m: clean(v) for m, v in row.items()}, "signalen": firing.get(code, [])}
                 for code, row in gem.items()}
    return {
        "peildatum": peildatum.isoformat(),
        "landelijk": {m: clean(land[m]) for m in names},
        "gemeenten": gemeenten,
    }


def achtervang_summary(con: duckdb.DuckDBPyConnection, peildatum: date, thresholds: dict | None = None) -> dict:
    """How many gemeenten show at least one achtervang signal, how many registered parents live there
    (aangemeld, gemeente of registration) and how many parents with shared details they support
    (ouders_gedeeld, as the Achtervang page counts)."""
    sig = signals(con, peildatum, peildatum, thresholds)
    flagged = sig[sig[list(SIGNALS)].any(axis=1)]
    registered = per_gemeente(con, peildatum)["aangemeld"]
    return {
        "gemeenten": len(flagged),
        "gemeenten_totaal": len(sig),
        "ouders": int(registered.loc[flagged["gemeentecode"]].sum()),
        "ouders_totaal": int(registered.sum()),
        "ouders_gedeeld": int(flagged["ouders_gedeeld"].sum()),
        "per_signaal": {s: int(sig[s].sum()) for s in SIGNALS},
    }


def loaded_files(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every loaded extract file: kind, peildatum, name, rows, checksum, when, warnings."""
    return run(con, "bestanden")
