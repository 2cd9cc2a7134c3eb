"""Small-count suppression and spreadsheet-safe exports."""
import io

import pandas as pd

from herstelmonitor.access import Access
from herstelmonitor.export import csv_bytes, xlsx_bytes
from herstelmonitor.privacy import protect

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


def test_exports_neutralise_formulas():
    frame = pd.DataFrame({"naam": ["=HYPERLINK(\"x\")", "+31", "-1", "@SUM(A1)", "Almere"], "n": [1, 2, 3, 4, 5]})
    text = csv_bytes(frame).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'+31" in text and "'-1" in text and "'@SUM" in text and "\nAlmere;5" in text
    back = pd.read_excel(io.BytesIO(xlsx_bytes(frame)))
    assert list(back["naam"]) == ["'=HYPERLINK(\"x\")", "'+31", "'-1", "'@SUM(A1)", "Almere"]
