"""Buiten de boot: where registered parents fall out of reach, as one funnel from registered to reached.

Every registered parent is counted once, at the first way out that applies (queries/buiten_de_boot.sql):
details not shared (no gemeente known, help refused, or no reason in the extract), no contact eight weeks
after sharing, unreachable, help declined (their own choice: not out of reach), past the legal term without
a decision, or living in a gemeente that is not aangesloten or needs achtervang (signals from
queries/signalen.sql, default thresholds). What is left is reached, or shared less than eight weeks ago.

National figures are never suppressed; per-gemeente figures (and the group with unknown residence) pass
through privacy.protect() with the page's viewer.
"""
import re
from dataclasses import dataclass
from datetime import date

import pandas as pd

from herstelmonitor import config, metrics, privacy
from herstelmonitor.format import LEEG, datum_kort, getal, pct, signed
from herstelmonitor.gedeeld import per_version
from herstelmonitor.privacy import Viewer, protect, sorteerwaarde
from herstelmonitor.queries import metrics as documented, run, run_per_peildatum

ONBEKEND = metrics.ONBEKEND
GEMEENTE_PAGE = "pages/gemeente.py"


@dataclass(frozen=True)
class Stap:
    col: str     # column of queries/buiten_de_boot.sql
    kort: str    # short Dutch label for tables and charts
    soort: str   # 'uit' (a way out of reach), 'keuze' (help declined), 'binnen' (still in reach)


STAPPEN = (
    Stap("bdb_geen_gemeente", "Niet gedeeld: geen gemeente bekend", "uit"),
    Stap("bdb_geweigerd", "Niet gedeeld: hulp geweigerd", "uit"),
    Stap("bdb_niet_gedeeld", "Niet gedeeld: reden onbekend", "uit"),
    Stap("bdb_geen_contact", f"Geen contact na {config.reach_weeks()} weken", "uit"),
    Stap("bdb_niet_bereikbaar", "Niet bereikbaar", "uit"),
    Stap("bdb_hulp_afgewezen", "Hulp afgewezen (eigen keuze)", "keuze"),
    Stap("bdb_over_termijn", "Over de wettelijke termijn", "uit"),
    Stap("bdb_zonder_aanpak", "In gemeente zonder aanpak", "uit"),
    Stap("bdb_nog_binnen_8_weken", f"Gedeeld, nog binnen {config.reach_weeks()} weken", "binnen"),
    Stap("bdb_bereikt", "Bereikt", "binnen"),
)
UIT = tuple(s.col for s in STAPPEN if s.soort == "uit")
KOLOMMEN = tuple(s.col for s in STAPPEN)
BUITEN = "buiten_bereik"  # the sum of the ways out (UIT), in the query
KORT = {s.col: s.kort for s in STAPPEN} | {"bdb_aangemeld": "Aangemeld", BUITEN: "Buiten bereik"}
SOORT = {s.col: s.soort for s in STAPPEN} | {BUITEN: "uit"}


def definitie(col: str) -> str:
    """The Dutch definition of a step, from its `-- @metric` line in the query."""
    return {m.name: m.definition for m in documented("buiten_de_boot")}[col]


# --- the figures ---------------------------------------------------------------------------------------

def zonder_aanpak(con, van: date, tot: date) -> list[str]:
    """'YYYY-MM-DD/GMxxxx' for every gemeente and peildatum in [van, tot] where the gemeente is not
    aangesloten or at least one achtervang signal fires (queries/signalen.sql, default thresholds)."""
    sig = metrics.signals(con, van, tot)
    flagged = sig[~sig["aangesloten"].fillna(False).astype(bool)
                  | sig[list(metrics.SIGNALS)].fillna(False).astype(bool).any(axis=1)]
    return sorted(f"{pd.Timestamp(p).date().isoformat()}/{c}" for p, c in zip(flagged["peildatum"], flagged["gemeentecode"]))


@per_version
def tabel(con, van: date, tot: date) -> pd.DataFrame:
    """The funnel per (peildatum, gemeente) in [van, tot], BUITEN included; peildatum as a date. The same for
    every viewer: computed once per data version and shared."""
    out = run_per_peildatum(con, "buiten_de_boot", van, tot, bereik_dagen=config.reach_days(),
                            zonder_aanpak=zonder_aanpak(con, van, tot))
    out = out.assign(peildatum=pd.to_datetime(out["peildatum"]).dt.date)
    return out


def overzicht(con, van: date, tot: date) -> dict:
    """For the overview at `tot` (national, exact): parents out of reach, the change since `van`, their share
    of the registered, and the three largest ways out as (label, count)."""
    land = landelijk(tabel(con, van, tot))
    now = land.loc[tot]
    grootste = sorted(UIT, key=lambda c: -now[c])[:3]
    return {"buiten": int(now[BUITEN]), "verschil": int(now[BUITEN] - land.iloc[0][BUITEN]) if van != tot else None,
            "pct": 100 * now[BUITEN] / now["bdb_aangemeld"] if now["bdb_aangemeld"] else None,
            "grootste": [(KORT[c], int(now[c])) for c in grootste]}


