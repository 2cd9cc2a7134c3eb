"""The Deelname gemeenten and Gemeente pages under AppTest: filters, deep links, suppression, downloads.

Numbers on klein (see tests/test_deelname.py): Rotterdam has 5 parents with shared details, 3 in contact,
reach 60% (3 of 5); Almere 2 shared, reach 50% (1 of 2); 12 parents registered, 2 without a known gemeente.
"""
import io
import re

import pandas as pd
import pytest
from streamlit.delta_generator import DeltaGenerator
from streamlit.testing.v1 import AppTest

from herstelmonitor import access, db, export, metrics, ui
from herstelmonitor.paths import GEMEENTEN_CSV
from tests.helpers import tiles as metric_map

REFERENCE = pd.read_csv(GEMEENTEN_CSV)
OUDER_ID = re.compile(rb"OU[0-9A-F]{10}|OU\d\d(?!\d)")  # the sample's and klein's pseudonyms


def page(path: str, **params) -> AppTest:
    at = AppTest.from_file("../dashboard.py", default_timeout=60).run()
    at.switch_page(path)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def table(at) -> pd.DataFrame:
    """The gemeente table as a person sees it (numbers are right-aligned with figure spaces)."""
    return next(df.value for df in at.dataframe if "Pagina" in df.value.columns).map(str.strip)


@pytest.fixture
def exact(monkeypatch):
    """A viewer who sees every gemeente exactly (the programme team)."""
    monkeypatch.setattr(ui.Context, "exact_for", lambda self, code: True)
    monkeypatch.setattr(access.Access, "exact_for", lambda self, code: True)  # what shared results are keyed on


@pytest.fixture
def downloads(monkeypatch):
    """The files the download buttons offered on the last run, by kind."""
    files = {}

    def keep(kind, make):
        def made(*args):
            files[kind] = make(*args)
            return files[kind]
        return made

    monkeypatch.setattr(export, "csv_bytes", keep("csv", export.csv_bytes))
    monkeypatch.setattr(export, "xlsx_bytes", keep("xlsx", export.xlsx_bytes))

    def click(self, label, data, *args, **kwargs):  # the files are made on click: make them as a click would
        made = data() if callable(data) else data
        return original(self, label, made, *args, **{k: v for k, v in kwargs.items() if k != "on_click"})

    original = DeltaGenerator.download_button
    monkeypatch.setattr(DeltaGenerator, "download_button", click)
    return files


def test_deelname_page_suppresses_small_counts(klein_db):
    at = page("pages/deelname.py")
    assert not at.exception
    tiles = metric_map(at)
    assert tiles["Gemeenten aangesloten"] == "3 van 342"
    assert tiles["Aandeel ouders in een aangesloten gemeente"] == "58,3%"  # 7 of 12
    assert tiles["Bereik na acht weken"] == "57,1%"  # national: exact, 4 of 7
    shown = table(at).set_index("Gemeente")
    assert len(shown) == 342
    rdam, almere = shown.loc["Rotterdam"], shown.loc["Almere"]
    assert (rdam["Gegevens gedeeld"], rdam["In contact"], rdam["Plan van aanpak"]) == ("5", "<5", "<5")
    # Reach 3 of 5: the 3 is "<5", so the share (from rounded counts) is hidden too.
    assert (rdam["Bereik na acht weken"], rdam["Tijd tot eerste contact (mediaan)"], rdam["Leefgebied financiën (%)"]) == ("-", "-", "-")
    assert (almere["Bereik na acht weken"], almere["Gegevens gedeeld"], almere["Aangesloten"]) == ("-", "<5", "nee")
    assert shown.loc["Rotterdam", "Pagina"] == "gemeente?gemeente=GM0599&peildatum=2021-06-30"
    provincies = at.dataframe[0].value.set_index("Provincie")
    assert provincies.loc["Zuid-Holland", "Bereik na acht weken"] == "-"  # the same 3 of 5: a provincie is a group too
    assert provincies.loc["Flevoland", "Aangesloten"] == "0 van 6"
    captions = " ".join(c.value for c in at.caption)
    assert "<5 aangemeld" in captions  # the 2 parents without a known gemeente


