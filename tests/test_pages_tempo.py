"""The Tempo compensatie page under AppTest: the answer at a peildatum, filters, period switch, target date."""
import base64
import json
from datetime import date

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from herstelmonitor import db, forecast, metrics, tempo
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
    at = open_page("2021-03-11")
    assert at.title[0].value == "Tempo compensatie"
    with db.connect(sample_app, read_only=True) as con:
        spec = metrics.national(con, date(2021, 3, 11), date(2021, 3, 11)).iloc[0]
        s = tempo.stand(tempo.stromen(con, date(2021, 3, 11), "week", tempo.Selectie()), date(2021, 3, 11), 8)
    assert tiles(at)["Wacht op eerste toets"] == getal(spec["wachtend_op_eerste_toets"])
    assert tiles(at)["Tijd tot eerste toets (mediaan)"] == f"{getal(spec['doorlooptijd_eerste_toets_mediaan'])} dagen"
    answer = text(at)
    assert f"**{getal(spec['aangemeld'])}** ouders aangemeld" in answer
    assert "**Doeldatum 31 december 2021**" in answer
    # The dates on the page are the forecast of the package for this state, in Dutch.
    frozen = forecast.prognose(s, "eerste_toets", "bevroren", date(2021, 12, 31))
    assert frozen.datum is not None and f"rond **{datum(frozen.datum)}**" in answer
    paid = forecast.prognose(s, "forfait", "bevroren", date(2021, 12, 31))
    assert f"**{tempo.OORDEEL[paid.oordeel]}**" in answer
    table = at.dataframe[0].value
    assert list(table["Onderdeel"]) == [tempo.STAPPEN[st] for st in forecast.STAPPEN for _ in range(2)]
    assert table["Verwacht klaar"].iloc[0] == datum(frozen.datum)
    # The back-test: a row per step, scenario and horizon, measured against the latest extract.
    backtest = at.dataframe[1].value
    assert len(backtest) == 18 and set(backtest["Horizon"]) == {"3 maanden", "6 maanden", "12 maanden"}
    assert "31 december 2023" in answer
    assert len(at.get("plotly_chart")) == 5
    assert len(at.get("download_button")) >= 6


def test_filter_by_provincie_and_gemeente(sample_app):
    peildatum = date(2021, 3, 11)
    with db.connect(sample_app, read_only=True) as con:
        gem = metrics.per_gemeente(con, peildatum)
        ref = con.execute("SELECT gemeentecode, gemeentenaam, provincienaam FROM gemeenten").df()
    utrecht = ref[ref["provincienaam"] == "Utrecht"]
    at = open_page("2021-03-11")
    select(at.selectbox, "Provincie").select("Utrecht").run()
    assert not at.exception
    assert tiles(at)["Wacht op eerste toets"] == getal(gem.loc[utrecht["gemeentecode"], "wachtend_op_eerste_toets"].sum())
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
    assert at.subheader[-3].value == "Stromen per maand"
    at.toggle[0].set_value(True).run()
    cumulative = trace(chart(at, "grafiek-stromen"), "Aangemeld")
    assert values(cumulative["y"])[-1] == 8 and values(cumulative["y"])[:2] == [2, 3]
    backlog = chart(at, "grafiek-achterstand")
    assert values(trace(backlog, tempo.ACHTERSTAND["over_wettelijke_termijn"])["y"])[-7:] == [0, 1, 2, 2, 2, 2, 2]


def test_target_date_and_window(tempo_db):  # noqa: F811
    at = open_page("2022-06-30")
    # One first check (TF) in the last 8 weeks, three parents waiting: 1/8 a week, 24 weeks.
    table = at.dataframe[0].value
    assert table["Tempo"].iloc[0] == "0,1 per week"
    assert table["Verwacht klaar"].iloc[0] == datum(date(2022, 12, 15))
    assert "ligt niet na de peildatum" in table["Doeldatum"].iloc[0]  # default target 31-12-2021 is past
    at.date_input[0].set_value(date(2023, 6, 30)).run()
    # Reachable at the mean pace, but a slow week (most weeks) had no first check at all.
    assert at.dataframe[0].value["Doeldatum"].iloc[0] == "alleen bij gemiddeld tempo"
    assert at.dataframe[0].value["Band (snelle – trage week)"].iloc[0].endswith("niet haalbaar")
    # The last 4 weeks hold that first check too: 1/4 a week, 12 weeks.
    select(at.selectbox, "Tempo van de laatste").select(4).run()
    assert at.dataframe[0].value["Verwacht klaar"].iloc[0] == datum(date(2022, 9, 22))
    # On 31-03-2022 no first check in the last 8 weeks: not reachable at this pace, not a date.
    select(at.selectbox, "Tempo van de laatste").select(8).run()
    select(at.selectbox, "Peildatum").select(date(2022, 3, 31)).run()
    assert at.dataframe[0].value["Verwacht klaar"].iloc[0] == "niet haalbaar"
    assert "**niet haalbaar bij dit tempo**" in text(at)


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