def selectie(t: pd.DataFrame, lijst: pd.DataFrame, provincie: str | None) -> pd.DataFrame:
    """The rows of `t` in one provincie (None: all rows, unknown residence included)."""
    if not provincie:
        return t
    codes = lijst.index[lijst["provincienaam"] == provincie]
    return t[t["gemeente"].isin(codes)]


def zichtbaar(land: pd.DataFrame, viewer: Viewer, provincie: str | None) -> pd.DataFrame:
    """The funnel over the peildata as the viewer may see it: national figures exact; a provincie is a
    group smaller than the nation, whose counts a viewer without exact rights sees rounded to 5, counts of
    1-4 hidden (NaN; privacy.rounded). Shares and changes are then computed from these rounded counts."""
    if not provincie or viewer.exact_for(None):
        return land.astype("float64")
    return land.astype("float64").map(privacy.rounded).astype("float64")


def landelijk(t: pd.DataFrame) -> pd.DataFrame:
    """National funnel per peildatum (index), every parent included (also unknown residence)."""
    return t.groupby("peildatum")[["bdb_aangemeld", *KOLOMMEN, BUITEN]].sum().astype("int64")


def stappen(land: pd.DataFrame, peildatum: date) -> pd.DataFrame:
    """One row per step at `peildatum`: count, share of the registered, change since the previous peildatum,
    and the series over all peildata up to `peildatum` (for a trend). `land` from landelijk() or
    zichtbaar(): a hidden count (NaN) gives no share and no change."""
    upto = land[land.index <= peildatum]
    now = upto.iloc[-1]
    before = upto.iloc[-2] if len(upto) > 1 else None
    base = now["bdb_aangemeld"]
    rows = []
    for col in (*KOLOMMEN, BUITEN):
        value = now[col]
        change = None if before is None or pd.isna(value) or pd.isna(before[col]) else int(value - before[col])
        rows.append({"stap": col, "label": KORT[col], "soort": SOORT[col],
                     "aantal": None if pd.isna(value) else int(value),
                     "pct": None if pd.isna(value) or pd.isna(base) or not base else 100 * value / base,
                     "verschil": change, "reeks": [None if pd.isna(v) else int(v) for v in upto[col]],
                     "peildata": list(upto.index)})
    return pd.DataFrame(rows)


def richting(verschil: int | None, soort: str) -> str:
    """'beter', 'slechter' or 'gelijk' for a change of a step (fewer out of reach is better)."""
    if verschil is None or pd.isna(verschil) or soort == "keuze":
        return LEEG
    if verschil == 0:
        return "gelijk"
    beter = verschil < 0 if soort == "uit" else verschil > 0
    return "beter" if beter else "slechter"


def namen(con) -> pd.DataFrame:
    """Name and provincie of every gemeente of the reference list, by code."""
    return run(con, "gemeente_lijst").set_index("gemeentecode")


def per_gemeente(t: pd.DataFrame, peildatum: date, lijst: pd.DataFrame) -> pd.DataFrame:
    """One row per gemeente of the reference list at `peildatum` (index code; unknown residence left out),
    exact counts, with name and provincie."""
    now = t[t["peildatum"] == peildatum].set_index("gemeente")
    cols = ["bdb_aangemeld", *KOLOMMEN, BUITEN]
    out = lijst[["gemeentenaam", "provincienaam"]].join(now[cols]).fillna({c: 0 for c in cols})
    out[cols] = out[cols].astype("int64")
    return out


def onbekend(t: pd.DataFrame, peildatum: date) -> pd.Series:
    """The funnel of the parents with unknown residence at `peildatum` (zeros when there are none)."""
    now = t[(t["peildatum"] == peildatum) & (t["gemeente"] == ONBEKEND)]
    cols = ["bdb_aangemeld", *KOLOMMEN, BUITEN]
    return now[cols].sum().astype("int64") if len(now) else pd.Series(0, index=cols, dtype="int64")


def top(gem: pd.DataFrame, col: str, n: int = 5, shown: pd.DataFrame | None = None) -> pd.DataFrame:
    """The n gemeenten holding most of a step, only those with at least one parent in it. Ordered on the
    counts as `shown` to the viewer (else exact), ties by name: the order tells no more than the figures."""
    ranked = gem[gem[col] > 0]
    key = ranked[col] if shown is None else shown.loc[ranked.index, col].map(getoond)
    ranked = ranked.assign(_volgorde=key, _naam=ranked["gemeentenaam"].str.lower())
    return ranked.sort_values(["_volgorde", "_naam"], ascending=[False, True]).head(n).drop(columns=["_volgorde", "_naam"])