def test_deelname_page_exact_for_the_programme_team(klein_db, exact):
    at = page("pages/deelname.py")
    shown = table(at).set_index("Gemeente")
    assert (shown.loc["Rotterdam", "In contact"], shown.loc["Rotterdam", "Tijd tot eerste contact (mediaan)"]) == ("3", "26 dagen")
    assert shown.loc["Rotterdam", "Leefgebied financiën (%)"] == "66,7%"
    assert shown.loc["Almere", "Bereik na acht weken"] == "50,0%"
    assert "2 aangemeld" in " ".join(c.value for c in at.caption)


def test_filters_provincie_corop_size_and_search(klein_db):
    at = page("pages/deelname.py")
    at.radio(key="provincie").set_value("Zuid-Holland").run()
    assert len(table(at)) == 50 and set(table(at)["Provincie"]) == {"Zuid-Holland"}
    assert any(m.value.startswith("**50** van 342 gemeenten") for m in at.markdown)
    # COROP options follow the provincie.
    assert set(at.multiselect(key="corop").options) == set(
        REFERENCE.loc[REFERENCE["provincienaam"] == "Zuid-Holland", "coropnaam"])
    at.multiselect(key="corop").set_value(["Groot-Rijnmond"]).run()
    expected = REFERENCE[REFERENCE["coropnaam"] == "Groot-Rijnmond"]
    assert set(table(at)["Gemeente"]) == set(expected["gemeentenaam"])
    at.multiselect(key="klasse").set_value([3]).run()  # 100.000 inhabitants or more
    assert set(table(at)["Gemeente"]) == set(expected.loc[expected["inwoners"] >= 100_000, "gemeentenaam"])
    at.multiselect(key="corop").set_value([]).run()
    at.multiselect(key="klasse").set_value([]).run()
    at.text_input(key="zoek").input("dam").run()
    zh = REFERENCE[REFERENCE["provincienaam"] == "Zuid-Holland"]
    found = set(zh.loc[zh["gemeentenaam"].str.contains("dam", case=False), "gemeentenaam"])
    assert set(table(at)["Gemeente"]) == found and {"Rotterdam", "Schiedam"} <= found


def test_two_clicks_find_the_gemeenten_with_low_reach(sample_app, downloads, exact):
    """A VNG coordinator: Zuid-Holland, then 'Laag bereik': the gemeenten that reached fewer than half of
    their parents eight weeks after sharing, exactly those the spec's signal flags."""
    at = page("pages/deelname.py")
    at.radio(key="provincie").set_value("Zuid-Holland").run()
    at.pills(key="signaal").set_value("laag_bereik").run()
    assert not at.exception
    shown = table(at)
    con = db.connect(sample_app, read_only=True)
    p = metrics.peildata(con)[-1]
    sig = metrics.signals(con, p, p)
    con.close()
    expected = sig[(sig["provincienaam"] == "Zuid-Holland") & sig["laag_bereik"]]
    assert set(shown["Gemeente"]) == set(expected["gemeentenaam"]) and len(shown) > 0
    for value in shown["Bereik na acht weken"]:
        assert float(value.rstrip("%").replace(",", ".")) < 50
    # The download is the table as shown: the same gemeenten.
    csv = pd.read_csv(io.BytesIO(downloads["csv"]), sep=";", encoding="utf-8-sig", dtype=str)
    assert set(csv["Gemeentecode"]) == set(expected["gemeentecode"])
    xlsx = pd.read_excel(io.BytesIO(downloads["xlsx"]))
    assert list(xlsx["Gemeente"]) == list(shown["Gemeente"])


