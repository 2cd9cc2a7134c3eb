"""Named queries, the metric catalogue and the one door for reads.

Every figure is defined once, as SQL in queries/, and documented beside its expression with a tag:

    -- @metric <name> | <kind> | <Dutch label> | <Dutch definition> [| <base count>]

- kind: count (of parents), number (a count that reveals no parent: gemeenten, households), percentage,
  days, score, rank, euro or ratio (see KINDS). It decides how the figure is
  formatted (herstelmonitor.format.value) and protected (herstelmonitor.privacy.protect).
- base count: for a rate, percentage or lead time, the count it rests on (a column of the same frame);
  privacy.protect hides the figure where that count is small. For a percentage the base count is its
  denominator; written `numerator <count>`, it is the count the percentage is a share of (the numerator),
  for a share whose denominator is not in the frame (a gemeente's share of its region).
- label and definition may name a setting in braces ({bereik_weken}, {kleine_aantallen}); they are filled
  from config/herstelmonitor.toml, so a text never states a threshold the configuration does not have.

A figure made in Python rather than by a query (a what-if total, a sum over a region's members) is
declared the same way in the module that makes it, on a comment line beside its code: '#', then the same
'@metric' tag and fields. The catalogue (`catalogue()`) is every tag in queries/ and in the modules of this
package; a name is declared once. Pages, the command line
and the tests read figures only through `run(con, name, **params)`: the query's $named parameters bound,
the result cached by one key, `key(con)` (the database file's version plus the fingerprint of the
definitions), whenever the dashboard reads a database file read-only. Ingest, the command line and other
writers get an uncached run.
"""
import hashlib
import json
import os
import re
import threading
import weakref
from dataclasses import dataclass
from functools import cache

import duckdb
import pandas as pd
import streamlit as st

from herstelmonitor import config
from herstelmonitor.paths import QUERIES, ROOT

TAG_LINE = r"^\s*--\s*@{tag}\s+(.+)$"
MODULE_TAG_LINE = r"^\s*#\s*@metric\s+(.+)$"  # a figure made in Python, declared beside its code
PACKAGE = ROOT / "herstelmonitor"
NUMERATOR = "numerator"  # base count field `numerator <count>`: the count a percentage is a share of
# How a figure is shown and protected: counts are suppressed when small; a figure with a base count is
# hidden when its base is small; scores and ranks are derived from protected figures and shown as they are.
KINDS = ("count", "number", "percentage", "days", "score", "rank", "euro", "ratio")


@dataclass(frozen=True)
class Metric:
    name: str
    kind: str
    label: str
    definition: str
    query: str  # queries/<query>.sql, or the module that makes the figure ("herstelmonitor/regio.py")
    base: str | None = None  # the count a rate or lead time rests on
    numerator: bool = False  # for a percentage: `base` is its numerator, not its denominator

    @property
    def path(self) -> str:
        return self.query if self.query.endswith(".py") else f"queries/{self.query}.sql"


@cache
def sql(name: str) -> str:
    return (QUERIES / f"{name}.sql").read_text(encoding="utf-8")


def split_fields(lines: list[str]) -> list[list[str]]:
    return [[part.strip() for part in line.split("|")] for line in lines]


def tagged(name: str, tag: str) -> list[list[str]]:
    """The '|'-separated fields of every `-- @<tag>` line in queries/<name>.sql, in file order."""
    return split_fields(re.findall(TAG_LINE.format(tag=tag), sql(name), re.MULTILINE))


def parse_metric(fields_: list[str], query: str) -> Metric:
    kind = fields_[1] if len(fields_) > 1 else None
    count, numerator = parse_base(fields_[4] if len(fields_) == 5 else None)
    if len(fields_) not in (4, 5) or kind not in KINDS or (numerator and (kind != "percentage" or not count)):
        raise ValueError(f"{Metric('', '', '', '', query).path}: malformed @metric tag {' | '.join(fields_)!r} "
                         f"(expected name | kind | label | definition [| base count | numerator <count>], kind one "
                         f"of {KINDS}; a numerator only for a percentage)")
    name, _, label, definition = fields_[:4]
    values = config.text_values()
    return Metric(name, kind, label.format(**values), definition.format(**values), query, count, numerator)


