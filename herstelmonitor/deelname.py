"""Deelname gemeenten: who takes part, how far support reaches, and the support funnel per gemeente.

Every per-gemeente figure comes from the stored metrics table (herstelmonitor.metrics) and the signals;
the provincie and peer-group groupings from queries/deelname_steun.sql. Every per-gemeente figure a page
shows or exports passes through privacy.protect() with the page's viewer, which reads the catalogue.
"""
from dataclasses import dataclass, field
from datetime import date

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from herstelmonitor import config, metrics
from herstelmonitor.format import LEEG, MAANDEN, datum, getal, metric_value, pct
from herstelmonitor.gedeeld import per_version
from herstelmonitor.privacy import protect
from herstelmonitor.queries import metric, run, signal_definitions

# Size classes by inhabitants: (lower bound, label). Defined here only; the SQL gets the bounds.
GROOTTEKLASSEN = (
    (0, "minder dan 20.000 inwoners"),
    (20_000, "20.000 tot 50.000 inwoners"),
    (50_000, "50.000 tot 100.000 inwoners"),
    (100_000, "100.000 inwoners of meer"),
)
GROOTTEKLASSEN_KORT = ("< 20.000", "20.000–50.000", "50.000–100.000", "≥ 100.000")

LEEFGEBIEDEN = {
    "financien": "Financiën en schulden",
    "wonen": "Wonen",
    "werk": "Werk en inkomen",
    "zorg": "Zorg en gezondheid",
    "gezin": "Gezin en opvoeding",
}

# The support funnel, in order: from details shared to finished, then the two ways out.
FUNNEL = ("gegevens_gedeeld", "in_contact", "plan_van_aanpak", "ondersteuning_loopt", "afgerond",
          "hulp_afgewezen", "niet_bereikbaar")
COMPENSATIE = ("aangemeld", "eerste_toets_afgerond", "erkend_gedupeerd", "forfait_betaald",
               "integrale_beoordeling_afgerond", "wachtend_op_eerste_toets")
LG_PCT = tuple(f"lg_{k}_pct" for k in LEEFGEBIEDEN)
# Parent experience (the survey): column -> its kind in the metric catalogue.
ERVARING = {"antwoorden": "count", "geholpen_pct": "percentage", "deels_pct": "percentage", "rapportcijfer_gem": "ratio"}

# Numbers in the gemeente table are text ("<5" and "-" are not numbers), padded on the left with figure
# spaces to one width, so that a click on a column header (which compares text) sorts them by value.
FIGURE_SPACE = "\u2007"

ALLE_SIGNALEN = "elk"
ALLE_PROVINCIES = "Alle provincies"


def size_class_bounds() -> list[int]:
    return [bound for bound, _ in GROOTTEKLASSEN[1:]]


def label(name: str) -> str:
    """The Dutch label of a catalogued figure (spec or page)."""
    return metric(name).label


def definition(name: str) -> str:
    return metric(name).definition


def steun(con, van: date, tot: date) -> pd.DataFrame:
    """queries/deelname_steun.sql: support per gemeente, peer group, provincie and national."""
    return run(con, "deelname_steun", van=van, tot=tot, bereik_weken=config.reach_weeks(),
               grenzen=size_class_bounds())


def history(con, van: date, tot: date) -> pd.DataFrame:
    """The national metrics per peildatum in [van, tot] (index: peildatum), as ingest stored them."""
    return metrics.national(con, van, tot)


@dataclass
class Gemeenten:
    """The figures at one peildatum: `table` has one row per gemeente of the reference list (index: code),
    exact; `onbekend` the parents without a known gemeente; `national` the spec's national metrics;
    `groups` the peer-group, provincie and national rows of deelname_steun.sql."""
    table: pd.DataFrame
    onbekend: pd.Series
    national: pd.Series
    groups: pd.DataFrame


