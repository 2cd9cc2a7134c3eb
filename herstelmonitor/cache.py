"""Caching for the dashboard: one read-only connection per database version, query results per version.

A cached result depends only on the database version, the query and its parameters: never on a session,
a user or a role (suppression by role is applied after the cache, in herstelmonitor.privacy). A newly
ingested database file is another version, so new data shows without a restart.
"""
import duckdb
import pandas as pd
import streamlit as st

from herstelmonitor import db
from herstelmonitor.queries import sql


@st.cache_resource(max_entries=2, show_spinner=False)
def open_readonly(path: str, version: tuple) -> duckdb.DuckDBPyConnection:
    # version is part of the key: a newly swapped-in file (new inode) gets its own connection.
    return db.connect(path, read_only=True)


@st.cache_data(max_entries=2000, show_spinner=False)
def _run(path: str, version: tuple, name: str, params: tuple) -> pd.DataFrame:
    cursor = open_readonly(path, version).cursor()
    try:
        return cursor.execute(sql(name), dict(params)).df()
    finally:
        cursor.close()


class CachedCursor:
    """A cursor on one version of the database whose named queries are cached (see queries.run)."""

    def __init__(self, path: str, version: tuple):
        self.path, self.version = path, version
        self._cursor = open_readonly(path, version).cursor()

    def execute(self, *args, **kwargs):
        return self._cursor.execute(*args, **kwargs)

    def run_named(self, name: str, params: dict) -> pd.DataFrame:
        return _run(self.path, self.version, name, tuple(sorted(params.items())))
