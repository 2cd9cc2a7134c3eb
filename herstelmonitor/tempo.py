"""Tempo compensatie: the data behind the page (flows, backlog, lead times, forecast, back-test), the tables
it shows and exports, and the Dutch answers. SQL in queries/tempo_*.sql, the forecast method in
herstelmonitor.prognose, its stored back-test in herstelmonitor.terugtoets, the charts in
herstelmonitor.tempo_grafieken.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import math

import duckdb
import numpy as np
import pandas as pd
import streamlit as st

from herstelmonitor import privacy, prognose, terugtoets
from herstelmonitor.format import LEEG, MAANDEN, datum, datum_kort, getal
from herstelmonitor.gedeeld import per_version
from herstelmonitor.paths import ROOT
from herstelmonitor.privacy import Kind, Viewer, count_text, protect_kinds
from herstelmonitor.queries import key, run

EVENTS_CSV = ROOT / "data" / "events.csv"
WINDOWS = prognose.VENSTERS
DEFAULT_WINDOW = prognose.STANDAARD_VENSTER
JAAR = timedelta(days=365)  # no single date further out than this is shown as a date

STAPPEN = {"eerste_toets": "Eerste toets", "forfait": "Betaling € 30.000",
           "integrale_beoordeling": "Integrale beoordeling"}
WIE = {"eerste_toets": "een eerste toets", "forfait": "€ 30.000 (wie erkend wordt)",
       "integrale_beoordeling": "een integrale beoordeling"}
SCENARIOS = {"bevroren": "Alleen wie nu is aangemeld", "instroom": "Aanmeldingen gaan door"}
STROMEN = {"stroom_aangemeld": "Nieuwe aanmeldingen", "stroom_eerste_toets": "Eerste toetsen",
           "stroom_erkend": "Erkend als gedupeerd", "stroom_forfait": "€ 30.000 betaald",
           "stroom_integrale_beoordeling": "Integrale beoordelingen"}
TOTALEN = {"totaal_aangemeld": "Aangemeld", "totaal_eerste_toets": "Eerste toets afgerond",
           "totaal_erkend": "Erkend als gedupeerd", "totaal_forfait": "€ 30.000 betaald",
           "totaal_integrale_beoordeling": "Integrale beoordeling afgerond"}
ACHTERSTAND = {"wacht_op_eerste_toets": "Aangemeld, wacht op eerste toets",
               "wacht_op_ib": "Aangemeld, wacht op integrale beoordeling",
               "over_wettelijke_termijn": "Over de wettelijke termijn van een jaar"}
# The cumulative count of each step, in the flows query.
GEDAAN = {"eerste_toets": "totaal_eerste_toets", "forfait": "totaal_forfait",
          "integrale_beoordeling": "totaal_integrale_beoordeling"}
KLAAR, HAALBAAR, ONZEKER, NIET_HAALBAAR, DOEL_VERSTREKEN = (
    "klaar", "haalbaar", "onzeker", "niet_haalbaar", "doel_verstreken")
OORDEEL = {KLAAR: "al klaar", HAALBAAR: "haalbaar", ONZEKER: "onzeker", NIET_HAALBAAR: "niet haalbaar",
           DOEL_VERSTREKEN: "ligt niet na de peildatum"}
UITLEG_OORDEEL = {
    KLAAR: "al klaar",
    HAALBAAR: "haalbaar: de hele band ligt vóór de doeldatum",
    ONZEKER: "onzeker: de doeldatum valt binnen de band",
    NIET_HAALBAAR: "niet haalbaar: ook het snelle einde van de band haalt de doeldatum niet",
    DOEL_VERSTREKEN: "de doeldatum ligt niet na de peildatum",
}
SCHERP = 1.5  # the last 4 weeks' pace differs 'sharply' from the last 26 weeks' beyond this factor either way


@dataclass(frozen=True)
class Selectie:
    """Which parents the page looks at: all, one provincie, or one gemeente (code, or 'onbekend')."""
    provincie: str | None = None
    gemeente: str | None = None
    naam: str = "heel Nederland"

    @property
    def params(self) -> dict:
        return {"provincie": self.provincie, "gemeente": self.gemeente}


# Cumulative counts and the flow each is the running sum of (the flow is shown as the step of the total).
STAP_VAN = {"stroom_aangemeld": "totaal_aangemeld", "stroom_eerste_toets": "totaal_eerste_toets",
            "stroom_erkend": "totaal_erkend", "stroom_forfait": "totaal_forfait",
            "stroom_integrale_beoordeling": "totaal_integrale_beoordeling"}


@dataclass(frozen=True)
class Weergave:
    """What the viewer may see of this selection (herstelmonitor.privacy): a gemeente or a provincie the
    viewer may not see exactly gets rounded counts; the nation is always exact."""
    viewer: Viewer
    gemeente: str | None
    provincie: str | None = None

    @property
    def exact(self) -> bool:
        if self.gemeente is None and self.provincie is None:
            return True
        return bool(self.viewer.exact_for(self.gemeente))

    def aantal(self, x) -> str:
        """A count as shown; NaN in a frame from stromen() is a count of 1 to 4."""
        if privacy.missing(x):
            return privacy.marker()
        return count_text(int(round(x)), self.exact, getal)

    def klein(self, x) -> bool:
        """Would this count show as '<5'?"""
        return self.aantal(x) == privacy.marker()

    def tempo(self, per_week: float, weken: int, decimals: int = 0) -> str:
        """A weekly rate, or '2 in 52 weken' (or '<5 in 52 weken') when the count behind it is small."""
        if per_week is None or math.isnan(per_week):
            return LEEG
        if self.klein(per_week * weken) or per_week * weken < 9.5:  # a handful: say how many, not '0,0 per week'
            return f"{self.aantal(per_week * weken)} in {weken} weken"
        return f"{getal(per_week, decimals)} per week"

    def stromen(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The flows frame as this viewer may know it. Not exact: every cumulative total and stock rounded
        per period (NaN where it is 1 to 4), and every flow the step between two rounded totals, so that the
        difference between two periods (or cumulative weeks) is always a multiple of 5. Everything the page
        derives (tempo, forecast, tables, charts) starts from this frame."""
        if self.exact or frame.empty:
            return frame
        out = frame.copy()
        for col in [*STAP_VAN.values(), *ACHTERSTAND]:
            out[col] = frame[col].map(privacy.rounded).astype("float64")
        for flow, total in STAP_VAN.items():
            known = out[total].fillna(0)
            out[flow] = known.diff().fillna(known)
        return out

    def tabel(self, frame: pd.DataFrame, counts: list[str] | None = None, pcts: dict[str, str] | None = None,
              days: dict[str, str] | None = None) -> pd.DataFrame:
        """Counts rounded (1 to 4 as '<5') for a viewer who may not see this selection exactly, every column as
        the metric catalogue declares it. `counts`, `pcts` and `days` name columns beside the catalogue's: the
        forecast series, whose Dutch columns are made per scenario (tempo_grafieken.prognose_reeks)."""
        if self.exact:
            return frame
        kinds = (privacy.catalogue_kinds(frame.columns) | {c: Kind(privacy.COUNT) for c in counts or []}
                 | {c: Kind(privacy.PERCENTAGE, b) for c, b in (pcts or {}).items()}
                 | {c: Kind(privacy.DAYS, b) for c, b in (days or {}).items()})
        marked = frame.assign(gemeentecode=self.gemeente)
        return protect_kinds(marked, self.viewer, kinds).drop(columns="gemeentecode")

    def grafiek(self, frame: pd.DataFrame, counts: list[str] | None = None, pcts: dict[str, str] | None = None,
                days: dict[str, str] | None = None) -> pd.DataFrame:
        """The same protection for a chart: rounded values, hidden values become gaps (in the columns named, or
        else in every column the catalogue declares)."""
        if self.exact:
            return frame
        shown = self.tabel(frame, counts, pcts, days)
        out = frame.copy()
        for col in [*(counts or []), *(pcts or {}), *(days or {})] or privacy.catalogue_kinds(frame.columns):
            out[col] = shown[col].map(lambda v: None if isinstance(v, str) else v).astype("float64")
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