def getoond(value) -> float:
    """A count already protected for display ('<5', rounded or exact) as a number to sort on."""
    return sorteerwaarde(value, exact=True)


def volgorde(gem: pd.DataFrame, shown: pd.DataFrame, col: str) -> pd.Index:
    """The gemeenten, most in `col` first as the viewer sees it, ties by name."""
    key = pd.DataFrame({"v": shown.loc[gem.index, col].map(getoond), "naam": gem["gemeentenaam"].str.lower()})
    return key.sort_values(["v", "naam"], ascending=[False, True], na_position="last").index


# --- as a viewer may see it ----------------------------------------------------------------------------

def beschermd(gem: pd.DataFrame, viewer: Viewer) -> pd.DataFrame:
    """Per-gemeente counts as the viewer may see them ('<5' where suppressed)."""
    return protect(gem.reset_index(), viewer).set_index("gemeentecode")


def tekst(value) -> str:
    return value if isinstance(value, str) else getal(value)


def top_regels(gem: pd.DataFrame, shown: pd.DataFrame, col: str, n: int = 5) -> list[dict]:
    """The top gemeenten of a step as the page lists them: code, name, provincie, the count as the viewer
    may see it, and the share of that gemeente's registered parents (left out where the count is hidden)."""
    out = []
    for code, r in top(gem, col, n, shown).iterrows():
        count, base = shown.at[code, col], shown.at[code, "bdb_aangemeld"]
        # From the counts as shown (rounded for a non-exact viewer), so the share gives nothing more away.
        share = None if isinstance(count, str) or isinstance(base, str) or not base else 100 * count / base
        out.append({"gemeentecode": code, "gemeentenaam": r["gemeentenaam"], "provincienaam": r["provincienaam"],
                    "aantal": tekst(count), "pct": share})
    return out


def onbekend_tekst(row: pd.Series, viewer: Viewer) -> dict[str, str]:
    """The unknown-residence group's counts as the viewer may see them (asked as gemeente 'onbekend')."""
    shown = protect(pd.DataFrame([row]).assign(gemeentecode=ONBEKEND), viewer).iloc[0]
    return {c: tekst(shown[c]) for c in ["bdb_aangemeld", *KOLOMMEN, BUITEN]}


# --- exports -------------------------------------------------------------------------------------------

def stappen_export(land: pd.DataFrame, peildatum: date) -> pd.DataFrame:
    """The funnel over every peildatum up to `peildatum` (from zichtbaar(): hidden counts become '<5'): one
    row per peildatum, a column per step."""
    upto = land[land.index <= peildatum]
    out = upto.astype(object).map(aantal_tekst).rename(columns=KORT).reset_index()
    out["peildatum"] = out["peildatum"].map(datum_kort)
    return out.rename(columns={"peildatum": "Stand op peildatum"})


def gemeenten_weergave(export: pd.DataFrame) -> pd.DataFrame:
    """gemeenten_export() for st.dataframe: counts as Dutch text ('<5' kept), padded so they sort by value."""
    from herstelmonitor.deelname import sortable

    out = export.copy()
    for col in out.columns[3:]:
        out[col] = sortable(out[col].map(tekst))
    return out


def ouders(n: str) -> str:
    """'1 ouder', '12 ouders', '<5 ouders'."""
    return f"{n} ouder" if n == "1" else f"{n} ouders"


def gemeenten_export(shown: pd.DataFrame) -> pd.DataFrame:
    """The per-gemeente table as shown (protected), Dutch headers."""
    cols = ["bdb_aangemeld", *KOLOMMEN, BUITEN]
    out = shown.reset_index()[["gemeentecode", "gemeentenaam", "provincienaam", *cols]]
    return out.rename(columns={"gemeentecode": "Gemeentecode", "gemeentenaam": "Gemeente",
                               "provincienaam": "Provincie", **KORT})


def filter_tekst(provincies: list[str]) -> str:
    return "provincie: " + ", ".join(provincies) if provincies else "geen (alle gemeenten)"


# --- charts --------------------------------------------------------------------------------------------

ROOD, BLAUW, GRIJS, GROEN = "#d52b1e", "#154273", "#8fa3bf", "#39870c"
KLEUR = {"uit": ROOD, "keuze": GRIJS, "binnen": BLAUW}


def aantal_tekst(value) -> str:
    """A count of stappen(): '<5' where the viewer may not see it (None)."""
    return f"<{config.small_count_threshold()}" if value is None or pd.isna(value) else getal(value)


