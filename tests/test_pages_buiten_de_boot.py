"""The Buiten de boot page and its overview block under AppTest, on tests/fixtures/boot (hand-computed in
tests/test_buiten_de_boot.py): the funnel, the top gemeenten with links, unknown residence, the provincie
filter reaching every figure and both downloads."""
import io

import pandas as pd
import pytest
import streamlit
from streamlit.delta_generator import DeltaGenerator
from streamlit.testing.v1 import AppTest

from tests.test_buiten_de_boot import BOOT, boot_db  # noqa: F401 (fixture)
from tests.conftest import download_csv

PAGE = "pages/buiten_de_boot.py"


@pytest.fixture
def boot_app(boot_db, monkeypatch):  # noqa: F811
    monkeypatch.setenv("HERSTELMONITOR_DB", str(boot_db))
    return boot_db


@pytest.fixture
def downloads(monkeypatch):
    """What each download button would hand over on a click, by file name (from the last run)."""
    files = {}
    method = DeltaGenerator.download_button

    def capture(self, label, data, file_name=None, *args, **kwargs):
        files[file_name] = data() if callable(data) else data
        return method(self, label, data, file_name, *args, **kwargs)

    monkeypatch.setattr(DeltaGenerator, "download_button", capture)
    monkeypatch.setattr(streamlit, "download_button", lambda *a, **k: capture(streamlit._main, *a, **k))
    return files


def open_page(role: str = "landelijk") -> AppTest:
    at = AppTest.from_file("../dashboard.py", default_timeout=60)
    at.session_state["demo_rol"] = role
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def tiles(at) -> dict:
    return {m.label: (m.value, m.delta) for m in at.metric}


def links(at) -> dict[str, str]:
    return {link.proto.label: link.proto.query_string for link in at.get("page_link")}


def text(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_the_page_answers_how_many_where_and_whether_it_gets_better(boot_app):
    at = open_page()
    t = tiles(at)
    assert t["Buiten bereik"] == ("15", "+4") and t["Van alle aangemelde ouders"][0] == "75,0%"
    assert t["Bereikt"] == ("3", "+2")
    assert "Sinds de vorige peildatum: **slechter** (+4 ouders buiten bereik)" in text(at)
    assert "Verloop: 31-03-2022: 11 → 30-06-2022: 15." in text(at)
    steps = at.table[0].value
    assert steps.loc["Geen contact na 8 weken", "Ouders"] == "6" and steps.loc["In gemeente zonder aanpak", "Ouders"] == "3"
    assert steps.loc["In gemeente zonder aanpak", "Sinds vorige peildatum"] == "+2"
    # Where: the gemeenten holding most of a step, linked to their page; small counts hidden from this role.
    found = links(at)
    # Groningen: 5 of its 6 registered parents; the share from the counts as shown (5 of 5): 100%.
    assert found["Groningen: 5 (100,0% van haar aangemelde ouders)"] == "gemeente=GM0014&peildatum=2022-06-30"
    assert found["Rotterdam: <5"] == "gemeente=GM0599&peildatum=2022-06-30"
    assert [h.value for h in at.header][:2] == ["Hoeveel ouders zijn buiten bereik? (Nederland)",
                                                 "Waar? De gemeenten met de meeste ouders per stap"]
    assert "**<5** aangemelde ouders hebben geen bekende woongemeente" in text(at)


def test_unknown_residence_exact_for_the_programme_team(boot_app):
    at = open_page("coordinator")
    assert "**2** aangemelde ouders hebben geen bekende woongemeente" in text(at)
    assert "- Niet gedeeld: geen gemeente bekend: **2**" in text(at)
    assert "Rotterdam: 1 (12,5% van haar aangemelde ouders)" in links(at)


def test_the_provincie_filter_reaches_every_figure_and_download(boot_app, downloads):
    at = open_page()
    national = dict(downloads)
    trechter = download_csv(national["buiten-de-boot-trechter-2022-06-30.csv"])
    assert list(trechter["Filter"].unique()) == ["geen (alle gemeenten)"]
    assert trechter.set_index("Stand op peildatum").loc["30-06-2022", "Buiten bereik"] == "15"
    at.selectbox(key="bdb_provincie").select("Groningen").run()
    # A provincie is a group smaller than the nation: its counts rounded to 5 for this role (6 -> 5), the
    # share from the rounded counts (5 of 5 registered), the change between rounded counts.
    assert tiles(at)["Buiten bereik"] == ("5", "0") and tiles(at)["Van alle aangemelde ouders"][0] == "100,0%"
    assert "Hoeveel ouders zijn buiten bereik? (Groningen)" in [h.value for h in at.header]
    assert not any(label.startswith(("Rotterdam", "Almere")) for label in links(at))
    assert "Niet in de cijfers van Groningen" in text(at)
    trechter = download_csv(downloads["buiten-de-boot-trechter-groningen-2022-06-30.csv"])
    assert set(trechter["Filter"]) == {"provincie: Groningen"} and set(trechter["Peildatum"]) == {"30-06-2022"}
    assert list(trechter["Buiten bereik"]) == ["5", "5"]  # 6 and 6, rounded
    assert list(trechter["Geen contact na 8 weken"]) == ["5", "5"]
    assert list(trechter["In gemeente zonder aanpak"]) == ["<5", "<5"]  # an aggregate of 1: hidden from this role
    gemeenten = download_csv(downloads["buiten-de-boot-gemeenten-groningen-2022-06-30.csv"])
    assert set(gemeenten["Provincie"]) == {"Groningen"} and set(gemeenten["Filter"]) == {"provincie: Groningen"}
    assert gemeenten.iloc[0][["Gemeente", "Buiten bereik", "Geen contact na 8 weken"]].tolist() == ["Groningen", "5", "5"]
    excel = pd.read_excel(io.BytesIO(downloads["buiten-de-boot-gemeenten-groningen-2022-06-30.xlsx"]), dtype=str)
    assert excel.iloc[0][["Peildatum", "Filter", "Gemeente", "Buiten bereik"]].tolist() == [
        "30-06-2022", "provincie: Groningen", "Groningen", "5"]


def test_the_overview_links_to_the_page(boot_app):
    at = AppTest.from_file("../dashboard.py", default_timeout=60).run()
    assert not at.exception
    assert tiles(at)["Buiten bereik"] == ("15", "+4")
    found = links(at)
    assert found["Naar Buiten de boot: hoeveel ouders, waar, en gaat het beter?"] == "peildatum=2022-06-30"
    assert found["Naar Achtervang: welke gemeenten, waarom en sinds wanneer"] == "peildatum=2022-06-30"
    assert "Grootste stappen: Geen contact na 8 weken: **6** · In gemeente zonder aanpak: **3** · " \
           "Niet gedeeld: geen gemeente bekend: **2**." in text(at)
