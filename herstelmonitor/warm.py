"""Warm caches after every load: the first person to open a page after a new load should not wait for it.

Each Streamlit process starts one watcher thread (on its first page view). It warms the version it finds
at once, then looks at the database link every few seconds; when a new version appears, it opens one session
to its own process over the websocket, as a browser would (herstelmonitor.loadtest), and visits every page.
That fills the caches shared by all sessions of the process (query results, derived tables, figure specs) for
the version, so later visitors find them warm: after a start, the first visitor's next menu click; after a
load, everyone. Only in a real server (not under AppTest).

With sign-in switched on the watcher's session is not signed in and sees only the login page: then pages
warm on their first visit, and what must be fast cold is done at ingest (the stored metrics).
"""
import re
import sys
import threading
import time
from pathlib import Path

import streamlit as st
from streamlit.logger import get_logger

from herstelmonitor import db, paths

POLL_SECONDS = 2.0
WARMED = "Caches opgewarmd voor %s: %d pagina's in %.1f s"  # the server's log line after each warm-up
WARMED_RE = re.compile(r"Caches opgewarmd voor (\S+): (\d+) pagina's")


def warmed_in(log: str) -> list[tuple[str, int]]:
    """(database file, pages warmed without an error) for every warm-up in a server's log, in order."""
    return [(name, int(pages)) for name, pages in WARMED_RE.findall(log)]
LOG = get_logger(__name__)  # Streamlit's logger: its level (info) and format, in the server's log


_started: set[int] = set()
_lock = threading.Lock()


def start() -> None:
    """Start this process's watcher once (a no-op under AppTest, where there is no server)."""
    from streamlit.runtime import Runtime

    # Only in `streamlit run dashboard.py` (which sets sys.argv[0] to the script); AppTest has a runtime too.
    if not Runtime.exists() or Path(sys.argv[0]).resolve() != (paths.ROOT / "dashboard.py").resolve():
        return
    port = int(st.get_option("server.port"))
    with _lock:
        if port in _started:
            return
        _started.add(port)
    host = st.get_option("server.address") or "127.0.0.1"
    host = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    threading.Thread(target=watch, args=(f"http://{host}:{port}",), name="herstelmonitor-warm", daemon=True).start()


def watch(url: str) -> None:
    """Warm the version found at the start (its first visitor started this watcher and waits only for the
    page they opened; the others are warmed behind it), then again after every swap."""
    warmed = None
    while True:
        version = db.version(paths.database().resolve())
        if version is not None and version != warmed:
            warmed = version
            seconds, pages = warm(url)
            LOG.info(WARMED, paths.database().resolve().name, pages, seconds)
        time.sleep(POLL_SECONDS)


def warm(url: str) -> tuple[float, int]:
    """Visit every page once in one session to `url`: (seconds taken, pages visited without an error).
    Failures are logged, never raised: a page that fails here fails for its visitor too, with the message
    shown there."""
    from herstelmonitor import loadtest

    start = time.perf_counter()
    try:
        views = loadtest.run_async(loadtest.sessions(url, "warm", 1, list(loadtest.PAGES), 600, 0, keep_texts=False))
    except Exception as e:  # the server is stopping, or the network is not there
        LOG.warning("warming %s failed: %s", url, e)
        return time.perf_counter() - start, 0
    for v in views:
        if v.error:
            LOG.warning("warming %s: %s", v.page, v.error)
    return time.perf_counter() - start, sum(not v.error for v in views)
