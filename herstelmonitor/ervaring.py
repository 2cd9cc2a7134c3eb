"""Parent experience (the optional survey extract `ervaring`, spec 2.5) on the pages.

The figures have one definition each: queries/metrieken_ervaring.sql (stored per peildatum at ingest) for a
gemeente's and the national figures, queries/ervaring_groepen.sql for groups (peer group, provincie) and the
counts behind the shares, queries/ervaring_proces.sql for the process figures set beside them. This module
only turns them into what a viewer may see:

- a peildatum without a survey file shows "geen meting";
- fewer than [ervaring] min_antwoorden answers (config) shows "te weinig antwoorden", never a share or mark;
- for a viewer without exact rights, a gemeente's share is hidden ("-") when a count it is built from (or
  its complement) is 1-4, so that a share times the shown number of answers cannot give a small count away.
No page shows a single answer or an ouder_id: every figure here is a count, share or mean over answers.
"""
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from herstelmonitor import config, grafiek, metrics, ondersteuning, privacy, theme
from herstelmonitor.format import LEEG, cijfer, getal, pct
from herstelmonitor.privacy import protect
from herstelmonitor.queries import metric, run

GEEN_METING = "geen meting"
TE_WEINIG = "te weinig antwoorden"
SHARES = ("geholpen_pct", "deels_pct", "geholpen_of_deels_pct")
# Each share with the counts it is built from: a small one of these must not be recoverable.
PARTS = {"geholpen_pct": ("ja", "nee_of_deels"), "deels_pct": ("deels", "nee_of_ja"),
         "geholpen_of_deels_pct": ("ja_of_deels", "nee"), "rapportcijfer_gem": ("antwoorden",)}
PROCESS = {"bereik_pct": (metric("bereik_pct").label, ("bereikt", "niet_bereikt")),
           "afgerond_pct": ("Ondersteuning afgerond", ("afgerond", "niet_afgerond"))}


def weken() -> int:
    return config.survey_days() // 7


def min_answers() -> int:
    return config.survey_min_answers()


def measured(con) -> set[date]:
    """The peildata with a survey file: the others show "geen meting"."""
    return metrics.survey_peildata(con)


def groups(con, van: date, tot: date) -> pd.DataFrame:
    """queries/ervaring_groepen.sql: experience per gemeente, peer group, provincie and national."""
    return run(con, "ervaring_groepen", van=van, tot=tot, ervaring_dagen=config.survey_days(),
               min_antwoorden=min_answers(), grenzen=ondersteuning.size_class_bounds())


def with_parts(frame: pd.DataFrame) -> pd.DataFrame:
    """The complements of the answer counts (PARTS), where the frame has ja, deels and nee."""
    out = frame.copy()
    if {"ja", "deels", "nee"} <= set(out.columns):
        out["nee_of_deels"] = out["nee"] + out["deels"]
        out["nee_of_ja"] = out["nee"] + out["ja"]
        out["ja_of_deels"] = out["ja"] + out["deels"]
    return out


def hide_small_parts(frame: pd.DataFrame, viewer, parts: dict, code: str = "gemeentecode") -> pd.DataFrame:
    """For rows the viewer may not see exactly: each share column becomes '-' when one of its part counts is
    1 to below the small-count threshold (a share times its shown base would give that count away), and a
    share of two parts (the part, its complement) is otherwise recomputed from the rounded counts
    (privacy.rounded_share: rounded part over rounded part plus complement), like every share such a viewer
    sees."""
    out = frame.copy()
    codes = out[code] if code in out.columns else pd.Series(out.index, index=out.index)
    hidden = ~codes.map(viewer.exact_for).astype(bool)
    n = config.small_count_threshold()
    for col, counts in parts.items():
        if col not in out.columns or not all(c in out.columns for c in counts):
            continue
        values = [pd.to_numeric(out[c], errors="coerce") for c in counts]
        if len(counts) == 2:
            rounded = [_rounded_share(v, p, q) for v, p, q in zip(out[col], *values)]
            out[col] = out[col].astype(object).where(~hidden, pd.Series(rounded, index=out.index, dtype=object))
        small = pd.concat([v.fillna(0).between(1, n - 1) for v in values], axis=1)
        out[col] = out[col].astype(object).where(~(hidden & small.any(axis=1)), LEEG)
    return out


