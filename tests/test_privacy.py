"""Small-count suppression and spreadsheet-safe exports."""
import io

import pandas as pd
import pytest

from herstelmonitor import regio
from herstelmonitor.access import Access
from herstelmonitor.export import csv_bytes, xlsx_bytes
from herstelmonitor.privacy import protect
from herstelmonitor.queries import catalogue, parse_metric

# Columns named as in the metric catalogue: bereik_basis and bereikt are counts, bereik_pct a percentage
# resting on bereik_basis (queries/metrieken.sql); `toelichting` is not a figure.
FRAME = pd.DataFrame({"gemeentecode": ["GM0001", "GM0002", "GM0003"], "bereik_basis": [4, 5, 0],
                      "bereikt": [3, 2, 0], "bereik_pct": [75.0, 40.0, None], "toelichting": ["a", "b", "c"]})


def test_counts_below_five_are_suppressed_and_percentages_on_small_bases_hidden():
    out = protect(FRAME, Access("landelijk", "test"))
    assert list(out["bereik_basis"]) == ["<5", 5, 0]  # zero is not a small count: nothing to re-identify
    assert list(out["bereikt"]) == ["<5", "<5", 0]
    # Row 2: 2 of 5 reached (40%) would give the 2 away; from the rounded counts ("<5" of 5) there is no share.
    assert list(out["bereik_pct"])[:2] == ["-", "-"] and pd.isna(out["bereik_pct"].iloc[2])  # none on a base of 0
    assert list(out["toelichting"]) == ["a", "b", "c"]


def test_exact_viewers_see_their_gemeenten_exactly():
    out = protect(FRAME, Access("gemeente", "test", "GM0001"))
    assert list(out["bereik_basis"]) == [4, 5, 0] and list(out["bereikt"]) == [3, "<5", 0]


def test_a_declared_metric_is_protected_without_any_list(monkeypatch):
    # A new rate declared in the catalogue with its base count is protected by that declaration alone.
    from herstelmonitor import privacy
    from herstelmonitor.queries import Metric

    known = {**privacy.catalogue(), "nieuw_pct": Metric("nieuw_pct", "percentage", "Nieuw", "Nieuw.", "x", "bereikt")}
    monkeypatch.setattr(privacy, "catalogue", lambda: known)
    out = protect(FRAME.assign(nieuw_pct=[10.0, 20.0, 30.0]), Access("landelijk", "test"))
    assert list(out["nieuw_pct"]) == ["-", "-", "-"]  # bereikt is 3, 2 and 0: all below 5


def test_a_share_whose_tag_names_its_numerator_is_recomputed_from_the_rounded_numerator():
    # aandeel_regio_pct is tagged `numerator aangemeld`: a gemeente's share of its region's 37 parents.
    frame = pd.DataFrame({"gemeentecode": ["GM0001", "GM0002", "GM0003", "GM0004"], "aangemeld": [12, 3, 0, 22],
                          "aandeel_regio_pct": [100 * 12 / 37, 100 * 3 / 37, 0.0, 100 * 22 / 37]})
    out = protect(frame, Access("landelijk", "test"))
    # 12 of 37 -> 10 of 35 (both rounded to 5); 22 of 37 -> 20 of 35; 3 is "<5": no share; 0 stays 0%.
    assert out["aandeel_regio_pct"].tolist() == [pytest.approx(100 * 10 / 35), "-", 0.0, pytest.approx(100 * 20 / 35)]
    assert out["aangemeld"].tolist() == [10, "<5", 0, 20]
    exact = protect(frame, Access("gemeente", "test", "GM0001"))
    assert exact.loc[0, "aandeel_regio_pct"] == pytest.approx(100 * 12 / 37)


def test_the_base_count_field_says_numerator_or_base():
    share = parse_metric(["a_pct", "percentage", "A", "A.", "numerator teller"], "x")
    assert (share.base, share.numerator) == ("teller", True)
    assert (parse_metric(["b_pct", "percentage", "B", "B.", "noemer"], "x").base,
            parse_metric(["b_pct", "percentage", "B", "B.", "noemer"], "x").numerator) == ("noemer", False)
    with pytest.raises(ValueError, match="numerator only for a percentage"):
        parse_metric(["c_dagen", "days", "C", "C.", "numerator teller"], "x")


def test_a_figure_made_in_python_is_declared_beside_its_code_and_protected_by_that():
    # herstelmonitor/regio.py declares the what-if and meeting-list sums it makes (`# @metric` lines).
    m = catalogue()["ouders_bediend"]
    assert (m.kind, m.path, m.label) == ("count", "herstelmonitor/regio.py", "Ouders in bediende gemeenten")
    frame = pd.DataFrame({"gemeentecode": ["GM0001", "GM0002"], "ouders_bediend": [3, 1234],
                          "ouders_bediend_signaal": [12, 0]})
    out = protect(frame, Access("landelijk", "test"))
    assert out["ouders_bediend"].tolist() == ["<5", 1235] and out["ouders_bediend_signaal"].tolist() == [10, 0]
    assert regio.tonen(frame)["ouders_bediend"].tolist() == ["3", "1.234"]  # aggregates: only formatted


def test_exports_neutralise_formulas():
    frame = pd.DataFrame({"naam": ["=HYPERLINK(\"x\")", "+31", "-1", "@SUM(A1)", "Almere"], "n": [1, 2, 3, 4, 5]})
    text = csv_bytes(frame).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'+31" in text and "'-1" in text and "'@SUM" in text and "\nAlmere;5" in text
    back = pd.read_excel(io.BytesIO(xlsx_bytes(frame)))
    assert list(back["naam"]) == ["'=HYPERLINK(\"x\")", "'+31", "'-1", "'@SUM(A1)", "Almere"]


def test_a_sort_value_is_the_count_as_the_viewer_sees_it():
    from herstelmonitor.privacy import sorteerwaarde
    # Rounded to 5 for a non-exact viewer; "<5" between 0 and 5; hidden text last; exact where allowed.
    assert [sorteerwaarde(v) for v in (0, 3, 7, 12, 13)] == [0, 2.5, 5, 10, 15]
    assert [sorteerwaarde(v) for v in ("<5", 10, 0)] == [2.5, 10, 0]
    assert pd.isna(sorteerwaarde("-")) and pd.isna(sorteerwaarde(None))
    assert [sorteerwaarde(v, exact=True) for v in (3, 12)] == [3, 12]
