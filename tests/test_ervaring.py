"""Parent experience (spec 2.5 and 3): the optional survey extract, its metrics and the signal niet_geholpen.

tests/fixtures/ervaring is the klein set plus ervaring_2021-06-30.csv; peildatum P = 2021-06-30, so the
26-week window is 2020-12-31 up to and including 2021-06-30 (182 days). Worked out by hand:

GM0599, 13 rows, 12 in the window (OU13 answered on 2020-12-30, one day too early; OU05 on 2020-12-31 and
OU01 on P itself count): ja OU01 OU02 OU15 OU18 = 4, deels OU03 OU14 OU17 OU19 = 4, nee OU04 OU05 OU16 OU20
= 4. Marks given in the window: 8 7 6 4 9 3 5 7 6 (nine; OU04, OU14 and OU18 gave none; OU13's 10 is out)
= 55 / 9 = 6.111. geholpen_pct 33.3, deels_pct 33.3; ja or deels 8 of 12 = 66.7%: no signal.
GM0034: 9 answers, all nee: "te weinig antwoorden", no percentage, no signal although 0% is helped.
GM9999 (not a gemeente: 'onbekend'): 1 answer, ja, mark 8.
National: 12 + 9 + 1 = 22 answers; ja 5 = 22.73%, deels 4 = 18.18%; marks 55 + 2 + 3 + 8 = 68 over 12 = 5.667.
Parents not in the registrations of P (klein has OU01-OU12): OU13-OU26 = 14 answers, counted and flagged.
"""
from __future__ import annotations

import csv
import shutil
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from herstelmonitor import achtervang as av, db, metrics
from herstelmonitor.ingest import ACCEPTED, REFUSED, extract_files, ingest
from tests.conftest import KLEIN, load, snapshot

ERVARING = Path(__file__).resolve().parent / "fixtures" / "ervaring"
P = date(2021, 6, 30)
HEADER = ["ouder_id", "gemeentecode", "antwoord_datum", "voelt_zich_geholpen", "rapportcijfer",
          "hulp_sneller_na_compensatie"]


@pytest.fixture(scope="module")
def ervaring_db(tmp_path_factory) -> Path:
    return load(ERVARING, tmp_path_factory.mktemp("ervaring") / "ervaring.duckdb")


def connect(path: Path):
    return db.connect(path, read_only=True)


def test_experience_metrics_by_hand(ervaring_db):
    con = connect(ervaring_db)
    table = metrics.metric_table(con, P, P).set_index("gemeente", drop=False)
    gm0599 = table.loc["GM0599"]
    assert gm0599["antwoorden"] == 12
    assert gm0599["geholpen_pct"] == pytest.approx(100 * 4 / 12)
    assert gm0599["deels_pct"] == pytest.approx(100 * 4 / 12)
    assert gm0599["rapportcijfer_gem"] == pytest.approx(55 / 9)
    gm0034 = table.loc["GM0034"]
    assert gm0034["antwoorden"] == 9
    assert pd.isna(gm0034["geholpen_pct"]) and pd.isna(gm0034["deels_pct"]) and pd.isna(gm0034["rapportcijfer_gem"])
    assert table.loc["onbekend", "antwoorden"] == 1
    land = metrics.national(con, P, P).loc[pd.Timestamp(P)]
    assert land["antwoorden"] == 22
    assert land["geholpen_pct"] == pytest.approx(100 * 5 / 22)
    assert land["deels_pct"] == pytest.approx(100 * 4 / 22)
    assert land["rapportcijfer_gem"] == pytest.approx(68 / 12)


def test_a_peildatum_without_the_survey_is_complete_and_has_no_measurement(ervaring_db):
    con = connect(ervaring_db)
    assert metrics.peildata(con) == [date(2021, 3, 31), P]
    assert metrics.survey_peildata(con) == {P}
    early = metrics.national(con, date(2021, 3, 31), date(2021, 3, 31)).iloc[0]
    assert early["antwoorden"] == 0 and pd.isna(early["geholpen_pct"])


def test_answers_of_unregistered_parents_are_counted_and_flagged(ervaring_db):
    con = connect(ervaring_db)
    flags = dict(con.execute("SELECT ouder_aangemeld, count(*) FROM ervaring GROUP BY 1").fetchall())
    assert flags == {True: 9, False: 14}
    [warnings] = con.execute("SELECT waarschuwingen FROM bestanden WHERE soort = 'ervaring'").fetchone()
    assert any(w.startswith("14 antwoorden zijn van ouders die niet in de aanmeldingen van peildatum 2021-06-30")
               for w in warnings), warnings
    assert not any("OU1" in w or "OU2" in w for w in warnings)


