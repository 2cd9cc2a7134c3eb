"""The forecast method (herstelmonitor.prognose) on constructed series worked out by hand, its back-test on the
published national figures, and the `prognose` command's contract."""
import json
import math
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from herstelmonitor import prognose
from herstelmonitor.cli import main
from herstelmonitor.paths import REFERENCE

P = date(2022, 1, 3)
PUBLISHED = REFERENCE / "landelijke_cijfers.csv"


def series(weeks: int, aangemeld, toets, erkend=None, forfait=None, ib=None) -> pd.DataFrame:
    """A weekly series ending on P from per-week functions of the week index (0 = P - weeks weeks)."""
    idx = np.arange(weeks + 1)
    col = lambda f: [float(f(i)) if f is not None else np.nan for i in idx]  # noqa: E731
    return pd.DataFrame({"datum": [P - timedelta(weeks=int(weeks - i)) for i in idx],
                         "aangemeld": col(aangemeld), "eerste_toets_afgerond": col(toets),
                         "erkend_gedupeerd": col(erkend), "forfait_betaald": col(forfait),
                         "integrale_beoordeling_afgerond": col(ib)})


def draining(weeks=26, start=10_000, share=0.1):
    """1,000 parents registered long ago, none since; each week `share` of those waiting gets a first check."""
    waiting = start * (1 - share) ** np.arange(weeks + 1)
    return series(weeks, lambda i: start, lambda i: start - waiting[i])


def test_a_draining_backlog_gives_the_exact_date():
    s = prognose.toestand(draining(), P, venster=26)
    assert s.aandeel["eerste_toets"] == pytest.approx(0.1)
    assert s.instroom == 0
    sim = prognose.simuleer(s, "bevroren", 60)
    waiting0 = 10_000 * 0.9 ** 26
    # Each week 10% of the queue: after w weeks waiting0 * 0.9^w remain, until the floor (a quarter of today's
    # pace) takes over: from then on a fixed 0.025 * waiting0 a week.
    assert sim["eerste_toets"][1] == pytest.approx(10_000 - waiting0 * 0.9)
    # 90% done (of all 10,000) the first week at most 1,000 remain: today 646 wait, so already at P.
    assert prognose.klaar_datum(s, sim, "eerste_toets", 0.9) == P
    # Everyone: 0.9^w falls to 0.25 (the floor) after ceil(ln 0.25 / ln 0.9) = 14 weeks; then
    # 0.9^14 = 0.2288 of the queue is left, at 0.025 of the queue a week: 9.15 weeks more, so week 24.
    left = waiting0 * 0.9 ** 14
    weeks_more = math.ceil((left - 0.5) / (0.025 * waiting0))
    assert prognose.klaar_datum(s, sim, "eerste_toets", 1.0) == P + timedelta(weeks=14 + weeks_more)


def test_a_closed_registration_stops_inflow():
    # 100 new registrations a week, the same 100 checked: a steady queue of 500.
    frame = series(26, lambda i: 10_000 + 100 * i, lambda i: 9_500 + 100 * i)
    open_ = prognose.toestand(frame, P, 26, sluitdatum=None)
    closed = prognose.toestand(frame, P, 26, sluitdatum=P + timedelta(weeks=4))
    assert open_.instroom == pytest.approx(100)
    sim_open, sim_closed = prognose.simuleer(open_, "instroom", 52), prognose.simuleer(closed, "instroom", 52)
    assert sim_open["aangemeld"][52] == pytest.approx(10_000 + 100 * 26 + 100 * 52)
    # Four more weeks of registrations, then none.
    assert sim_closed["aangemeld"][52] == pytest.approx(10_000 + 100 * 26 + 100 * 4)
    assert sim_closed["aangemeld"][4] == sim_closed["aangemeld"][52]


def test_registrations_fall_off_but_never_grow():
    # 200 a week for 8 weeks, then 100 a week for 8: the factor per week is (100/200)^(1/8).
    rising = series(16, lambda i: 1_000 + 100 * min(i, 8) + 200 * max(i - 8, 0), lambda i: 0)
    falling = series(16, lambda i: 1_000 + 200 * min(i, 8) + 100 * max(i - 8, 0), lambda i: 0)
    assert prognose.toestand(rising, P, 8).afname == 1.0
    assert prognose.toestand(falling, P, 8).afname == pytest.approx(0.5 ** (1 / 8))


