"""The charts of the Tempo compensatie page: plotly figures with Dutch labels, numbers and dates.

Each chart is built from one DataFrame, which the page also offers as CSV download. Figures are assembled
from plain trace and layout dicts in one go and not validated property by property (plotly's validation
took most of the page's run time); tests and the browser check check what they draw.
"""
from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from herstelmonitor import grafiek, theme
from herstelmonitor import prognose as methode
from herstelmonitor.format import LEEG, dagen, datum_kort, signed
from herstelmonitor.tempo import ACHTERSTAND, GEDAAN, SCENARIOS, STAPPEN, STROMEN, TOTALEN, Voorspelling, fout_weken

DATUM = "%d-%m-%Y"
KLEUREN = {
    "stroom_aangemeld": theme.GRIJS, "stroom_eerste_toets": theme.BLAUW, "stroom_erkend": theme.GROEN,
    "stroom_forfait": theme.ORANJE, "stroom_integrale_beoordeling": theme.ROBIJN,
    "wacht_op_eerste_toets": theme.BLAUW, "wacht_op_ib": theme.ROBIJN, "over_wettelijke_termijn": theme.SIGNAAL,
    "eerste_toets": theme.BLAUW, "forfait": theme.ORANJE, "integrale_beoordeling": theme.ROBIJN,
}
KLEUREN |= {f"totaal_{k[len('stroom_'):]}": v for k, v in KLEUREN.items() if k.startswith("stroom_")}
SCENARIO_KLEUR = {"bevroren": theme.GROEN, "instroom": theme.SIGNAAL}
HORIZON_STIJL = {13: "solid", 26: "dash", 52: "dot"}


def _x(dates) -> list[str]:
    """Dates as ISO strings for the x axis."""
    return pd.to_datetime(pd.Series(list(dates))).dt.strftime("%Y-%m-%d").tolist()


def _y(values) -> np.ndarray:
    return np.asarray(pd.to_numeric(pd.Series(values), errors="coerce"), dtype=float)


def figuur(traces: list[dict], y_title: str, x_title: str = "Datum", hover: str = DATUM, height: int = 400,
           marks: list[tuple[date, str]] = (), xaxis: dict | None = None, yaxis: dict | None = None) -> go.Figure:
    """One figure: Dutch separators, date axis as dd-mm-jjjj, unified hover, legend below, event marks."""
    shapes = [dict(type="line", x0=_x([d])[0], x1=_x([d])[0], y0=0, y1=1, yref="paper",
                   line=dict(color=theme.MARKERING, width=1, dash="dot")) for d, _ in marks]
    # Labels alternate in height so that events close together stay readable.
    annotations = [dict(x=_x([d])[0], y=1 - 0.07 * (i % 3), yref="paper", text=f"{label} ({datum_kort(d)})",
                        showarrow=False, xanchor="left", yanchor="top", font=dict(size=11, color=theme.TEKST),
                        bgcolor="rgba(255,255,255,0.7)") for i, (d, label) in enumerate(marks)]
    layout = dict(
        hovermode="x unified", showlegend=True,
        legend=dict(orientation="h", yanchor="top", y=-0.18, x=0),
        xaxis=dict(title=dict(text=x_title), type="date", tickformat=DATUM, hoverformat=hover,
                   gridcolor=theme.RASTER) | (xaxis or {}),
        yaxis=dict(title=dict(text=y_title), tickformat=",d", rangemode="tozero", gridcolor=theme.RASTER) | (yaxis or {}),
    )
    return grafiek.figure(traces, "", height, shapes, annotations, **layout)


def binnen(events: list[tuple[date, str]], start: date, end: date) -> list[tuple[date, str]]:
    return [(d, label) for d, label in events if start <= d <= end]


def lijn(x, y, name: str, color: str, dash: str = "solid", hover: str = "%{y:,.0f}", **extra) -> dict:
    return dict(type="scatter", x=_x(x), y=_y(y), name=name, mode="lines",
                line=dict(color=color, dash=dash, width=2), hovertemplate=f"{name}: {hover}<extra></extra>") | extra


def stromen(frame: pd.DataFrame, periode: str, cumulatief: bool, events) -> go.Figure:
    """Flows per week or month, or their cumulative totals, over time (x: the period's last day)."""
    columns = TOTALEN if cumulatief else STROMEN
    traces = [lijn(frame["periode_tm"], frame[col], label, KLEUREN[col]) for col, label in columns.items()]
    y_title = "Aantal ouders (cumulatief)" if cumulatief else f"Aantal ouders per {periode}"
    return figuur(traces, y_title, hover=("week t/m " if periode == "week" else "maand t/m ") + DATUM,
                  marks=binnen(events, *_span(frame)))


def achterstand(frame: pd.DataFrame, periode: str, events) -> go.Figure:
    traces = [lijn(frame["periode_tm"], frame[col], label, KLEUREN[col],
                   dash="dot" if col == "over_wettelijke_termijn" else "solid") for col, label in ACHTERSTAND.items()]
    return figuur(traces, "Aantal ouders", hover=("einde week " if periode == "week" else "einde maand ") + DATUM,
                  marks=binnen(events, *_span(frame)))


def _span(frame: pd.DataFrame) -> tuple[date, date]:
    return frame["periode_van"].min().date(), frame["periode_tm"].max().date()


