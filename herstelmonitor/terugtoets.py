"""The forecast back-tested on the loaded extracts, computed at ingest and stored (table `terugtoets`), so
no page view waits for it. No Streamlit here.

The forecast of herstelmonitor.prognose is made at every loaded peildatum from the weekly counts of that
peildatum's own extract, with the default window (other windows are computed when a page asks for them),
and compared with what the latest extract shows: for 'instroom' the national count, for 'bevroren' the count among the parents registered by that
peildatum (their cohort).
"""
from __future__ import annotations

import functools
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from herstelmonitor import prognose
from herstelmonitor.prognose import Lijn
from herstelmonitor.queries import run

# Weekly flows column -> series column of herstelmonitor.prognose.
REEKS = {"totaal_aangemeld": "aangemeld", "totaal_eerste_toets": "eerste_toets_afgerond",
         "totaal_erkend": "erkend_gedupeerd", "totaal_forfait": "forfait_betaald",
         "totaal_integrale_beoordeling": "integrale_beoordeling_afgerond"}
# Step (or registrations) -> event kind in tempo_cohorten.sql.
SOORT = {"aangemeld": "aangemeld", "eerste_toets": "eerste_toets", "forfait": "forfait",
         "integrale_beoordeling": "integrale_beoordeling"}
GEPUBLICEERD = Path(__file__).resolve().parent.parent / "data" / "reference" / "landelijke_cijfers.csv"
KOLOMMEN = ["bron", "venster", "peildatum", "stap", "scenario", "weken", "bekend_op", "gedaan", "nog_te_doen", "werk",
            "tempo", "verwacht",
            "werkelijk", "multiplier", "laag", "hoog", "eigen_fouten", "fout_pct", "binnen_band", "laatste"]


def reeks_uit_stromen(weekly: pd.DataFrame) -> pd.DataFrame:
    """The weekly flows of one extract (tempo_stromen) as a series of cumulative counts, one row a week."""
    out = pd.DataFrame({"datum": [d.date() for d in pd.to_datetime(weekly["periode_tm"])]})
    for col, name in REEKS.items():
        out[name] = weekly[col].to_numpy(float)
    return out


def cohort_lijnen(cohorten: pd.DataFrame, peildata: list[date]) -> dict:
    """From tempo_cohorten: per event kind a matrix of cumulative counts [registered by peildatum i, day]
    (the last row: everyone), with the day axis as date ordinals."""
    first = min(cohorten["datum"].min().date(), peildata[0]).toordinal()
    days = np.arange(first, peildata[-1].toordinal() + 1)
    index = {p: i for i, p in enumerate(peildata)}
    rows = cohorten["cohort"].dt.date.map(index).to_numpy()
    cols = cohorten["datum"].map(pd.Timestamp.toordinal).to_numpy() - first
    out = {"dagen": days}
    for kind in set(SOORT.values()):
        mask = (cohorten["soort"] == kind).to_numpy()
        matrix = np.zeros((len(peildata), days.size))
        np.add.at(matrix, (rows[mask], cols[mask]), cohorten["aantal"].to_numpy(float)[mask])
        out[kind] = matrix.cumsum(axis=0).cumsum(axis=1)
    return out


def bereken(con: duckdb.DuckDBPyConnection, laatste: date, vensters=prognose.VENSTERS) -> pd.DataFrame:
    """The back-test of every window against the extract of `laatste` (national)."""
    weekly = run(con, "tempo_stromen", van=date(1900, 1, 1), tot=laatste, periode="week", provincie=None,
                 gemeente=None)
    cohorten = run(con, "tempo_cohorten", peildatum=laatste)
    if weekly.empty or cohorten.empty:
        return pd.DataFrame(columns=KOLOMMEN)
    reeksen = {p: reeks_uit_stromen(g) for p, g in weekly.groupby(weekly["peildatum"].dt.date)}
    peildata = sorted(set(reeksen) | set(cohorten["cohort"].dt.date))
    matrices = cohort_lijnen(cohorten, peildata)
    days = matrices["dagen"]

    def waarheid(p: date, stap: str, scenario: str) -> Lijn:
        matrix = matrices[SOORT[stap]]
        return Lijn(days, matrix[-1] if scenario == "instroom" else matrix[peildata.index(p)])

    sluit = prognose.sluitdatum()
    frames = []
    for venster in vensters:
        rows = prognose.vergelijk(reeksen, waarheid, venster, sluit)
        if not rows.empty:
            frames.append(rows.assign(bron="extracten", venster=venster, laatste=laatste))
    return pd.concat(frames, ignore_index=True)[KOLOMMEN] if frames else pd.DataFrame(columns=KOLOMMEN)


def gepubliceerd(path: Path = GEPUBLICEERD, vensters=prognose.VENSTERS) -> pd.DataFrame:
    """The same back-test on the published national figures (data/reference/landelijke_cijfers.csv)."""
    stat = path.stat()
    return _gepubliceerd(path, stat.st_mtime_ns, stat.st_size, prognose.sluitdatum(), tuple(vensters)).copy()


@functools.lru_cache(maxsize=4)
def _gepubliceerd(path: Path, _mtime_ns: int, _size: int, sluit: date | None, vensters: tuple) -> pd.DataFrame:
    # It depends on the reference file and the closing date only, never on the extracts: every ingest in one
    # process (the test suite runs hundreds) reuses it while the file is unchanged.
    reeks = prognose.lees_reeks(path)
    frames = [prognose.terugtoets(reeks, v, sluit).assign(bron="gepubliceerd", venster=v, laatste=reeks["datum"].max())
              for v in vensters]
    frames = [f for f in frames if not f.empty]
    return pd.concat(frames, ignore_index=True)[KOLOMMEN] if frames else pd.DataFrame(columns=KOLOMMEN)


def laatste(con) -> date | None:
    """The latest peildatum with registrations: what the back-test checks against."""
    found = run(con, "terugtoets_laatste")["laatste"].iloc[0]
    return None if pd.isna(found) else pd.Timestamp(found).date()


def opslaan(con: duckdb.DuckDBPyConnection) -> None:
    """Recompute and store the back-test of the default window against the latest complete peildatum, and
    the one on the published figures (every window) beside it (at ingest)."""
    latest = laatste(con)
    con.execute("DELETE FROM terugtoets")
    if latest is None:
        return
    frame = pd.concat([bereken(con, latest, (prognose.STANDAARD_VENSTER,)), gepubliceerd()], ignore_index=True)
    con.register("nieuwe_terugtoets", frame)
    con.execute("INSERT INTO terugtoets BY NAME SELECT * FROM nieuwe_terugtoets")
    con.unregister("nieuwe_terugtoets")


def lees(con, venster: int, bron: str = "extracten") -> pd.DataFrame:
    """The stored back-test of one window, on the extracts or on the published figures."""
    frame = run(con, "terugtoets", venster=venster, bron=bron)
    for col in ("peildatum", "bekend_op", "laatste"):
        frame[col] = pd.to_datetime(frame[col]).dt.date
    return frame
