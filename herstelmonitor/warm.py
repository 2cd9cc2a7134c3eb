"""Warm caches after every load: the first person to open a page after a new load should not wait for it.

Each Streamlit process starts one watcher thread (on its first page view). It looks at the database link
every few seconds; when a new version appears, it opens one session to its own
process over the websocket, as a browser would (herstelmonitor.loadtest), and visits every page. That fills
the caches shared by all sessions of the process (query results, derived tables, figure specs) for the
new version, so later visitors find them warm. Only in a real server (not under AppTest).

With sign-in switched on the watcher's session is not signed in and sees only the login page: then pages
warm on their first visit, and what must be fast cold is done at ingest (the stored metrics).
"""
import logging
import sys
import threading
import time
from pathlib import Path

import streamlit as st

from herstelmonitor import db, paths

POLL_SECONDS = 2.0
LOG = logging.getLogger(__name__)


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
    """Warm after every swap. The version found at the start is not warmed here: its first visitor, who
    started this watcher, is warming it already."""
    warmed = db.version(paths.database().resolve())
    while True:
        time.sleep(POLL_SECONDS)
        version = db.version(paths.database().resolve())
        if version is not None and version != warmed:
            warmed = version
            warm(url)


def warm(url: str) -> float:
    """Visit every page once in one session to `url`; seconds taken. Failures are logged, never raised:
    a page that fails here fails for its visitor too, with the message shown there."""
    from herstelmonitor import loadtest

    start = time.perf_counter()
    try:
        views = loadtest.run_async(loadtest.sessions(url, "warm", 1, list(loadtest.PAGES), 600, 0, keep_texts=False))
    except Exception as e:  # the server is stopping, or the network is not there
        LOG.warning("warming %s failed: %s", url, e)
        return time.perf_counter() - start
    for v in views:
        if v.error:
            LOG.warning("warming %s: %s", v.page, v.error)
    return time.perf_counter() - start
