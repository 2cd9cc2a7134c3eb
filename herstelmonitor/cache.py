"""The dashboard's connection: one read-only connection per database version, shared by all sessions.

Query results are cached in one place, herstelmonitor.queries.run, by one key: the database version plus
the fingerprint of the definitions (queries.key). A cached result depends only on that key, the query and
its parameters: never on a session, a user or a role (suppression by role is applied after the cache, in
herstelmonitor.privacy). A newly ingested database file is another version, so new data shows without a
restart.
"""
import duckdb
import streamlit as st

from herstelmonitor import db


@st.cache_resource(max_entries=2, show_spinner=False)
def open_readonly(path: str, version: tuple) -> duckdb.DuckDBPyConnection:
    # version is part of the key: a newly swapped-in file (new inode) gets its own connection.
    return db.connect(path, read_only=True)


def cursor(path: str, version: tuple) -> duckdb.DuckDBPyConnection:
    """A cursor of its own for one page run (a DuckDB connection is not thread-safe; sessions are threads)."""
    return open_readonly(path, version).cursor()
