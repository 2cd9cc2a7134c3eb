"""Smoke test of the load test and the load-balanced set-up: real Streamlit processes, real nginx, real
websocket sessions, a few of them; no timing assertions (speed is measured by `bench --load`)."""
import shutil
from pathlib import Path

import pytest

from herstelmonitor import loadtest, scaleout
from herstelmonitor.ingest import ACCEPTED, extract_files, ingest, mark_as_sample
from herstelmonitor.paths import ROOT
from tests.conftest import KLEIN, load

pytestmark = pytest.mark.skipif(not Path(scaleout.NGINX).exists(), reason="nginx is not installed (apt-get install nginx)")


def test_a_few_sessions_visit_every_page_without_errors(sample_db):
    [dashboard, trivial] = loadtest.run(sample_db, 2, [("1 process", 1, False)], rounds=1, seconds=300)
    assert dashboard.errors == [] and trivial.errors == []
    pages = {page or "dashboard" for page, _ in loadtest.PAGES}
    assert set(dashboard.per_page()) == pages and all(s["views"] == 2 for s in dashboard.per_page().values())
    assert trivial.total["views"] == 2 * len(loadtest.PAGES)
    assert dashboard.server_cpu_s > 0 and dashboard.server_peak_rss_mb >= 50
    report = loadtest.report([dashboard, trivial])
    assert "| 1 process | 2 | `regio` | 2 |" in report and "trivial (all pages)" in report


def overview_texts(url: str) -> str:
    [view] = loadtest.run_async(loadtest.sessions(url, "check", 1, [("", "")], 120, 0, keep_texts=True))
    assert not view.error, view.error
    return " ".join(view.texts)


def test_behind_nginx_sessions_stick_to_one_process_and_every_process_sees_a_new_load(tmp_path):
    extracts = tmp_path / "extracts"
    shutil.copytree(KLEIN, extracts)
    database = load(extracts, tmp_path / "herstelmonitor.duckdb")
    with scaleout.running(ROOT / "dashboard.py", database, processes=2, balancer=True, backend_header=True) as cluster:
        assert all("30 juni 2021" in overview_texts(url) for url in cluster.server_urls)
        views = loadtest.run_async(loadtest.sessions(cluster.url, "sticky", 6, [("", ""), ("over_de_cijfers", "")],
                                              120, 0, keep_texts=False))
        assert [v.error for v in views] == [""] * 12
        backends = {v.backend for v in views}
        assert all(b.startswith("127.0.0.1:") and " then " not in b for b in backends), backends
        # A new peildatum is loaded while both processes run: each of them shows it, without a restart.
        for kind in ("aanmeldingen", "ondersteuning", "deelname"):
            shutil.copy(extracts / f"{kind}_2021-06-30.csv", extracts / f"{kind}_2021-09-30.csv")
        mark_as_sample(extracts)
        results = ingest(extract_files(extracts), database)  # the earlier files are already loaded, not again
        assert {r.name for r in results if r.outcome == ACCEPTED} == {
            f"{kind}_2021-09-30.csv" for kind in ("aanmeldingen", "ondersteuning", "deelname")}
        assert all("30 september 2021" in overview_texts(url) for url in cluster.server_urls)