def reeks(weekly: pd.DataFrame) -> pd.DataFrame:
    """The weekly flows as the series the forecast method reads (a count shown as '<5', NaN in the flows as a
    non-exact viewer knows them, counts as 0)."""
    return terugtoets.reeks_uit_stromen(weekly.fillna(0))


def standaard_doel(peildatum: date) -> date:
    """The first year-end after the peildatum."""
    end = date(peildatum.year, 12, 31)
    return end if end > peildatum else date(peildatum.year + 1, 12, 31)


def sluitdatum() -> date | None:
    return prognose.sluitdatum()


def doorlooptijden(con: duckdb.DuckDBPyConnection, peildatum: date, selectie: Selectie) -> pd.DataFrame:
    return run(con, "tempo_doorlooptijden", peildatum=peildatum, **selectie.params)


# ----------------------------------------------------------------------------------- forecast and back-test

@dataclass(frozen=True)
class Voorspelling:
    """The forecast at a peildatum for one selection, with the band from the stored back-test."""
    stand: prognose.Toestand
    uitkomsten: dict  # (stap, scenario) -> prognose.Uitkomst
    band: prognose.Band
    gesloten: bool  # registration closed on or before the peildatum: no inflow

    def scenarios(self) -> tuple[str, ...]:
        return ("bevroren",) if self.gesloten else prognose.SCENARIOS


