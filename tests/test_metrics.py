"""The spec's metrics checked against numbers worked out by hand on tests/fixtures/klein.

The fixture: 12 parents at 2021-06-30 (7 at 2021-03-31, delivered the Dutch way), in Rotterdam
(GM0599, 5), Almere (GM0034, 3), Groningen (GM0014, 2), an unknown code GM9999 (1) and none (1).
"""
import json
import subprocess
import sys
from datetime import date

import pandas as pd
import pytest

from herstelmonitor import db, metrics
from herstelmonitor.paths import ROOT
from herstelmonitor.queries import METRIC_QUERIES, all_metrics, metrics as documented, signal_definitions, sql

P1, P2 = date(2021, 3, 31), date(2021, 6, 30)


@pytest.fixture
def con(klein_db):
    c = db.connect(klein_db, read_only=True)
    yield c
    c.close()


def test_national_metrics_at_latest_peildatum(con):
    land = metrics.kpis(con, P2)["landelijk"]
    # Counts: registered OU01-OU12; first checks OU01,02,03,05,06,09,10; recognised OU01,02,05,06,10;
    # paid the same five; full review OU01 only; details shared OU01-07 and OU09.
    assert land["aangemeld"] == 12
    assert land["eerste_toets_afgerond"] == 7
    assert land["erkend_gedupeerd"] == 5
    assert land["forfait_betaald"] == 5
    assert land["integrale_beoordeling_afgerond"] == 1
    assert land["wachtend_op_eerste_toets"] == 5
    assert land["gegevens_gedeeld"] == 8
    # Days to first check: 61, 80, 55, 111, 31, 50, 26 -> sorted 26 31 50 55 61 80 111: median 55;
    # p90 at position 0.9 * 6 = 5.4: 80 + 0.4 * (111 - 80) = 92.4.
    assert land["doorlooptijd_eerste_toets_mediaan"] == 55
    assert land["doorlooptijd_eerste_toets_p90"] == pytest.approx(92.4)
    # Days to payment: 101, 92, 125, 50, 41 -> median 92; p90 at 3.6: 101 + 0.6 * 24 = 115.4.
    assert land["doorlooptijd_forfait_mediaan"] == 92
    assert land["doorlooptijd_forfait_p90"] == pytest.approx(115.4)
    assert land["doorlooptijd_integrale_beoordeling_mediaan"] == 212
    # Support: contact for OU01, 02, 03 (declined) and 06.
    assert land["in_contact"] == 4
    assert land["hulp_afgewezen"] == 1
    # Shared on or before 2021-05-05 (8 weeks before P2): OU01-07 (OU09 was shared 2021-05-10);
    # of those 4 were contacted: 4/7.
    assert land["bereik_pct"] == pytest.approx(100 * 4 / 7)
    # Days from sharing to contact: 5, 26, 28, 66 -> median 27; p90 at 2.7: 28 + 0.7 * 38 = 54.6.
    assert land["doorlooptijd_contact_mediaan"] == 27
    assert land["doorlooptijd_contact_p90"] == pytest.approx(54.6)
    # Joined by P2: GM0599 (Feb), GM0363 (Jan), GM0014 (1 June); Almere not.
    assert land["gemeenten_aangesloten"] == 3


def test_per_gemeente_and_onbekend(con):
    gem = metrics.kpis(con, P2)["gemeenten"]
    assert len(gem) == 342 + 1
    rdam = gem["GM0599"]
    assert (rdam["aangemeld"], rdam["eerste_toets_afgerond"], rdam["erkend_gedupeerd"]) == (5, 4, 3)
    assert (rdam["in_contact"], rdam["hulp_afgewezen"], rdam["gemeenten_aangesloten"]) == (3, 1, 1)
    assert rdam["bereik_pct"] == 60  # OU01-05 shared 8+ weeks ago, OU01-03 contacted
    almere = gem["GM0034"]
    assert (almere["aangemeld"], almere["in_contact"], almere["bereik_pct"]) == (3, 1, 50)
    # Groningen shared OU09 but reports no support row: it counts as shared, not reached; too recent
    # for reach, so bereik_pct has no denominator and is null.
    assert gem["GM0014"]["gegevens_gedeeld"] == 1 and gem["GM0014"]["bereik_pct"] is None
    # GM9999 (not a 2023 gemeente) and the parent without a code count under onbekend.
    assert gem["onbekend"]["aangemeld"] == 2 and gem["onbekend"]["erkend_gedupeerd"] == 1
    # A gemeente without parents: zero counts, no percentages or days.
    assert gem["GM0363"]["aangemeld"] == 0 and gem["GM0363"]["doorlooptijd_eerste_toets_mediaan"] is None
    # Per-gemeente counts add up to the national totals.
    for name in ("aangemeld", "forfait_betaald", "in_contact", "gemeenten_aangesloten"):
        assert sum(g[name] for g in gem.values()) == metrics.kpis(con, P2)["landelijk"][name]


def test_earlier_peildatum_uses_its_own_extracts(con):
    land = metrics.kpis(con, P1)["landelijk"]
    assert (land["aangemeld"], land["eerste_toets_afgerond"], land["forfait_betaald"]) == (7, 3, 2)
    assert land["gegevens_gedeeld"] == 5  # OU01, 02, 03, 06, 07
    assert land["bereik_pct"] == 100  # only OU01 and OU02 were shared 8+ weeks before 2021-03-31
    assert land["gemeenten_aangesloten"] == 2


