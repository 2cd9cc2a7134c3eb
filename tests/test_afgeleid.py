"""Derived tables carry the fingerprint of their definitions: a metric added, an expression changed or a
setting changed makes ingest rebuild every peildatum of an existing database, so that it equals a database
loaded fresh; until then the dashboard refuses the stale database and names the command to run."""
import shutil

import pytest
from streamlit.testing.v1 import AppTest

from herstelmonitor import config, db, metrics, queries
from herstelmonitor.ingest import UNCHANGED, extract_files, ingest
from herstelmonitor.paths import CONFIG_FILE, QUERIES
from tests.conftest import KLEIN, load

CACHED = (queries.sql, queries.metrics, queries.catalogue, queries.signal_definitions, queries.derived,
          queries.fingerprints, config.settings)

NEW_METRIC = """        -- @metric plan_zonder_contact | count | Plan zonder contact | Ouders met een plan van aanpak maar zonder eerste contactdatum.
        count(plan_datum) FILTER (WHERE eerste_contact_datum IS NULL) AS plan_zonder_contact,
"""
OLD_EXPRESSION = "count(*) FILTER (WHERE status = 'hulp_afgewezen') AS hulp_afgewezen"
NEW_EXPRESSION = "count(*) FILTER (WHERE status IN ('hulp_afgewezen', 'niet_bereikbaar')) AS hulp_afgewezen"


def forget_definitions():
    for f in CACHED:
        f.cache_clear()


@pytest.fixture
def changed_definitions(tmp_path, monkeypatch):
    """queries/ and the config as they would be after a developer added a metric to basis.sql, changed the
    expression of hulp_afgewezen and set [bereik] weken from 8 to 4."""
    folder = tmp_path / "queries"
    shutil.copytree(QUERIES, folder)
    basis = (folder / "basis.sql").read_text(encoding="utf-8")
    assert OLD_EXPRESSION in basis
    basis = basis.replace(OLD_EXPRESSION, NEW_EXPRESSION)
    basis = basis.replace("        -- @metric ondersteuning_loopt |", NEW_METRIC + "        -- @metric ondersteuning_loopt |", 1)
    (folder / "basis.sql").write_text(basis, encoding="utf-8")
    settings = tmp_path / "herstelmonitor.toml"
    text = CONFIG_FILE.read_text(encoding="utf-8")
    assert "\nweken = 8\n" in text
    settings.write_text(text.replace("\nweken = 8\n", "\nweken = 4\n"), encoding="utf-8")

    def switch():
        monkeypatch.setattr(queries, "QUERIES", folder)
        monkeypatch.setattr(config, "CONFIG_FILE", settings)
        forget_definitions()

    yield switch
    monkeypatch.undo()
    forget_definitions()


def table(path, name):
    con = db.connect(path, read_only=True)
    try:
        return con.execute(f"SELECT * FROM {name} ORDER BY ALL").fetchall(), [
            r[0] for r in con.execute(f"DESCRIBE {name}").fetchall()]
    finally:
        con.close()


def test_changed_definitions_rebuild_an_existing_database_like_a_fresh_one(tmp_path, changed_definitions,
                                                                           monkeypatch):
    existing = load(KLEIN, tmp_path / "bestaand.duckdb")  # made with today's definitions
    con = db.connect(existing, read_only=True)
    assert queries.stale(con) == []
    before = metrics.kpis(con, metrics.peildata(con)[-1])["landelijk"]
    con.close()
    assert before["hulp_afgewezen"] == 1 and before["bereik_pct"] == pytest.approx(400 / 7)

    changed_definitions()
    con = db.connect(existing, read_only=True)
    assert queries.stale(con) == ["basis", "metrieken"]  # steun's query and settings did not change
    con.close()

    # The dashboard refuses the stale database and says what to run.
    monkeypatch.setenv("HERSTELMONITOR_DB", str(existing))
    at = AppTest.from_file("../dashboard.py", default_timeout=60).run()
    assert not at.exception and not at.metric
    assert "make ingest" in at.error[0].value and "python -m herstelmonitor ingest" in at.error[0].value

    # Ingest with no new file rebuilds every peildatum of the existing database.
    results = ingest(extract_files(KLEIN), existing)
    assert {r.outcome for r in results} == {UNCHANGED}
    fresh = load(KLEIN, tmp_path / "nieuw.duckdb")
    for name in ("steun", "basis", "metrieken", "afgeleid"):
        assert table(existing, name) == table(fresh, name), name

    con = db.connect(existing, read_only=True)
    assert queries.stale(con) == []
    days = metrics.peildata(con)
    land = metrics.kpis(con, days[-1])["landelijk"]
    # The new metric, by hand: at 2021-06-30 no parent has a plan without a contact date.
    assert land["plan_zonder_contact"] == 0 and "plan_zonder_contact" in queries.all_metrics()
    # The changed expression: OU03 declined and OU04 is unreachable.
    assert land["hulp_afgewezen"] == 2
    # 4 weeks instead of 8: shared on or before 2021-06-02 are OU01-07 and OU09 (10-05); 4 of 8 reached.
    assert land["bereik_basis"] == 8 and land["bereik_pct"] == pytest.approx(50)
    # Every peildatum was rebuilt, not only a changed one: the earlier peildatum too.
    assert metrics.kpis(con, days[0])["landelijk"]["hulp_afgewezen"] == 1  # OU03 (no unreachable parent yet)
    con.close()
    at = AppTest.from_file("../dashboard.py", default_timeout=60).run()
    assert not at.exception and not at.error and at.metric


@pytest.fixture
def forecast_code_changed(monkeypatch):
    """The source of the forecast (herstelmonitor/prognose.py) as it would be after an edit."""
    real = queries.source

    def switch():
        monkeypatch.setattr(queries, "source", lambda path: real(path) + (b"\n# edited\n" if path ==
                                                                          "herstelmonitor/prognose.py" else b""))
        forget_definitions()

    yield switch
    monkeypatch.undo()
    forget_definitions()


def test_a_changed_forecast_rebuilds_the_stored_back_test(tmp_path, forecast_code_changed, monkeypatch):
    existing = load(KLEIN, tmp_path / "bestaand.duckdb")
    made, _ = table(existing, "terugtoets")
    assert made and {r[0] for r in made} == {"extracten", "gepubliceerd"}
    con = db.connect(existing)
    con.execute("DELETE FROM terugtoets")  # so that a rebuild shows
    con.close()
    # Same code, same files: ingest leaves the back-test alone.
    assert {r.outcome for r in ingest(extract_files(KLEIN), existing)} == {UNCHANGED}
    assert table(existing, "terugtoets")[0] == []

    forecast_code_changed()
    con = db.connect(existing, read_only=True)
    assert queries.stale(con) == ["terugtoets"]
    con.close()
    monkeypatch.setenv("HERSTELMONITOR_DB", str(existing))
    at = AppTest.from_file("../dashboard.py", default_timeout=60).run()
    assert not at.exception and not at.metric
    assert "terugtoets" in at.error[0].value and "make ingest" in at.error[0].value

    assert {r.outcome for r in ingest(extract_files(KLEIN), existing)} == {UNCHANGED}
    assert table(existing, "terugtoets")[0] == made
    con = db.connect(existing, read_only=True)
    assert queries.stale(con) == []
    con.close()