def terugtoets_rijen(con, venster: int, bron: str = "extracten") -> pd.DataFrame:
    """The back-test of one window: stored at ingest for the default window (and every window on the
    published figures); another window on the extracts is computed once per database version."""
    rows = terugtoets.lees(con, venster, bron)
    if rows.empty and bron == "extracten" and venster != DEFAULT_WINDOW:
        latest = terugtoets.laatste(con)
        if latest is not None:
            rows = _terugtoets_venster(con, key(con), venster, latest)
    return rows


@st.cache_data(show_spinner="Terugtoets voor dit venster berekenen…", max_entries=8)
def _terugtoets_venster(_con, key: tuple | None, venster: int, latest: date) -> pd.DataFrame:
    return terugtoets.bereken(_con, latest, (venster,))


def band_op(rows: pd.DataFrame, peildatum: date) -> prognose.Band:
    """The band as it was known on the peildatum: errors of forecasts whose outcome was known by then."""
    return prognose.Band.uit(rows[rows["bekend_op"] <= peildatum] if not rows.empty else rows)


def voorspelling(weekly: pd.DataFrame, peildatum: date, venster: int, band: prognose.Band) -> Voorspelling:
    sluit = sluitdatum()
    s = prognose.toestand(reeks(weekly), peildatum, venster, sluit)
    found = {(stap, sc): prognose.uitkomst(s, stap, sc, band)
             for stap in prognose.STAPPEN if prognose.bekend(s, stap) for sc in prognose.SCENARIOS}
    return Voorspelling(s, found, band, sluit is not None and sluit <= peildatum)


def oordeel(u: prognose.Uitkomst, peildatum: date, doel: date) -> str:
    """'haalbaar' only when the whole band is before the target, 'onzeker' when it straddles it."""
    if u.nog_te_doen < 0.5:
        return KLAAR
    if doel <= peildatum:
        return DOEL_VERSTREKEN
    if u.klaar_hoog is not None and u.klaar_hoog <= doel:
        return HAALBAAR
    if u.klaar_laag is not None and u.klaar_laag <= doel:
        return ONZEKER
    return NIET_HAALBAAR


def nodig(u: prognose.Uitkomst, v: Voorspelling, doel: date) -> float | None:
    """The weekly pace the target needs: the work left (plus the expected inflow) over the weeks to go."""
    weeks = (doel - v.stand.peildatum).days / 7
    if weeks <= 0:
        return None
    extra = 0.0
    if u.scenario == "instroom" and not math.isnan(v.stand.instroom):
        sim = prognose.simuleer(v.stand, "instroom", int(math.ceil(weeks)))
        extra = float(sim["aangemeld"][-1] - sim["aangemeld"][0])
        if u.stap == "forfait":
            extra *= 0.0 if math.isnan(v.stand.erkenning) else v.stand.erkenning
    return (u.nog_te_doen + extra) / weeks


def wanneer(d: date | None, peildatum: date) -> str:
    """A completion date in Dutch, or why there is none: never a single date more than a year ahead."""
    if d is None:
        return "niet binnen twee jaar"
    if d <= peildatum:
        return "al"
    if d - peildatum > JAAR:
        return f"later dan {datum(peildatum + JAAR)}"
    return datum(d)


