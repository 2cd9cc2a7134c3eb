"""Parent experience on the pages (AppTest), on tests/fixtures/ervaring (klein plus a hand-made survey for
2021-06-30; see tests/test_ervaring.py for the figures worked out by hand) and on klein (no survey at all)."""
import csv
import shutil

from streamlit.testing.v1 import AppTest

from herstelmonitor.ingest import mark_as_sample
from tests.conftest import KLEIN, load
from tests.test_ervaring import HEADER, survey_rows

PAGES = ("dashboard.py", "pages/ervaring.py", "pages/samenhang.py", "pages/deelname.py", "pages/gemeente.py",
         "pages/achtervang.py", "pages/over_de_cijfers.py")


def page(name: str, role: str = "coordinator", **params) -> AppTest:
    at = AppTest.from_file("../dashboard.py", default_timeout=60)
    at.session_state["demo_rol"] = role
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if name != "dashboard.py":
        at.switch_page(name).run()
    assert not at.exception, at.exception[0].value
    return at


def metrics_of(at) -> dict:
    return {m.label: m.value for m in at.metric}


def all_text(at) -> str:
    return " ".join([m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info])


def test_overview_shows_the_national_experience(ervaring_db):
    tiles = metrics_of(page("dashboard.py"))
    assert tiles["Antwoorden in de enquête"] == "22"
    assert tiles["Voelt zich geholpen"] == "22,7% · deels 18,2%"
    assert tiles["Rapportcijfer (gemiddeld)"] == "5,7"  # 68 / 12 marks given
    assert tiles["Gemeenten: ouders niet geholpen"] == "0"


def test_without_any_survey_every_page_works_and_says_geen_meting(klein_db):
    for name in PAGES:
        at = page(name, gemeente="GM0599")
        if name in ("dashboard.py", "pages/ervaring.py", "pages/gemeente.py", "pages/samenhang.py"):
            assert "Geen meting" in all_text(at), name
    table = page("pages/deelname.py").dataframe[-1].value.set_index("Gemeente")
    assert table.loc["Rotterdam", "Voelt zich geholpen"].strip() == "geen meting"


def test_a_peildatum_without_the_survey_says_geen_meting(ervaring_db):
    at = page("dashboard.py", peildatum="2021-03-31")
    assert "Geen meting" in all_text(at) and "Antwoorden" not in metrics_of(at)


def test_deelname_table_has_experience_beside_the_process_figures(ervaring_db):
    at = page("pages/deelname.py")
    table = at.dataframe[-1].value.set_index("Gemeente")
    rotterdam, almere = table.loc["Rotterdam"], table.loc["Almere"]
    assert rotterdam["Voelt zich geholpen"].strip() == "33,3%"
    assert rotterdam["Voelt zich deels geholpen"].strip() == "33,3%"
    assert rotterdam["Rapportcijfer (gemiddeld)"].strip() == "6,1"  # 55 / 9
    assert rotterdam["Antwoorden in de enquête"].strip() == "12"
    assert almere["Voelt zich geholpen"].strip() == "te weinig antwoorden"  # 9 answers
    assert almere["Rapportcijfer (gemiddeld)"].strip() == "te weinig antwoorden"
    assert table.loc["Groningen", "Antwoorden in de enquête"].strip() == "0"


def test_deelname_table_hides_a_share_that_gives_a_small_count_away(ervaring_db):
    table = page("pages/deelname.py", role="landelijk").dataframe[-1].value.set_index("Gemeente")
    # Rotterdam: 4 ja, 4 deels, 4 nee of 12: each share times 12 would give a count below 5. The 12 answers
    # show rounded to 10.
    assert table.loc["Rotterdam", "Voelt zich geholpen"].strip() == "-"
    assert table.loc["Rotterdam", "Antwoorden in de enquête"].strip() == "10"


