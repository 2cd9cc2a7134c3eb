"""Tempo compensatie: the data behind the page (flows, backlog, lead times, forecast, back-test), the tables
it shows and exports, and the Dutch summary. SQL in queries/tempo_*.sql, the forecast model in
herstelmonitor.forecast, the charts in herstelmonitor.tempo_grafieken.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import streamlit as st

from herstelmonitor import forecast
from herstelmonitor.forecast import Prognose, Reeks, Stand, Tempo
from herstelmonitor.format import LEEG, MAANDEN, datum, datum_kort, getal
from herstelmonitor.paths import ROOT
from herstelmonitor.privacy import Viewer, count_text, protect
from herstelmonitor.queries import key, run

EVENTS_CSV = ROOT / "data" / "events.csv"
WINDOWS = (4, 8, 13, 26)  # weeks of recent throughput the forecast may use
DEFAULT_WINDOW = 8
DEFAULT_DOEL = date(2021, 12, 31)  # "all parents who registered so far are compensated in 2021"

STAPPEN = {"eerste_toets": "Eerste toets", "forfait": "Betaling € 30.000",
           "integrale_beoordeling": "Integrale beoordeling"}
SCENARIOS = {"bevroren": "Alleen wie nu is aangemeld", "instroom": "Aanmeldingen gaan door"}
STROMEN = {"stroom_aangemeld": "Nieuwe aanmeldingen", "stroom_eerste_toets": "Eerste toetsen",
           "stroom_erkend": "Erkend als gedupeerd", "stroom_forfait": "€ 30.000 betaald",
           "stroom_integrale_beoordeling": "Integrale beoordelingen"}
TOTALEN = {"totaal_aangemeld": "Aangemeld", "totaal_eerste_toets": "Eerste toets afgerond",
           "totaal_erkend": "Erkend als gedupeerd", "totaal_forfait": "€ 30.000 betaald",
           "totaal_integrale_beoordeling": "Integrale beoordeling afgerond"}
ACHTERSTAND = {"wacht_op_eerste_toets": "Aangemeld, wacht op eerste toets",
               "erkend_wacht_op_ib": "Erkend, wacht op integrale beoordeling",
               "over_wettelijke_termijn": "Over de wettelijke termijn van een jaar"}
# The cumulative count of each step, in the flows query.
GEDAAN = {"eerste_toets": "totaal_eerste_toets", "forfait": "totaal_forfait",
          "integrale_beoordeling": "totaal_ib_erkend"}
# Per step, the event kind counted in tempo_cohorten.sql and the population that has to be done.
SOORT = {"eerste_toets": ("eerste_toets", "aangemeld"), "forfait": ("forfait", "erkend"),
         "integrale_beoordeling": ("ib_erkend", "erkend")}
OORDEEL = {
    forecast.KLAAR: "al klaar",
    forecast.HAALBAAR: "haalbaar, ook als het tempo terugvalt naar dat van een trage week",
    forecast.ONZEKER: "haalbaar bij het gemiddelde tempo, maar niet als het terugvalt naar dat van een trage week",
    forecast.NIET_HAALBAAR: "niet haalbaar bij dit tempo",
    forecast.DOEL_VERSTREKEN: "de doeldatum ligt niet na de peildatum",
}
KORT_OORDEEL = {forecast.KLAAR: "al klaar", forecast.HAALBAAR: "haalbaar",
               forecast.ONZEKER: "alleen bij gemiddeld tempo", forecast.NIET_HAALBAAR: "niet haalbaar",
               forecast.DOEL_VERSTREKEN: "ligt niet na de peildatum"}


@dataclass(frozen=True)
class Selectie:
    """Which parents the page looks at: all, one provincie, or one gemeente (code, or 'onbekend')."""
    provincie: str | None = None
    gemeente: str | None = None
    naam: str = "heel Nederland"

    @property
    def params(self) -> dict:
        return {"provincie": self.provincie, "gemeente": self.gemeente}


@dataclass(frozen=True)
class Weergave:
    """What the viewer may see of this selection: per-gemeente counts pass through privacy.protect."""
    viewer: Viewer
    gemeente: str | None

    @property
    def exact(self) -> bool:
        return self.gemeente is None or bool(self.viewer.exact_for(self.gemeente))

    def aantal(self, x) -> str:
        return count_text(int(round(x)), self.exact, getal)

    def klein(self, x) -> bool:
        """Would this count show as '<5'?"""
        return self.aantal(x) != getal(int(round(x)))

    def tempo(self, t: Tempo, decimals: int = 1) -> str:
        """A weekly rate, or '<5 in 8 weken' when the count behind it is small."""
        if self.klein(t.totaal):
            return f"{self.aantal(t.totaal)} in {t.weken} weken"
        return f"{getal(t.per_week, decimals)} per week"

    def tabel(self, frame: pd.DataFrame, computed: tuple = ()) -> pd.DataFrame:
        """privacy.protect for the selected gemeente: catalogued counts of 1 to 4 become '<5' and figures
        on fewer parents '-' for a viewer who may not see them exactly. `computed`: counts of parents
        made here (the forecast) rather than by a named query."""
        if self.gemeente is None:
            return frame
        marked = frame.assign(gemeentecode=self.gemeente)
        return protect(marked, self.viewer, computed=computed).drop(columns="gemeentecode")

    def grafiek(self, frame: pd.DataFrame, columns: list[str], computed: bool = False) -> pd.DataFrame:
        """The same suppression for a chart of `columns`: suppressed values become gaps. `computed`: the
        columns are counts made here rather than catalogued figures."""
        shown = self.tabel(frame, tuple(columns) if computed else ())
        out = frame.copy()
        for col in columns:
            out[col] = frame[col].where(shown[col].map(lambda v: not isinstance(v, str)))
        return out


def gemeenten(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The gemeenten for the filters: code, name, provincie."""
    return run(con, "tempo_gemeenten")


