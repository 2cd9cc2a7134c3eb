"""The Tempo compensatie page under AppTest: the answer at a peildatum, filters, period switch, target date."""
import base64
import json
from datetime import date

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from herstelmonitor import db, metrics, privacy, prognose, tempo
from herstelmonitor.format import datum, getal
from tests.test_tempo import tempo_db  # noqa: F401  (fixture)
from tests.helpers import tiles


def open_page(peildatum: str | None = None) -> AppTest:
    at = AppTest.from_file("../dashboard.py", default_timeout=60)
    if peildatum:
        at.query_params["peildatum"] = peildatum
    at.run()
    at.switch_page("pages/tempo.py").run()
    assert not at.exception, at.exception
    return at


def text(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def chart(at, key: str) -> dict:
    (element,) = [c for c in at.get("plotly_chart") if key in str(c.proto.id)]
    return json.loads(element.proto.spec)


def values(trace_part):
    if isinstance(trace_part, dict):  # plotly 7 encodes number arrays as base64
        return np.frombuffer(base64.b64decode(trace_part["bdata"]), dtype=trace_part["dtype"]).tolist()
    return trace_part


def trace(spec: dict, name: str) -> dict:
    (t,) = [t for t in spec["data"] if t.get("name") == name]
    return t


def select(widgets, label: str):
    (w,) = [w for w in widgets if w.label == label]
    return w


def test_page_answers_when_everyone_registered_by_11_march_2021_is_helped(sample_app):
    p = date(2021, 3, 11)
    at = open_page("2021-03-11")
    assert at.title[0].value == "Tempo compensatie"
    with db.connect(sample_app, read_only=True) as con:
        spec = metrics.national(con, p, p).iloc[0]
        rows = tempo.terugtoets_rijen(con, tempo.DEFAULT_WINDOW)
        v = tempo.voorspelling(tempo.stromen(con, p, "week", tempo.Selectie()), p, tempo.DEFAULT_WINDOW,
                               tempo.band_op(rows, p))
    assert tiles(at)["Wacht op eerste toets"] == getal(spec["wachtend_op_eerste_toets"])
    assert tiles(at)["Tijd tot eerste toets (mediaan)"] == f"{getal(spec['doorlooptijd_eerste_toets_mediaan'])} dagen"
    answer = text(at)
    assert f"**{getal(spec['aangemeld'])}** ouders aangemeld" in answer
    # The default target is the first year-end after the peildatum.
    assert "**doeldatum 31 december 2021**" in answer
    # The dates on the page are the forecast of the package for this state, in Dutch; none more than a year out.
    first = v.uitkomsten[("eerste_toets", "bevroren")]
    assert f"90% rond **{tempo.wanneer(first.klaar_90, p)}**" in answer
    assert f"**{tempo.UITLEG_OORDEEL[tempo.oordeel(first, p, date(2021, 12, 31))]}**" in answer
    table = at.dataframe[0].value
    assert list(table["Onderdeel"]) == [tempo.STAPPEN[st] for st in prognose.STAPPEN for _ in range(2)]
    assert table["90% klaar"].iloc[0] == tempo.wanneer(first.klaar_90, p)
    # Early on there are too few earlier forecasts with a known outcome: the page names the wide band.
    assert "**Brede band:**" in answer
    # The back-test beside the one on the published figures, in plain Dutch.
    extracts, published = at.dataframe[1].value, at.dataframe[2].value
    assert set(extracts["Vooruit"]) == {"3 maanden", "6 maanden", "12 maanden"}
    # In weeks of the pace at the time; "–" where there was no pace yet to count weeks in.
    assert extracts["Uitkomst"].str.fullmatch(r"meestal (\d+ (week|weken) te (vroeg|laat)|op tijd \(.*\))|–").all()
    assert extracts["Uitkomst"].str.contains(" te (?:vroeg|laat)").sum() >= 6
    assert set(published["Scenario"]) == {tempo.SCENARIOS["instroom"]}
    assert len(at.get("plotly_chart")) == 5
    assert len(at.get("download_button")) >= 6


def test_the_latest_peildatum_has_a_track_record_and_no_inflow_after_closing(sample_app):
    at = open_page("2023-12-31")
    answer = text(at)
    assert "Aanmelden is gesloten sinds 31 december 2023" in answer
    assert "**doeldatum 31 december 2024**" in answer
    assert set(at.dataframe[0].value["Scenario"]) == {tempo.SCENARIOS["bevroren"]}
    with db.connect(sample_app, read_only=True) as con:
        rows = tempo.terugtoets_rijen(con, tempo.DEFAULT_WINDOW)
    x, y = tempo.staat_van_dienst(rows, date(2023, 12, 31), "eerste_toets", "bevroren")
    assert y > 20
    assert (f"in {x} van de {y} eerdere voorspellingen van de eerste toetsen lag de uitkomst binnen de band"
            in answer)


def test_filter_by_provincie_and_gemeente(sample_app):
    peildatum = date(2021, 3, 11)
    with db.connect(sample_app, read_only=True) as con:
        gem = metrics.per_gemeente(con, peildatum)
        ref = con.execute("SELECT gemeentecode, gemeentenaam, provincienaam FROM gemeenten").df()
    utrecht = ref[ref["provincienaam"] == "Utrecht"]
    at = open_page("2021-03-11")
    select(at.selectbox, "Provincie").select("Utrecht").run()
    assert not at.exception
    # A provincie is a group smaller than the nation: rounded to 5 for the demo's landelijk role.
    waiting = gem.loc[utrecht["gemeentecode"], "wachtend_op_eerste_toets"].sum()
    assert tiles(at)["Wacht op eerste toets"] == getal(privacy.rounded(waiting))
    assert "Tijd tot eerste toets (mediaan)" not in tiles(at)  # the spec's lead times are national figures
    assert "in Utrecht" in text(at)
    options = select(at.selectbox, "Gemeente").options
    assert len(options) == len(utrecht) + 1 and "Amsterdam" not in options
    # A gemeente with 1 to 4 parents waiting: outside the programme team that shows as "<5".
    small = gem.loc[utrecht["gemeentecode"]]
    code = small[small["wachtend_op_eerste_toets"].between(1, 4)].index[0]
    name = ref.set_index("gemeentecode").loc[code, "gemeentenaam"]
    select(at.selectbox, "Gemeente").select(name).run()
    assert not at.exception
    assert tiles(at)["Wacht op eerste toets"] == "<5"
    assert f"in {name}" in text(at)


def test_month_and_cumulative_switch(tempo_db):  # noqa: F811
    at = open_page("2022-06-30")
    weekly = chart(at, "grafiek-stromen")
    assert len(trace(weekly, "Nieuwe aanmeldingen")["x"]) == 77  # 7-day periods from January 2021
    select(at.radio, "Per").set_value("maand").run()
    monthly = trace(chart(at, "grafiek-stromen"), "Nieuwe aanmeldingen")
    assert len(monthly["x"]) == 18  # January 2021 to June 2022
    assert values(monthly["y"])[:3] == [2, 1, 1]
    assert at.header[-3].value == "Stromen per maand"
    at.toggle[0].set_value(True).run()
    cumulative = trace(chart(at, "grafiek-stromen"), "Aangemeld")
    assert values(cumulative["y"])[-1] == 8 and values(cumulative["y"])[:2] == [2, 3]
    backlog = chart(at, "grafiek-achterstand")
    assert values(trace(backlog, tempo.ACHTERSTAND["over_wettelijke_termijn"])["y"])[-7:] == [0, 1, 2, 2, 2, 2, 2]


def test_target_date_and_window(tempo_db):  # noqa: F811
    at = open_page("2022-06-30")
    table = at.dataframe[0].value.set_index(["Onderdeel", "Scenario"])
    first = table.loc[(tempo.STAPPEN["eerste_toets"], tempo.SCENARIOS["bevroren"])]
    # The default window (104 weeks) reaches before the first registration (10-01-2021), so the pace is measured
    # over the 76 weeks there are: five first checks (TA 01-02-2021, TB 01-03-2021, TD 01-04-2021, TG 02-05-2022,
    # TF 15-06-2022), never "7 in 104 weken" as if the history were longer.
    assert first["Tempo nu"] == "5 in 76 weken"
    assert "**doeldatum 31 december 2022**" in text(at)
    # A typed target date applies on submit (Enter in the form).
    at.date_input[0].set_value(date(2023, 3, 31))
    select(at.button, "Toepassen").click().run()
    assert "**doeldatum 31 maart 2023**" in text(at)
    select(at.selectbox, "Tempo gemeten over").select(52)
    select(at.button, "Toepassen").click().run()
    first = at.dataframe[0].value.set_index(["Onderdeel", "Scenario"]).loc[
        (tempo.STAPPEN["eerste_toets"], tempo.SCENARIOS["bevroren"])]
    assert first["Tempo nu"] == "2 in 52 weken"  # TG on 02-05-2022, TF on 15-06-2022
    select(at.selectbox, "Tempo gemeten over").select(13)
    select(at.button, "Toepassen").click().run()
    assert not at.exception
    # On 31-03-2022 no first check in the 26 weeks before: never a date, and the target is not reachable.
    select(at.selectbox, "Peildatum").select(date(2022, 3, 31)).run()
    table = at.dataframe[0].value.set_index(["Onderdeel", "Scenario"])
    first = table.loc[(tempo.STAPPEN["eerste_toets"], tempo.SCENARIOS["bevroren"])]
    assert first["Iedereen klaar"] == "niet binnen twee jaar" and first["Doeldatum"] == "niet haalbaar"
    assert "niet haalbaar: ook het snelle einde van de band haalt de doeldatum niet" in text(at)


def test_selection_without_parents(tempo_db):  # noqa: F811
    at = open_page("2022-06-30")
    select(at.selectbox, "Provincie").select("Zeeland").run()
    assert not at.exception
    assert "geen aangemelde ouders in Zeeland" in at.info[0].value
    assert not at.get("plotly_chart")


@pytest.mark.parametrize("peildatum", ["2021-03-31", "2021-06-30"])
def test_page_on_the_hand_made_extracts(klein_db, peildatum):
    at = open_page(peildatum)
    assert tiles(at)["Wacht op eerste toets"] == {"2021-03-31": "4", "2021-06-30": "5"}[peildatum]
    assert len(at.get("plotly_chart")) == 5


def test_a_gemeente_sees_its_own_small_counts(tempo_db):  # noqa: F811
    # Rotterdam (GM0599) at 30-06-2022: TE and TH wait for a first check.
    for role, shown in (("landelijk", "<5"), ("gemeente", "2")):  # the demo's gemeente role is Rotterdam
        at = AppTest.from_file("../dashboard.py", default_timeout=60)
        at.session_state["demo_rol"] = role
        at.query_params["peildatum"] = "2022-06-30"
        at.run()
        at.switch_page("pages/tempo.py").run()
        select(at.selectbox, "Gemeente").select("Rotterdam").run()
        assert not at.exception
        assert tiles(at)["Wacht op eerste toets"] == shown, role
