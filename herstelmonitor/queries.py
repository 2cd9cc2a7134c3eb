"""Named queries: every metric is defined once, as a .sql file in queries/, and run from here.

A query file may document the metrics it defines with lines of the form

    -- @metric <name> | <soort> | <Dutch label> | <Dutch definition>

right above the expression. The "Over de cijfers" page shows these; a test checks that every documented
metric is a column of its query and every metric column is documented, so the two cannot drift apart.
"""
import re
from dataclasses import dataclass
from functools import cache

import duckdb
import pandas as pd

from herstelmonitor.paths import QUERIES

METRIC_LINE = re.compile(r"^\s*--\s*@metric\s+(.+)$", re.MULTILINE)


@dataclass(frozen=True)
class Metric:
    name: str
    kind: str  # 'aantal' (count), 'pct' (0-100) or 'dagen' (days)
    label: str
    definition: str
    query: str


@cache
def sql(name: str) -> str:
    return (QUERIES / f"{name}.sql").read_text(encoding="utf-8")


def run(con: duckdb.DuckDBPyConnection, name: str, **params) -> pd.DataFrame:
    """Run queries/<name>.sql with its $named parameters bound; returns a DataFrame."""
    return con.execute(sql(name), params).df()


@cache
def metrics(name: str) -> tuple[Metric, ...]:
    """The metrics documented in queries/<name>.sql, in file order."""
    found = []
    for line in METRIC_LINE.findall(sql(name)):
        metric, kind, label, definition = (part.strip() for part in line.split("|", 3))
        found.append(Metric(metric, kind, label, definition, name))
    return tuple(found)


METRIC_QUERIES = ("metrieken_compensatie", "metrieken_ondersteuning", "metrieken_deelname")


def all_metrics() -> dict[str, Metric]:
    """Every metric of the spec, by name, across the metric queries."""
    return {m.name: m for q in METRIC_QUERIES for m in metrics(q)}