def _rounded_share(value, part, complement):
    """A shown share (a number) recomputed from the rounded part and base; text and missing values stay."""
    if isinstance(value, str) or privacy.missing(value) or privacy.missing(part) or privacy.missing(complement):
        return value
    share = privacy.rounded_share(part, part + complement)
    return LEEG if share is None else share


def text(value, kind: str, answers, is_measured: bool) -> str:
    """One experience figure as shown: "geen meting", "te weinig antwoorden", a privacy marker or the value."""
    if not is_measured:
        return GEEN_METING
    if isinstance(value, str):
        return value
    if kind == "count":
        return getal(value)
    if answers is None or pd.isna(answers) or answers < min_answers() or pd.isna(value):
        return TE_WEINIG
    return pct(value) if kind == "percentage" else cijfer(value)


def provincie_table(prov: pd.DataFrame, viewer) -> pd.DataFrame:
    """Experience per provincie (rows of groups() at one peildatum) as shown: groups of parents, protected
    like an aggregate."""
    shown = protect(hide_small_parts(with_parts(prov).assign(code=None), viewer, PARTS, code="code"), viewer, code="code")
    n = prov["antwoorden"].tolist()
    return pd.DataFrame({
        "Provincie": prov["provincie"].fillna("Onbekend").tolist(),
        "Antwoorden": [v if isinstance(v, str) else getal(v) for v in shown["antwoorden"]],
        "Geholpen: ja": [text(v, "percentage", a, True) for v, a in zip(shown["geholpen_pct"], n)],
        "Deels": [text(v, "percentage", a, True) for v, a in zip(shown["deels_pct"], n)],
        "Rapportcijfer": [text(v, "ratio", a, True) for v, a in zip(shown["rapportcijfer_gem"], n)],
        "Hulp sneller na compensatie: ja": [text(v, "percentage", a, True) for v, a in
                                            zip(shown["sneller_ja_pct"], prov["sneller_beantwoord"])],
    })


# --- the overview and a gemeente ---------------------------------------------------------------------

def national(con, peildatum: date) -> pd.Series:
    """The national experience figures at peildatum (stored metrics) and the gemeenten where niet_geholpen fires."""
    row = metrics.national(con, peildatum, peildatum).iloc[0][list(metrics_names())].copy()
    row["gemeenten_niet_geholpen"] = int(metrics.signals(con, peildatum, peildatum)["niet_geholpen"].sum())
    return row


def metrics_names() -> tuple[str, ...]:
    return ("antwoorden", "geholpen_pct", "deels_pct", "rapportcijfer_gem")


def helped_line(row, is_measured: bool) -> str:
    """'48,0% ja · 23,1% deels' or the reason there is no figure."""
    ja = text(row["geholpen_pct"], "percentage", row["antwoorden"], is_measured)
    if ja in (GEEN_METING, TE_WEINIG, LEEG):
        return ja
    return f"{ja} · deels {text(row['deels_pct'], 'percentage', row['antwoorden'], is_measured)}"


def trend_frame(history: pd.DataFrame, is_measured: set[date], columns: dict[str, str]) -> pd.DataFrame:
    """Experience shares over the peildata for a line chart: NaN where there was no measurement or too few
    answers (the line breaks there)."""
    out = pd.DataFrame(index=history.index)
    enough = history["antwoorden"] >= min_answers()
    took = pd.Series([p in is_measured for p in history.index], index=history.index)
    for col, label in columns.items():
        out[label] = history[col].where(enough & took)
    return out


def gemeente_trend(con, code: str, peildata: list[date], viewer) -> pd.DataFrame:
    """One gemeente's shares (ja, deels) over the peildata as the viewer may see them, for a line chart: NaN
    where there was no survey, too few answers, or a share that would give a small count away."""
    rows = with_parts(groups(con, peildata[0], peildata[-1]))
    rows = rows[(rows["niveau"] == "gemeente") & (rows["gemeente"] == code)].assign(gemeentecode=code)
    rows = hide_small_parts(rows, viewer, PARTS)
    rows.index = [p.date() for p in rows["peildatum"]]
    out = pd.DataFrame(index=peildata)
    for col, label in {"geholpen_pct": "Ja", "deels_pct": "Deels"}.items():
        values = rows[col].map(lambda v: float("nan") if no_figure(v) else float(v)) if len(rows) else pd.Series(dtype=float)
        out[label] = values.reindex(peildata).astype(float)
    return out