def test_the_high_end_of_the_band_keeps_registrations_at_todays_pace():
    # 200 a week, then 100 a week: registrations fall off by (1/2)^(1/8) a week. Every parent is checked the week
    # after registering, so a faster pace can do no more than check the newcomers.
    frame = series(16, lambda i: 1_000 + 200 * min(i, 8) + 100 * max(i - 8, 0),
                   lambda i: 1_000 + 200 * min(i, 8) + 100 * max(i - 8, 0) - (100 if i > 8 else 200))
    s = prognose.toestand(frame, P, 8)
    assert s.afname == pytest.approx(0.5 ** (1 / 8))
    low, high = prognose.bandranden(s, "eerste_toets", "instroom", np.array([1.0]), np.array([1.0]), 26)
    forecast = prognose.simuleer(s, "instroom", 26)
    # The low end at the same pace is the forecast; the high end has 100 new parents every week (2,600 in 26
    # weeks) instead of 100 * (1 - f^26) / (1 - f) with f = 0.5^(1/8) (1,034), so it can do more work.
    assert low[:, 0] == pytest.approx(forecast["eerste_toets"])
    assert s.aangemeld == 3_400  # 1,000 + 8 * 200 + 8 * 100
    assert prognose.simuleer(s, "instroom", 26, blijvend=True)["aangemeld"][26] == pytest.approx(3_400 + 2_600)
    assert forecast["aangemeld"][26] - 3_400 == pytest.approx(100 * (1 - 0.5 ** (26 / 8)) / (1 - 0.5 ** (1 / 8)))
    assert high[26, 0] > forecast["eerste_toets"][26] + 1_000
    # Without registrations ('bevroren') both ends are the forecast at the same pace.
    low, high = prognose.bandranden(s, "eerste_toets", "bevroren", np.array([1.0]), np.array([1.0]), 26)
    assert high[:, 0] == pytest.approx(prognose.simuleer(s, "bevroren", 26)["eerste_toets"])


def test_payments_carry_the_band_of_the_first_checks_that_feed_them():
    # 10,000 registered long ago; 2% of those waiting checked a week, half recognised, every recognised parent
    # paid the week after. Payments can only go faster than forecast if first checks do.
    waiting = 10_000 * 0.98 ** np.arange(27)
    checked = 10_000 - waiting
    frame = series(26, lambda i: 10_000, lambda i: checked[i], lambda i: checked[i] / 2,
                   lambda i: checked[max(i - 1, 0)] / 2)
    s = prognose.toestand(frame, P, 26)
    band = prognose.Band({(stap, "bevroren", 26): [m] * 5 for stap, m in (("forfait", 1.0), ("eerste_toets", 2.0))})
    assert band.grenzen("forfait", "bevroren", 26)[:2] == (pytest.approx(1 / 1.25), pytest.approx(1.25))
    feed = prognose.voeding(band, "forfait", "bevroren", [26])
    assert (feed[0][0], feed[1][0]) == (pytest.approx(0.5 / 1.25), pytest.approx(2 * 1.25))
    one = np.array([1.0])
    low, high = prognose.bandranden(s, "forfait", "bevroren", one, one, 26, feed)
    alone_low, alone_high = prognose.bandranden(s, "forfait", "bevroren", one, one, 26)
    # At the same payment pace: first checks 2.5 times as fast give more recognised parents to pay, a fifth
    # as fast fewer; first checks are not fed by anything, so their band has no feed.
    assert high[26, 0] > alone_high[26, 0] + 100 and low[26, 0] < alone_low[26, 0] - 100
    assert prognose.voeding(band, "eerste_toets", "bevroren", [26]) is None


def test_the_pace_says_how_many_weeks_it_was_measured_over():
    # Ten weeks of history with a 26-week window: the pace is over those ten weeks, not 26.
    s = prognose.toestand(draining(weeks=10), P, 26)
    assert s.weken("eerste_toets") == 10 and prognose.toestand(draining(weeks=30), P, 26).weken("eerste_toets") == 26