@per_version
def gemeenten(con, peildatum: date) -> Gemeenten:
    """The figures of every gemeente at one peildatum (exact: suppression follows per viewer), computed once
    per data version and peildatum for all sessions."""
    spec = metrics.metric_table(con, peildatum, peildatum).drop(columns="peildatum")
    national = metrics.fill_counts(spec[spec["gemeente"].isna()]).iloc[0]
    rows = steun(con, peildatum, peildatum)
    eigen = rows[rows["niveau"] == "gemeente"].set_index("gemeente")
    signals = metrics.signals(con, peildatum, peildatum).set_index("gemeentecode")
    attrs = ["gemeentenaam", "provincie", "corop", "inwoners", "klasse"]
    table = eigen[attrs].join(spec[spec["gemeente"].notna()].set_index("gemeente"), how="outer")
    table = metrics.fill_counts(table)
    table.index.name = "gemeentecode"
    table["aangesloten"] = table["gemeenten_aangesloten"] == 1
    fired = [[s for s, on in zip(metrics.SIGNALS, flags) if on]
             for flags in zip(*(signals[s] for s in metrics.SIGNALS))]
    table["signalen"] = pd.Series(fired, index=signals.index).reindex(table.index)
    onbekend = table.loc[metrics.ONBEKEND] if metrics.ONBEKEND in table.index else pd.Series(dtype=object)
    table = table.drop(index=metrics.ONBEKEND, errors="ignore")
    table["klasse"] = table["klasse"].astype("int64")
    table = ervaring_columns(con, table, peildatum)
    table = table.sort_values("gemeentenaam", key=lambda names: names.str.lstrip("'").str.lower())
    return Gemeenten(table, onbekend, national, rows[rows["niveau"] != "gemeente"])


def ervaring_columns(con, table: pd.DataFrame, peildatum: date) -> pd.DataFrame:
    """Parent experience beside the process figures: the stored metrics (ERVARING) as text where there is
    no figure ("geen meting", "te weinig antwoorden"), and the answer counts behind the shares (ja, deels,
    nee) so that protected() can hide a share that would give a small count away."""
    from herstelmonitor import ervaring

    measured = peildatum in ervaring.measured(con)
    counts = ervaring.groups(con, peildatum, peildatum) if measured else pd.DataFrame(
        columns=["niveau", "gemeente", "ja", "deels", "nee"])
    counts = counts[counts["niveau"] == "gemeente"].set_index("gemeente")[["ja", "deels", "nee"]]
    out = table.join(counts, how="left")
    out[["ja", "deels", "nee"]] = out[["ja", "deels", "nee"]].fillna(0).astype("int64")

    def shown(value, kind: str, answers: int):
        if kind == "count":
            return value if measured else ervaring.GEEN_METING
        if not measured or answers < ervaring.min_answers() or pd.isna(value):
            return ervaring.text(value, kind, answers, measured)
        return value

    answers = out["antwoorden"].tolist()
    for col, kind in ERVARING.items():
        out[col] = [shown(v, kind, n) for v, n in zip(out[col], answers)]
    return out


# --- Filters ------------------------------------------------------------------------------------------

@dataclass
class Filters:
    provincie: str | None = None
    coropen: list[str] = field(default_factory=list)
    klassen: list[int] = field(default_factory=list)
    signaal: str | None = None  # a signal name, ALLE_SIGNALEN for any signal, None for every gemeente
    zoek: str = ""


def apply(table: pd.DataFrame, f: Filters) -> pd.DataFrame:
    """The rows that pass the filters. Filters use only what every viewer may see: names, regions,
    size class and signals, never a suppressed figure."""
    keep = pd.Series(True, index=table.index)
    if f.provincie:
        keep &= table["provincie"] == f.provincie
    if f.coropen:
        keep &= table["corop"].isin(f.coropen)
    if f.klassen:
        keep &= table["klasse"].isin(f.klassen)
    if f.signaal == ALLE_SIGNALEN:
        keep &= table["signalen"].map(bool)
    elif f.signaal:
        keep &= table["signalen"].map(lambda fired: f.signaal in fired)
    if f.zoek.strip():
        keep &= table["gemeentenaam"].str.contains(f.zoek.strip(), case=False, regex=False)
    return table[keep]


# --- Privacy and presentation ---------------------------------------------------------------------------

