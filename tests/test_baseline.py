"""A second, independent check of the metric definitions: plain pandas from the files equals our SQL."""
from datetime import date

import pandas as pd
import pytest

from herstelmonitor import baseline, db, metrics
from herstelmonitor.queries import all_metrics
from tests.conftest import ERVARING, KLEIN
from tests.helpers import same

ISO = date(2021, 6, 30)  # the klein set's ISO-format peildatum (the baseline reads the sample's format)


def compare(dbfile, folder, p):
    con = db.connect(dbfile, read_only=True)
    ours = metrics.kpis(con, p)
    con.close()
    national, per = baseline.metrics(folder, p)
    # The spec's metrics of section 3 (the baseline computes those; the metrics table also holds the
    # pages' counts and rates, checked by hand in test_deelname).
    names = [m for m in all_metrics() if m in national]
    assert len(names) == 23  # the spec's 15, the survey's 4 and 4 counts of the base table the baseline has too
    assert all(same(ours["landelijk"][m], national[m]) for m in names), \
        {m: (ours["landelijk"][m], national[m]) for m in names if not same(ours["landelijk"][m], national[m])}
    for code, row in per.iterrows():
        diff = {m: (ours["gemeenten"][code][m], row[m]) for m in names
                if not same(ours["gemeenten"][code][m], None if pd.isna(row[m]) else row[m])}
        assert not diff, (code, diff)
    return len(per)


def test_baseline_agrees_on_the_hand_made_extracts(klein_db):
    assert compare(klein_db, KLEIN, ISO) == 5  # GM0599, GM0034, GM0014, GM0363 (joined only), onbekend


@pytest.mark.parametrize("p", [date(2021, 6, 30), date(2023, 12, 31)])
def test_baseline_agrees_on_the_sample(sample_db, p):
    folder = sample_db.parent / "extracts"
    assert compare(sample_db, folder, p) == 342 + 1  # every gemeente is in deelname, plus onbekend


def test_baseline_agrees_on_the_survey_fixture(ervaring_db):
    assert compare(ervaring_db, ERVARING, ISO) == 5
