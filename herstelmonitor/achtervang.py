"""Achtervang (emergency fallback): which gemeenten need it, why, since when, and which will soon.

The signals themselves have one definition, queries/signalen.sql, run through metrics.signals() with the
thresholds in use. This module only reads that query's output:

- the list of gemeenten with at least one signal at the chosen peildatum, ranked by the parents affected
  ("getroffen ouders": the gemeente's parents with shared details, `ouders_gedeeld` of the signal query,
  counted in the gemeente giving support), each signal explained in a Dutch sentence built from the
  gemeente's own figures, with the peildatum since which it fires;
- the national picture per peildatum;
- an early warning (see `early_warning`) for gemeenten without a signal now;
- the export frame and the printable one-page summary (HTML) for a coordinator.

Per-gemeente counts in sentences and exports follow spec section 4: for a viewer without exact rights a
count of 1-4 reads "<5", and a percentage that would give such a count away is left out.
"""
import math
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path

import jinja2
import pandas as pd
import pydeck as pdk

from herstelmonitor import config, grafiek, metrics, privacy, theme
from herstelmonitor.format import dagen, datum, datum_kort, getal, pct_kort, telwoord
from herstelmonitor.gedeeld import per_version
from herstelmonitor.privacy import Viewer, count_text, protect, sorteerwaarde
from herstelmonitor.queries import metric, signal_definitions

SIGNALS = metrics.SIGNALS
# The parents this page counts: ouders_gedeeld, by its name in the glossary ("Getroffen ouders (gegevens
# gedeeld)"); OUDERS is that name without the explanation, for sentences.
OUDERS_LABEL = metric("ouders_gedeeld").label
OUDERS = OUDERS_LABEL.split(" (")[0]
GEMEENTE_PAGE = "pages/gemeente.py"
# How many peildata the early warning looks back (trend) and ahead (horizon).
TREND_PEILDATA = 3
HORIZON = 2
VOORUIT = {1: "bij de volgende peildatum", 2: "over twee peildata"}


# --- thresholds --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Threshold:
    key: str      # parameter of queries/signalen.sql and key in config [achtervang]
    signal: str
    label: str    # Dutch, for the input on the page
    min_value: int
    max_value: int

    @property
    def telt_ouders(self) -> bool:
        """A threshold on a number of parents: a viewer without exact rights cannot set it below 5."""
        return self.key.endswith("_min_ouders")

    def laagste(self, viewer: Viewer) -> int:
        """The lowest value this viewer may set (privacy.floor for a number of parents)."""
        return privacy.floor(self.min_value, viewer) if self.telt_ouders else self.min_value


THRESHOLDS = (
    Threshold("niet_aangesloten_min_ouders", "niet_aangesloten", "Minimaal aantal ouders met gedeelde gegevens", 1, 1000),
    Threshold("laag_bereik_min_ouders", "laag_bereik", "Minimaal aantal ouders in de meting", 1, 1000),
    Threshold("laag_bereik_weken", "laag_bereik", "Gegevens gedeeld minstens (weken geleden)", 1, 52),
    Threshold("laag_bereik_max_pct", "laag_bereik", "Bereik lager dan (%)", 1, 100),
    Threshold("trage_start_min_ouders", "trage_start", "Minimaal aantal bereikte ouders", 1, 1000),
    Threshold("trage_start_max_dagen", "trage_start", "Mediaan tot eerste contact langer dan (dagen)", 1, 365),
    Threshold("stilstand_min_ouders", "stilstand", "Minimaal aantal ouders met een open traject", 1, 1000),
    Threshold("stilstand_weken", "stilstand", "Geen activiteit in de laatste (weken)", 1, 52),
    Threshold("niet_geholpen_min_antwoorden", "niet_geholpen", "Minimaal aantal antwoorden in de enquête", 1, 1000),
    Threshold("niet_geholpen_weken", "niet_geholpen", "Antwoorden van de laatste (weken)", 1, 104),
    Threshold("niet_geholpen_max_pct", "niet_geholpen", "Geholpen (ja of deels) lager dan (%)", 1, 100),
)


def defaults() -> dict[str, int]:
    """The thresholds of config/herstelmonitor.toml, section [achtervang]."""
    return {k: int(v) for k, v in config.achtervang_defaults().items()}


def for_viewer(thresholds: dict, viewer: Viewer) -> dict[str, int]:
    """The thresholds as this viewer may use them: a number of parents at least 5 for a viewer without
    exact rights, whatever was asked (a threshold of 1 to 4 would show who has that many)."""
    lowest = {th.key: th.laagste(viewer) for th in THRESHOLDS}
    return {k: max(int(v), lowest.get(k, int(v))) for k, v in thresholds.items()}


