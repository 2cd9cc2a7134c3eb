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

TAG_LINE = r"^\s*--\s*@{tag}\s+(.+)$"


@dataclass(frozen=True)
class Metric:
    name: str
    kind: str  # 'aantal' (count), 'pct' (0-100), 'dagen' (days) or 'cijfer' (a mean mark, 1-10)
    label: str
    definition: str
    query: str


@cache
def sql(name: str) -> str:
    return (QUERIES / f"{name}.sql").read_text(encoding="utf-8")


# The benchmark sets this to a list to record which named queries a page runs.
RECORDED: list | None = None


def run(con: duckdb.DuckDBPyConnection, name: str, **params) -> pd.DataFrame:
    """Run queries/<name>.sql with its $named parameters bound; returns a DataFrame. In the dashboard
    `con` is a cache.CachedCursor and the result is cached per database version."""
    if RECORDED is not None:
        RECORDED.append((name, params))
    if hasattr(con, "run_named"):
        return con.run_named(name, params)
    return con.execute(sql(name), params).df()


def tagged(name: str, tag: str) -> list[list[str]]:
    """The '|'-separated fields of every `-- @<tag>` line in queries/<name>.sql, in file order."""
    lines = re.findall(TAG_LINE.format(tag=tag), sql(name), re.MULTILINE)
    return [[part.strip() for part in line.split("|")] for line in lines]


@cache
def metrics(name: str) -> tuple[Metric, ...]:
    """The metrics documented in queries/<name>.sql, in file order."""
    return tuple(Metric(metric, kind, label, definition, name)
                 for metric, kind, label, definition in tagged(name, "metric"))


@cache
def signal_definitions() -> dict[str, tuple[str, str]]:
    """Achtervang signal name -> (Dutch label, definition with {threshold} placeholders)."""
    return {name: (label, definition) for name, label, definition in tagged("signalen", "signaal")}


METRIC_QUERIES = ("metrieken_compensatie", "metrieken_ondersteuning", "metrieken_deelname", "metrieken_ervaring")


def all_metrics() -> dict[str, Metric]:
    """Every metric of the spec, by name, across the metric queries."""
    return {m.name: m for q in METRIC_QUERIES for m in metrics(q)}


def documented_metrics() -> list[Metric]:
    """Every documented measure in queries/, the spec's metrics first, then those of the pages."""
    others = sorted(p.stem for p in QUERIES.glob("*.sql") if p.stem not in METRIC_QUERIES)
    return [m for q in (*METRIC_QUERIES, *others) for m in metrics(q)]
