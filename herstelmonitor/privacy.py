"""Small-count suppression (spec section 4): the one place that decides what a viewer may see exactly.

Every per-gemeente (or smaller) figure that a page shows or exports passes through `protect()`.
National totals never do: they are never suppressed.
"""
import pandas as pd

from herstelmonitor import config

SUPPRESSED = "<{n}"
NO_PERCENTAGE = "-"


def protect(frame: pd.DataFrame, exact: bool, counts: list[str], pcts: dict[str, str] | None = None) -> pd.DataFrame:
    """A copy for display/export. Unless `exact`, counts below the threshold become '<5' and each
    percentage column in `pcts` (pct column -> the count column it is built on) becomes '-' when that
    count is below the threshold. Suppressed columns become text, so format numbers before calling."""
    out = frame.copy()
    if exact:
        return out
    n = config.small_count_threshold()
    for col, base in (pcts or {}).items():
        small = pd.to_numeric(frame[base], errors="coerce").fillna(0) < n
        out[col] = out[col].astype(object).where(~small, NO_PERCENTAGE)
    for col in counts:
        small = pd.to_numeric(frame[col], errors="coerce").fillna(0).between(1, n - 1)
        out[col] = out[col].astype(object).where(~small, SUPPRESSED.format(n=n))
    return out


def count_text(value: int, exact: bool, fmt=str) -> str:
    """One count for display: '<5' when small and the viewer may not see it exactly."""
    n = config.small_count_threshold()
    return SUPPRESSED.format(n=n) if not exact and 0 < value < n else fmt(value)
