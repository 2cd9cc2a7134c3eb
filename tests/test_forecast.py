"""The completion forecast and its back-test (herstelmonitor.forecast), on numbers worked out by hand, and
the method checked against the real national series of the spec (section 1)."""
import math
from datetime import date, timedelta

import pandas as pd
import pytest

from herstelmonitor import forecast
from herstelmonitor.forecast import Reeks, Stand, Tempo

P = date(2021, 3, 11)


def stand(aangemeld=1000, eerste_toets=400, erkend=200, forfait=100, ib_erkend=10, rates=None, peildatum=P):
    rates = {"aangemeld": 0, "eerste_toets": 0, "erkend": 0, "forfait": 0, "ib_erkend": 0} | (rates or {})
    # A window of 10 identical weeks: mean, slow and fast week are all the given rate.
    tempo = {k: Tempo.from_weeks([v] * 10) for k, v in rates.items()}
    return Stand(peildatum, aangemeld, eerste_toets, erkend, forfait, ib_erkend, tempo)


def test_constant_throughput_gives_the_exact_date():
    # 600 parents wait; 100 first checks a week: six weeks, 42 days after the peildatum.
    s = stand(rates={"eerste_toets": 100})
    p = forecast.prognose(s, "eerste_toets", "bevroren", date(2021, 12, 31))
    assert p.te_doen == 600
    assert p.datum == p.vroeg == p.laat == P + timedelta(days=42) == date(2021, 4, 22)
    assert p.oordeel == forecast.HAALBAAR
    # 600 over the 42 weeks and 1 day to 31-12-2021.
    assert p.nodig == pytest.approx(600 / (295 / 7))


def test_a_partial_last_day_counts_as_a_day():
    assert forecast.finish(P, 101, 100) == P + timedelta(days=8)  # 1.01 weeks = 7.07 days: done on day 8
    assert forecast.finish(P, 0, 0) == P  # nothing to do: done


def test_no_throughput_is_not_reachable_rather_than_a_crash_or_a_date():
    s = stand(rates={"eerste_toets": 0, "aangemeld": 50})
    for scenario in forecast.SCENARIOS:
        p = forecast.prognose(s, "eerste_toets", scenario, date(2021, 12, 31))
        assert (p.datum, p.vroeg, p.laat) == (None, None, None)
        assert p.oordeel == forecast.NIET_HAALBAAR
        assert p.nodig == pytest.approx(600 / (295 / 7) + (50 if scenario == "instroom" else 0))


def test_a_date_more_than_ten_years_out_is_not_shown_as_a_date():
    assert forecast.finish(P, 5200, 10) == P + timedelta(weeks=520)  # exactly ten years: still a date
    assert forecast.finish(P, 5201, 10) is None
    s = stand(aangemeld=100_000, eerste_toets=0, rates={"eerste_toets": 1})
    assert forecast.prognose(s, "eerste_toets", "bevroren", date(2021, 12, 31)).datum is None


def test_inflow_shares_the_capacity():
    # 600 waiting, 100 checks and 40 new registrations a week: the queue shrinks by 60 a week, 10 weeks.
    s = stand(rates={"eerste_toets": 100, "aangemeld": 40})
    inflow = forecast.prognose(s, "eerste_toets", "instroom", date(2021, 12, 31))
    assert inflow.instroom == 40
    assert inflow.datum == P + timedelta(days=70)
    assert inflow.nodig == pytest.approx(600 / (295 / 7) + 40)
    # Registrations as fast as the checks: the queue never empties.
    s = stand(rates={"eerste_toets": 100, "aangemeld": 100})
    assert forecast.prognose(s, "eerste_toets", "instroom", date(2021, 12, 31)).datum is None


def test_payment_counts_only_the_parents_expected_to_be_recognised():
    # In the window: 100 first checks a week of which 50 recognised (50%). 100 recognised parents wait for
    # their payment, and half of the 600 without a first check will be: 400 payments to do.
    s = stand(rates={"eerste_toets": 100, "erkend": 50, "forfait": 200})
    p = forecast.prognose(s, "forfait", "bevroren", date(2021, 12, 31))
    assert s.erkenning == 0.5
    assert p.te_doen == 400
    # At 200 a week the payments would take 2 weeks, but the last parents are only checked after 6 weeks.
    assert p.datum == P + timedelta(days=42)
    # With inflow of 40 a week, 20 of them recognised: payments net 180 a week, checks net 60: 10 weeks.
    s = stand(rates={"eerste_toets": 100, "erkend": 50, "forfait": 200, "aangemeld": 40})
    p = forecast.prognose(s, "forfait", "instroom", date(2021, 12, 31))
    assert p.instroom == 20
    assert p.datum == P + timedelta(days=70)