def events(path: Path = EVENTS_CSV) -> list[tuple[date, str]]:
    """The event markers of the time axis, from data/events.csv (columns datum, label; ISO dates)."""
    frame = pd.read_csv(path, dtype=str, comment="#").dropna()
    return sorted((date.fromisoformat(d.strip()), label.strip()) for d, label in zip(frame["datum"], frame["label"]))


def stromen(con: duckdb.DuckDBPyConnection, peildatum: date, periode: str, selectie: Selectie) -> pd.DataFrame:
    """Flows, cumulative counts and stocks per week or month from the extract of the peildatum."""
    frame = run(con, "tempo_stromen", van=peildatum, tot=peildatum, periode=periode, **selectie.params)
    return frame.drop(columns="peildatum")


def stand(weekly: pd.DataFrame, peildatum: date, weken: int) -> Stand:
    """The state at the peildatum (last row of the weekly flows) and the tempo of the last `weken` weeks
    (weeks before the first event count as weeks without any)."""
    if weekly.empty:
        zero = Tempo.from_weeks(np.zeros(weken))
        return Stand(peildatum, 0, 0, 0, 0, 0, {k: zero for k in ("aangemeld", "eerste_toets", "erkend",
                                                                  "forfait", "ib_erkend")})
    last = weekly.iloc[-1]
    window = weekly.tail(weken)

    def tempo(kind: str) -> Tempo:
        counts = window[f"stroom_{kind}"].to_numpy(float)
        return Tempo.from_weeks(np.concatenate([np.zeros(weken - counts.size), counts]))

    return Stand(peildatum, float(last["totaal_aangemeld"]), float(last["totaal_eerste_toets"]),
                 float(last["totaal_erkend"]), float(last["totaal_forfait"]), float(last["totaal_ib_erkend"]),
                 {k: tempo(k) for k in ("aangemeld", "eerste_toets", "erkend", "forfait", "ib_erkend")})


def doorlooptijden(con: duckdb.DuckDBPyConnection, peildatum: date, selectie: Selectie) -> pd.DataFrame:
    return run(con, "tempo_doorlooptijden", peildatum=peildatum, **selectie.params)


# ---------------------------------------------------------------------------------------------- back-test

@dataclass(frozen=True)
class Backtest:
    rows: pd.DataFrame  # one row per forecast peildatum, step, scenario and horizon (forecast.backtest)
    voltooiing: pd.DataFrame  # per forecast peildatum, step, scenario: predicted and actual completion
    samenvatting: pd.DataFrame  # forecast.summarise(rows)
    laatste: date  # the extract the forecasts were checked against


