"""Small-count suppression (spec section 4): the one place that decides what a viewer may see exactly.

Every per-gemeente (or smaller) figure that a page shows or exports passes through `protect()`, which
reads the metric catalogue (herstelmonitor.queries): a column declared as a count is suppressed when
small; a column declared with a base count (a rate, percentage or lead time) is hidden when that base is
small. So a new metric is protected by declaring it; no module lists columns. National totals never pass
through here: they are never suppressed.
"""
from typing import Protocol

import pandas as pd

from herstelmonitor import config
from herstelmonitor.queries import catalogue

SUPPRESSED = "<{n}"
NO_PERCENTAGE = "-"


class Viewer(Protocol):
    def exact_for(self, gemeentecode: str | None) -> bool:
        """May this viewer see the exact small counts of this gemeente (None: of an aggregate)?"""


def protected_columns(columns) -> tuple[list[str], dict[str, str]]:
    """(counts, {figure: its base count}) among `columns`, as the catalogue declares them. A figure whose
    base count is not among the columns cannot be judged and is hidden wherever the row is hidden."""
    known = catalogue()
    counts = [c for c in columns if c in known and known[c].kind == "count"]  # 'number' counts no parents
    based = {c: known[c].base for c in columns if c in known and known[c].base}
    return counts, based


def protect(frame: pd.DataFrame, viewer: Viewer, code: str = "gemeentecode", computed: tuple = ()) -> pd.DataFrame:
    """A copy for display/export, one row per gemeente (column `code`; a column of None asks the viewer
    about an aggregate). For rows the viewer may not see exactly, counts from 1 to below the threshold
    become '<5', and a figure with a base count becomes '-' when that base is below the threshold (a value
    that is text, a reason for having no figure such as "geen meting", stays).
    `computed`: columns made in Python rather than by a named query (a forecast, a what-if) that count
    parents; they are protected as counts. Protected columns become text where suppressed, so protect
    before formatting and renaming."""
    out = frame.copy()
    codes = frame[code] if code in frame.columns else pd.Series(frame.index, index=frame.index)
    hidden = ~codes.map(viewer.exact_for).astype(bool)
    if not hidden.any():
        return out
    n = config.small_count_threshold()
    counts, based = protected_columns(frame.columns)
    counts += [c for c in computed if c not in counts]
    for col, base in based.items():
        basis = frame[base] if base in frame.columns else pd.Series(0, index=frame.index)
        # A value already given as text says why there is no figure ("geen meting"): nothing to hide.
        reason = frame[col].map(lambda v: isinstance(v, str))
        small = hidden & ~reason & (pd.to_numeric(basis, errors="coerce").fillna(0) < n)
        out[col] = out[col].astype(object).where(~small, NO_PERCENTAGE)
    for col in counts:
        small = hidden & pd.to_numeric(frame[col], errors="coerce").fillna(0).between(1, n - 1)
        out[col] = out[col].astype(object).where(~small, SUPPRESSED.format(n=n))
    return out


def count_text(value: int, exact: bool, fmt=str) -> str:
    """One count for display: '<5' when small and the viewer may not see it exactly."""
    n = config.small_count_threshold()
    return SUPPRESSED.format(n=n) if not exact and 0 < value < n else fmt(value)
