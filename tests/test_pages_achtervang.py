"""The Achtervang page under AppTest: the list with reasons, thresholds on the page, small counts."""
import io
import re
from datetime import date

import pandas as pd
import pytest
import streamlit
from streamlit.testing.v1 import AppTest

from herstelmonitor import achtervang as av, db, metrics, privacy
from herstelmonitor.format import getal
from tests import achtervang_extracts as ex
from tests.conftest import download_csv, load
from tests.helpers import tile

P = date(2021, 6, 30)
PAGE = "pages/achtervang.py"


def open_page(peildatum: str | None = "2021-06-30", role: str = "landelijk") -> AppTest:
    at = AppTest.from_file("../dashboard.py", default_timeout=60)
    at.session_state["demo_rol"] = role
    if peildatum:
        at.query_params["peildatum"] = peildatum
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def cards(at) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith("### ")]


def text(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def expected(database, thresholds=None):
    """What the signal query itself says: the number of flagged gemeenten and the one with most parents."""
    con = db.connect(database, read_only=True)
    try:
        sig = metrics.signals(con, P, P, thresholds)
    finally:
        con.close()
    flagged = sig[sig[list(metrics.SIGNALS)].any(axis=1)].sort_values("ouders_gedeeld", ascending=False)
    return len(flagged), flagged.iloc[0]


def test_the_page_lists_the_gemeenten_needing_achtervang_with_reasons(sample_app):
    at = open_page()
    n, top = expected(sample_app)
    assert n > 0
    assert tile(at, "Gemeenten die achtervang nodig hebben") == f"{n} van 342"
    assert f"Gemeenten die achtervang nodig hebben ({n})" in [h.value for h in at.header]
    shown = cards(at)
    assert len(shown) == min(n, 20)
    # Outside the programme team the parents affected are rounded to 5.
    ouders = privacy.count_text(top.ouders_gedeeld, False, getal)
    assert shown[0].startswith(f"### 1. {top.gemeentenaam}\n") and f"**{ouders}** getroffen ouders" in shown[0]
    body = text(at)
    # Each reason: the signal, since when, and a sentence with the gemeente's own figures.
    assert any(line.startswith("- **") and ("sinds" in line or "nieuw op deze peildatum" in line) for line in body.splitlines())
    links = [link.proto for link in at.get("page_link") if link.proto.label == f"Naar {top.gemeentenaam}"]
    assert links
    assert f"gemeente={top.gemeentecode}" in links[0].query_string and "peildatum=2021-06-30" in links[0].query_string
    assert "ouder_id" not in body and "OU0" not in body


def test_the_first_twenty_then_all_behind_a_toggle(sample_app):
    at = open_page(role="coordinator")  # a threshold of 1 parent: only for the programme team
    at.number_input(key="drempel_laag_bereik_min_ouders").set_value(1).run()
    at.number_input(key="drempel_laag_bereik_max_pct").set_value(90).run()
    n, _ = expected(sample_app, {"laag_bereik_min_ouders": 1, "laag_bereik_max_pct": 90})
    assert n > 20 and len(cards(at)) == 20
    next(t for t in at.toggle if t.label.startswith("Alle ")).set_value(True).run()
    assert len(cards(at)) == n
    assert [int(c.split(".")[0].removeprefix("### ")) for c in cards(at)] == list(range(1, n + 1))


def test_thresholds_change_the_list_and_reset_to_the_defaults(sample_app):
    at = open_page()
    default_tile = tile(at, "Gemeenten die achtervang nodig hebben")
    at.number_input(key="drempel_laag_bereik_max_pct").set_value(70).run()
    n, _ = expected(sample_app, {"laag_bereik_max_pct": 70})
    assert tile(at, "Gemeenten die achtervang nodig hebben") == f"{n} van 342" != default_tile
    assert "bereik lager dan (%) **70** (standaard 50)" in at.info[0].value
    assert "minder dan 70% van hen bereikt" in text(at)
    # The chosen thresholds stay for the session when the user visits another page and comes back.
    at.switch_page("dashboard.py").run()
    at.switch_page(PAGE).run()
    assert at.number_input(key="drempel_laag_bereik_max_pct").value == 70
    assert tile(at, "Gemeenten die achtervang nodig hebben") == f"{n} van 342"
    next(b for b in at.button if b.label == "Standaarddrempels herstellen").click().run()
    assert at.number_input(key="drempel_laag_bereik_max_pct").value == 50
    assert tile(at, "Gemeenten die achtervang nodig hebben") == default_tile and not at.info


def test_earlier_peildatum_from_the_link(sample_app):
    at = open_page("2021-03-31")
    con = db.connect(sample_app, read_only=True)
    try:
        n = metrics.achtervang_summary(con, date(2021, 3, 31))["gemeenten"]
    finally:
        con.close()
    assert tile(at, "Gemeenten die achtervang nodig hebben") == f"{n} van 342"
    assert "peildatum **31 maart 2021**" in at.caption[0].value


@pytest.fixture
def randen_app(tmp_path, monkeypatch):
    database = load(ex.write(tmp_path / "extracts"), tmp_path / "randen.duckdb")
    monkeypatch.setenv("HERSTELMONITOR_DB", str(database))
    return database


def test_a_threshold_below_five_parents_is_only_for_the_programme_team(randen_app):
    at = open_page(None)
    assert tile(at, "Gemeenten die achtervang nodig hebben") == "8 van 342"
    assert "Veendam" not in text(at)
    # Outside the team the input stops at 5, and a lower value (typed past it) counts as 5: lowering it to 4
    # would show which gemeente has 4 parents with shared details (Veendam, GM0047, not joined).
    assert at.number_input(key="drempel_niet_aangesloten_min_ouders").min == 5
    at.session_state["drempel_niet_aangesloten_min_ouders"] = 4
    at.run()
    assert not at.exception and "Veendam" not in text(at)
    assert tile(at, "Gemeenten die achtervang nodig hebben") == "8 van 342"
    team = open_page(None, role="coordinator")
    team.number_input(key="drempel_niet_aangesloten_min_ouders").set_value(4).run()
    veendam = next(c for c in cards(team) if "Veendam" in c)
    assert "**4** getroffen ouders" in veendam and "terwijl de gegevens van 4 ouders met haar zijn gedeeld" in text(team)


def test_without_flagged_gemeenten_and_too_few_peildata_for_a_trend(klein_db):
    at = open_page(None)  # the hand-made klein extracts: two peildata, no signal at the defaults
    assert tile(at, "Gemeenten die achtervang nodig hebben") == "0 van 342"
    assert "Op deze peildatum gaat bij geen enkele gemeente een signaal af." in at.success[0].value
    assert cards(at) == []
    assert "Vroegsignalering heeft drie peildata nodig om een trend te zien; tot en met deze peildatum zijn er twee." in text(at)


def test_the_downloads_are_made_on_click_and_hold_the_list(randen_app, monkeypatch):
    made = {}
    original = streamlit.download_button

    def capture(label, data, file_name=None, *args, **kwargs):
        made[file_name] = data() if callable(data) else data  # what a click would download
        return original(label, data, file_name, *args, **kwargs)

    monkeypatch.setattr(streamlit, "download_button", capture)
    open_page(None)
    made = {k: v for k, v in made.items() if k.startswith("achtervang_")}  # not the overview's briefing
    assert set(made) == {"achtervang_2021-06-30.csv", "achtervang_2021-06-30.xlsx", "achtervang_2021-06-30.html"}
    csv = made["achtervang_2021-06-30.csv"].decode("utf-8-sig")
    assert csv.startswith("# Bron: ") and "Peildatum: 30-06-2021" in csv.splitlines()[0]
    assert csv.splitlines()[2].startswith("30-06-2021;geen (alle provincies, alle signalen);1;GM0059;")  # 71 parents: first
    # Outside the programme team: 35 of 71 reached reads 35 of 70, the share from those rounded counts.
    assert "35 van de 70 ouders zijn na acht weken bereikt (50%, uit afgeronde aantallen)" in csv
    assert len(csv.splitlines()) == 10
    sheets = pd.read_excel(io.BytesIO(made["achtervang_2021-06-30.xlsx"]), sheet_name=None, dtype=str, header=None)
    assert list(sheets) == ["Achtervang", "Bron"] and len(sheets["Achtervang"]) == 9  # header and 8 rows
    assert "peildatum <strong>30 juni 2021</strong>" in made["achtervang_2021-06-30.html"]
    # No parent ids (R0...) in any file; the Excel file is zipped, so its cells are read, not its bytes.
    texts = [csv, made["achtervang_2021-06-30.html"], *(sheets[s].to_csv() for s in sheets)]
    assert not any(re.search(r"\bR0\d", t) for t in texts)


def test_the_filter_reaches_the_counts_the_map_the_list_and_every_export(randen_app, monkeypatch):
    """Friesland and 'laag bereik': Achtkarspelen (71 parents), Ameland and Heerenveen (8 each) of the 18
    Frisian gemeenten; Opsterland, Smallingerland (trage start) and Terschelling (stilstand) have another signal."""
    import io
    import json

    import pandas as pd

    from streamlit.delta_generator import DeltaGenerator

    made = {}
    method = DeltaGenerator.download_button

    def capture(self, label, data, file_name=None, *args, **kwargs):
        made[file_name] = data() if callable(data) else data
        return method(self, label, data, file_name, *args, **kwargs)

    # st.download_button is bound to the main area at import; columns use the class.
    monkeypatch.setattr(DeltaGenerator, "download_button", capture)
    monkeypatch.setattr(streamlit, "download_button", lambda *a, **k: capture(streamlit._main, *a, **k))
    at = open_page(None)
    at.multiselect(key="av_provincies").select("Friesland").run()
    at.multiselect(key="av_signalen").select("laag_bereik").run()
    assert not at.exception
    assert tile(at, "Gemeenten die achtervang nodig hebben") == "3 van 18"
    assert tile(at, f"{av.OUDERS_LABEL} in die gemeenten") == "87"
    assert "Gemeenten die achtervang nodig hebben (3)" in [h.value for h in at.header]
    assert [c.split("\n")[0] for c in cards(at)] == ["### 1. Achtkarspelen", "### 2. Ameland", "### 3. Heerenveen"]
    assert "Filter: **provincie: Friesland; signaal: Laag bereik**" in at.info[0].value
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    # The map carries each gemeente's colour, not its class name (smaller to send): read the class by colour.
    label_van = {tuple(kleur): label for label, kleur in av.KAART_KLASSEN.values()}
    klassen = pd.Series([label_van[tuple(f["properties"]["kleur"][:3])]
                         for f in deck["layers"][0]["data"]["features"]]).value_counts()
    assert klassen["Achtervang nodig"] == 3 and klassen["Ander signaal (buiten het filter)"] == 3
    assert klassen["Provincie buiten het filter"] == 342 - 18
    name = "achtervang_2021-06-30_friesland_laag-bereik"
    assert {f"{name}.csv", f"{name}.xlsx", f"{name}.html"} <= set(made)
    csv = download_csv(made[f"{name}.csv"])
    assert list(csv["Gemeente"]) == ["Achtkarspelen", "Ameland", "Heerenveen"]
    assert set(csv["Filter"]) == {"provincie: Friesland; signaal: Laag bereik"} and set(csv["Peildatum"]) == {"30-06-2021"}
    excel = pd.read_excel(io.BytesIO(made[f"{name}.xlsx"]), dtype=str)
    assert list(excel["Gemeente"]) == list(csv["Gemeente"]) and set(excel["Filter"]) == set(csv["Filter"])
    html = made[f"{name}.html"]
    assert "filter: <strong>provincie: Friesland; signaal: Laag bereik</strong>" in html
    assert "<strong>3 van de 18 gemeenten</strong> in het filter hebben minstens één\nvan de gekozen signalen" in html
    assert "Stadskanaal" not in html and "Assen" not in html and "Opsterland" not in html
    verloop = download_csv(made[f"{name}_verloop.csv"]).iloc[-1]
    assert (verloop["Gemeenten die achtervang nodig hebben"], verloop["Gemeenten"], verloop["Getroffen ouders in die gemeenten"],
            verloop["Filter"]) == ("3", "18", "87", "provincie: Friesland; signaal: Laag bereik")
    assert f"{name}_vroegsignalering.csv" in made  # one peildatum: no trend, an empty list with its headers