def test_signal_is_quiet_in_the_fixture_and_figures_behind_it(ervaring_db):
    sig = metrics.signals(connect(ervaring_db), P, P).set_index("gemeentecode")
    assert sig.loc["GM0599", ["antwoorden", "antwoorden_geholpen"]].tolist() == [12, 8]
    assert not sig.loc["GM0599", "niet_geholpen"]
    assert sig.loc["GM0034", "antwoorden"] == 9 and not sig.loc["GM0034", "niet_geholpen"]
    assert sig["ervaring_gemeten"].all()


def survey_rows(code: str, n: int, helped: int, start: int) -> list[list[str]]:
    return [[f"EV{start + i:04d}", code, "2021-06-01", "ja" if i < helped else "nee", "", ""] for i in range(n)]


@pytest.fixture(scope="module")
def edges_db(tmp_path_factory) -> Path:
    """Signal edges in one file: 9 answers all nee (too few), 10 all nee (fires), 100 with 49 helped (fires),
    100 with 50 helped (exactly the threshold: quiet)."""
    folder = tmp_path_factory.mktemp("randen")
    for kind in ("aanmeldingen", "ondersteuning", "deelname"):
        shutil.copy(KLEIN / f"{kind}_2021-06-30.csv", folder)
    rows = (survey_rows("GM0014", 9, 0, 0) + survey_rows("GM0034", 10, 0, 100)
            + survey_rows("GM0599", 100, 49, 200) + survey_rows("GM0363", 100, 50, 400))
    with open(folder / "ervaring_2021-06-30.csv", "w", newline="") as f:
        csv.writer(f).writerows([HEADER, *rows])
    return load(folder, folder / "randen.duckdb")


def test_signal_edges(edges_db):
    sig = metrics.signals(connect(edges_db), P, P).set_index("gemeentecode")
    assert sig.loc[["GM0014", "GM0034", "GM0599", "GM0363"], "niet_geholpen"].tolist() == [False, True, True, False]
    assert sig.loc["GM0599", "geholpen_of_deels_pct"] == pytest.approx(49.0)


def test_signal_thresholds_are_parameters(edges_db):
    con = connect(edges_db)
    sig = metrics.signals(con, P, P, {"niet_geholpen_min_antwoorden": 9}).set_index("gemeentecode")
    assert sig.loc["GM0014", "niet_geholpen"]
    sig = metrics.signals(con, P, P, {"niet_geholpen_max_pct": 51}).set_index("gemeentecode")
    assert sig.loc["GM0363", "niet_geholpen"]
    sig = metrics.signals(con, P, P, {"niet_geholpen_weken": 4}).set_index("gemeentecode")
    assert not sig["niet_geholpen"].any()  # 2021-06-01 is 29 days before P


def test_signal_sentence(edges_db):
    con = connect(edges_db)
    thresholds = av.defaults()
    hist = av.history(con, [P], P, thresholds)
    row = hist.set_index("gemeentecode").loc["GM0599"]
    assert av.explain("niet_geholpen", row, thresholds, P, exact=True) == (
        "49 van de 100 ouders die antwoordden voelen zich geholpen (49%), helemaal of deels, in de "
        "oudervragenlijst van de 26 weken tot de peildatum; de grens is 50%.")
    row = hist.set_index("gemeentecode").loc["GM0034"]
    assert av.explain("niet_geholpen", row, thresholds, P, exact=False).startswith(
        "0 van de 10 ouders die antwoordden voelen zich geholpen (0%, uit afgeronde aantallen)")


def test_sentence_example_of_the_issue():
    row = pd.Series({"antwoorden": 31, "antwoorden_geholpen": 12, "geholpen_of_deels_pct": 100 * 12 / 31})
    text = av.explain("niet_geholpen", row, av.defaults(), P, exact=True)
    assert text.startswith("12 van de 31 ouders die antwoordden voelen zich geholpen (39%)")
    near = pd.Series({"antwoorden": 250, "antwoorden_geholpen": 124, "geholpen_of_deels_pct": 49.6})
    assert "(49,6%)" in av.explain("niet_geholpen", near, av.defaults(), P, exact=True)  # never "50%" below 50
    # Outside the programme team: counts rounded to 5 (12 -> 10, 3 -> "<5") and no percentage that gives the
    # small count away; a shown percentage comes from the rounded counts (12 of 31 -> 10 of 30 = 33%).
    small = pd.Series({"antwoorden": 12, "antwoorden_geholpen": 3, "geholpen_of_deels_pct": 25.0})
    assert av.explain("niet_geholpen", small, av.defaults(), P, exact=False).startswith(
        "<5 van de 10 ouders die antwoordden voelen zich geholpen, helemaal")
    assert av.explain("niet_geholpen", row, av.defaults(), P, exact=False).startswith(
        "10 van de 30 ouders die antwoordden voelen zich geholpen (33%, uit afgeronde aantallen), helemaal")