def peer_rows(con, code: str, peildatum: date, klasse: int, provincie: str, viewer) -> dict[str, pd.Series]:
    """The gemeente, its peer group (same provincie and size class) and the nation at peildatum, each as the
    viewer may see it; empty when there is no survey file for peildatum."""
    rows = with_parts(groups(con, peildatum, peildatum))
    if rows.empty:
        return {}
    own = rows[(rows["niveau"] == "gemeente") & (rows["gemeente"] == code)]
    groep = rows[(rows["niveau"] == "vergelijkbaar") & (rows["provincie"] == provincie) & (rows["klasse"] == klasse)]
    land = rows[rows["niveau"] == "landelijk"]
    # No answers at all (a gemeente or group nobody from answered): every figure "te weinig antwoorden".
    empty = pd.Series({"antwoorden": 0, **{c: None for c in SHARES}, "rapportcijfer_gem": None}, dtype=object)
    own = hide_small_parts(own.assign(gemeentecode=code), viewer, PARTS).iloc[0] if len(own) else empty
    groep = hide_small_parts(groep.assign(code=None), viewer, PARTS, code="code").iloc[0] if len(groep) else empty
    return {"gemeente": own, "groep": groep, "land": land.iloc[0] if len(land) else empty}


def bar_values(row: pd.Series) -> dict:
    """A peer row as bar_chart values: the share, or the reason there is none (a text, drawn as such)."""
    out = {}
    for c in SHARES:
        value, answers = row.get(c), row.get("antwoorden", 0)
        out[c] = value if not no_figure(value) and answers >= min_answers() else text(value, "percentage", answers, True)
    return out


# --- process figures beside experience (scatter and list) --------------------------------------------

def process_and_experience(con, peildatum: date, viewer) -> pd.DataFrame:
    """One row per gemeente at peildatum: process figures (reach, finished share) and experience, as the
    viewer may see them; only gemeenten with at least min_antwoorden answers have experience figures.
    `verschil_<process>`: the process share minus the share helped (ja or deels), in percentage points."""
    proces = run(con, "ervaring_proces", peildatum=peildatum)
    proces = proces[proces["gemeentecode"].notna()]
    exp = groups(con, peildatum, peildatum)
    exp = exp[exp["niveau"] == "gemeente"][["gemeente", "antwoorden", "ja", "deels", "nee", *SHARES, "rapportcijfer_gem"]]
    frame = proces.merge(exp, left_on="gemeentecode", right_on="gemeente", how="left").drop(columns="gemeente")
    counts = ["antwoorden", "ja", "deels", "nee"]
    frame[counts] = frame[counts].fillna(0).astype("int64")
    frame["niet_bereikt"] = frame["bereik_basis"] - frame["bereikt"]
    frame["niet_afgerond"] = frame["in_contact"] - frame["afgerond"]
    sig = metrics.signals(con, peildatum, peildatum)[["gemeentecode", "niet_geholpen"]]
    frame = frame.merge(sig, on="gemeentecode", how="left")
    # Shares first, from the exact parts (rounded for a non-exact viewer), then the catalogue's figures.
    parts = {**PARTS, **{col: p for col, (_, p) in PROCESS.items()}}
    shown = protect(hide_small_parts(with_parts(frame), viewer, parts), viewer)
    for col in PROCESS:  # the gap between the figures as shown (rounded or hidden for a non-exact viewer)
        shown[f"verschil_{col}"] = [LEEG if isinstance(a, str) or isinstance(b, str) else a - b
                                    for a, b in zip(shown[col], shown["geholpen_of_deels_pct"])]
    return shown


def plottable(frame: pd.DataFrame, x: str) -> pd.DataFrame:
    """Gemeenten with both figures shown as numbers."""
    ok = frame[x].map(lambda v: not isinstance(v, str) and pd.notna(v)) & frame["geholpen_of_deels_pct"].map(
        lambda v: not isinstance(v, str) and pd.notna(v))
    out = frame[ok].copy()
    out[[x, "geholpen_of_deels_pct", f"verschil_{x}"]] = out[[x, "geholpen_of_deels_pct", f"verschil_{x}"]].astype(float)
    return out


