"""Small-count suppression (spec section 4): the one place that decides what a viewer may see exactly.

Every per-gemeente (or smaller) figure that a page shows or exports passes through `protect()`.
National totals never do: they are never suppressed.
"""
from typing import Protocol

import pandas as pd

from herstelmonitor import config

SUPPRESSED = "<{n}"
NO_PERCENTAGE = "-"


class Viewer(Protocol):
    def exact_for(self, gemeentecode: str | None) -> bool:
        """May this viewer see the exact small counts of this gemeente (None: of an aggregate)?"""


def protect(frame: pd.DataFrame, viewer: Viewer, counts: list[str], pcts: dict[str, str] | None = None,
            code: str = "gemeentecode") -> pd.DataFrame:
    """A copy for display/export, one row per gemeente (column `code`). For rows the viewer may not see
    exactly, counts from 1 to below the threshold become '<5', and each percentage column in `pcts`
    (pct column -> the count column it is built on) becomes '-' when that count is below the threshold.
    Protected columns become text where suppressed, so format numbers before calling."""
    out = frame.copy()
    codes = frame[code] if code in frame.columns else pd.Series(frame.index, index=frame.index)
    hidden = ~codes.map(viewer.exact_for).astype(bool)
    if not hidden.any():
        return out
    n = config.small_count_threshold()
    for col, base in (pcts or {}).items():
        small = hidden & (pd.to_numeric(frame[base], errors="coerce").fillna(0) < n)
        out[col] = out[col].astype(object).where(~small, NO_PERCENTAGE)
    for col in counts:
        small = hidden & pd.to_numeric(frame[col], errors="coerce").fillna(0).between(1, n - 1)
        out[col] = out[col].astype(object).where(~small, SUPPRESSED.format(n=n))
    return out


def count_text(value: int, exact: bool, fmt=str) -> str:
    """One count for display: '<5' when small and the viewer may not see it exactly."""
    n = config.small_count_threshold()
    return SUPPRESSED.format(n=n) if not exact and 0 < value < n else fmt(value)
