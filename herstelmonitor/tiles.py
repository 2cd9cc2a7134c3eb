"""KPI tiles: a metric's value at the peildatum and its change since the previous one, said in words.

No sparkline: Streamlit draws it as an unlabelled SVG that screen readers read as ~100 "x: 10; y: 81.05"
labels; the trend of every metric is on the Tempo and Deelname pages as charts with a text summary."""
import pandas as pd
import streamlit as st

from herstelmonitor.format import datum, metric_change, metric_value, missing
from herstelmonitor.queries import all_metrics

# Metrics where a rise is bad news: their change shows red when it goes up.
RISE_IS_BAD = {
    "wachtend_op_eerste_toets", "doorlooptijd_eerste_toets_mediaan", "doorlooptijd_forfait_mediaan",
    "doorlooptijd_integrale_beoordeling_mediaan", "doorlooptijd_contact_mediaan",
}
NEUTRAL = {"hulp_afgewezen"}


def kpi_tile(name: str, series: pd.Series) -> None:
    """series: the metric per peildatum, oldest first, ending at the chosen peildatum."""
    m = all_metrics()[name]
    value = series.iloc[-1]
    change = value - series.iloc[-2] if len(series) > 1 else None
    change = None if missing(change) else change  # e.g. no median at the previous peildatum
    color = "off" if name in NEUTRAL or not change else "inverse" if name in RISE_IS_BAD else "normal"
    since = f"sinds {datum(series.index[-2])}" if len(series) > 1 and change is not None else None
    st.metric(
        m.label, metric_value(m.kind, value),
        delta=None if change is None else metric_change(m.kind, change) or "0",
        delta_color=color, delta_arrow="auto" if change else "off", help=m.definition, border=True,
        delta_description=since,
    )


def tile_row(names: list[str], table: pd.DataFrame, per_row: int = 4) -> None:
    for start in range(0, len(names), per_row):
        for col, name in zip(st.columns(per_row), names[start:start + per_row]):
            with col:
                kpi_tile(name, table[name])