def band_tekst(u: prognose.Uitkomst, peildatum: date) -> str:
    lo = "niet binnen twee jaar" if u.klaar_laag is None else datum_kort(u.klaar_laag)
    hi = "niet binnen twee jaar" if u.klaar_hoog is None else datum_kort(u.klaar_hoog)
    return lo if lo == hi else f"{lo} – {hi}"


def tempo_waarschuwing(weekly: pd.DataFrame, kolom: str = "stroom_eerste_toets") -> tuple[float, float] | None:
    """(pace of the last 4 weeks, of the last 26) when they differ sharply, else None."""
    recent, longer = weekly[kolom].tail(4).mean(), weekly[kolom].tail(26).mean()
    if len(weekly) < 8 or longer <= 0 and recent <= 0:
        return None
    if longer <= 0 or recent / longer > SCHERP or recent / longer < 1 / SCHERP:
        return float(recent), float(longer)
    return None


def staat_van_dienst(rows: pd.DataFrame, peildatum: date, stap: str, scenario: str) -> tuple[int, int]:
    """(x, y): in x of the y earlier forecasts of this step and scenario whose outcome was known by the
    peildatum, the outcome lay within the band given then."""
    if rows.empty:
        return 0, 0
    known = rows[(rows["bekend_op"] <= peildatum) & (rows["stap"] == stap) & (rows["scenario"] == scenario)]
    return int(known["binnen_band"].sum()), len(known)


def fout_weken(rows: pd.DataFrame) -> pd.Series:
    """Each forecast's error in weeks of the pace at its peildatum: + the forecast was too early (reality
    reached the forecast level later), - too late."""
    pace = rows["tempo"].where(rows["tempo"] > 0)
    return (rows["verwacht"] - rows["werkelijk"]) / pace


def meestal(weeks: pd.Series) -> str:
    """'meestal 3 weken te vroeg' from a series of errors in weeks (the median)."""
    w = weeks.dropna()
    if w.empty:
        return LEEG
    m = float(np.median(w))
    n = int(round(abs(m)))
    if n == 0:
        return "meestal op tijd (minder dan een week ernaast)"
    return f"meestal {n} {'week' if n == 1 else 'weken'} te {'vroeg' if m > 0 else 'laat'}"


def tabel_terugtoets(rows: pd.DataFrame) -> pd.DataFrame:
    """Per step, scenario and horizon, in plain Dutch: how many forecasts, how far off they mostly were, how
    often the outcome lay within the band."""
    if rows.empty:
        return pd.DataFrame(columns=["Onderdeel", "Scenario", "Vooruit", "Voorspellingen", "Uitkomst",
                                     "Binnen de band", "Fout (mediaan, % van het werk)"])
    out = []
    for (stap, scenario, weken), g in rows.groupby(["stap", "scenario", "weken"], sort=True):
        out.append({"Onderdeel": STAPPEN[stap], "Scenario": SCENARIOS[scenario],
                    "Vooruit": f"{round(weken / 13) * 3} maanden", "Voorspellingen": len(g),
                    "Uitkomst": meestal(fout_weken(g)),
                    "Binnen de band": f"{int(g['binnen_band'].sum())} van {len(g)}",
                    "Fout (mediaan, % van het werk)": (LEEG if g["fout_pct"].isna().all()
                                                       else f"{getal(float(np.nanmedian(g['fout_pct'].abs())))}%")})
    return pd.DataFrame(out)


def beste_venster(con) -> tuple[int, dict[int, float]]:
    """The window whose forecasts of first checks 6 months ahead were closest on the published national
    figures (median error as % of the work there was; stored at ingest), and that error for every window."""
    errors = {}
    for v in WINDOWS:
        rows = terugtoets.lees(con, v, "gepubliceerd")
        sel = rows[(rows["stap"] == "eerste_toets") & (rows["weken"] == 26)] if not rows.empty else rows
        if not sel.empty and sel["fout_pct"].notna().any():
            errors[v] = float(np.nanmedian(sel["fout_pct"].abs()))
    return (min(errors, key=errors.get) if errors else DEFAULT_WINDOW), errors