def parse_base(field: str | None) -> tuple[str | None, bool]:
    """The base count field: (count, whether it is the numerator); `numerator <count>` or `<count>`."""
    word, _, rest = (field or "").partition(" ")
    return (rest.strip(), True) if word == NUMERATOR else (field, False)


@cache
def metrics(name: str) -> tuple[Metric, ...]:
    """The metrics documented in queries/<name>.sql, in file order."""
    return tuple(parse_metric(fields, name) for fields in tagged(name, "metric"))


# The base table and the metrics table (queries/schema.sql): every metric of the spec and the counts.
METRIC_QUERIES = ("basis", "metrieken")


@cache
def module_metrics() -> tuple[Metric, ...]:
    """The figures made in Python, declared in the modules of this package beside the code that makes them."""
    return tuple(parse_metric(f, f"herstelmonitor/{p.name}") for p in sorted(PACKAGE.glob("*.py"))
                 for f in split_fields(re.findall(MODULE_TAG_LINE, p.read_text(encoding="utf-8"), re.MULTILINE)))


@cache
def catalogue() -> dict[str, Metric]:
    """Every documented figure, by name: the metrics table's first, then the pages' own queries', then the
    figures made in Python."""
    others = sorted(p.stem for p in QUERIES.glob("*.sql") if p.stem not in METRIC_QUERIES)
    out: dict[str, Metric] = {}
    for m in (*(m for q in (*METRIC_QUERIES, *others) for m in metrics(q)), *module_metrics()):
        if m.name in out:
            raise ValueError(f"@metric {m.name} is declared twice: {out[m.name].path} and {m.path}")
        out[m.name] = m
    return out


def metric(name: str) -> Metric:
    return catalogue()[name]


def all_metrics() -> dict[str, Metric]:
    """Every column of the metrics table, by name (the counts of `basis` and the rates and lead times)."""
    return {n: m for n, m in catalogue().items() if m.query in METRIC_QUERIES}


def documented_metrics() -> list[Metric]:
    """Every documented figure, the metrics table's first."""
    return list(catalogue().values())


@cache
def signal_definitions() -> dict[str, tuple[str, str]]:
    """Achtervang signal name -> (Dutch label, definition with {threshold} placeholders)."""
    return {name: (label, definition) for name, label, definition in tagged("signalen", "signaal")}


# --- derived tables and their fingerprints ------------------------------------------------------------

@dataclass(frozen=True)
class Derived:
    """A derived table of queries/schema.sql: `-- @afgeleid <table> | <query> [| param = section.key, ...]`."""
    table: str
    query: str
    settings: tuple[tuple[str, str], ...]  # (query parameter, 'section.key' in config)

    def params(self) -> dict:
        """The query's parameters besides van and tot, from the configuration."""
        out = {}
        for param, where in self.settings:
            section, key = where.split(".")
            out[param] = config.settings()[section][key]
        return out


@cache
def derived() -> tuple[Derived, ...]:
    out = []
    for table, query, *rest in tagged("schema", "afgeleid"):
        settings = tuple(tuple(part.strip() for part in s.split("=")) for r in rest for s in r.split(",") if s.strip())
        out.append(Derived(table, query, settings))
    return tuple(out)


@cache
def made() -> dict[str, tuple[str, ...]]:
    """The tables made by Python code at ingest (`-- @gemaakt <table> | <file>, ...` in queries/schema.sql):
    table -> the files that make it, from the repository root."""
    return {table: tuple(f.strip() for f in files.split(",")) for table, files in tagged("schema", "gemaakt")}


def source(path: str) -> bytes:
    """The contents of a file a made table is made from (`queries/...` from the queries folder in use)."""
    return ((QUERIES / path.removeprefix("queries/")) if path.startswith("queries/") else ROOT / path).read_bytes()