def changed(thresholds: dict) -> dict[str, tuple[int, int]]:
    """The thresholds that differ from the defaults: key -> (in use, default)."""
    base = defaults()
    return {k: (int(v), base[k]) for k, v in thresholds.items() if int(v) != base[k]}


def label(signal: str) -> str:
    return signal_definitions()[signal][0]


def definition(signal: str, thresholds: dict) -> str:
    return signal_definitions()[signal][1].format(**thresholds)


# --- small Dutch text helpers ------------------------------------------------------------------------

def dagen_precies(x: float) -> str:
    return dagen(x, precies=True)


def aantal(n: int, exact: bool) -> str:
    """A per-gemeente count for a sentence: '<5' for 1-4 when the viewer may not see it exactly."""
    return count_text(int(n), exact, getal)


def ts(x) -> pd.Timestamp:
    return pd.Timestamp(x)


def as_date(x) -> date | None:
    return None if x is None or pd.isna(x) else pd.Timestamp(x).date()


# --- the signals over time ---------------------------------------------------------------------------

@per_version
def page_data(con, peildata: list[date], peildatum: date, thresholds: dict, viewer: Viewer) -> tuple:
    """(history, list, early warning) for the page before its filter: once per data version, thresholds and
    role class, shared by every session."""
    hist = history(con, peildata, peildatum, thresholds)
    return hist, needs_achtervang(hist, peildatum, thresholds, viewer), early_warning(hist, peildatum, thresholds, viewer)


def history(con, peildata: list[date], peildatum: date, thresholds: dict) -> pd.DataFrame:
    """The signal query for every loaded peildatum up to and including `peildatum`, oldest first."""
    hist = metrics.signals(con, peildata[0], peildatum, thresholds)
    hist[list(SIGNALS)] = hist[list(SIGNALS)].fillna(False).astype(bool)
    hist["needs"] = hist[list(SIGNALS)].any(axis=1)
    return hist


def since(hist: pd.DataFrame, peildatum: date) -> pd.DataFrame:
    """Per gemeente firing at `peildatum`: for each signal that fires, the first peildatum of its current
    unbroken run (the peildatum after the last one where it was quiet), else NaT. Index gemeentecode."""
    upto = hist[hist["peildatum"] <= ts(peildatum)]
    now = upto[upto["peildatum"] == ts(peildatum)].set_index("gemeentecode")
    out = pd.DataFrame(index=now.index[now["needs"]])
    for s in SIGNALS:
        last_quiet = upto.loc[~upto[s]].groupby("gemeentecode")["peildatum"].max()
        firing = upto.loc[upto[s], ["gemeentecode", "peildatum"]].join(last_quiet.rename("stil"), on="gemeentecode")
        run = firing[firing["stil"].isna() | (firing["peildatum"] > firing["stil"])]
        start = run.groupby("gemeentecode")["peildatum"].min()
        out[s] = start.reindex(out.index).where(now.loc[out.index, s])
    return out


def since_text(start, first: date, peildatum: date, kort: bool = False) -> str:
    """'sinds 11 maart 2021'; a run that starts at the first loaded peildatum may have started earlier."""
    start = as_date(start)
    when = datum_kort(start) if kort else datum(start)
    if start == peildatum:
        return "nieuw" if kort else "nieuw op deze peildatum"
    if start == first:
        return f"sinds {when}, de eerste peildatum" if kort else f"al sinds de eerste peildatum in de gegevens ({when})"
    return f"sinds {when}"


# --- explanations ------------------------------------------------------------------------------------

