"""The chart kit: every plotly figure of the dashboard is built here or from these parts, with Dutch
number separators, Dutch month names, the colours of herstelmonitor.theme and a source line.

Each figure is built in one go from plain dicts and not validated property by property (plotly's
validation took most of a page's run time). Values are protected before they reach a chart: a "<5" or "-"
draws nothing and its text shows instead.
"""
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from herstelmonitor import theme
from herstelmonitor.format import MAANDEN, datum, getal, metric_value, pct
from herstelmonitor.ondersteuning import FUNNEL, LEEFGEBIEDEN
from herstelmonitor.queries import metric



def text(value, kind: str) -> str:
    """One protected value as shown: suppression marks stay, numbers by their catalogue kind."""
    return value if isinstance(value, str) else metric_value(kind, value)


def label(name: str) -> str:
    return metric(name).label



def number(value) -> float | None:
    """A protected value as a chart coordinate: None when hidden or missing."""
    return None if isinstance(value, str) or pd.isna(value) else float(value)


def figure(traces: list, title: str = "", height: int = 320, shapes: list | None = None,
           annotations: list | None = None, **layout) -> go.Figure:
    """The base of every chart: Dutch separators, white plot with light grid lines, legend below, a title
    when given. `layout` adds to or overrides the base (a value None removes a key)."""
    base = dict(
        title=dict(text=title, font=dict(size=15), y=0.98, yref="container", yanchor="top") if title else None,
        separators=",.", height=height, plot_bgcolor="white", margin=dict(l=10, r=10, t=50 if title else 30, b=10),
        hovermode="closest", showlegend=len(traces) > 1, legend=dict(orientation="h", yanchor="top", y=-0.14, x=0),
        shapes=shapes or [], annotations=annotations or [],
    )
    merged = {k: v for k, v in (base | layout).items() if v is not None}
    return go.Figure(data=traces, layout=merged, _validate=False)


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
    return dict(tickvals=ticks, ticktext=[f"{MAANDEN[d.month - 1][:3]} {d.year}" for d in ticks], gridcolor=theme.RASTER)


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
    ) for col, color in zip(frame.columns, theme.SERIES)]
    shapes, notes = [], []
    if threshold is not None:
        line, note = reference_line(threshold, threshold_label, theme.SIGNAAL)
        shapes, notes = [line], [note]
    yaxis = dict(gridcolor=theme.RASTER, rangemode="tozero", tickformat=",d")
    if kind == "percentage":
        yaxis |= dict(range=[0, 100], ticksuffix="%")
    return figure(traces, title, height, shapes, notes, xaxis=date_axis(dates), yaxis=yaxis)


def provincie_chart(prov: pd.DataFrame, national: float, threshold: float) -> go.Figure:
    """Reach per provincie (pooled over its parents), lowest first, with the national figure."""
    prov = prov.sort_values("bereik_pct")
    bars = go.Bar(
        x=[number(v) for v in prov["bereik_pct"]], y=prov["provincie"], orientation="h", marker_color=theme.BLAUW,
        text=[text(v, "percentage") for v in prov["bereik_pct"]], textposition="outside", cliponaxis=False,
        customdata=[[text(b, "count")] for b in prov["bereik_basis"]],
        hovertemplate="%{y}: <b>%{text}</b> van %{customdata[0]} ouders<extra></extra>",
    )
    land, land_note = reference_line(national, f"Nederland {pct(national)}", theme.ORANJE, axis="x", dash="solid")
    grens, grens_note = reference_line(threshold, f"signaalgrens {getal(threshold)}%", theme.SIGNAAL, axis="x")
    grens_note |= dict(xanchor="right")
    return figure([bars], f"{label('bereik_pct')} per provincie", 440, [land, grens], [land_note, grens_note],
                  xaxis=dict(range=[0, 110], ticksuffix="%", gridcolor=theme.RASTER), yaxis=dict(automargin=True))


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
    ) for (name, values), color in list(zip(series.items(), (theme.BLAUW, theme.GRIJSBLAUW, theme.ORANJE)))[::-1]]
    xaxis = dict(gridcolor=theme.RASTER, title=axis_title, tickformat=",d")
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


