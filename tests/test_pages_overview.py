"""The overview and 'Over de cijfers' pages under AppTest, on the hand-made extracts."""
from streamlit.testing.v1 import AppTest

from herstelmonitor.queries import all_metrics, documented_metrics


def metric_map(at):
    return {m.label: (m.value, m.delta) for m in at.metric}


def test_overview_shows_the_latest_peildatum_with_changes(klein_db):
    at = AppTest.from_file("../dashboard.py", default_timeout=30).run()
    assert not at.exception
    tiles = metric_map(at)
    assert tiles["Aangemeld"] == ("12", "+5")
    assert tiles["€ 30.000 betaald"] == ("5", "+3")
    assert tiles["Bereik na acht weken"][0] == "57,1%"
    assert tiles["Tijd tot eerste toets (mediaan)"][0] == "55 dagen"
    assert tiles["Gemeenten met een achtervangsignaal"][0] == "0 van 342"
    assert at.sidebar.selectbox[0].value.isoformat() == "2021-06-30"
    text = " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)
    assert "aanmeldingen_2021-06-30.csv" in text and "CBS, PDOK" in text and "30 juni 2021" in text


def test_overview_follows_the_peildatum_chooser(klein_db):
    at = AppTest.from_file("../dashboard.py", default_timeout=30).run()
    at.sidebar.selectbox[0].select(at.sidebar.selectbox[0].options[1]).run()
    tiles = metric_map(at)
    assert tiles["Aangemeld"] == ("7", "")  # the first peildatum has nothing to compare with
    assert at.query_params["peildatum"] == "2021-03-31"


def test_peildatum_from_a_shared_link(klein_db):
    at = AppTest.from_file("../dashboard.py", default_timeout=30)
    at.query_params["peildatum"] = "2021-03-31"
    at.run()
    assert metric_map(at)["Aangemeld"][0] == "7"


def test_without_data_the_page_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setenv("HERSTELMONITOR_DB", str(tmp_path / "leeg.duckdb"))
    at = AppTest.from_file("../dashboard.py", default_timeout=30).run()
    assert not at.exception
    assert "nog geen gegevens geladen" in at.error[0].value


def test_over_de_cijfers_lists_every_definition_and_the_loaded_files(klein_db):
    at = AppTest.from_file("../dashboard.py", default_timeout=30).run()
    at.switch_page("pages/over_de_cijfers.py").run()
    assert not at.exception
    definitions = at.dataframe[0].value
    assert set(definitions["Naam"]) == {m.name for m in documented_metrics()} >= set(all_metrics())
    assert all(len(d) > 30 for d in definitions["Definitie"])
    loaded = at.dataframe[1].value  # the chosen (latest) peildatum is expanded first
    assert list(loaded["Bestand"]) == ["aanmeldingen_2021-06-30.csv", "ondersteuning_2021-06-30.csv",
                                       "deelname_2021-06-30.csv"]
    assert "GM9999" in loaded["Waarschuwingen"].iloc[0]
    earlier = at.dataframe[2].value  # every other peildatum in one table, not one table each
    assert set(earlier["Peildatum"]) == {"31 maart 2021"} and len(earlier) == 3 and len(at.dataframe) == 3
    text = " ".join(m.value for m in at.markdown)
    assert "minder dan 50% van hen bereikt" in text