def test_band_from_slow_and_fast_weeks():
    t = Tempo.from_weeks(range(10))  # 0..9 a week
    assert (t.per_week, t.laag, t.hoog, t.weken, t.totaal) == (4.5, pytest.approx(0.9), pytest.approx(8.1), 10, 45)
    s = Stand(P, 1000, 919, 0, 0, 0, {"eerste_toets": t, "aangemeld": Tempo.from_weeks([0] * 10)})
    p = forecast.prognose(s, "eerste_toets", "bevroren", date(2021, 4, 30))
    # 81 to do: 18 weeks at the mean, 10 at a fast week, 90 at a slow one.
    assert p.datum == P + timedelta(days=126)
    assert p.vroeg == P + timedelta(days=70)
    assert p.laat == P + timedelta(days=630)
    assert p.oordeel == forecast.NIET_HAALBAAR
    assert forecast.prognose(s, "eerste_toets", "bevroren", date(2021, 8, 1)).oordeel == forecast.ONZEKER
    assert forecast.prognose(s, "eerste_toets", "bevroren", date(2022, 12, 31)).oordeel == forecast.HAALBAAR
    assert forecast.prognose(s, "eerste_toets", "bevroren", P).oordeel == forecast.DOEL_VERSTREKEN


def test_reeks_reaches_a_level_between_known_points():
    r = Reeks.van({date(2021, 1, 1): 0, date(2021, 1, 11): 100, date(2021, 1, 21): 100, date(2021, 1, 31): 300})
    assert r.bereikt(50) == date(2021, 1, 6)
    assert r.bereikt(100) == date(2021, 1, 11)
    assert r.bereikt(200) == date(2021, 1, 26)
    assert r.bereikt(301) is None
    assert r.op(date(2021, 1, 26)) == 200
    assert r.op(date(2021, 2, 1)) is None


def test_backtest_error_in_weeks():
    # Forecast at P: 400 done, 100 a week, 600 to do. After 3 months (92 days, 13.14 weeks): 1714.
    # Reality did 50 a week: it reached 1714 after 26.3 weeks, 13.1 weeks late.
    s = stand(aangemeld=10_000, rates={"eerste_toets": 100})
    reality = Reeks.van({P: 400, P + timedelta(weeks=520): 400 + 50 * 520})
    rows = forecast.backtest(s, "eerste_toets", "instroom", reality, horizons=(3,))
    (row,) = rows
    level = 400 + 100 * 92 / 7
    assert row["doeldag"] == date(2021, 6, 11)
    assert row["voorspeld"] == pytest.approx(level)
    assert row["bereikt_op"] == P + timedelta(days=math.ceil((level - 400) / 50 * 7))
    assert row["fout_weken"] == pytest.approx(((level - 400) / 50 * 7 - 92) / 7, abs=1 / 7)
    assert row["werkelijk"] == pytest.approx(400 + 50 * 92 / 7)
    assert not row["binnen_band"] and not row["ondergrens"]
    # Frozen: the forecast cannot pass the 600 to do (1000 in all); a reality that stops at 900 never gets
    # there, and the error is at least the time from the horizon to the last known day.
    frozen = stand(aangemeld=1000, rates={"eerste_toets": 100})
    stuck = Reeks.van({P: 400, date(2021, 5, 1): 900, date(2022, 3, 11): 900})
    rows = forecast.backtest(frozen, "eerste_toets", "bevroren", stuck, horizons=(3, 6, 12))
    assert [r["voorspeld"] for r in rows] == [1000, 1000, 1000]
    assert [r["ondergrens"] for r in rows] == [True, True, True]
    assert [round(r["fout_weken"], 1) for r in rows] == [
        round((date(2022, 3, 11) - d).days / 7, 1) for d in (date(2021, 6, 11), date(2021, 9, 11), date(2022, 3, 11))]
    summary = forecast.summarise(pd.DataFrame(rows))
    assert list(summary["horizon"]) == [3, 6, 12]
    assert list(summary["ondergrenzen"]) == [1, 1, 1]


# The real national series of the spec (section 1): cumulative counts at the dates given there.
REGISTERED = {date(2020, 9, 30): 8_100, date(2021, 2, 15): 25_000, date(2021, 4, 30): 36_196,
              date(2021, 6, 30): 42_000, date(2021, 9, 30): 47_000, date(2023, 12, 31): 68_376,
              date(2025, 4, 30): 69_400}
FIRST_CHECKS = {date(2020, 7, 31): 108, date(2021, 3, 25): 12_500, date(2021, 6, 30): 32_000,
                date(2023, 12, 31): 64_149, date(2025, 4, 30): 69_400}  # April 2025: all first checks done
FULL_REVIEWS = {date(2021, 6, 30): 2_300, date(2021, 9, 30): 4_200}


def slope(series: dict, van: date, tot: date) -> float:
    return (series[tot] - series[van]) / ((tot - van).days / 7)


