"""The dashboard's connection: one read-only connection per database version, shared by all sessions.

Query results are cached in one place, herstelmonitor.queries.run, by one key: the database version plus
the fingerprint of the definitions (queries.key). A cached result depends only on that key, the query and
its parameters: never on a session, a user or a role (suppression by role is applied after the cache, in
herstelmonitor.privacy). A newly ingested database file is another version, so new data shows without a
restart.

Versions are opened and released here (not by st.cache_resource, which drops an entry without closing it):
`current()` opens the version the database link points at, retrying when ingest swaps the link between
resolving it and opening the file, and closes each replaced version once no page run uses it any more (or
GRACE_S after it was replaced, whatever still holds it), so a long-running dashboard holds one or two
database files, not every version it has seen.
"""
import threading
import time
import weakref
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from herstelmonitor import db

GRACE_S = 120.0  # a replaced version still in use is closed at the latest this long after it was replaced
OPEN_ATTEMPTS = 5


@dataclass
class _Version:
    link: str | None
    con: duckdb.DuckDBPyConnection
    cursors: weakref.WeakSet = field(default_factory=weakref.WeakSet)
    replaced_at: float | None = None


_lock = threading.Lock()
_versions: dict[tuple[str, tuple], _Version] = {}


def open_readonly(path: str, version: tuple, link: str | None = None) -> duckdb.DuckDBPyConnection:
    """The read-only connection of one version of the database file (opened once)."""
    with _lock:
        entry = _versions.get((path, version))
        if entry is None:
            entry = _versions[(path, version)] = _Version(link, db.connect(path, read_only=True))
        return entry.con


def cursor(path: str, version: tuple, link: str | None = None) -> duckdb.DuckDBPyConnection:
    """A cursor of its own for one page run (a DuckDB connection is not thread-safe; sessions are threads),
    on one version of the database; the version stays open while the cursor is in use."""
    cur = open_readonly(path, version, link).cursor()
    with _lock:
        _versions[(path, version)].cursors.add(cur)
    return cur


def current(link: Path) -> duckdb.DuckDBPyConnection | None:
    """A cursor on the version the database link points at now, or None when nothing has been loaded. Ingest
    may swap the link and unlink the old version between resolving and opening: then resolve again."""
    for attempt in range(OPEN_ATTEMPTS):
        path = link.resolve()
        version = db.version(path)
        if version is None:
            if link.is_symlink():  # swapped away under us: the link points at a newer version now
                time.sleep(0.01 * (attempt + 1))
                continue
            return None
        try:
            cur = cursor(str(path), version, str(link))
        except duckdb.IOException:  # unlinked between stat and open
            time.sleep(0.01 * (attempt + 1))
            continue
        release_replaced(str(link), (str(path), version))
        return cur
    raise RuntimeError(f"De database {link} kon na {OPEN_ATTEMPTS} pogingen niet worden geopend.")


def release_replaced(link: str, keep: tuple[str, tuple]) -> list[str]:
    """Close the versions of this link other than `keep` that no page run uses any more, or that were replaced
    more than GRACE_S ago; returns the paths closed."""
    now, closed = time.monotonic(), []
    with _lock:
        for key, entry in list(_versions.items()):
            if entry.link != link or key == keep:
                continue
            entry.replaced_at = entry.replaced_at or now
            if not entry.cursors or now - entry.replaced_at > GRACE_S:
                entry.con.close()
                del _versions[key]
                closed.append(key[0])
    return closed


def close_all() -> None:
    """Close every open version (tests; a process that stops)."""
    with _lock:
        for entry in _versions.values():
            entry.con.close()
        _versions.clear()


def open_versions() -> list[str]:
    with _lock:
        return [path for path, _ in _versions]
