"""Caches are warmed in a real server: for the version found at the start, and again after every new load
(herstelmonitor.warm), so the first visitor after a load does not wait for the work. A real Streamlit process
on loopback, a real ingest swapping in a new database file; no timing assertions (`bench` measures speed)."""
import shutil
import time

from herstelmonitor import loadtest, scaleout
from herstelmonitor.warm import warmed_in
from herstelmonitor.ingest import ACCEPTED, extract_files, ingest, mark_as_sample
from herstelmonitor.paths import ROOT
from tests.conftest import KLEIN, load


def warmed(log) -> list[tuple[str, int]]:
    return warmed_in(log.read_text(encoding="utf-8", errors="replace") if log.exists() else "")


def wait_for(condition, seconds: float = 120):
    deadline = time.monotonic() + seconds
    while not (result := condition()):
        assert time.monotonic() < deadline, "waited in vain"
        time.sleep(0.5)
    return result


def test_every_page_is_warmed_at_the_start_and_after_a_new_load(tmp_path):
    extracts, logs = tmp_path / "extracts", tmp_path / "logs"
    logs.mkdir()
    shutil.copytree(KLEIN, extracts)
    database = load(extracts, tmp_path / "herstelmonitor.duckdb")
    first = database.resolve().name
    with scaleout.running(ROOT / "dashboard.py", database, 1, logs=logs) as cluster:
        [log] = logs.glob("streamlit-*.log")
        assert warmed(log) == []  # the watcher starts with the first page view, not before
        [view] = loadtest.run_async(loadtest.sessions(cluster.url, "eerste", 1, [("", "")], 120, 0, False))
        assert not view.error, view.error
        assert wait_for(lambda: warmed(log)) == [(first, len(loadtest.PAGES))]

        for kind in ("aanmeldingen", "ondersteuning", "deelname"):
            shutil.copy(extracts / f"{kind}_2021-06-30.csv", extracts / f"{kind}_2021-09-30.csv")
        mark_as_sample(extracts)
        accepted = {r.name for r in ingest(extract_files(extracts), database) if r.outcome == ACCEPTED}
        assert accepted == {f"{kind}_2021-09-30.csv" for kind in ("aanmeldingen", "ondersteuning", "deelname")}
        second = database.resolve().name
        assert second != first
        # Nobody visits: the watcher notices the new file by itself and visits every page on it.
        assert wait_for(lambda: warmed(log)[1:]) == [(second, len(loadtest.PAGES))]