def werkelijk(cohorten: pd.DataFrame, peildata: list[date]) -> dict:
    """From tempo_cohorten: per event kind a matrix of cumulative counts [registered by peildatum i, day]
    (the last row: everyone), with the day axis as date ordinals."""
    first = min(cohorten["datum"].min().date(), peildata[0]).toordinal()
    days = np.arange(first, peildata[-1].toordinal() + 1)
    index = {p: i for i, p in enumerate(peildata)}
    rows = cohorten["cohort"].dt.date.map(index).to_numpy()
    cols = cohorten["datum"].map(pd.Timestamp.toordinal).to_numpy() - first
    out = {"dagen": days}
    for kind in ("aangemeld", "erkend", "eerste_toets", "forfait", "ib_erkend"):
        mask = (cohorten["soort"] == kind).to_numpy()
        matrix = np.zeros((len(peildata), days.size))
        np.add.at(matrix, (rows[mask], cols[mask]), cohorten["aantal"].to_numpy(float)[mask])
        out[kind] = matrix.cumsum(axis=0).cumsum(axis=1)
    return out


def backtest(con: duckdb.DuckDBPyConnection, laatste: date, weken: int) -> Backtest:
    """The forecast made at every earlier extract, against what the extract of `laatste` shows. National."""
    weekly = run(con, "tempo_stromen", van=date(1900, 1, 1), tot=laatste, periode="week", provincie=None,
                 gemeente=None)
    cohorten = run(con, "tempo_cohorten", peildatum=laatste)
    peildata = sorted(set(weekly["peildatum"].dt.date) | set(cohorten["cohort"].dt.date))
    actual = werkelijk(cohorten, peildata)
    days = actual["dagen"]
    rows, completions = [], []
    for p0, group in weekly.groupby(weekly["peildatum"].dt.date):
        if p0 >= laatste:
            continue
        i = peildata.index(p0)
        s = stand(group, p0, weken)
        checked = None
        for stap, (kind, population) in SOORT.items():
            cohort = Reeks(days, actual[kind][i])
            everyone = actual[population][i, -1]
            done, most = cohort.bereikt(everyone), cohort.bereikt(0.95 * everyone)
            if stap == "eerste_toets":
                checked = (done, most)
            else:
                # Who is to be paid or reviewed is only settled once the whole cohort had its first check.
                done, most = (None if d is None or c is None else max(d, c) for d, c in zip((done, most), checked))
            for scenario in forecast.SCENARIOS:
                reeks = cohort if scenario == "bevroren" else Reeks(days, actual[kind][-1])
                rows += forecast.backtest(s, stap, scenario, reeks)
                p = forecast.prognose(s, stap, scenario, laatste)
                completions.append({"peildatum": p0, "stap": stap, "scenario": scenario, "voorspeld": p.datum,
                                    "vroeg": p.vroeg, "laat": p.laat, "werkelijk": done, "werkelijk_95": most})
    rows = pd.DataFrame(rows)
    return Backtest(rows, pd.DataFrame(completions), forecast.summarise(rows), laatste)


@st.cache_data(show_spinner="Terugtoets berekenen…", max_entries=8)
def _backtest_cached(_con: duckdb.DuckDBPyConnection, key: tuple | None, peildata: tuple, weken: int) -> Backtest:
    return backtest(_con, peildata[-1], weken)


def backtest_cached(con: duckdb.DuckDBPyConnection, peildata: list[date], weken: int) -> Backtest:
    """backtest() against the latest peildatum, once per data (queries.key: database version and definitions),
    set of peildata and window."""
    return _backtest_cached(con, key(con), tuple(peildata), weken)


# ------------------------------------------------------------------------------------------ tables & text

def periode_label(van: date, tm: date, periode: str) -> str:
    if periode == "week":
        return f"week {datum_kort(van)} t/m {datum_kort(tm)}"
    label = f"{MAANDEN[van.month - 1]} {van.year}"
    return label if tm.day == pd.Timestamp(tm).days_in_month else f"{label} (t/m {datum_kort(tm)})"


def tabel_stromen(frame: pd.DataFrame, periode: str, columns: dict[str, str], weergave: Weergave) -> pd.DataFrame:
    """A chart's data for download: the period in Dutch, one column per series, counts protected."""
    out = pd.DataFrame({
        "Periode": [periode_label(v.date(), t.date(), periode) for v, t in zip(frame["periode_van"], frame["periode_tm"])],
        "Van": frame["periode_van"].map(datum_kort), "Tot en met": frame["periode_tm"].map(datum_kort),
    })
    for col in columns:
        out[col] = frame[col].astype("int64")
    return weergave.tabel(out).rename(columns=columns)


