"""DuckDB connections: a writable one for ingest, a read-only one for the dashboard.

The ingest never writes the file the dashboard has open: it writes a copy and swaps it in with an atomic
rename. A reader notices the new file (another inode) and opens it; old connections keep the old file.
"""
import os
from pathlib import Path

import duckdb

from herstelmonitor.paths import GEMEENTEN_CSV
from herstelmonitor.queries import sql

# Only the extensions built into the wheel: anything else would try to download and fail offline.
OFFLINE = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}


def connect(path: Path | str, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A connection; a read-only one opens the versioned file behind the link (see herstelmonitor.ingest),
    so that what it reads, and the cache key of its results (queries.key), stay that file's."""
    if read_only:
        path = Path(path).resolve()
    con = duckdb.connect(str(path), read_only=read_only, config=dict(OFFLINE))
    con.execute("SET enable_progress_bar = false")  # no bars on the terminal of a long ingest
    return con


def version(path: Path) -> tuple[int, int] | None:
    """What identifies one state of the database file: changes when ingest swaps a new file in."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_mtime_ns)


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the tables and views, and (re)load the reference list of gemeenten."""
    con.execute(sql("schema"))
    if con.execute("SELECT count(*) FROM gemeenten").fetchone()[0] == 0:
        con.execute(
            "INSERT INTO gemeenten SELECT * FROM read_csv($path, header = true, all_varchar = false)",
            {"path": str(GEMEENTEN_CSV)},
        )