def explain(signal: str, row, thresholds: dict, peildatum: date, exact: bool) -> str:
    """One plain Dutch sentence for a signal that fires, built from the gemeente's own figures."""
    t = thresholds
    if signal == "niet_aangesloten":
        return (f"De gemeente is niet aangesloten bij de gezamenlijke aanpak, terwijl de gegevens van "
                f"{aantal(row.ouders_gedeeld, exact)} ouders met haar zijn gedeeld.")
    if signal == "laag_bereik":
        weken = telwoord(int(t["laag_bereik_weken"]))
        basis, bereikt = int(row.ouders_bereik_basis), int(row.ouders_bereikt)
        grens = f"de grens is {pct_kort(t['laag_bereik_max_pct'])}"
        if bereikt == 0:
            return f"Geen van de {aantal(basis, exact)} ouders is na {weken} weken bereikt (0%); {grens}."
        shown = privacy.share_text(bereikt, basis, exact, lambda v: pct_kort(round(v, 1)))
        share = "" if shown is None else f" ({shown})" if exact else f" ({shown}, uit afgeronde aantallen)"
        werkwoord = "is" if aantal(bereikt, exact) == "1" else "zijn"
        return f"{aantal(bereikt, exact)} van de {aantal(basis, exact)} ouders {werkwoord} na {weken} weken bereikt{share}; {grens}."
    if signal == "trage_start":
        m = float(row.mediaan_dagen_tot_contact)
        mediaan = "" if m.is_integer() else f" (mediaan {dagen_precies(m)})"
        return (f"De helft van de {aantal(row.ouders_in_contact, exact)} bereikte ouders wachtte "
                f"{getal(math.ceil(m))} dagen of langer op het eerste contact na het delen van de gegevens"
                f"{mediaan}; de grens is {getal(t['trage_start_max_dagen'])} dagen.")
    if signal == "stilstand":
        open_ = aantal(row.ouders_open, exact)
        weken = telwoord(int(t["stilstand_weken"]))
        last = as_date(row.laatste_activiteit)
        if last is None:
            return (f"{open_} ouders hebben een open traject, maar er is nog nooit een eerste contact, "
                    f"plan van aanpak of afronding geregistreerd.")
        stil = (peildatum - last).days // 7
        return (f"{open_} ouders hebben een open traject, maar sinds {datum(last)} ({telwoord(stil)} weken "
                f"vóór de peildatum) is er geen eerste contact, plan van aanpak of afronding meer "
                f"geregistreerd; de grens is {weken} weken.")
    if signal == "niet_geholpen":
        return niet_geholpen_text(row, thresholds, exact)
    raise ValueError(signal)


def niet_geholpen_text(row, thresholds: dict, exact: bool) -> str:
    """'12 van de 31 ouders die antwoordden voelen zich geholpen (39%) ...': helped = ja or deels. The
    signal needs at least niet_geholpen_min_antwoorden answers, so the total is never a small count; the
    helped count may be, and then its percentage is left out as well."""
    geholpen, totaal = int(row.antwoorden_geholpen), int(row.antwoorden)
    shown = aantal(geholpen, exact)
    p = float(row.geholpen_of_deels_pct)
    # Whole percents as in the example, unless rounding would reach the threshold (49.6 is not 50).
    p = round(p) if round(p) < thresholds["niet_geholpen_max_pct"] else math.floor(10 * p) / 10
    if exact:
        share = f" ({pct_kort(p)})"
    else:  # from the rounded counts, like every share a non-exact viewer sees (privacy)
        shown_share = privacy.share_text(geholpen, totaal, False, lambda v: pct_kort(round(v)))
        share = "" if shown_share is None else f" ({shown_share}, uit afgeronde aantallen)"
    werkwoord = "voelt" if shown == "1" else "voelen"
    weken = getal(thresholds["niet_geholpen_weken"])
    return (f"{shown} van de {aantal(totaal, exact)} ouders die antwoordden {werkwoord} zich geholpen{share}, "
            f"helemaal of deels, in de oudervragenlijst van de {weken} weken tot de peildatum; "
            f"de grens is {pct_kort(thresholds['niet_geholpen_max_pct'])}.")


def needs_achtervang(hist: pd.DataFrame, peildatum: date, thresholds: dict, viewer: Viewer) -> pd.DataFrame:
    """The gemeenten with at least one signal at `peildatum`, most parents affected first.

    One row per gemeente: rang, gemeentecode, gemeentenaam, provincienaam, ouders_gedeeld (the number),
    ouders (as the viewer may see it), signalen (names, in SIGNALS order), and per signal `uitleg_<s>`
    (the sentence) and `sinds_<s>` (the first peildatum of the current run), empty where it is quiet."""
    now = hist[(hist["peildatum"] == ts(peildatum)) & hist["needs"]].set_index("gemeentecode")
    started = since(hist, peildatum)
    rows = []
    for code, r in now.iterrows():
        exact = viewer.exact_for(code)
        fired = [s for s in SIGNALS if r[s]]
        row = {"gemeentecode": code, "gemeentenaam": r.gemeentenaam, "provincienaam": r.provincienaam,
               "ouders_gedeeld": int(r.ouders_gedeeld), "ouders": aantal(r.ouders_gedeeld, exact),
               "signalen": fired}
        for s in SIGNALS:
            row[f"uitleg_{s}"] = explain(s, r, thresholds, peildatum, exact) if s in fired else None
            row[f"sinds_{s}"] = as_date(started.loc[code, s]) if s in fired else None
        rows.append(row)
    columns = ["gemeentecode", "gemeentenaam", "provincienaam", "ouders_gedeeld", "ouders", "signalen",
               *[f"{k}_{s}" for s in SIGNALS for k in ("uitleg", "sinds")]]
    out = pd.DataFrame(rows, columns=columns)
    out["aantal_signalen"] = out["signalen"].map(len)
    out = zichtbaar_gesorteerd(out, viewer, ["aantal_signalen", "gemeentenaam"], [False, True])
    out.insert(0, "rang", range(1, len(out) + 1))
    return out.reset_index(drop=True)