def protected(frame: pd.DataFrame, viewer, code: str = "gemeentecode") -> pd.DataFrame:
    """privacy.protect() on a frame whose gemeente code may be its index. `code` names the gemeente column
    (a column of None asks the viewer about an aggregate). Experience shares that would give a small count
    of answers away are hidden too (herstelmonitor.ervaring)."""
    from herstelmonitor import ervaring

    frame = frame.reset_index() if code not in frame.columns else frame
    return ervaring.hide_small_parts(ervaring.with_parts(protect(frame, viewer, code=code)), viewer, ervaring.PARTS,
                                     code=code)


@dataclass(frozen=True)
class Kolom:
    """A column of the gemeente table as shown and exported."""
    col: str
    header: str
    kind: str  # 'tekst', or the catalogue kind of the figure
    help: str = ""


# Short labels for table headers, tiles and legends (the full label and definition go in the help).
KORT = {"gegevens_gedeeld": "Gegevens gedeeld", "in_contact": "In contact", "plan_van_aanpak": "Plan van aanpak",
               "ondersteuning_loopt": "Ondersteuning loopt", "afgerond": "Afgerond", "hulp_afgewezen": "Hulp afgewezen",
               "niet_bereikbaar": "Niet bereikbaar", "bereik_pct": "Bereik na 8 weken",
               "doorlooptijd_contact_mediaan": "Dagen tot contact"}
LEEFGEBIEDEN_KORT = {"financien": "Financiën", "wonen": "Wonen", "werk": "Werk", "zorg": "Zorg", "gezin": "Gezin"}
INWONERS_HELP = "Inwoners op 1 januari 2023 (CBS)."


def table_columns() -> list[Kolom]:
    """The gemeente table, in the order shown: what a coordinator looks at first comes first."""
    m = {name: metric(name).definition for name in (
        "gemeenten_aangesloten", "bereik_pct", "doorlooptijd_contact_mediaan", *FUNNEL, *LG_PCT, *ERVARING)}
    return [
        Kolom("gemeentenaam", "Gemeente", "tekst"),
        Kolom("provincie", "Provincie", "tekst"),
        Kolom("aangesloten", "Aangesloten", "tekst", m["gemeenten_aangesloten"]),
        Kolom("bereik_pct", "Bereik na 8 weken (%)", "percentage", m["bereik_pct"]),
        Kolom("doorlooptijd_contact_mediaan", "Dagen tot contact (mediaan)", "days", m["doorlooptijd_contact_mediaan"]),
        Kolom("signalen", "Signalen", "tekst", "Achtervangsignalen die afgaan; de definities staan op Over de cijfers."),
        Kolom("geholpen_pct", "Voelt zich geholpen (%)", "percentage", m["geholpen_pct"]),
        Kolom("deels_pct", "Deels geholpen (%)", "percentage", m["deels_pct"]),
        Kolom("rapportcijfer_gem", "Rapportcijfer", "ratio", m["rapportcijfer_gem"]),
        Kolom("antwoorden", "Antwoorden enquête", "count", m["antwoorden"]),
        *(Kolom(c, KORT[c], "count", m[c]) for c in FUNNEL),
        *(Kolom(f"lg_{k}_pct", f"{LEEFGEBIEDEN_KORT[k]} (%)", "percentage", m[f"lg_{k}_pct"]) for k in LEEFGEBIEDEN),
        Kolom("corop", "COROP-regio", "tekst"),
        Kolom("klasse", "Grootteklasse", "tekst", INWONERS_HELP),
        Kolom("inwoners", "Inwoners", "count", INWONERS_HELP),
    ]


def signal_text(fired: list[str]) -> str:
    labels = signal_definitions()
    return ", ".join(labels[s][0] for s in fired)


def cell_text(kolom: Kolom, value):
    """A text column's value as shown."""
    if kolom.col == "aangesloten":
        return "ja" if value else "nee"
    if kolom.col == "signalen":
        return signal_text(value)
    if kolom.col == "klasse":
        return GROOTTEKLASSEN_KORT[value]
    return value


def export_value(value, kind: str):
    """A protected number for a spreadsheet: markers ("<5", "-") stay text, numbers rounded as shown."""
    if isinstance(value, str) or pd.isna(value):
        return value
    return round(float(value), 1) if kind in ("percentage", "ratio") else int(round(value))