@cache
def fingerprints() -> dict[str, str]:
    """Per derived table: a hash of its query, the settings it reads and everything it is derived from
    (the schema and the tables before it), so a change anywhere upstream changes it. Per made table: a hash
    of the files that make it."""
    out, upstream = {}, hashlib.sha256(sql("schema").encode()).hexdigest()
    for d in derived():
        text = json.dumps([d.table, sql(d.query), d.params(), upstream], sort_keys=True, default=str)
        upstream = out[d.table] = hashlib.sha256(text.encode()).hexdigest()[:20]
    for table, files in made().items():
        digest = hashlib.sha256(table.encode())
        for f in files:
            digest.update(f.encode() + hashlib.sha256(source(f)).digest())
        out[table] = digest.hexdigest()[:20]
    return out


def definitions() -> str:
    """The fingerprint of every definition together (that of the last derived table)."""
    return fingerprints()[derived()[-1].table]


def stale(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The derived and made tables whose stored fingerprint differs from the definitions now (all of them for
    a database made before fingerprints were stored)."""
    try:
        stored = dict(run(con, "afgeleid").itertuples(index=False))
    except duckdb.CatalogException:
        stored = {}
    return [t for t, fp in fingerprints().items() if stored.get(t) != fp]


# --- the one door ----------------------------------------------------------------------------------------

# The file version a read-only connection reads, per connection: it cannot change while the connection lives
# (ingest writes a new file and swaps the link), and asking DuckDB on every cache lookup cost 3-7% of a page view.
_versions: "weakref.WeakKeyDictionary[duckdb.DuckDBPyConnection, tuple]" = weakref.WeakKeyDictionary()
_versions_lock = threading.Lock()


def key(con: duckdb.DuckDBPyConnection) -> tuple | None:
    """What identifies the data a connection reads, for every cache: the database file, its version (a
    newly ingested database is another file) and the fingerprint of the definitions. None when the
    connection can change what it reads (writable, or in memory): such results are never cached."""
    with _versions_lock:
        version = _versions.get(con)
    if version is None:
        path, readonly = con.execute(sql("database")).fetchone()
        if not path or not readonly:
            return None
        st_ = os.stat(path)
        version = (path, st_.st_ino, st_.st_mtime_ns)
        with _versions_lock:
            _versions[con] = version
    return (*version, definitions())


def run(con: duckdb.DuckDBPyConnection, name: str, **params) -> pd.DataFrame:
    """Run queries/<name>.sql with its $named parameters bound; returns a DataFrame, cached by key(con)."""
    k = key(con) if st.runtime.exists() else None  # outside the dashboard (command line, ingest): no cache
    if k is None:
        return con.execute(sql(name), params).df()
    return _cached(k, name, tuple(sorted(params.items())), _con=con)


def run_per_peildatum(con: duckdb.DuckDBPyConnection, name: str, van, tot, **params) -> pd.DataFrame:
    """run() of a query over the peildata in [$van, $tot], one loaded peildatum at a time, concatenated in date
    order (the query orders by peildatum first, so the frame is the same). A query that keeps every parent row
    of every peildatum at once (medians, window functions) needed 2-3 GB at scale 10; one peildatum at a time
    needs a fortieth of that, and each peildatum's result is cached on its own."""
    dates = [d.date() for d in run(con, "peildata")["peildatum"] if van <= d.date() <= tot]
    if not dates:
        return run(con, name, van=van, tot=tot, **params)
    frames = [run(con, name, van=p, tot=p, **params) for p in dates]
    # An empty result has untyped (object) columns, which would untype the whole concatenation.
    return pd.concat([f for f in frames if len(f)] or frames[:1], ignore_index=True)


@st.cache_data(max_entries=2000, show_spinner=False)
def _cached(key_: tuple, name: str, params: tuple, _con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return _con.execute(sql(name), dict(params)).df()
