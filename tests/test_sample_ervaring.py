"""The synthetic parent survey (herstelmonitor.sample_ervaring): response, clustering, marks, the signal."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from herstelmonitor import sample
from herstelmonitor.sample_ervaring import PEILDATA, WAVES, survey_answers

SCALE = 0.3


@pytest.fixture(scope="module")
def survey():
    gem = sample.load_gemeenten()
    hist, _ = sample.build_history(seed=1, scale=SCALE, gem=gem)
    beh = sample._gemeente_behaviour(gem, 1).assign(gemeentecode=gem["gemeentecode"])
    return hist, survey_answers(hist, gem, seed=1), beh


def window(answers: pd.DataFrame, p: str) -> pd.DataFrame:
    """As a file of peildatum p holds them (latest per parent) and the metrics count them (26 weeks)."""
    d = np.datetime64(p)
    latest = answers[answers["antwoord_datum"] <= d].sort_values("antwoord_datum").groupby("ouder_id").tail(1)
    return latest[latest["antwoord_datum"] > d - 182]


def test_survey_peildata():
    assert PEILDATA[0] == "2021-06-30" and PEILDATA[-1] == "2023-12-31"
    assert "2022-02-28" not in PEILDATA and "2021-03-31" not in PEILDATA  # "geen meting" there
    assert WAVES[0] == np.datetime64("2021-01-01")


@pytest.mark.parametrize("p", ["2021-12-31", "2022-09-30", "2023-12-31"])
def test_response_is_20_to_40_percent_of_parents_in_support(survey, p):
    hist, answers, _ = survey
    d = np.datetime64(p)
    in_support = ((hist["contact"] <= d) & ~(hist["afgewezen"] <= d)).sum()
    assert 0.20 <= len(window(answers, p)) / in_support <= 0.40


def test_answers_and_marks(survey):
    _, answers, _ = survey
    shares = answers["voelt_zich_geholpen"].value_counts(normalize=True)
    assert 0.4 < shares["ja"] < 0.65 and 0.15 < shares["deels"] < 0.35 and 0.15 < shares["nee"] < 0.35
    given = answers.loc[answers["rapportcijfer"] > 0, "rapportcijfer"]
    assert given.between(5, 8).mean() > 0.65 and given.between(1, 10).all()
    assert 0.05 < (answers["rapportcijfer"] == 0).mean() < 0.2  # some parents give no mark


def test_dissatisfaction_clusters_by_gemeente_and_follows_stalls(survey):
    _, answers, beh = survey
    now = window(answers, "2023-12-31")
    per = now.groupby("gemeentecode").agg(n=("ouder_id", "size"),
                                          helped=("voelt_zich_geholpen", lambda s: (s != "nee").mean()))
    per = per[per["n"] >= 10].join(beh.set_index("gemeentecode"))
    fires = per["helped"] < 0.5
    assert 5 <= fires.sum() <= 0.25 * len(per)
    stalled = per["stall_to"] > np.datetime64("2099-01-01")  # the gemeenten stalling since 2023
    assert fires[stalled].any() and per.loc[stalled, "helped"].mean() < per.loc[~stalled, "helped"].mean() - 0.2
    good = (per["reach"] >= 0.8) & (per["delay"] < 30) & per["stall_from"].isna()
    assert fires[good].sum() >= 2  # good process figures, dissatisfied parents