def _datum_of(d: date | None, leeg: str = "niet haalbaar bij dit tempo") -> str:
    return leeg if d is None or pd.isna(d) else datum(d)


def tabel_prognoses(prognoses: list[Prognose], stand: Stand, weergave: Weergave) -> pd.DataFrame:
    """The forecast for each step and scenario, as shown and downloaded (dates and numbers in Dutch)."""
    small = weergave.klein(stand.tempo["aangemeld"].totaal)
    return pd.DataFrame([{
        "Onderdeel": STAPPEN[p.stap], "Scenario": SCENARIOS[p.scenario],
        "Nog te doen": LEEG if p.te_doen is None else weergave.aantal(p.te_doen),
        "Tempo": weergave.tempo(p.tempo),
        "Instroom": ("geen" if p.scenario == "bevroren" else
                     weergave.tempo(stand.tempo["aangemeld"]) if small else f"{getal(p.instroom, 1)} per week"),
        "Verwacht klaar": _datum_of(p.datum, "niet haalbaar"),
        "Band (snelle – trage week)": _band(p),
        "Nodig per week voor doeldatum": LEEG if p.nodig is None or weergave.klein(p.te_doen) else getal(p.nodig, 1),
        "Doeldatum": KORT_OORDEEL[p.oordeel],
    } for p in prognoses])


def _band(p: Prognose) -> str:
    if p.vroeg is None:
        return "niet haalbaar"
    return f"{datum_kort(p.vroeg)} – {datum_kort(p.laat) if p.laat else 'niet haalbaar'}"


def tabel_doorlooptijden(frame: pd.DataFrame, weergave: Weergave) -> pd.DataFrame:
    frame = weergave.tabel(frame.assign(doorlooptijd_cohort_mediaan=frame["doorlooptijd_cohort_mediaan"].round(0),
                                        doorlooptijd_cohort_p90=frame["doorlooptijd_cohort_p90"].round(0)))
    return pd.DataFrame({
        "Aanmeldmaand": [f"{MAANDEN[d.month - 1]} {d.year}" for d in frame["cohort"]],
        "Onderdeel": frame["stap"].map(STAPPEN),
        "Ouders": frame["ouders"], "Klaar": frame["klaar"], "Wachten nog": frame["wacht_nog"],
        "Mediaan (dagen)": frame["doorlooptijd_cohort_mediaan"],
        "Mediaan definitief": frame["mediaan_definitief"].map({True: "ja", False: "nee (ondergrens)"}),
        "90e percentiel (dagen)": frame["doorlooptijd_cohort_p90"],
        "90e percentiel definitief": frame["p90_definitief"].map({True: "ja", False: "nee (ondergrens)"}),
    })


def tabel_backtest(samenvatting: pd.DataFrame) -> pd.DataFrame:
    """Per horizon: how far off the forecasts were, in weeks (Dutch labels and numbers)."""
    return pd.DataFrame({
        "Onderdeel": samenvatting["stap"].map(STAPPEN),
        "Scenario": samenvatting["scenario"].map(SCENARIOS),
        "Horizon": samenvatting["horizon"].map(lambda h: f"{h} maanden"),
        "Prognoses": samenvatting["prognoses"].astype("int64"),
        "Mediane absolute fout (weken)": samenvatting["mediane_absolute_fout_weken"].map(lambda x: getal(x, 1)),
        "Gemiddelde fout (weken, + = te optimistisch)": samenvatting["gemiddelde_fout_weken"].map(
            lambda x: ("+" if x > 0.05 else "") + getal(x, 1)),
        "Werkelijk binnen de band": samenvatting["binnen_band_pct"].map(lambda x: f"{getal(x)}%"),
        "Nog niet bereikt (ondergrens)": samenvatting["ondergrenzen"].astype("int64"),
    })


def tabel_backtest_reeks(rows: pd.DataFrame) -> pd.DataFrame:
    """Every single back-test comparison, for download."""
    return pd.DataFrame({
        "Peildatum prognose": rows["peildatum"].map(datum_kort),
        "Onderdeel": rows["stap"].map(STAPPEN), "Scenario": rows["scenario"].map(SCENARIOS),
        "Horizon (maanden)": rows["horizon"], "Voor datum": rows["doeldag"].map(datum_kort),
        "Voorspeld aantal": rows["voorspeld"].round(0), "Werkelijk aantal": rows["werkelijk"].round(0),
        "Voorspeld aantal werkelijk bereikt op": rows["bereikt_op"].map(lambda d: datum_kort(d) if d else "nog niet"),
        "Fout (weken)": rows["fout_weken"].round(1),
        "Werkelijk binnen de band": rows["binnen_band"].map({True: "ja", False: "nee"}),
    })