def export_frame(shown: pd.DataFrame) -> pd.DataFrame:
    """The table as shown (rows and columns), for CSV and Excel, with the gemeentecode in front."""
    out = {"Gemeentecode": shown["gemeentecode"]}
    for k in table_columns():
        out[k.header] = shown[k.col].map(
            (lambda v, k=k: cell_text(k, v)) if k.kind == "tekst" else (lambda v, k=k: export_value(v, k.kind)))
    return pd.DataFrame(out).reset_index(drop=True)


def sortable(texts: pd.Series) -> list[str]:
    """Number texts that sort by value as text: right-aligned with figure spaces (which sort before every
    digit and mark). "<5" is padded as one character, so that it sorts below every shown number; a hidden
    or missing value ("-", "–") sorts first."""
    lengths = [len(t) - t.startswith("<") for t in texts]
    width = max(lengths, default=0)
    return [FIGURE_SPACE * (width - n) + t for t, n in zip(texts, lengths)]


def text(value, kind: str) -> str:
    """One protected cell as shown: suppression marks stay, numbers by their catalogue kind."""
    return value if isinstance(value, str) else metric_value(kind, value)


def number_text(value, kind: str) -> str:
    """A protected number as the table shows it (days without the word: the header says it)."""
    if isinstance(value, str):
        return value
    return getal(value) if kind == "days" else metric_value(kind, value)


def page_link(code: str, peildatum: date) -> str:
    """The shareable address of a gemeente's page, relative to the app."""
    return f"gemeente?gemeente={code}&peildatum={peildatum.isoformat()}"


def display_table(shown: pd.DataFrame, peildatum: date) -> tuple[pd.DataFrame, dict]:
    """(frame, column_config) for st.dataframe: every cell the protected text that is shown, so that what
    is sorted, copied or read aloud is what the page shows; numbers right-aligned and sortable."""
    cells, config_ = {}, {}
    for k in table_columns():
        if k.kind == "tekst":
            cells[k.header] = shown[k.col].map(lambda v, k=k: cell_text(k, v))
            config_[k.header] = st.column_config.TextColumn(k.header, help=k.help or None,
                                                            width="medium" if k.col == "signalen" else None)
        else:
            cells[k.header] = sortable(shown[k.col].map(lambda v, k=k: number_text(v, k.kind)))
            config_[k.header] = st.column_config.TextColumn(k.header, help=k.help, alignment="right")
        if k.col == "gemeentenaam":
            cells["Pagina"] = [page_link(c, peildatum) for c in shown["gemeentecode"]]
    # Not pinned: Streamlit draws pinned cells in a faded grey (about 3.9:1), below WCAG's 4.5:1.
    config_["Gemeente"] = st.column_config.TextColumn("Gemeente", width="medium")
    config_["Pagina"] = st.column_config.LinkColumn(
        "Pagina", display_text="Openen", width="small", help="Open de pagina van deze gemeente (een link om te delen).")
    return pd.DataFrame(cells).reset_index(drop=True), config_


# --- Charts ---------------------------------------------------------------------------------------------
# Each chart is built in one go (plotly validates every update, which is slow), with Dutch number
# separators and labels. Values are protected: a "<5" or "-" draws nothing and its text shows instead.

BLAUW, GRIJS, ORANJE, ROOD = "#154273", "#8fa3bf", "#e17000", "#d52b1e"
KLEUREN = (BLAUW, ORANJE, "#39870c", "#a90061", GRIJS, "#777c00", "#01689b")
GRID = "#e6e6e6"


def number(value) -> float | None:
    """A protected value as a chart coordinate: None when hidden or missing."""
    return None if isinstance(value, str) or pd.isna(value) else float(value)


def figure(traces: list, title: str, height: int = 320, shapes: list | None = None,
           annotations: list | None = None, **layout) -> go.Figure:
    base = dict(
        title=dict(text=title, font=dict(size=15), y=0.98, yref="container", yanchor="top"), separators=",.",
        height=height, plot_bgcolor="white", margin=dict(l=10, r=10, t=50, b=10), hovermode="closest",
        showlegend=len(traces) > 1, legend=dict(orientation="h", yanchor="top", y=-0.14, x=0),
        shapes=shapes or [], annotations=annotations or [],
    )
    return go.Figure(data=traces, layout=base | layout)


