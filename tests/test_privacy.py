"""Small-count suppression and spreadsheet-safe exports."""
import io

import pandas as pd

from herstelmonitor.access import Access
from herstelmonitor.export import csv_bytes, xlsx_bytes
from herstelmonitor.privacy import protect

FRAME = pd.DataFrame({"gemeentecode": ["GM0001", "GM0002", "GM0003"], "ouders": [4, 5, 0],
                      "bereikt": [3, 2, 0], "bereik_pct": ["75,0%", "40,0%", "–"]})


def test_counts_below_five_are_suppressed_and_percentages_on_small_bases_hidden():
    out = protect(FRAME, Access("landelijk", "test"), counts=["ouders", "bereikt"], pcts={"bereik_pct": "ouders"})
    assert list(out["ouders"]) == ["<5", 5, 0]  # zero is not a small count: nothing to re-identify
    assert list(out["bereikt"]) == ["<5", "<5", 0]
    assert list(out["bereik_pct"]) == ["-", "40,0%", "-"]


def test_exact_viewers_see_their_gemeenten_exactly():
    out = protect(FRAME, Access("gemeente", "test", "GM0001"), counts=["ouders", "bereikt"], pcts={"bereik_pct": "ouders"})
    assert list(out["ouders"]) == [4, 5, 0] and list(out["bereikt"]) == [3, "<5", 0]


def test_exports_neutralise_formulas():
    frame = pd.DataFrame({"naam": ["=HYPERLINK(\"x\")", "+31", "-1", "@SUM(A1)", "Almere"], "n": [1, 2, 3, 4, 5]})
    text = csv_bytes(frame).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'+31" in text and "'-1" in text and "'@SUM" in text and "\nAlmere;5" in text
    back = pd.read_excel(io.BytesIO(xlsx_bytes(frame)))
    assert list(back["naam"]) == ["'=HYPERLINK(\"x\")", "'+31", "'-1", "'@SUM(A1)", "Almere"]