def tabel_achteraf(voltooiing: pd.DataFrame, peildatum: date) -> pd.DataFrame:
    """The completion forecast made at one peildatum against when it really happened."""
    rows = voltooiing[voltooiing["peildatum"] == peildatum]
    fout = [None if pd.isna(v) or pd.isna(w) else (w - v).days / 7 for v, w in zip(rows["voorspeld"], rows["werkelijk"])]
    return pd.DataFrame({
        "Onderdeel": rows["stap"].map(STAPPEN).to_numpy(), "Scenario": rows["scenario"].map(SCENARIOS).to_numpy(),
        "Voorspeld klaar": [_datum_of(d) for d in rows["voorspeld"]],
        "Werkelijk klaar": [_datum_of(d, "nog niet (volgens het laatste extract)") for d in rows["werkelijk"]],
        "Verschil (weken, + = later dan voorspeld)": [LEEG if f is None else getal(f, 1) for f in fout],
        "Werkelijk 95% klaar": [_datum_of(d, "nog niet") for d in rows["werkelijk_95"]],
    })


def samenvatting(stand: Stand, prognoses: list[Prognose], doel: date, weken: int, weergave: Weergave,
                 selectie: Selectie) -> str:
    """The page's answer, in Dutch: when is everyone registered so far first-checked and paid, and is the
    target date realistic."""
    by = {(p.stap, p.scenario): p for p in prognoses}
    lines = [f"Op **{datum(stand.peildatum)}** zijn in {selectie.naam} **{weergave.aantal(stand.aangemeld)}** ouders "
             f"aangemeld; **{weergave.aantal(stand.wachtend)}** van hen wachten nog op een eerste toets. "
             f"Nieuwe aanmeldingen in de laatste {weken} weken: {weergave.tempo(stand.tempo['aangemeld'])}."]
    for stap in ("eerste_toets", "forfait"):
        frozen, inflow = by[(stap, "bevroren")], by[(stap, "instroom")]
        wat = "een eerste toets" if stap == "eerste_toets" else "€ 30.000 (wie erkend wordt)"
        lines.append(
            f"- **{STAPPEN[stap]}** (nu {weergave.tempo(frozen.tempo)}): iedereen die nu is aangemeld heeft {wat} "
            f"{_wanneer(frozen)} als alleen zij tellen; {_wanneer(inflow)} als de aanmeldingen doorgaan in het "
            f"tempo van de laatste {weken} weken.")
    lines.append(f"\n**Doeldatum {datum(doel)}** (iedereen die zich tot nu toe heeft aangemeld, is dan gecompenseerd):")
    if doel <= stand.peildatum:
        lines[-1] += " die datum ligt niet na de peildatum; kies een latere doeldatum om te zien of die haalbaar is."
        return "\n".join(lines)
    for scenario in forecast.SCENARIOS:
        pay, check = by[("forfait", scenario)], by[("eerste_toets", scenario)]
        needs = [f"**{getal(p.nodig, 0)} {wat} per week** (nu {weergave.tempo(p.tempo, 0)})"
                 for p, wat in ((pay, "betalingen"), (check, "eerste toetsen"))
                 if p.nodig is not None and p.oordeel != forecast.KLAAR and not weergave.klein(p.te_doen)]
        need = f"; daarvoor zijn gemiddeld {' en '.join(needs)} nodig" if needs else ""
        lines.append(f"- {SCENARIOS[scenario]}: **{OORDEEL[pay.oordeel]}**{need}.")
    return "\n".join(lines)


def _wanneer(p: Prognose) -> str:
    if p.oordeel == forecast.KLAAR:
        return "al"
    if p.datum is None:
        return "**niet haalbaar bij dit tempo** (de wachtrij slinkt niet of pas na meer dan tien jaar)"
    band = f"tussen {datum(p.vroeg)} en {_datum_of(p.laat, 'later dan tien jaar')}" if p.vroeg else ""
    return f"rond **{datum(p.datum)}**" + (f" ({band})" if band else "")