def test_no_throughput_is_not_reachable_and_never_a_far_date():
    frame = series(26, lambda i: 5_000, lambda i: 1_000)
    s = prognose.toestand(frame, P, 26)
    assert s.aandeel["eerste_toets"] == 0
    u = prognose.uitkomst(s, "eerste_toets", "bevroren", prognose.Band())
    assert (u.klaar_90, u.klaar_95, u.klaar, u.klaar_laag, u.klaar_hoog) == (None,) * 5
    assert u.nog_te_doen == 4_000


def test_a_gap_in_the_series_is_filled_by_the_method():
    frame = draining()
    frame.loc[10:20, "eerste_toets_afgerond"] = np.nan
    s_full, s_gap = prognose.toestand(draining(), P, 26), prognose.toestand(frame, P, 26)
    assert s_gap.aandeel["eerste_toets"] == pytest.approx(s_full.aandeel["eerste_toets"], rel=0.05)
    # The last known first-check count is 4 weeks before P: filled with the share measured up to then.
    frame.loc[23:, "eerste_toets_afgerond"] = np.nan
    s_end = prognose.toestand(frame, P, 26)
    assert s_end.toets == pytest.approx(s_full.toets, rel=0.01)


def test_the_band_comes_from_past_errors_once_there_are_enough():
    band = prognose.Band({("eerste_toets", "bevroren", 26): [0.5, 0.8, 1.2, 0.9, 1.1]})
    # Once half as fast as forecast: the band reaches half and twice the pace, widened by a quarter.
    lo, hi, n, own = band.grenzen("eerste_toets", "bevroren", 26)
    assert (lo, hi, n, own) == (pytest.approx(0.5 / 1.25), pytest.approx(2.0 * 1.25), 5, True)
    # Only the last twelve errors count: an old surprise ages out.
    old = prognose.Band({("eerste_toets", "bevroren", 26): [0.1] + [1.1] * 12})
    assert old.grenzen("eerste_toets", "bevroren", 26)[:2] == (pytest.approx(1 / 1.1 / 1.25), pytest.approx(1.1 * 1.25))
    # Too few of its own: the other scenario's errors are not enough either, so the wide fallback.
    assert band.grenzen("eerste_toets", "bevroren", 13) == (*prognose.BREED, 0, False)


def test_the_multiplier_reproduces_the_outcome():
    s = prognose.toestand(draining(), P, 26)
    target = prognose.simuleer(s, "bevroren", 26, {"eerste_toets": 0.6})["eerste_toets"][-1]
    assert prognose.multiplier(s, "eerste_toets", "bevroren", 26, target) == pytest.approx(0.6, rel=0.02)


def test_backtest_on_the_published_figures():
    reeks = prognose.lees_reeks(PUBLISHED)
    rows = prognose.terugtoets(reeks, prognose.STANDAARD_VENSTER, prognose.sluitdatum())
    checks = rows[rows["stap"] == "eerste_toets"]
    # From every published date with a first-check count and registrations, up to 12 months on.
    assert set(checks["peildatum"]) >= {date(2021, 3, 25), date(2021, 6, 30), date(2023, 12, 31)}
    assert (checks["scenario"] == "instroom").all()  # the published figures have no cohorts
    summary = prognose.samenvatting(rows)
    assert set(summary["weken"]) == {13, 26, 52}
    # The done-criterion with the default window: first checks 6 months ahead off by less than 15% of the work
    # (median of 5: -15.0, 2.0, 40.7, 58.9 and 10.1%: the collapse of mid-2021 is in no earlier figure), and
    # the band holding at least 80% of the outcomes at 3, 6 and 12 months.
    first = summary[summary["stap"] == "eerste_toets"].set_index("weken")
    assert first.loc[26, "mediane_fout_pct"] < 15
    assert (first["binnen_band_pct"] >= 80).all()


# --------------------------------------------------------------------------------------------- the command