def filtered(lijst: pd.DataFrame, provincies: list[str], signalen: list[str]) -> pd.DataFrame:
    """The rows in the chosen provincies (all when none chosen) with at least one of the chosen signals."""
    keep = pd.Series(True, index=lijst.index)
    if provincies:
        keep &= lijst["provincienaam"].isin(provincies)
    if signalen:
        keep &= lijst["signalen"].map(lambda fired: bool(set(signalen) & set(fired)))
    return lijst[keep]


@dataclass(frozen=True)
class Filter:
    """The page's filter: provincies and signals (empty: all). It applies to everything on the page."""
    provincies: tuple[str, ...] = ()
    signalen: tuple[str, ...] = ()

    @property
    def actief(self) -> bool:
        return bool(self.provincies or self.signalen)

    def tekst(self) -> str:
        """In Dutch, for the page and every export: 'provincie: Zeeland; signaal: Laag bereik'."""
        delen = ([("provincie" if len(self.provincies) == 1 else "provincies") + ": " + ", ".join(self.provincies)]
                 if self.provincies else []) + (
                [("signaal" if len(self.signalen) == 1 else "signalen") + ": " + ", ".join(label(s) for s in self.signalen)]
                if self.signalen else [])
        return "; ".join(delen) if delen else "geen (alle provincies, alle signalen)"

    def lijst(self, lijst: pd.DataFrame) -> pd.DataFrame:
        """needs_achtervang() rows in the filter (ranks renumbered within it)."""
        out = filtered(lijst, list(self.provincies), list(self.signalen)).copy()
        out["rang"] = range(1, len(out) + 1)
        return out.reset_index(drop=True)

    def waarschuwing(self, waarschuwing: pd.DataFrame) -> pd.DataFrame:
        """early_warning() rows in the filter: in a chosen provincie, for a chosen signal."""
        keep = pd.Series(True, index=waarschuwing.index)
        if self.provincies:
            keep &= waarschuwing["provincienaam"].isin(self.provincies)
        if self.signalen:
            keep &= waarschuwing["signaal"].isin(self.signalen)
        return waarschuwing[keep].reset_index(drop=True)

    def history(self, hist: pd.DataFrame) -> pd.DataFrame:
        """history() restricted to the chosen provincies, with only the chosen signals counting: a gemeente
        'needs' achtervang in the filter when one of the chosen signals fires."""
        h = hist[hist["provincienaam"].isin(self.provincies)] if self.provincies else hist
        if self.signalen:
            h = h.assign(**{s: False for s in SIGNALS if s not in self.signalen})
            h = h.assign(needs=h[list(SIGNALS)].any(axis=1))
        return h

    def slug(self) -> str:
        """For file names: '' without a filter, else e.g. '_zeeland_laag-bereik'."""
        import re

        if not self.actief:
            return ""
        delen = [*self.provincies, *(label(s) for s in self.signalen)]
        return "".join("_" + re.sub(r"[^a-z0-9]+", "-", deel.lower()).strip("-") for deel in delen)

def reasons(item, first: date, peildatum: date, kort: bool = False) -> list[tuple[str, str, str]]:
    """(signal label, since text, sentence) for each signal that fires in one row of needs_achtervang()."""
    return [(label(s), since_text(item[f"sinds_{s}"], first, peildatum, kort), item[f"uitleg_{s}"])
            for s in item["signalen"]]


# --- national picture --------------------------------------------------------------------------------

def national_series(hist: pd.DataFrame) -> pd.DataFrame:
    """Per peildatum: gemeenten needing achtervang, the parents affected there and in all gemeenten,
    and the number of gemeenten per signal. National totals: never suppressed."""
    h = hist.assign(ouders_achtervang=hist["ouders_gedeeld"].where(hist["needs"], 0))
    out = h.groupby("peildatum").agg(
        gemeenten=("needs", "sum"), gemeenten_totaal=("gemeentecode", "count"),
        ouders=("ouders_achtervang", "sum"), ouders_totaal=("ouders_gedeeld", "sum"),
        **{s: (s, "sum") for s in SIGNALS})
    return out.astype("int64")