def test_signals_follow_thresholds(con):
    # With the defaults (5 parents) this small set fires nothing.
    assert all(not g["signalen"] for g in metrics.kpis(con, P2)["gemeenten"].values())
    # Lowered to 2 parents: Almere has 2 shared parents and has not joined -> niet_aangesloten.
    sig = metrics.signals(con, P2, P2, {"niet_aangesloten_min_ouders": 2}).set_index("gemeentecode")
    assert sig.loc["GM0034", "niet_aangesloten"] and not sig.loc["GM0599", "niet_aangesloten"]
    # Rotterdam has 3 open parents (OU02, 04, 05) and its latest contact, plan or completion is
    # 2021-05-01 (OU01 finished), before the 8 weeks up to P2 (from 2021-05-06): with 3 open
    # parents enough, Rotterdam stands still; with the default 5 it does not.
    sig = metrics.signals(con, P2, P2, {"stilstand_min_ouders": 3}).set_index("gemeentecode")
    assert sig.loc["GM0599", "stilstand"]
    assert sig.loc["GM0599", "laatste_activiteit"].date() == date(2021, 5, 1)


def test_every_metric_column_is_documented_and_every_documented_metric_is_a_column(con):
    # The metrics table: every column is in the catalogue, every metric declared in basis.sql or
    # metrieken.sql is one of its columns, and every kind is one the formatter and privacy know.
    columns = set(metrics.compute_metric_table(con, P2, P2).columns) - {"peildatum", "gemeente"}
    assert columns == set(all_metrics())
    assert {m.name for q in METRIC_QUERIES for m in documented(q)} == columns
    spec_names = {"aangemeld", "eerste_toets_afgerond", "erkend_gedupeerd", "forfait_betaald",
                  "integrale_beoordeling_afgerond", "wachtend_op_eerste_toets", "gegevens_gedeeld",
                  "in_contact", "hulp_afgewezen", "bereik_pct", "gemeenten_aangesloten"}
    assert spec_names <= set(all_metrics())
    assert set(signal_definitions()) == set(metrics.SIGNALS)


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "herstelmonitor", *args], capture_output=True, text=True, cwd=ROOT)


def test_kpis_command_prints_the_latest_peildatum_as_json(klein_db):
    out = run_cli("kpis", "--db", str(klein_db), "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["peildatum"] == "2021-06-30"
    assert data["landelijk"]["aangemeld"] == 12 and data["gemeenten"]["GM0599"]["signalen"] == []
    earlier = json.loads(run_cli("kpis", "--db", str(klein_db), "--peildatum", "2021-03-31", "--json").stdout)
    assert earlier["landelijk"]["aangemeld"] == 7


def test_kpis_command_refuses_a_peildatum_without_extracts(klein_db, tmp_path):
    out = run_cli("kpis", "--db", str(klein_db), "--peildatum", "2021-01-31", "--json")
    assert out.returncode != 0 and "Geen extracten voor peildatum 2021-01-31" in out.stderr
    out = run_cli("kpis", "--db", str(tmp_path / "nergens.duckdb"), "--json")
    assert out.returncode != 0 and "bestaat niet" in out.stderr


def test_stored_metrics_equal_the_live_definition(sample_db):
    con = db.connect(sample_db, read_only=True)
    days = metrics.peildata(con)
    stored = metrics.metric_table(con, days[0], days[-1]).set_index(["peildatum", "gemeente"]).sort_index()
    live = metrics.compute_metric_table(con, days[0], days[-1]).set_index(["peildatum", "gemeente"]).sort_index()
    con.close()
    assert len(stored) == len(live) > 41 * 300
    import pandas as pd
    pd.testing.assert_frame_equal(stored, live.astype("float64"), check_dtype=False, check_index_type=False)


def test_a_query_over_many_peildata_run_one_peildatum_at_a_time_gives_the_same_frame(sample_db):
    """Samenhang and Buiten de boot run their many-peildata queries one peildatum at a time (2-3 GB less memory
    at scale 10): the concatenation must be the frame the single query gives, rows, order and types."""
    from herstelmonitor import config
    from herstelmonitor.buiten_de_boot import zonder_aanpak
    from herstelmonitor.queries import run_per_peildatum

    con = db.connect(sample_db, read_only=True)
    dates = metrics.peildata(con)
    van, tot = dates[0], dates[-1]
    extra = {"buiten_de_boot": {"bereik_dagen": config.reach_days(), "zonder_aanpak": zonder_aanpak(con, van, tot)},
             "samenhang_compensatie": {}}
    for name, params in extra.items():
        whole = con.execute(sql(name), {"van": van, "tot": tot, **params}).df()
        parts = run_per_peildatum(con, name, van, tot, **params)
        assert len(whole) > 100 and whole["peildatum"].nunique() > 10
        pd.testing.assert_frame_equal(parts, whole)
    # A range holding no loaded peildatum gives the query's own (empty) answer.
    assert run_per_peildatum(con, "samenhang_compensatie", date(1990, 1, 1), date(1990, 2, 1)).empty