def run_cli(capsys, *args) -> tuple[int, str, str]:
    code = main(["prognose", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_contract(capsys):
    code, out, _ = run_cli(capsys, "--reeks", str(PUBLISHED), "--peildatum", "2021-06-30", "--json")
    assert code == 0
    result = json.loads(out)
    assert result["peildatum"] == "2021-06-30" and result["venster_weken"] == prognose.STANDAARD_VENSTER
    assert {(p["stap"], p["scenario"]) for p in result["prognoses"]} >= {
        ("eerste_toets", "bevroren"), ("eerste_toets", "instroom"), ("forfait", "bevroren")}
    for p in result["prognoses"]:
        assert set(p) == {"stap", "scenario", "nog_te_doen", "niveau", "klaar_90", "klaar_95", "klaar",
                          "klaar_laag", "klaar_hoog"}
        assert set(p["niveau"]) == {"13", "26", "52"}
        for level in p["niveau"].values():
            assert level["laag"] <= level["verwacht"] <= level["hoog"]
        for key in ("klaar_90", "klaar_95", "klaar", "klaar_laag", "klaar_hoog"):
            assert p[key] is None or date.fromisoformat(p[key]) >= date(2021, 6, 30)
    first = next(p for p in result["prognoses"] if p["stap"] == "eerste_toets" and p["scenario"] == "bevroren")
    assert first["nog_te_doen"] == 42_000 - 32_000


def test_cli_ignores_rows_after_the_peildatum(capsys, tmp_path):
    cut = tmp_path / "tot_juni_2021.csv"
    frame = pd.read_csv(PUBLISHED, dtype=str)
    frame[frame["datum"] <= "2021-06-30"].to_csv(cut, index=False)
    _, full, _ = run_cli(capsys, "--reeks", str(PUBLISHED), "--peildatum", "2021-06-30", "--venster", "13", "--json")
    _, part, _ = run_cli(capsys, "--reeks", str(cut), "--peildatum", "2021-06-30", "--venster", "13", "--json")
    assert json.loads(full) == json.loads(part)
    assert json.loads(full)["venster_weken"] == 13


def test_cli_fills_gaps_and_forecasts_between_published_dates(capsys):
    code, out, _ = run_cli(capsys, "--reeks", str(PUBLISHED), "--peildatum", "2021-05-15", "--json")
    assert code == 0
    first = next(p for p in json.loads(out)["prognoses"] if p["stap"] == "eerste_toets" and p["scenario"] == "bevroren")
    assert first["nog_te_doen"] > 0


@pytest.mark.parametrize("content, expected", [
    ("datum,aangemeld\n2021-01-01,5\n", "kolom eerste_toets_afgerond"),
    ("datum,aangemeld,eerste_toets_afgerond,erkend_gedupeerd,forfait_betaald,integrale_beoordeling_afgerond\n"
     "2021-01-01,5,x,,,\n", "rij 2, kolom eerste_toets_afgerond: 'x' is geen aantal"),
    ("datum,aangemeld,eerste_toets_afgerond,erkend_gedupeerd,forfait_betaald,integrale_beoordeling_afgerond\n"
     "1-1-2021,5,,,,\n", "rij 2, kolom datum"),
    ("datum,aangemeld,eerste_toets_afgerond,erkend_gedupeerd,forfait_betaald,integrale_beoordeling_afgerond\n"
     "2021-01-01,-5,,,,\n", "rij 2, kolom aangemeld: een aantal kan niet negatief zijn"),
])
def test_cli_bad_file_gives_a_dutch_error_and_exit_2(capsys, tmp_path, content, expected):
    path = tmp_path / "reeks.csv"
    path.write_text(content, encoding="utf-8")
    code, out, err = run_cli(capsys, "--reeks", str(path), "--peildatum", "2021-06-30", "--json")
    assert code == 2 and out == ""
    assert "reeks.csv" in err and expected in err


def test_cli_missing_file_and_bad_date(capsys, tmp_path):
    code, _, err = run_cli(capsys, "--reeks", str(tmp_path / "nergens.csv"), "--peildatum", "2021-06-30", "--json")
    assert code == 2 and "bestaat niet" in err
    code, _, err = run_cli(capsys, "--reeks", str(PUBLISHED), "--peildatum", "30-06-2021", "--json")
    assert code == 2 and "geen datum" in err
    code, _, err = run_cli(capsys, "--reeks", str(PUBLISHED), "--peildatum", "2019-01-01", "--json")
    assert code == 2 and "geen cijfers op of voor de peildatum" in err