# ------------------------------------------------------------------------------------------ tables & text

def periode_label(van: date, tm: date, periode: str) -> str:
    if periode == "week":
        return f"week {datum_kort(van)} t/m {datum_kort(tm)}"
    label = f"{MAANDEN[van.month - 1]} {van.year}"
    return label if tm.day == pd.Timestamp(tm).days_in_month else f"{label} (t/m {datum_kort(tm)})"


def tabel_stromen(frame: pd.DataFrame, periode: str, columns: dict[str, str], weergave: Weergave) -> pd.DataFrame:
    """A chart's data for download: the period in Dutch, one column per series, counts protected
    (Weergave.stromen, which gives the same frame again when applied twice)."""
    frame = weergave.stromen(frame)
    out = pd.DataFrame({
        "Periode": [periode_label(v.date(), t.date(), periode) for v, t in zip(frame["periode_van"], frame["periode_tm"])],
        "Van": frame["periode_van"].map(datum_kort), "Tot en met": frame["periode_tm"].map(datum_kort),
    })
    for col in columns:  # rounded unless exact, NaN for 1 to 4
        out[col] = (frame[col].astype("int64") if weergave.exact
                    else frame[col].map(lambda v: privacy.marker() if privacy.missing(v) else int(v)))
    return out.rename(columns=columns)


def tabel_doorlooptijden(frame: pd.DataFrame, weergave: Weergave) -> pd.DataFrame:
    """The lead times per registration month as shown and downloaded, protected as the catalogue declares."""
    f = weergave.tabel(frame.round({"doorlooptijd_cohort_mediaan": 0, "doorlooptijd_cohort_p90": 0}))
    return pd.DataFrame({
        "Aanmeldmaand": [f"{MAANDEN[d.month - 1]} {d.year}" for d in frame["cohort"]],
        "Onderdeel": frame["stap"].map(STAPPEN),
        "Ouders": f["ouders"], "Klaar": f["klaar"], "Wachten nog": f["wacht_nog"],
        "Mediaan (dagen)": f["doorlooptijd_cohort_mediaan"],
        "Mediaan definitief": frame["mediaan_definitief"].map({True: "ja", False: "nee (ondergrens)"}),
        "90e percentiel (dagen)": f["doorlooptijd_cohort_p90"],
        "90e percentiel definitief": frame["p90_definitief"].map({True: "ja", False: "nee (ondergrens)"}),
    })


def tabel_prognoses(v: Voorspelling, doel: date, weergave: Weergave) -> pd.DataFrame:
    """The forecast for each step and scenario, as shown and downloaded (dates and numbers in Dutch)."""
    p = v.stand.peildatum
    rows = []
    for (stap, scenario), u in v.uitkomsten.items():
        if scenario not in v.scenarios():
            continue
        need = nodig(u, v, doel)
        rows.append({
            "Onderdeel": STAPPEN[stap], "Scenario": SCENARIOS[scenario],
            "Nog te doen": weergave.aantal(u.nog_te_doen),
            "Tempo nu": weergave.tempo(v.stand.tempo[stap], v.stand.weken(stap), 1),
            "90% klaar": wanneer(u.klaar_90, p), "95% klaar": wanneer(u.klaar_95, p),
            "Iedereen klaar": wanneer(u.klaar, p), "Band (iedereen)": band_tekst(u, p),
            "Nodig per week voor doeldatum": LEEG if need is None or weergave.klein(u.nog_te_doen) else getal(need),
            "Doeldatum": OORDEEL[oordeel(u, p, doel)],
        })
    return pd.DataFrame(rows)


def _zin(u: prognose.Uitkomst, v: Voorspelling, doel: date, weergave: Weergave) -> str:
    """One step in one sentence: 90%, 95%, everyone with its band, and the verdict on the target."""
    p = v.stand.peildatum
    verdict = oordeel(u, p, doel)
    if verdict == KLAAR:
        return f"- **{STAPPEN[u.stap]}**: iedereen die nu is aangemeld heeft {WIE[u.stap]} al gehad."
    text = (f"- **{STAPPEN[u.stap]}** (nu {weergave.tempo(v.stand.tempo[u.stap], v.stand.weken(u.stap))}; nog "
            f"{weergave.aantal(u.nog_te_doen)} te doen): 90% rond **{wanneer(u.klaar_90, p)}**, 95% rond "
            f"**{wanneer(u.klaar_95, p)}**, iedereen **{wanneer(u.klaar, p)}** (band {band_tekst(u, p)}). "
            f"Doeldatum: **{UITLEG_OORDEEL[verdict]}**")
    need = nodig(u, v, doel)
    if verdict != HAALBAAR and need is not None and not weergave.klein(u.nog_te_doen):
        text += f"; daarvoor zijn gemiddeld **{getal(need)} per week** nodig"
    return text + "."