def reference_line(value: float, label: str, color: str, axis: str = "y", dash: str = "dash") -> tuple[dict, dict]:
    """A horizontal (axis 'y') or vertical ('x') reference line across the plot, with its label."""
    if axis == "y":
        line = dict(type="line", xref="paper", x0=0, x1=1, y0=value, y1=value)
        note = dict(xref="paper", x=0, y=value, xanchor="left", yanchor="bottom")
    else:
        line = dict(type="line", yref="paper", y0=0, y1=1, x0=value, x1=value)
        note = dict(yref="paper", y=1, x=value, xanchor="left", yanchor="bottom")
    return (line | dict(line=dict(color=color, dash=dash, width=1.5)),
            note | dict(text=label, showarrow=False, font=dict(color=color, size=12)))


def date_axis(dates: list[date]) -> dict:
    """Date axis with Dutch month names (plotly writes English ones): a tick at each June and December."""
    ticks = [d for d in dates if d.month in (6, 12)] or list(dates)
    return dict(tickvals=ticks, ticktext=[f"{MAANDEN[d.month - 1][:3]} {d.year}" for d in ticks], gridcolor=GRID)


def line_chart(frame: pd.DataFrame | pd.Series, title: str, kind: str, threshold: float | None = None,
               threshold_label: str = "", height: int = 320) -> go.Figure:
    """Measures over the peildata: index dates, one column (series label) per line, protected values."""
    frame = frame.to_frame(title) if isinstance(frame, pd.Series) else frame
    dates = [d.date() if hasattr(d, "date") else d for d in frame.index]
    traces = [go.Scatter(
        x=dates, y=[number(v) for v in frame[col]], mode="lines+markers", name=col, connectgaps=False,
        line=dict(color=color, width=2), marker=dict(size=4),
        customdata=[[datum(d), text(v, kind)] for d, v in zip(dates, frame[col])],
        hovertemplate=f"{col}<br>%{{customdata[0]}}: <b>%{{customdata[1]}}</b><extra></extra>",
    ) for col, color in zip(frame.columns, KLEUREN)]
    shapes, notes = [], []
    if threshold is not None:
        line, note = reference_line(threshold, threshold_label, ROOD)
        shapes, notes = [line], [note]
    yaxis = dict(gridcolor=GRID, rangemode="tozero", tickformat=",d")
    if kind == "percentage":
        yaxis |= dict(range=[0, 100], ticksuffix="%")
    return figure(traces, title, height, shapes, notes, xaxis=date_axis(dates), yaxis=yaxis)


def provincie_chart(prov: pd.DataFrame, national: float, threshold: float) -> go.Figure:
    """Reach per provincie (pooled over its parents), lowest first, with the national figure."""
    prov = prov.sort_values("bereik_pct")
    bars = go.Bar(
        x=[number(v) for v in prov["bereik_pct"]], y=prov["provincie"], orientation="h", marker_color=BLAUW,
        text=[text(v, "percentage") for v in prov["bereik_pct"]], textposition="outside", cliponaxis=False,
        customdata=[[text(b, "count")] for b in prov["bereik_basis"]],
        hovertemplate="%{y}: <b>%{text}</b> van %{customdata[0]} ouders<extra></extra>",
    )
    land, land_note = reference_line(national, f"Nederland {pct(national)}", ORANJE, axis="x", dash="solid")
    grens, grens_note = reference_line(threshold, f"signaalgrens {getal(threshold)}%", ROOD, axis="x")
    grens_note |= dict(xanchor="right")
    return figure([bars], "Bereik na acht weken per provincie", 440, [land, grens], [land_note, grens_note],
                  xaxis=dict(range=[0, 110], ticksuffix="%", gridcolor=GRID), yaxis=dict(automargin=True))