def real_stand(peildatum: date, registered: float, checks_from: date, registered_from: date) -> Stand:
    """The state at a date of the spec's table, with the throughput since the previous figure."""
    rates = {"eerste_toets": slope(FIRST_CHECKS, checks_from, peildatum),
             "aangemeld": (registered - REGISTERED[registered_from]) / ((peildatum - registered_from).days / 7),
             "erkend": 0, "forfait": 0, "ib_erkend": 0}
    return Stand(peildatum, registered, FIRST_CHECKS[peildatum], 0, 0, 0,
                 {k: Tempo.constant(v) for k, v in rates.items()})


def test_method_on_the_real_series_june_2021_was_far_too_optimistic():
    # 30 June 2021: 42,000 registered, 32,000 first checks. Pace since 25 March: 19,500 in 97 days
    # (1,407 a week); registrations since 30 April: 5,804 in 61 days (666 a week).
    june = date(2021, 6, 30)
    s = real_stand(june, REGISTERED[june], date(2021, 3, 25), date(2021, 4, 30))
    checks, inflow = 19_500 / (97 / 7), 5_804 / (61 / 7)
    assert s.tempo["eerste_toets"].per_week == pytest.approx(checks)
    frozen = forecast.prognose(s, "eerste_toets", "bevroren", date(2021, 12, 31))
    with_inflow = forecast.prognose(s, "eerste_toets", "instroom", date(2021, 12, 31))
    assert frozen.datum == june + timedelta(days=math.ceil(10_000 / checks * 7)) == date(2021, 8, 19)
    assert with_inflow.datum == june + timedelta(days=math.ceil(10_000 / (checks - inflow) * 7)) == date(2021, 10, 3)
    assert frozen.oordeel == with_inflow.oordeel == forecast.HAALBAAR

    # What happened: first checks reached the 42,000 registered by June 2021 only around April 2022 (linear
    # between June 2021 and the 64,149 of December 2023), and the queue was empty only in 2025.
    reality = Reeks.van(FIRST_CHECKS)
    caught_up = reality.bereikt(42_000)
    assert caught_up == june + timedelta(days=math.ceil(10_000 / 32_149 * 914)) == date(2022, 4, 11)
    assert (caught_up - frozen.datum).days / 7 > 33

    rows = {r["horizon"]: r for r in forecast.backtest(s, "eerste_toets", "instroom", reality)}
    # 6 months (to 30-12-2021, 26.1 weeks): the checks would meet the rising registrations at
    # 42,000 + 666 x 26.1 = 59,411; reality reached that around 18 August 2023, 85 weeks later.
    level6 = 42_000 + inflow * 183 / 7
    assert rows[6]["voorspeld"] == pytest.approx(level6)
    assert rows[6]["bereikt_op"] == june + timedelta(days=math.ceil((level6 - 32_000) / 32_149 * 914))
    assert rows[6]["fout_weken"] == pytest.approx(85.1, abs=0.2)
    # 12 months: 76,727 first checks forecast, more than there ever were: at least 148 weeks too early.
    assert rows[12]["ondergrens"] and rows[12]["fout_weken"] == pytest.approx((date(2025, 4, 30) - date(2022, 6, 30)).days / 7)


def test_method_on_the_real_series_march_2021_was_too_pessimistic_during_the_ramp_up():
    # 25 March 2021: 12,500 first checks; the pace since the first 108 in July 2020: 366 a week. Registered
    # on 25 March (linear between 15 February and 30 April): 30,749.
    march = date(2021, 3, 25)
    registered = 25_000 + 11_196 * 38 / 74
    s = real_stand(march, registered, date(2020, 7, 31), date(2021, 2, 15))
    (row,) = forecast.backtest(s, "eerste_toets", "instroom", Reeks.van(FIRST_CHECKS), horizons=(3,))
    level = 12_500 + (12_392 / (237 / 7)) * 92 / 7  # 25 June 2021: 17,310
    assert row["voorspeld"] == pytest.approx(level)
    # Reality reached it on 18 April 2021, ten weeks early: after the Catshuisregeling the pace tripled.
    assert row["bereikt_op"] == march + timedelta(days=math.ceil((level - 12_500) / 19_500 * 97)) == date(2021, 4, 18)
    assert row["fout_weken"] == pytest.approx(-9.7, abs=0.1)


def test_method_on_the_real_series_full_reviews_planned_for_2021_were_not_reachable():
    # September 2021: 4,200 full reviews, 1,900 since June (92 days: 145 a week). Planned: 8,300 by the
    # end of 2021, so 4,100 to go in 92 days: 312 a week, more than twice the pace.
    sept = date(2021, 9, 30)
    pace = slope(FULL_REVIEWS, date(2021, 6, 30), sept)
    assert pace == pytest.approx(1_900 / (92 / 7))
    assert forecast.needed_rate(4_100, sept, date(2021, 12, 31)) == pytest.approx(4_100 / (92 / 7))
    done = forecast.finish(sept, 4_100, pace)
    assert done == sept + timedelta(days=math.ceil(4_100 / pace * 7)) == date(2022, 4, 17)
    assert forecast.oordeel(4_100, done, done, sept, date(2021, 12, 31)) == forecast.NIET_HAALBAAR