def trechter_grafiek(st_: pd.DataFrame, aangemeld, peildatum: date):
    """Horizontal bars: registered on top, then each step at `peildatum`, coloured by kind."""
    import plotly.graph_objects as go

    rows = st_[st_["stap"] != BUITEN]
    labels = ["Aangemeld", *rows["label"]][::-1]
    raw = [aangemeld, *rows["aantal"]][::-1]
    values = [0 if v is None or pd.isna(v) else int(v) for v in raw]
    colors = [GROEN, *rows["soort"].map(KLEUR)][::-1]
    fig = go.Figure(go.Bar(x=values, y=labels, orientation="h", marker_color=colors, text=[aantal_tekst(v) for v in raw],
                           textposition="outside", cliponaxis=False,
                           hovertemplate="%{y}: <b>%{text}</b> ouders<extra></extra>"))
    fig.update_layout(separators=",.", height=440, margin={"l": 10, "r": 40, "t": 40, "b": 10},
                      title={"text": f"Van aangemeld tot bereikt op {datum_kort(peildatum)}", "font": {"size": 15}},
                      plot_bgcolor="white", xaxis={"gridcolor": "#e6e6e6", "tickformat": ",d",
                                                   "range": [0, max(max(values), 1) * 1.18]},
                      yaxis={"automargin": True})
    return fig


def trend_grafiek(land: pd.DataFrame, peildatum: date):
    """Lines over the peildata: the ways out of reach, and their total."""
    import plotly.graph_objects as go

    upto = land[land.index <= peildatum].astype("float64")
    upto = upto.astype(object).where(upto.notna(), None)
    x = [datum_kort(d) for d in upto.index]
    kleuren = ("#154273", "#e17000", "#39870c", "#a90061", "#8fa3bf", "#777c00", "#01689b")
    traces = [go.Scatter(x=x, y=upto[BUITEN].tolist(), name="Buiten bereik (totaal)", mode="lines+markers",
                         line={"color": ROOD, "width": 3}, hovertemplate="%{x}: %{y:,} ouders<extra>totaal</extra>")]
    for col, kleur in zip(UIT, kleuren):
        traces.append(go.Scatter(x=x, y=upto[col].tolist(), name=KORT[col], mode="lines", line={"color": kleur, "width": 1.5},
                                 hovertemplate=f"%{{x}}: %{{y:,}} ouders<extra>{KORT[col]}</extra>"))
    fig = go.Figure(traces)
    fig.update_layout(separators=",.", height=420, margin={"l": 10, "r": 10, "t": 40, "b": 10}, plot_bgcolor="white",
                      title={"text": "Buiten bereik over de peildata", "font": {"size": 15}},
                      legend={"orientation": "h", "y": -0.15, "x": 0}, xaxis={"type": "category"},
                      yaxis={"gridcolor": "#e6e6e6", "tickformat": ",d", "rangemode": "tozero"})
    return fig


def verschil_tekst(v) -> str:
    return LEEG if v is None or pd.isna(v) else (signed(v) or "0")


def delta_tekst(v) -> str | None:
    """A change for st.metric: None when unknown (no arrow), '0' when nothing changed."""
    return None if v is None or pd.isna(v) else (signed(v) or "0")


def pct_tekst(v) -> str:
    return LEEG if v is None or pd.isna(v) else pct(v)


def verloop_tekst(row, laatste: int = 4) -> str:
    """The trend of one step in words: its count at the first peildatum and at the last few, oldest first."""
    punten = list(zip(row["peildata"], row["reeks"]))
    gekozen = punten if len(punten) <= laatste + 1 else [punten[0], *punten[-laatste:]]
    delen = [f"{datum_kort(d)}: {aantal_tekst(v)}" for d, v in gekozen]
    if len(punten) > laatste + 1:
        delen.insert(1, "…")
    return " → ".join(delen)


def stappen_tabel(st_: pd.DataFrame) -> pd.DataFrame:
    """The steps at the peildatum as the page's table shows them (text; hidden counts as '<5')."""
    soort = {"uit": "buiten bereik", "keuze": "eigen keuze", "binnen": "binnen bereik"}
    return pd.DataFrame({
        "Stap": st_["label"],
        "Soort": st_["soort"].map(soort),
        "Ouders": st_["aantal"].map(aantal_tekst),
        "Van de aangemelden": st_["pct"].map(pct_tekst),
        "Sinds vorige peildatum": st_["verschil"].map(verschil_tekst),
        "Richting": [richting(v, s) for v, s in zip(st_["verschil"], st_["soort"])],
    }).set_index("Stap")


def bestandsnaam(*delen) -> str:
    """A download's file name without extension: 'buiten-de-boot-gemeenten-zeeland-2023-12-31'."""
    return re.sub(r"[^a-z0-9]+", "-", "-".join(str(d) for d in delen if d).lower()).strip("-")