def bar_chart(series: dict[str, dict], columns: dict[str, str], title: str, kind: str, axis_title: str = "",
              height: int | None = None) -> go.Figure:
    """Horizontal bars, one group per entry of `columns` (column -> label), one colour per series
    (series name -> {column: protected value}); the first column on top."""
    labels = list(columns.values())[::-1]
    # Plotly draws the first trace of a horizontal group at the bottom: add them in reverse, so that the
    # first series is on top, and reverse the legend to match.
    traces = [go.Bar(  # a hidden value ("<5", "-") gets a bar of length 0, so that its text still shows
        x=[0.0 if isinstance(values[c], str) else number(values[c]) for c in list(columns)[::-1]], y=labels,
        orientation="h", name=name,
        marker_color=color, text=[text(values[c], kind) for c in list(columns)[::-1]], textposition="outside",
        cliponaxis=False, hovertemplate=f"{name}<br>%{{y}}: <b>%{{text}}</b><extra></extra>",
    ) for (name, values), color in list(zip(series.items(), (BLAUW, GRIJS, ORANJE)))[::-1]]
    xaxis = dict(gridcolor=GRID, title=axis_title, tickformat=",d")
    if kind == "percentage":
        xaxis |= dict(range=[0, 112], ticksuffix="%")
    else:  # room for the text beside the longest bar
        longest = max((x for t in traces for x in t.x if x is not None), default=0)
        xaxis |= dict(range=[0, max(1.0, longest) * 1.3])
    height = height or 110 + len(columns) * (22 + 18 * len(series))
    return figure(traces, title, height, barmode="group", xaxis=xaxis, yaxis=dict(automargin=True),
                  legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0, traceorder="reversed"),
                  margin=dict(l=10, r=30, t=90 if len(series) > 1 else 50, b=10))


def leefgebieden_chart(series: dict[str, dict], title: str) -> go.Figure:
    """How often each life domain comes up: % of the parents in contact with the gemeente."""
    return bar_chart(series, {f"lg_{k}_pct": v for k, v in LEEFGEBIEDEN.items()}, title, "percentage",
                     "% van de ouders met wie de gemeente contact heeft gehad")


def funnel_chart(values: dict, title: str) -> go.Figure:
    """The support funnel at one peildatum, in FUNNEL order."""
    return bar_chart({"Ouders": values}, {c: label(c) for c in FUNNEL}, title, "count", "ouders")


def provincies(g: Gemeenten) -> pd.DataFrame:
    """Reach and lead time per provincie (pooled over its parents, not averaged over its gemeenten), with
    how many of its gemeenten joined (the sum of the spec's per-gemeente gemeenten_aangesloten).
    Parents without a known gemeente form the row 'Onbekend'."""
    prov = g.groups[g.groups["niveau"] == "provincie"].copy()
    prov["provincie"] = prov["provincie"].fillna("Onbekend")
    joined = g.table.groupby("provincie")["gemeenten_aangesloten"].sum().rename("aangesloten")
    cols = ["provincie", "gemeenten", "bereik_pct", "doorlooptijd_contact_mediaan", "doorlooptijd_contact_p90",
            "bereik_basis", "in_contact"]
    return prov[cols].merge(joined, left_on="provincie", right_index=True, how="left").reset_index(drop=True)


def provincie_rows(prov: pd.DataFrame, viewer) -> pd.DataFrame:
    """The provincie table as shown (groups of parents: protected like an aggregate, code None)."""
    shown = protected(prov.assign(code=None), viewer, code="code")
    return pd.DataFrame({
        "Provincie": shown["provincie"],
        "Aangesloten": [f"{getal(a)} van {getal(n)}" if pd.notna(a) else LEEG for a, n in zip(shown["aangesloten"], shown["gemeenten"])],
        "Bereik": shown["bereik_pct"].map(lambda v: text(v, "percentage")),
        "Dagen (mediaan)": shown["doorlooptijd_contact_mediaan"].map(lambda v: text(v, "count")),
        "Dagen (90%)": shown["doorlooptijd_contact_p90"].map(lambda v: text(v, "count")),
    })


def onbekend_text(row: pd.Series, viewer) -> str:
    """The parents without a known gemeente: not in the gemeente table, but in every national figure."""
    shown = protected(pd.DataFrame([row]).assign(gemeentecode="onbekend"), viewer).iloc[0]
    return ("Ouders zonder bekende gemeente (niet in de tabel, wel in de landelijke cijfers): "
            f"{text(shown['aangemeld'], 'count')} aangemeld, {text(shown['gegevens_gedeeld'], 'count')} met "
            f"gedeelde gegevens, {text(shown['in_contact'], 'count')} in contact.")