def national_chart(series: pd.DataFrame):
    """Bars: gemeenten needing achtervang per peildatum; line (right axis): the parents affected there."""
    x = [datum_kort(d.date()) for d in series.index]  # categories: the peildata are not evenly spaced
    traces = [
        dict(type="bar", x=x, y=series["gemeenten"].tolist(), name="Gemeenten met achtervang",
             marker_color=theme.SIGNAAL, hovertemplate="%{x}: %{y} gemeenten<extra></extra>"),
        dict(type="scatter", x=x, y=series["ouders"].tolist(), name=f"{OUDERS} daar", yaxis="y2",
             mode="lines+markers", line={"color": theme.BLAUW, "width": 2},
             hovertemplate="%{x}: %{y:,} ouders<extra></extra>"),
    ]
    return grafiek.figure(
        traces, "", 330, bargap=0.25, showlegend=True, legend={"orientation": "h", "y": 1.12, "x": 0},
        yaxis={"title": {"text": "gemeenten"}, "rangemode": "tozero", "gridcolor": theme.RASTER},
        yaxis2={"title": {"text": "ouders"}, "overlaying": "y", "side": "right", "rangemode": "tozero",
                "showgrid": False, "tickformat": ",d", "tickmode": "auto"},
        xaxis={"type": "category"},
    )

# Map classes, in legend order: the list, the early warning, the rest.
KAART_KLASSEN = {
    "achtervang": ("Achtervang nodig", theme.KAART_SIGNAAL),
    "vroeg": ("Vroegsignalering: binnen twee peildata", theme.KAART_VROEG),
    "geen": ("Geen signaal", theme.KAART_GEEN_SIGNAAL),
    "ander": ("Ander signaal (buiten het filter)", theme.KAART_ANDER),
    "buiten": ("Provincie buiten het filter", theme.KAART_BUITEN),
}


KAART_BEELD = pdk.ViewState(latitude=52.16, longitude=5.3, zoom=5.9, min_zoom=5, max_zoom=11)