# --- validation of the survey file --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def klein_template(tmp_path_factory) -> Path:
    return load(KLEIN, tmp_path_factory.mktemp("klein") / "klein.duckdb")


@pytest.fixture
def offer(klein_template, tmp_path):
    return lambda rows, name="ervaring_2021-06-30.csv": offer_file(klein_template, tmp_path, rows, name)


def offer_file(template: Path, tmp_path: Path, rows: list[list[str]], name: str):
    """A copy of klein loaded, then one survey file offered; returns (result, database, snapshot before)."""
    dbfile = tmp_path / "db" / "db.duckdb"
    dbfile.parent.mkdir()
    shutil.copyfile(template.resolve(), dbfile)
    before = snapshot(dbfile)
    path = tmp_path / name
    with open(path, "w", newline="") as f:
        csv.writer(f).writerows([HEADER, *rows])
    [result] = ingest([path], dbfile)
    return result, dbfile, before


GOOD = ["OU01", "GM0599", "2021-06-01", "ja", "7", "ja"]


@pytest.mark.parametrize("column, value, expected", [
    ("voelt_zich_geholpen", "misschien", "rij 3, kolom voelt_zich_geholpen: onbekend antwoord 'misschien' (toegestaan: ja, deels, nee)."),
    ("voelt_zich_geholpen", "", "rij 3, kolom voelt_zich_geholpen: voelt_zich_geholpen ontbreekt"),
    ("rapportcijfer", "11", "rij 3, kolom rapportcijfer: rapportcijfer 11 ligt niet tussen 1 en 10"),
    ("rapportcijfer", "0", "rij 3, kolom rapportcijfer: rapportcijfer 0 ligt niet tussen 1 en 10"),
    ("rapportcijfer", "7,5", "rij 3, kolom rapportcijfer: '7,5' is geen geheel getal."),
    ("hulp_sneller_na_compensatie", "soms", "rij 3, kolom hulp_sneller_na_compensatie: onbekend antwoord 'soms'"),
    ("antwoord_datum", "2021-07-01", "rij 3, kolom antwoord_datum: de datum 2021-07-01 ligt na de peildatum 2021-06-30"),
    ("antwoord_datum", "", "rij 3, kolom antwoord_datum: antwoord_datum ontbreekt."),
    ("gemeentecode", "", "rij 3, kolom gemeentecode: gemeentecode ontbreekt."),
    ("gemeentecode", "Utrecht", "rij 3, kolom gemeentecode: 'Utrecht' is geen gemeentecode"),
])
def test_bad_survey_values_are_refused(offer, column, value, expected):
    bad = list(GOOD)
    bad[0] = "OU02"
    bad[HEADER.index(column)] = value
    result, dbfile, before = offer([GOOD, bad])
    assert result.outcome == REFUSED
    assert any(f"Bestand ervaring_2021-06-30.csv, {expected}" in m for m in result.messages), result.messages
    assert snapshot(dbfile) == before
    assert connect(dbfile).execute("SELECT count(*) FROM ervaring").fetchone()[0] == 0


def test_a_second_answer_of_one_parent_is_refused_without_its_id(offer):
    result, dbfile, before = offer([GOOD, GOOD])
    assert result.outcome == REFUSED
    assert result.messages == ["Bestand ervaring_2021-06-30.csv, rij 3, kolom ouder_id: Deze ouder_id komt al voor "
                               "in rij 2; elke regel moet uniek zijn."]
    assert snapshot(dbfile) == before


def test_good_survey_loads_with_empty_optional_answers(offer):
    result, dbfile, _ = offer([GOOD, ["OU02", "GM0599", "01-06-2021", "deels", "", ""]])
    assert result.outcome == ACCEPTED, result.messages
    assert result.messages == []  # both parents are registered at the peildatum
    rows = connect(dbfile).execute("SELECT ouder_id, antwoord_datum, rapportcijfer, hulp_sneller_na_compensatie, "
                                   "ouder_aangemeld FROM ervaring ORDER BY 1").fetchall()
    assert rows == [("OU01", date(2021, 6, 1), 7, "ja", True), ("OU02", date(2021, 6, 1), None, None, True)]


def test_survey_for_a_peildatum_without_other_extracts_does_not_make_it_selectable(offer):
    result, dbfile, _ = offer([GOOD], name="ervaring_2021-09-30.csv")
    assert result.outcome == ACCEPTED
    assert result.messages == ["1 antwoord is van een ouder die niet in de aanmeldingen van peildatum 2021-09-30 "
                               "staat; het telt wel mee in de ervaringscijfers."]
    assert metrics.peildata(connect(dbfile)) == [date(2021, 3, 31), P]


def test_extract_order_loads_the_survey_after_the_registrations():
    names = [p.name for p in extract_files(ERVARING)]
    assert names.index("ervaring_2021-06-30.csv") > names.index("aanmeldingen_2021-06-30.csv")