def test_gemeente_page_shows_its_experience_and_too_few_answers(ervaring_db):
    tiles = metrics_of(page("pages/gemeente.py", gemeente="GM0599"))
    assert tiles["Antwoorden in de enquête"] == "12" and tiles["Voelt zich geholpen"] == "33,3% · deels 33,3%"
    assert tiles["Rapportcijfer (gemiddeld)"] == "6,1"
    almere = page("pages/gemeente.py", gemeente="GM0034")
    tiles = metrics_of(almere)
    assert tiles["Antwoorden in de enquête"] == "9" and tiles["Voelt zich geholpen"] == "te weinig antwoorden"
    assert "%" not in tiles["Rapportcijfer (gemiddeld)"] and tiles["Rapportcijfer (gemiddeld)"] == "te weinig antwoorden"


def test_ervaring_page_lists_gemeenten_by_gap(ervaring_db):
    at = page("pages/ervaring.py")
    assert metrics_of(at)["Voelt zich geholpen"] == "22,7% · deels 18,2%"
    lijst = at.dataframe[-1].value
    assert list(lijst["Gemeente"]) == ["Rotterdam"]  # the only gemeente with 10 answers or more
    assert lijst["Geholpen, ja of deels (%)"].iloc[0] == "66,7%"
    assert len(at.get("plotly_chart")) == 2


def test_samenhang_page_by_compensation_state(ervaring_db):
    at = page("pages/samenhang.py")
    table = at.dataframe[0].value.set_index("Stand van de compensatie")
    # Parents in support at 2021-06-30 (klein): OU04, OU07 no first check; OU03, OU09 not recognised; OU02,
    # OU05, OU06 paid; OU01 full review done. Nobody recognised and waiting for payment.
    assert table["Ouders"].to_dict() == {"Nog geen eerste toets": "2", "Eerste toets: niet erkend": "2",
                                         "€ 30.000 betaald": "3", "Integrale beoordeling klaar": "1"}
    assert table["In contact (%)"].to_dict() == {"Nog geen eerste toets": "0,0%", "Eerste toets: niet erkend": "50,0%",
                                                 "€ 30.000 betaald": "66,7%", "Integrale beoordeling klaar": "100,0%"}
    assert table.loc["Integrale beoordeling klaar", "Dagen tot afgerond (mediaan)"] == "106 dagen"
    tiles = metrics_of(at)  # hulp_sneller_na_compensatie: 12 answered in the window, 4 ja, 5 nee, 3 weet niet
    assert (tiles["Ja, sneller"], tiles["Nee"], tiles["Weet niet"]) == ("33,3%", "41,7%", "25,0%")
    text = all_text(at)
    assert "geen bewijs dat compensatie de ondersteuning versnelt" in text


def test_over_de_cijfers_defines_the_signal_with_thresholds_from_config(ervaring_db):
    text = all_text(page("pages/over_de_cijfers.py"))
    assert ("**Ouders niet geholpen**: In de oudervragenlijst gaven minstens 10 ouders in de 26 weken tot de "
            "peildatum antwoord, en minder dan 50% van hen voelt zich geholpen (antwoord ja of deels).") in text
    assert "'te weinig antwoorden'" in text


def test_achtervang_list_has_the_signal_sentence(tmp_path, monkeypatch):
    folder = tmp_path / "extracts"
    folder.mkdir()
    for kind in ("aanmeldingen", "ondersteuning", "deelname"):
        shutil.copy(KLEIN / f"{kind}_2021-06-30.csv", folder)
    rows = survey_rows("GM0599", 31, 12, 0) + survey_rows("GM0034", 9, 0, 100)
    with open(folder / "ervaring_2021-06-30.csv", "w", newline="") as f:
        csv.writer(f).writerows([HEADER, *rows])
    mark_as_sample(folder)
    monkeypatch.setenv("HERSTELMONITOR_DB", str(load(folder, tmp_path / "db.duckdb")))
    at = page("pages/achtervang.py")
    text = all_text(at)
    assert ("- **Ouders niet geholpen** (nieuw op deze peildatum): 12 van de 31 ouders die antwoordden voelen zich "
            "geholpen (39%), helemaal of deels, in de oudervragenlijst van de 26 weken tot de peildatum; de grens is "
            "50%.") in text
    assert "Ouders niet geholpen: **1** gemeenten" in text
    assert "Almere" not in " ".join(m.value for m in at.markdown if m.value.startswith("####"))  # 9 answers: quiet