def prognose_reeks(weekly: pd.DataFrame, v: Voorspelling, stap: str) -> pd.DataFrame:
    """History (weekly, up to the peildatum) and the weekly forecast of each scenario with its band: the data
    of the forecast chart. Columns are Dutch (they are the CSV download)."""
    history = pd.DataFrame({"Datum": weekly["periode_tm"].dt.date,
                            "Gerealiseerd": weekly[GEDAAN[stap]].astype(float),
                            "Aangemeld": weekly["totaal_aangemeld"].astype(float)})
    s = v.stand
    found = {sc: v.uitkomsten[(stap, sc)] for sc in v.scenarios() if (stap, sc) in v.uitkomsten}
    if not found:
        return history
    ends = [d for u in found.values() for d in (u.klaar, u.klaar_hoog) if d is not None]
    weeks = min(methode.HORIZON_WEKEN, max([26, *((d - s.peildatum).days // 7 + 8 for d in ends)]))
    future = pd.DataFrame({"Datum": [s.peildatum + timedelta(weeks=w) for w in range(weeks + 1)]})
    for sc in found:
        lo, hi, _, _ = v.band.grenzen(stap, sc, methode.NIVEAUS[-1])
        sims = methode.simuleer(s, sc, weeks)
        low, high = methode.bandranden(s, stap, sc, np.array([lo]), np.array([hi]), weeks,
                                       methode.voeding(v.band, stap, sc, [methode.NIVEAUS[-1]]))
        name = SCENARIOS[sc]
        future[f"{name}: verwacht"] = sims[stap]
        future[f"{name}: band laag"] = low[:, 0]
        future[f"{name}: band hoog"] = high[:, 0]
        if sc == "instroom":
            future[f"{name}: aangemeld"] = sims["aangemeld"]
    return pd.concat([history, future], ignore_index=True)


def prognose(reeks: pd.DataFrame, v: Voorspelling, stap: str, doel: date, events) -> go.Figure:
    x = pd.to_datetime(reeks["Datum"])
    traces = [lijn(x, reeks["Aangemeld"], "Aangemeld", theme.GRIJS),
              lijn(x, reeks["Gerealiseerd"], f"{STAPPEN[stap]}: gerealiseerd", KLEUREN[stap])]
    for sc in v.scenarios():
        name, color = SCENARIOS[sc], SCENARIO_KLEUR[sc]
        if f"{name}: verwacht" not in reeks:
            continue
        traces += [
            dict(type="scatter", x=_x(x), y=_y(reeks[f"{name}: band hoog"]), mode="lines", line=dict(width=0),
                 showlegend=False, hoverinfo="skip"),
            dict(type="scatter", x=_x(x), y=_y(reeks[f"{name}: band laag"]), mode="lines", line=dict(width=0),
                 fill="tonexty", fillcolor=_transparent(color), name=f"{name}: band", hoverinfo="skip"),
            lijn(x, reeks[f"{name}: verwacht"], f"{name}: verwacht", color, dash="dash"),
        ]
        if f"{name}: aangemeld" in reeks:
            traces.append(lijn(x, reeks[f"{name}: aangemeld"], f"{name}: aangemeld", color, dash="dot"))
    marks = sorted([*events, (v.stand.peildatum, "Peildatum"), (doel, "Doeldatum")])
    return figuur(traces, "Aantal ouders (cumulatief)", height=460,
                  marks=binnen(marks, x.min().date(), x.max().date()))


def _transparent(hex_color: str, alpha: float = 0.18) -> str:
    r, g, b = (int(hex_color[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def doorlooptijden(frame: pd.DataFrame) -> go.Figure:
    """Median (solid) and 90th percentile (dotted) days per month of registration; open markers where the
    figure is still a lower bound because parents of that month are still waiting."""
    traces = []
    for stap, group in frame.groupby("stap", sort=False):
        for col, final, label, dash in (("doorlooptijd_cohort_mediaan", "mediaan_definitief", "mediaan", "solid"),
                                        ("doorlooptijd_cohort_p90", "p90_definitief", "90e percentiel", "dot")):
            text = [("" if f else "minstens ") + dagen(v) if pd.notna(v) else LEEG
                    for v, f in zip(group[col], group[final])]
            name = f"{STAPPEN[stap]}: {label}"
            traces.append(lijn(group["cohort"], group[col], name, KLEUREN[stap], dash=dash, mode="lines+markers",
                               marker=dict(symbol=["circle" if f else "circle-open" for f in group[final]], size=7),
                               text=text, hovertemplate=f"{name}: %{{text}}<extra></extra>"))
    return figuur(traces, "Dagen na aanmelding", x_title="Maand van aanmelding", hover="aangemeld in %m-%Y",
                  xaxis=dict(tickformat="%m-%Y"))


def backtest(rows: pd.DataFrame, stap: str) -> go.Figure:
    """The error of each back-tested forecast of one step, per forecast peildatum, in weeks of the pace at
    that peildatum: a line per horizon (solid 3, dashed 6, dotted 12 months) and scenario (colour). Above
    zero: the forecast was too early (reality came later)."""
    traces = []
    sel = rows[rows["stap"] == stap].assign(fout=lambda f: fout_weken(f))
    for (scenario, weken), group in sel.groupby(["scenario", "weken"], sort=False):
        name = f"{SCENARIOS[scenario]}, {round(weken / 13) * 3} maanden vooruit"
        text = [signed(e, 1, " weken") for e in group["fout"]]
        traces.append(lijn(group["peildatum"], group["fout"], name, SCENARIO_KLEUR[scenario],
                           dash=HORIZON_STIJL[weken], mode="lines+markers", text=text,
                           marker=dict(symbol=["circle" if b else "x" for b in group["binnen_band"]], size=7),
                           hovertemplate=f"{name}: %{{text}}<extra></extra>"))
    return figuur(traces, "Fout in weken (+ = te vroeg voorspeld)", x_title="Peildatum van de voorspelling",
                  hover="voorspelling van %d-%m-%Y", yaxis=dict(tickformat=",.0f", rangemode="normal", zeroline=True,
                                                                zerolinecolor=theme.TEKST, zerolinewidth=1))
