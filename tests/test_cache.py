"""Caching that is correct: new data shows without a restart; nothing of one session leaks into another."""
import shutil

from streamlit.testing.v1 import AppTest

from herstelmonitor.ingest import ACCEPTED, extract_files, ingest, mark_as_sample
from tests.conftest import KLEIN
from tests.helpers import tile


def test_a_newly_ingested_peildatum_shows_up_in_a_running_app(tmp_path, monkeypatch):
    folder, dbfile = tmp_path / "extracten", tmp_path / "db.duckdb"
    folder.mkdir()
    for name in ("aanmeldingen", "ondersteuning", "deelname"):
        shutil.copy(KLEIN / f"{name}_2021-03-31.csv", folder)
    mark_as_sample(folder)
    assert all(r.outcome == ACCEPTED for r in ingest(extract_files(folder), dbfile))
    monkeypatch.setenv("HERSTELMONITOR_DB", str(dbfile))
    at = AppTest.from_file("../dashboard.py", default_timeout=30).run()
    assert tile(at, "Aangemeld") == "7"

    # The data team loads the next peildatum while the app runs (the app holds the old file open).
    for name in ("aanmeldingen", "ondersteuning", "deelname"):
        shutil.copy(KLEIN / f"{name}_2021-06-30.csv", folder)
    mark_as_sample(folder)
    results = ingest(extract_files(folder), dbfile)
    assert [r.outcome for r in results] == ["al geladen"] * 3 + [ACCEPTED] * 3
    at.query_params.clear()
    at.session_state["peildatum"] = None
    at.run()
    assert tile(at, "Aangemeld") == "12"  # the latest peildatum is the new one, no restart needed


def test_sessions_do_not_share_their_choices(klein_db):
    first = AppTest.from_file("../dashboard.py", default_timeout=30).run()
    first.sidebar.selectbox[0].select(first.sidebar.selectbox[0].options[1]).run()
    assert tile(first, "Aangemeld") == "7"
    second = AppTest.from_file("../dashboard.py", default_timeout=30).run()  # same process, same caches
    assert tile(second, "Aangemeld") == "12"