def samenvatting(v: Voorspelling, doel: date, weergave: Weergave, selectie: Selectie,
                 laatste: pd.Series | None = None) -> str:
    """The page's answer in Dutch: when has everyone registered so far had each step, and is the target
    date realistic. Only the frozen scenario in the sentences; the table has both. `laatste`: the last row
    of the flows as the viewer may know them (Weergave.stromen: its counts keep '<5', which the forecast's
    stand counts as 0)."""
    s = v.stand
    aangemeld = s.aangemeld if laatste is None else laatste["totaal_aangemeld"]
    wachtend = s.aangemeld - s.toets if laatste is None else laatste["wacht_op_eerste_toets"]
    lines = [f"Op **{datum(s.peildatum)}** zijn in {selectie.naam} **{weergave.aantal(aangemeld)}** ouders aangemeld; "
             f"**{weergave.aantal(wachtend)}** van hen wachten nog op een eerste toets."]
    if v.gesloten:
        lines[0] += (f" Aanmelden is gesloten sinds {datum(sluitdatum())}: er komen geen nieuwe ouders meer bij in de "
                     "voorspelling.")
    else:
        weken = prognose.INSTROOM_WEKEN
        lines[0] += f" Nieuwe aanmeldingen in de laatste {weken} weken: {weergave.tempo(s.instroom, weken)}."
    lines.append(f"\nVoor iedereen die nu is aangemeld, tegen de **doeldatum {datum(doel)}**:")
    for stap in prognose.STAPPEN:
        u = v.uitkomsten.get((stap, "bevroren"))
        if u is not None:
            lines.append(_zin(u, v, doel, weergave))
    return "\n".join(lines)


@dataclass(frozen=True)
class Overzicht:
    """The forecast's answer for the overview page (national)."""
    voorspelling: Voorspelling
    over_termijn: int
    wachttijd_recent: float | None
    wachttijd_recent_ouders: int
    wachttijd_alle: float | None


@per_version
def overzicht(con, peildatum: date) -> Overzicht | None:
    """National forecast with the default window, parents past the legal term, recent and all-time waiting.
    The same for every viewer (exact national figures, protected where shown): computed once per data version
    and peildatum for all sessions (the forecast alone took about a tenth of a second per overview)."""
    weekly = stromen(con, peildatum, "week", Selectie())
    if weekly.empty:
        return None
    rows = terugtoets_rijen(con, DEFAULT_WINDOW)
    v = voorspelling(weekly, peildatum, DEFAULT_WINDOW, band_op(rows, peildatum))
    w = run(con, "tempo_wachttijd", peildatum=peildatum).iloc[0]
    num = lambda x: None if pd.isna(x) else float(x)  # noqa: E731
    return Overzicht(v, int(weekly.iloc[-1]["over_wettelijke_termijn"]), num(w["wachttijd_recent_mediaan"]),
                     int(w["wachttijd_recent_ouders"]), num(w["wachttijd_alle_mediaan"]))


def iedereen_klaar(v: Voorspelling, stap: str) -> str:
    """When everyone registered so far has had this step: the band's range in Dutch (never a single far date)."""
    u = v.uitkomsten.get((stap, "bevroren"))
    if u is None:
        return LEEG
    if u.nog_te_doen < 0.5:
        return "al klaar"
    p = v.stand.peildatum
    lo, hi = u.klaar_laag, u.klaar_hoog
    if lo is None:
        return "niet binnen twee jaar"
    if lo - p > JAAR:
        return f"later dan {datum_kort(p + JAAR)}"
    return f"{datum_kort(lo)} – {'later dan twee jaar' if hi is None else datum_kort(hi)}"