def largest_gaps(frame: pd.DataFrame, x: str, top: int | None = None) -> pd.DataFrame:
    """The gemeenten where the process figure most exceeds the share helped (ja or deels), largest first."""
    out = plottable(frame, x).sort_values([f"verschil_{x}", "gemeentenaam"], ascending=[False, True])
    return out if top is None else out.head(top)


def gap_table(frame: pd.DataFrame, x: str) -> pd.DataFrame:
    """The list beside the scatter, in Dutch, as shown (and exported)."""
    label = PROCESS[x][0]
    return pd.DataFrame({
        "Gemeente": frame["gemeentenaam"],
        "Provincie": frame["provincienaam"],
        f"{label} (%)": frame[x].map(pct),
        "Geholpen, ja of deels (%)": frame["geholpen_of_deels_pct"].map(pct),
        "Verschil (procentpunt)": frame[f"verschil_{x}"].map(lambda v: getal(v, 1)),
        "Antwoorden": frame["antwoorden"].map(lambda v: v if isinstance(v, str) else getal(v)),
        "Rapportcijfer": frame["rapportcijfer_gem"].map(lambda v: v if isinstance(v, str) else cijfer(v)),
        "Signaal niet geholpen": frame["niet_geholpen"].map(lambda v: "ja" if v is True else "nee"),
    }).reset_index(drop=True)


def scatter_chart(frame: pd.DataFrame, x: str, national_x: float, threshold: float, highlight: set[str]) -> go.Figure:
    """Gemeenten: process figure (x) against the share helped (ja or deels, y). Lines: the national process
    figure and the signal threshold; the gemeenten of `highlight` (the list) in orange, named."""
    label = PROCESS[x][0]
    pts = plottable(frame, x)
    mark = pts["gemeentecode"].isin(highlight)
    traces = []
    for subset, name, color, size in ((pts[~mark], "Gemeenten", theme.GRIJSBLAUW, 7),
                                      (pts[mark], "Grootste verschil (de lijst)", theme.ORANJE, 10)):
        traces.append(go.Scatter(
            x=subset[x].tolist(), y=subset["geholpen_of_deels_pct"].tolist(), mode="markers", name=name,
            marker=dict(color=color, size=size, line=dict(color="#333", width=0.5)),
            customdata=[[n, pct(a), pct(b), getal(c) if not isinstance(c, str) else c]
                        for n, a, b, c in zip(subset["gemeentenaam"], subset[x], subset["geholpen_of_deels_pct"],
                                              subset["antwoorden"])],
            hovertemplate=(f"<b>%{{customdata[0]}}</b><br>{label}: %{{customdata[1]}}<br>Geholpen (ja of deels): "
                           "%{customdata[2]}<br>%{customdata[3]} antwoorden<extra></extra>")))
    traces.append(go.Scatter(
        x=pts.loc[mark, x].tolist(), y=pts.loc[mark, "geholpen_of_deels_pct"].tolist(), mode="text",
        text=pts.loc[mark, "gemeentenaam"].tolist(), textposition="top center", showlegend=False, hoverinfo="skip",
        textfont=dict(size=11, color="#333")))
    grens, grens_note = grafiek.reference_line(threshold, f"signaalgrens {getal(threshold)}%", theme.SIGNAAL)
    land, land_note = grafiek.reference_line(national_x, f"landelijk {pct(national_x)}", theme.BLAUW, axis="x", dash="dot")
    return grafiek.figure(traces, f"{label} en ervaring per gemeente", 520, [grens, land], [grens_note, land_note],
                    xaxis=dict(range=[0, 102], ticksuffix="%", gridcolor=theme.RASTER, title=f"{label} (%)"),
                    yaxis=dict(range=[0, 102], ticksuffix="%", gridcolor=theme.RASTER,
                               title="Voelt zich geholpen, ja of deels (%)"))


def national_process(con, peildatum: date) -> dict[str, float]:
    """The national process figures for the reference line: bereik_pct (spec metric) and afgerond_pct
    (pooled over all parents: the national row of ervaring_proces.sql)."""
    proces = run(con, "ervaring_proces", peildatum=peildatum)
    land = proces[proces["gemeentecode"].isna()].iloc[0]
    return {"bereik_pct": land["bereik_pct"], "afgerond_pct": land["afgerond_pct"]}


def no_figure(value) -> bool:
    return isinstance(value, str) or value is None or pd.isna(value)

