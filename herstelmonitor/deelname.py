"""Deelname gemeenten: who takes part, how far support reaches, and the support funnel per gemeente.

Every per-gemeente figure comes from the stored metrics table (herstelmonitor.metrics) and the signals;
the provincie and peer-group groupings from queries/deelname_steun.sql. Every per-gemeente figure a page
shows or exports passes through privacy.protect() with the page's viewer, which reads the catalogue.
"""
from dataclasses import dataclass, field
from datetime import date

import pandas as pd
import streamlit as st

from herstelmonitor import metrics
from herstelmonitor.format import LEEG, getal, metric_value
from herstelmonitor.gedeeld import per_version
from herstelmonitor.ondersteuning import (  # noqa: F401 (the page and the tests read them here too)
    COMPENSATIE, FUNNEL, GROOTTEKLASSEN, GROOTTEKLASSEN_KORT, LEEFGEBIEDEN, LG_PCT, history, size_class_bounds,
    steun)
from herstelmonitor.privacy import protect
from herstelmonitor.queries import metric, signal_definitions

# Parent experience (the survey): column -> its kind in the metric catalogue.
ERVARING = {"antwoorden": "count", "geholpen_pct": "percentage", "deels_pct": "percentage", "rapportcijfer_gem": "ratio"}

# Numbers in the gemeente table are text ("<5" and "-" are not numbers), padded on the left with figure
# spaces to one width, so that a click on a column header (which compares text) sorts them by value.
FIGURE_SPACE = "\u2007"

ALLE_SIGNALEN = "elk"
ALLE_PROVINCIES = "Alle provincies"


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


@per_version
def getoond(con, peildatum: date, viewer) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """(protected table, its cells as shown, column config) of every gemeente for this viewer's role class,
    computed once per data version, peildatum and role class (gedeeld.per_version). The page takes the rows
    its filters keep from these: protection works per row and the filters use only what every viewer may
    see, so filtering after protecting gives what protecting the filtered rows gives."""
    shown = protected(gemeenten(con, peildatum).table, viewer)
    cells, columns = display_table(shown, peildatum)
    return shown, cells, columns


def getoond_voor(con, peildatum: date, viewer, gekozen: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """getoond() for the rows of `gekozen` (the filtered table, index gemeentecode), in the table's order."""
    shown, cells, columns = getoond(con, peildatum, viewer)
    keep = shown["gemeentecode"].isin(gekozen.index).to_numpy()
    return shown[keep], cells[keep].reset_index(drop=True), columns


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
    # Experience shares first, from their exact parts (rounded for a non-exact viewer); then the catalogue's
    # figures: counts rounded, percentages from rounded counts, days hidden on a small base.
    frame = ervaring.hide_small_parts(ervaring.with_parts(frame), viewer, ervaring.PARTS, code=code)
    return protect(frame, viewer, code=code)


@dataclass(frozen=True)
class Kolom:
    """A column of the gemeente table as shown and exported."""
    col: str
    header: str
    kind: str  # 'tekst', or the catalogue kind of the figure
    help: str = ""


INWONERS_HELP = "Inwoners op 1 januari 2023 (CBS)."


def figuur(name: str) -> Kolom:
    m = metric(name)
    return Kolom(name, m.label, m.kind, m.definition)


def table_columns() -> list[Kolom]:
    """The gemeente table, in the order shown: what a coordinator looks at first comes first. A figure's
    header is its name in the catalogue (the glossary), its help the definition."""
    return [
        Kolom("gemeentenaam", "Gemeente", "tekst"),
        Kolom("provincie", "Provincie", "tekst"),
        Kolom("aangesloten", "Aangesloten", "tekst", metric("gemeenten_aangesloten").definition),
        figuur("bereik_pct"),
        figuur("doorlooptijd_contact_mediaan"),
        Kolom("signalen", "Signalen", "tekst", "Achtervangsignalen die afgaan; de definities staan op Over de cijfers."),
        *(figuur(c) for c in ERVARING if c != "antwoorden"),
        figuur("antwoorden"),
        *(figuur(c) for c in FUNNEL),
        *(figuur(c) for c in LG_PCT),
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
    or missing value (format.LEEG) sorts first."""
    lengths = [len(t) - t.startswith("<") for t in texts]
    width = max(lengths, default=0)
    return [FIGURE_SPACE * (width - n) + t for t, n in zip(texts, lengths)]


def text(value, kind: str) -> str:
    """One protected cell as shown: suppression marks stay, numbers by their catalogue kind."""
    return value if isinstance(value, str) else metric_value(kind, value)


def number_text(value, kind: str) -> str:
    """A protected number as the table shows it."""
    return text(value, kind)


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
        **{metric(c).label: shown[c].map(lambda v, c=c: text(v, metric(c).kind))
           for c in ("bereik_pct", "doorlooptijd_contact_mediaan", "doorlooptijd_contact_p90")},
    })


def onbekend_text(row: pd.Series, viewer) -> str:
    """The parents without a known gemeente: not in the gemeente table, but in every national figure."""
    shown = protected(pd.DataFrame([row]).assign(gemeentecode="onbekend"), viewer).iloc[0]
    return ("Ouders zonder bekende gemeente (niet in de tabel, wel in de landelijke cijfers): "
            f"{text(shown['aangemeld'], 'count')} aangemeld, {text(shown['gegevens_gedeeld'], 'count')} met "
            f"gedeelde gegevens, {text(shown['in_contact'], 'count')} in contact.")