def map_frame(hist: pd.DataFrame, peildatum: date, lijst: pd.DataFrame, waarschuwing: pd.DataFrame,
              viewer: Viewer, filter_: Filter = Filter(), alle: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per gemeente for the map: status ('achtervang', 'vroeg', 'geen'; with a filter also 'ander':
    a signal outside the filter (in `alle`, the unfiltered list), and 'buiten': a provincie outside the
    filter) and tooltip texts. `lijst` and `waarschuwing` are the filtered ones. Counts are as the viewer
    may see them."""
    now = hist[hist["peildatum"] == ts(peildatum)]
    out = now[["gemeentecode", "gemeentenaam", "provincienaam", "ouders_gedeeld"]].copy()
    flagged = lijst.set_index("gemeentecode")["signalen"]
    expected = waarschuwing.groupby("gemeentecode")["signaal"].agg(list)
    other = set(alle["gemeentecode"]) - set(flagged.index) if alle is not None else set()
    outside = set(out.loc[~out["provincienaam"].isin(filter_.provincies), "gemeentecode"]) if filter_.provincies else set()
    out["status"] = out["gemeentecode"].map(
        lambda c: "buiten" if c in outside else "achtervang" if c in flagged.index else "vroeg" if c in expected.index
        else "ander" if c in other else "geen")
    out = out.drop(columns="provincienaam")
    out["signalen"] = out["gemeentecode"].map(
        lambda c: ", ".join(label(s) for s in flagged[c]) if c in flagged.index
        else "verwacht: " + ", ".join(label(s) for s in expected[c]) if c in expected.index else "geen signaal")
    out["ouders"] = [aantal(n, viewer.exact_for(c)) for c, n in zip(out["gemeentecode"], out["ouders_gedeeld"])]
    return out.drop(columns="ouders_gedeeld")


def map_deck(frame: pd.DataFrame):
    """The gemeente map of the Regio page (herstelmonitor.kaart), coloured by map_frame()'s status."""
    from herstelmonitor import kaart

    used = {k: v for k, v in KAART_KLASSEN.items() if k in ("achtervang", "vroeg", "geen") or (frame["status"] == k).any()}
    klasse, schaal = kaart.categorieen(frame["status"], used, "Gemeenten op deze peildatum")
    deck = kaart.gemeente_kaart(frame.assign(klasse=klasse), schaal,
                                "<b>{gemeentenaam}</b><br>{signalen}<br>{ouders} getroffen ouders")
    deck.initial_view_state = KAART_BEELD  # the whole country in a column half the page wide
    return deck, schaal

# --- early warning -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Trend:
    """The figure behind a signal and the threshold it crosses. The signal's count condition (at least
    so many parents; for niet_aangesloten: not joined) must hold at each of the last three peildata, so
    the trend is measured on enough parents; only the figure is projected."""
    signal: str
    figure: str          # column of the signal query (or derived, see figures())
    crosses: str         # 'onder' (<), 'boven' (>), 'minstens' (>=) the threshold
    threshold: str       # threshold key
    ready: str           # column that must be >= ready_min now ('' for niet_aangesloten: not joined)
    ready_min: str


TRENDS = (
    Trend("niet_aangesloten", "ouders_gedeeld", "minstens", "niet_aangesloten_min_ouders", "", ""),
    Trend("laag_bereik", "bereik_pct", "onder", "laag_bereik_max_pct", "ouders_bereik_basis", "laag_bereik_min_ouders"),
    Trend("trage_start", "mediaan_dagen_tot_contact", "boven", "trage_start_max_dagen", "ouders_in_contact", "trage_start_min_ouders"),
    Trend("stilstand", "dagen_stil", "minstens", "stilstand_dagen", "ouders_open", "stilstand_min_ouders"),
)


def figures(hist: pd.DataFrame) -> pd.DataFrame:
    """The signal query plus dagen_stil: days from the last contact, plan or completion to the peildatum."""
    return hist.assign(dagen_stil=(hist["peildatum"] - hist["laatste_activiteit"]).dt.days.astype("float64"))


def limits(thresholds: dict) -> dict:
    return {**thresholds, "stilstand_dagen": 7 * int(thresholds["stilstand_weken"])}


def beyond(value: float, trend: Trend, limit: float) -> bool:
    return {"onder": value < limit, "boven": value > limit, "minstens": value >= limit}[trend.crosses]


def project(values: pd.DataFrame) -> tuple[pd.Series, list[pd.Series]]:
    """The early-warning method, per row of `values` (one column per peildatum, the last three): the
    average change per peildatum over those peildata (the slope of the line through the first and the
    last of them, (y3 - y1) / 2), added once for the next peildatum and twice for the one after.
    Returns (slope, [next, after next])."""
    slope = (values.iloc[:, -1] - values.iloc[:, 0]) / (values.shape[1] - 1)
    return slope, [values.iloc[:, -1] + k * slope for k in range(1, HORIZON + 1)]


def early_warning(hist: pd.DataFrame, peildatum: date, thresholds: dict, viewer: Viewer) -> pd.DataFrame:
    """Gemeenten without a signal at `peildatum` that cross a threshold within the coming two peildata
    if the trend of the last three peildata continues (method: `project`; conditions: `Trend`). Most
    parents first.

    One row per gemeente and signal: gemeentecode, gemeentenaam, provincienaam, ouders_gedeeld, ouders,
    signaal, over (1 or 2 peildata), verwacht (the projected figure), waarden (the last three), trend
    (a Dutch sentence). Needs three peildata up to `peildatum`; fewer give an empty frame."""
    lim = limits(thresholds)
    h = figures(hist[hist["peildatum"] <= ts(peildatum)])
    last = sorted(h["peildatum"].unique())[-TREND_PEILDATA:]
    columns = ["gemeentecode", "gemeentenaam", "provincienaam", "ouders_gedeeld", "ouders", "signaal",
               "over", "verwacht", "waarden", "trend"]
    if len(last) < TREND_PEILDATA:
        return pd.DataFrame(columns=columns)
    recent = h[h["peildatum"].isin(last)]
    now = recent[recent["peildatum"] == ts(peildatum)].set_index("gemeentecode")
    quiet = now.index[~now["needs"]]

    def wide(column: pd.Series) -> pd.DataFrame:  # gemeente x the three peildata, quiet gemeenten only
        return recent.assign(_v=column).pivot(index="gemeentecode", columns="peildatum", values="_v").loc[quiet]

    bases = wide(recent["ouders_bereik_basis"])
    rows = []
    for t in TRENDS:
        ready = wide(~recent["aangesloten"] if not t.ready else recent[t.ready] >= lim[t.ready_min])
        values = wide(recent[t.figure])
        values = values[ready.all(axis=1) & values.notna().all(axis=1)].astype("float64")
        slope, ahead = project(values)
        hits = [beyond(a, t, lim[t.threshold]) for a in ahead]
        over = pd.Series(pd.NA, index=values.index, dtype="Int64")
        for k in reversed(range(HORIZON)):  # the earliest peildatum that crosses wins
            over = over.mask(hits[k], k + 1)
        for code in over.dropna().index:
            r, k, exact = now.loc[code], int(over[code]), viewer.exact_for(code)
            figures_ = values.loc[code].tolist()
            rows.append({"gemeentecode": code, "gemeentenaam": r.gemeentenaam, "provincienaam": r.provincienaam,
                         "ouders_gedeeld": int(r.ouders_gedeeld), "ouders": aantal(r.ouders_gedeeld, exact),
                         "signaal": t.signal, "over": k, "verwacht": ahead[k - 1][code], "waarden": figures_,
                         "trend": trend_text(t, figures_, ahead[k - 1][code], k, thresholds, r, exact,
                                             bases.loc[code].tolist())})
    out = pd.DataFrame(rows, columns=columns)
    return zichtbaar_gesorteerd(out, viewer, ["gemeentenaam", "over"], [True, True]).reset_index(drop=True)


def zichtbaar_gesorteerd(out: pd.DataFrame, viewer: Viewer, then: list[str], ascending: list[bool]) -> pd.DataFrame:
    """Most parents first as the viewer sees them (rounded where not exact), then `then`: sorting on the exact
    count would tell the order of gemeenten the viewer sees with the same count."""
    key = [sorteerwaarde(n, viewer.exact_for(c)) for c, n in zip(out["gemeentecode"], out["ouders_gedeeld"])]
    return (out.assign(_volgorde=key).sort_values(["_volgorde", *then], ascending=[False, *ascending])
            .drop(columns="_volgorde"))


def trend_text(t: Trend, values: list, expected: float, over: int, thresholds: dict, now, exact: bool,
               bases: list) -> str:
    """The trend that drives an early warning, in Dutch, from the gemeente's own last three figures."""
    wanneer = VOORUIT[over]
    if t.signal == "niet_aangesloten":
        counts = [aantal(v, exact) for v in values]
        reeks = " → ".join(counts) if exact or all(c == getal(v) for c, v in zip(counts, values)) else f"nu {counts[-1]}"
        return (f"De gemeente is niet aangesloten en het aantal ouders met gedeelde gegevens groeit ({reeks}). "
                f"Gaat dat zo door, dan zijn het er {wanneer} {getal(thresholds['niet_aangesloten_min_ouders'])} "
                f"of meer, genoeg voor het signaal.")
    if t.signal == "laag_bereik":
        shares = [pct_kort(v) if exact else privacy.share_text(privacy.part_of(v, b), b, False,
                                                                   lambda x: pct_kort(round(x, 1)))
                  for v, b in zip(values, bases)]
        reeks = " → ".join(s or "-" for s in shares)
        return (f"Het bereik na {telwoord(int(thresholds['laag_bereik_weken']))} weken daalt ({reeks} op de "
                f"laatste drie peildata). Gaat dat zo door, dan ligt het {wanneer} onder de grens van "
                f"{pct_kort(thresholds['laag_bereik_max_pct'])}"
                + (f" (verwacht {pct_kort(max(expected, 0))})." if exact else "."))
    if t.signal == "trage_start":
        reeks = " → ".join(getal(v, 0 if float(v).is_integer() else 1) for v in values)
        return (f"De mediane tijd van het delen van de gegevens tot het eerste contact loopt op ({reeks} dagen "
                f"op de laatste drie peildata). Gaat dat zo door, dan komt die {wanneer} boven de grens van "
                f"{getal(thresholds['trage_start_max_dagen'])} dagen (verwacht {dagen_precies(round(expected, 1))}).")
    last = as_date(now.laatste_activiteit)
    reeks = " → ".join(getal(v) for v in values)
    return (f"De laatste activiteit (eerste contact, plan van aanpak of afronding) was op {datum(last)}; "
            f"de tijd zonder activiteit loopt op ({reeks} dagen op de laatste drie peildata). Gaat dat zo door, "
            f"dan is er {wanneer} {telwoord(int(thresholds['stilstand_weken']))} weken of langer niets gebeurd "
            f"(verwacht {getal(expected)} dagen).")


# --- exports -----------------------------------------------------------------------------------------

def export_frame(lijst: pd.DataFrame, peildatum: date, viewer: Viewer, filter_: Filter = Filter()) -> pd.DataFrame:
    """The list as a coordinator downloads it: one row per gemeente, Dutch headers, reasons per signal, with
    the peildatum and the filter it was made with on every row."""
    shown = protect(lijst[["gemeentecode", "ouders_gedeeld"]], viewer)
    out = pd.DataFrame({
        "Peildatum": datum_kort(peildatum),
        "Filter": filter_.tekst(),
        "Rang": lijst["rang"],
        "Gemeentecode": lijst["gemeentecode"],
        "Gemeente": lijst["gemeentenaam"],
        "Provincie": lijst["provincienaam"],
        OUDERS_LABEL: shown["ouders_gedeeld"],
        "Aantal signalen": lijst["aantal_signalen"],
        "Signalen": lijst["signalen"].map(lambda fired: ", ".join(label(s) for s in fired)),
    })
    for s in SIGNALS:
        out[f"{label(s)}: toelichting"] = lijst[f"uitleg_{s}"].fillna("")
        out[f"{label(s)}: sinds"] = lijst[f"sinds_{s}"].map(lambda d: datum_kort(d) if d else "")
    return out


def series_frame(series: pd.DataFrame) -> pd.DataFrame:
    """national_series() (filtered or not) for download: one row per peildatum, Dutch headers."""
    out = pd.DataFrame({
        "Stand op peildatum": [datum_kort(d.date()) for d in series.index],
        "Gemeenten die achtervang nodig hebben": series["gemeenten"].to_list(),
        "Gemeenten": series["gemeenten_totaal"].to_list(),
        f"{OUDERS} in die gemeenten": series["ouders"].to_list(),
        "Ouders met gedeelde gegevens": series["ouders_totaal"].to_list(),
    })
    for s in SIGNALS:
        out[f"Gemeenten met {label(s).lower()}"] = series[s].to_list()
    return out


def warning_frame(waarschuwing: pd.DataFrame) -> pd.DataFrame:
    """early_warning() (filtered) for download; its counts are already as the viewer may see them."""
    return pd.DataFrame({
        "Gemeentecode": waarschuwing["gemeentecode"], "Gemeente": waarschuwing["gemeentenaam"],
        "Provincie": waarschuwing["provincienaam"], OUDERS: waarschuwing["ouders"],
        "Verwacht signaal": waarschuwing["signaal"].map(label),
        "Wanneer": waarschuwing["over"].map(VOORUIT), "Trend": waarschuwing["trend"],
    })


def export_name(peildatum: date, thresholds: dict, filter_: Filter = Filter()) -> str:
    return f"achtervang_{peildatum.isoformat()}" + filter_.slug() + ("_eigen-drempels" if changed(thresholds) else "")


TEMPLATES = Path(__file__).resolve().parent / "templates"


def printable_summary(*, peildatum: date, thresholds: dict, lijst: pd.DataFrame, waarschuwing: pd.DataFrame,
                      series: pd.DataFrame, first: date, aangemaakt: datetime | None = None, top: int = 5,
                      filter_: Filter = Filter()) -> str:
    """A self-contained HTML page (no outside resources) that prints on one A4 page at the default
    thresholds: the date, the thresholds in use, the key figures, the top gemeenten with their reasons
    as sentences, every other flagged gemeente with since when each signal fires, and the early warning.
    Counts in `lijst`/`waarschuwing` are already as the viewer may see them (needs_achtervang()). With a
    filter, `lijst`, `waarschuwing` and `series` are the filtered ones and the page says which filter. Rendered
    from templates/achtervang_afdruk.html with autoescaping, so no value can inject markup."""
    aangemaakt = aangemaakt or datetime.now()
    land = series.loc[ts(peildatum)]
    own = changed(thresholds)
    afwijking = ("Dit zijn de standaarddrempels uit de configuratie." if not own else
                 "Let op, aangepaste drempels: " + "; ".join(
                     f"{th.label.lower()} {own[th.key][0]} (standaard {own[th.key][1]})"
                     for th in THRESHOLDS if th.key in own) + ".")
    share = 100 * land["ouders"] / land["ouders_totaal"] if land["ouders_totaal"] else 0
    records = lijst.to_dict("records")
    rest = [{"rang": it["rang"], "naam": it["gemeentenaam"], "ouders": str(it["ouders"]),
             "sinds": [datum_kort(it[f"sinds_{s}"]) if it[f"sinds_{s}"] else "" for s in SIGNALS]}
            for it in records[top:]]
    per = -(-len(rest) // 2)  # two tables side by side
    n = min(top, len(records))
    return _environment().get_template("achtervang_afdruk.html").render(
        peildatum=datum(peildatum), gemaakt_op=datum(aangemaakt.date()), gemaakt_om=f"{aangemaakt:%H:%M}",
        kleur=theme.BLAUW, gemeenten=getal(land["gemeenten"]), gemeenten_totaal=getal(land["gemeenten_totaal"]),
        ouders=getal(land["ouders"]), ouders_totaal=getal(land["ouders_totaal"]), aandeel=pct_kort(round(share, 1)),
        ouders_naam=OUDERS.lower(), ouders_label=OUDERS, vroeg_aantal=getal(waarschuwing["gemeentecode"].nunique()),
        drempels=[(label(s), definition(s, thresholds)) for s in SIGNALS], afwijking=afwijking,
        top_kop=("Geen gemeenten met een signaal" if not records
                 else f"De {telwoord(n)} gemeenten met de meeste {OUDERS.lower()}"),
        top=[{"naam": it["gemeentenaam"], "provincie": it["provincienaam"], "ouders": str(it["ouders"]),
              "redenen": reasons(it, first, peildatum, kort=True)} for it in records[:top]],
        overige=[rest[i:i + per] for i in range(0, len(rest), per)] if rest else [], overige_aantal=getal(len(rest)),
        signalen=[label(s) for s in SIGNALS],
        vroeg=[{"naam": w["gemeentenaam"], "ouders": str(w["ouders"]), "signaal": label(w["signaal"]),
                "wanneer": VOORUIT[w["over"]]} for w in waarschuwing.to_dict("records")],
        privacy_uitleg=privacy.uitleg(), filter_tekst=filter_.tekst(),
        in_filter=" in het filter" if filter_.actief else "",
        welk_signaal="van de gekozen signalen" if filter_.signalen else "achtervangsignaal")


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                              undefined=jinja2.StrictUndefined)