def test_downloads_carry_the_suppression(klein_db, downloads):
    at = page("pages/deelname.py")
    at.text_input(key="zoek").input("Rotterdam").run()
    assert [b.proto.label for b in at.get("download_button")] == ["CSV downloaden", "Excel downloaden"]
    csv = downloads["csv"].decode("utf-8-sig").splitlines()
    # klein has no parent survey: the experience columns say so ("geen meting"), then the funnel. Reach 3 of 5:
    # the 3 is "<5", so no percentage.
    assert len(csv) == 2 and csv[1].startswith(
        "GM0599;Rotterdam;Zuid-Holland;ja;-;-;;geen meting;geen meting;geen meting;geen meting;5;<5;<5;<5;<5;<5;<5;")
    xlsx = pd.read_excel(io.BytesIO(downloads["xlsx"])).iloc[0]
    assert (xlsx["Gegevens gedeeld"], xlsx["In contact"], xlsx["Tijd tot eerste contact (mediaan)"]) == (5, "<5", "-")


def test_gemeente_page_by_shared_link(klein_db):
    at = page("pages/gemeente.py", gemeente="GM0599")
    assert not at.exception and not at.error
    assert at.title[0].value == "Rotterdam"
    assert at.main.selectbox[0].value == "GM0599"
    tiles = metric_map(at)
    assert (tiles["Gegevens gedeeld"], tiles["In contact"], tiles["Niet bereikbaar"]) == ("5", "<5", "<5")
    assert tiles["Bereik na acht weken"] == "-" and tiles["Tijd tot eerste contact (mediaan)"] == "-"  # 3 of 5: the 3 is "<5"
    assert tiles["Aangemeld"] == "5" and tiles["Erkend gedupeerd"] == "<5"
    assert "aangesloten sinds 1 februari 2021" in at.caption[0].value
    assert len(at.get("plotly_chart")) == 7  # funnel (2), compensation, experience trend, comparison (3)


def test_gemeente_page_exact_and_at_an_earlier_peildatum(klein_db, exact):
    at = page("pages/gemeente.py", gemeente="GM0599")
    tiles = metric_map(at)
    assert (tiles["In contact"], tiles["Tijd tot eerste contact (mediaan)"], tiles["Erkend gedupeerd"]) == ("3", "26 dagen", "3")
    at = page("pages/gemeente.py", gemeente="GM0599", peildatum="2021-03-31")
    assert metric_map(at)["Gegevens gedeeld"] == "3" and at.sidebar.selectbox[0].value.isoformat() == "2021-03-31"


def test_gemeente_page_unknown_code_and_no_code(klein_db):
    at = page("pages/gemeente.py", gemeente="GM9999")
    assert not at.exception
    assert "GM9999" in at.error[0].value and "staat niet in de lijst" in at.error[0].value
    assert not at.metric
    at = page("pages/gemeente.py")
    assert not at.error and "Kies hierboven een gemeente" in at.info[0].value


def test_gemeente_page_choose_by_name(klein_db):
    at = page("pages/gemeente.py", gemeente="GM0599")
    at.main.selectbox[0].select("GM0034").run()
    assert at.title[0].value == "Almere" and at.query_params["gemeente"] == "GM0034"
    assert "niet aangesloten" in at.caption[0].value


def serialized(at) -> bytes:
    """Every element the page sent, as bytes: texts, tables (Arrow), chart specs."""
    out, todo = [], [at._tree]
    while todo:
        node = todo.pop()
        if getattr(node, "proto", None) is not None:
            out.append(node.proto.SerializeToString())
        todo.extend(getattr(node, "children", {}).values())
    return b"".join(out)


def test_no_ouder_id_on_either_page_or_in_a_download(sample_app, downloads):
    deelname = page("pages/deelname.py")
    sent = serialized(deelname)
    assert b"Rotterdam" in sent and b"GM0599" in sent  # the search below sees tables and texts
    assert not OUDER_ID.search(sent)
    assert downloads["csv"].count(b"\n") == 343 and not OUDER_ID.search(downloads["csv"])
    cells = pd.read_excel(io.BytesIO(downloads["xlsx"])).astype(str).to_csv().encode()
    assert b"GM0599" in cells and not OUDER_ID.search(cells)
    gemeente = page("pages/gemeente.py", gemeente="GM0599")
    sent = serialized(gemeente)
    assert b"Rotterdam" in sent
    assert not OUDER_ID.search(sent)
