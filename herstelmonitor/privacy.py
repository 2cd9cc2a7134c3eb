"""Small-count protection (spec section 4): the one place that decides what a viewer may see exactly.

The method, as statistics offices do it (CBS, ONS): **rounding to a base**. For a viewer who may not see a
group's figures exactly (the landelijk role; a gemeente user for every other gemeente), every count of a
group smaller than the nation (a gemeente, a region, a provincie, a peer group, a week of one gemeente) is
shown rounded to a multiple of 5, a count of 1 to 4 as "<5", and 0 as 0. Everything else shown about the
group is computed from those rounded counts, never from the exact ones:

- a percentage is the rounded numerator over the rounded base (hidden as "-" when either is "<5" or the
  base is 0), so "percentage times shown count" gives back a multiple of 5;
- a median or other figure in days is hidden when the number of parents it rests on is below 5;
- a region's total is the sum of its members' rounded counts (herstelmonitor.regio), or rounded itself
  (herstelmonitor.tempo), so "total minus shown parts" is a multiple of 5 (or a sum of rounding errors);
- a series over time is rounded per point and its steps are the differences of the rounded points, so
  "this week minus last week" is a multiple of 5;
- thresholds such a viewer can set that count parents have a floor of 5 (`floor`).

National totals are never rounded. The exact figures are computed once and cached for everyone (viewer-
independent); this module is applied on top of them, per viewer, just before showing.
"""
import math
from dataclasses import dataclass
from typing import Protocol

import pandas as pd

from herstelmonitor import config
from herstelmonitor.format import LEEG
from herstelmonitor.queries import catalogue

SUPPRESSED = "<{n}"

# Kinds of a shown column (as the metric catalogue tags them): how a figure is protected.
COUNT, PERCENTAGE, DAYS = "count", "percentage", "days"


class Viewer(Protocol):
    def exact_for(self, gemeentecode: str | None) -> bool:
        """May this viewer see the exact small counts of this gemeente (None: of an aggregate)?"""


@dataclass(frozen=True)
class Kind:
    """How one column is protected: COUNT (rounded), PERCENTAGE (recomputed from the rounded count it is
    the share of and the rounded `base`; with `numerator`, `base` is that count and the share's own base is
    recomputed from it), DAYS (hidden when `base` is below the threshold)."""
    kind: str
    base: str | None = None
    numerator: bool = False


def threshold() -> int:
    """The rounding base and the smallest count shown: config [privacy] kleine_aantallen (5)."""
    return config.small_count_threshold()


def marker() -> str:
    return SUPPRESSED.format(n=threshold())


def missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def rounded(value) -> int | float | None:
    """A count as a non-exact viewer may know it, as a number: 0 stays 0, 1 to 4 give None (shown "<5"),
    larger counts the nearest multiple of 5 (halves up). Missing stays missing (NaN)."""
    if missing(value):
        return math.nan
    n, v = threshold(), int(round(float(value)))
    if v <= 0:
        return 0
    if v < n:
        return None
    return n * math.floor(v / n + 0.5)


def rounded_count(value) -> int | str | float:
    """A count for display to a non-exact viewer: the rounded number, or "<5". Text where there is no count
    (such as "geen meting") stays as it is."""
    if isinstance(value, str):
        return value
    r = rounded(value)
    return marker() if r is None else r


def sorteerwaarde(value, exact: bool = False) -> float:
    """A count as a number to sort on, as the viewer sees it: exact where the viewer may know it exactly,
    else rounded, with "<5" halfway between 0 and 5 and hidden text ("-") last (NaN). A count already
    protected for display is taken as shown with exact=True. Sorting on the exact value would tell the order of figures the
    viewer sees as equal: which of two "<5" gemeenten has more, or which of two "10" is in a top five."""
    if isinstance(value, str):
        return threshold() / 2 if value == marker() else math.nan
    if missing(value):
        return math.nan
    if exact:
        return float(value)
    r = rounded(value)
    return threshold() / 2 if r is None else float(r)


def rounded_share(part, base) -> float | None:
    """A percentage from rounded counts: 100 * rounded(part) / rounded(base); None when either is "<5",
    the base is 0 or a value is missing."""
    p, b = rounded(part), rounded(base)
    if p is None or b is None or missing(p) or missing(b) or b == 0:
        return None
    return 100.0 * p / b


def part_of(share, base) -> float:
    """The count a percentage of `base` stands for (the numerator: 100 * part / base, inverted)."""
    if missing(share) or missing(base):
        return math.nan
    return round(float(share) * float(base) / 100.0)


def whole_of(share, part) -> float:
    """The base a percentage is of, given its numerator `part` (100 * part / base, inverted)."""
    if missing(share) or missing(part) or float(share) == 0:
        return math.nan
    return round(100.0 * float(part) / float(share))


def uitleg(kort: bool = False) -> str:
    """The method in one Dutch sentence, for the captions of pages and printouts (threshold from config);
    `kort`: the short form for a one-page printout."""
    n = threshold()
    if kort:
        return f"Aantallen per gemeente afgerond op een veelvoud van {n} (1 tot {n - 1} als '<{n}')."
    return (f"Buiten het programmateam staan aantallen per gemeente, regio of provincie afgerond op een veelvoud van "
            f"{n} (1 tot {n - 1} als '<{n}'), en percentages uit die afgeronde aantallen; landelijke cijfers zijn exact.")


def floor(value: int, viewer: Viewer) -> int:
    """A threshold on a number of parents as a viewer may set it: at least 5 unless they see all exactly."""
    return int(value) if viewer.exact_for(None) else max(int(value), threshold())


def protect_kinds(frame: pd.DataFrame, viewer: Viewer, kinds: dict[str, Kind],
                  code: str = "gemeentecode") -> pd.DataFrame:
    """A copy for display/export, one row per group (column `code`: a gemeentecode, or None for an
    aggregate). For rows the viewer may not see exactly, each column is protected by its Kind (see the
    module text). Protected columns become text ("<5", "-") where hidden, so format after calling."""
    out = frame.copy()
    codes = frame[code] if code in frame.columns else pd.Series(frame.index, index=frame.index)
    hidden = ~codes.map(viewer.exact_for).astype(bool)
    if not hidden.any():
        return out
    n = threshold()
    for col, k in kinds.items():
        if k.kind == PERCENTAGE:
            shown = pd.Series([protected_share(v, b, k.numerator) for v, b in zip(frame[col], frame[k.base])],
                              index=frame.index)
            out[col] = out[col].astype(object).where(~hidden, shown)
        elif k.kind == DAYS:
            # A base not in the frame cannot be judged: hidden wherever the row is. A value already given as
            # text says why there is no figure ("geen meting"): nothing to hide.
            basis = frame[k.base] if k.base in frame.columns else pd.Series(0, index=frame.index)
            reason = frame[col].map(lambda v: isinstance(v, str))
            small = hidden & ~reason & (pd.to_numeric(basis, errors="coerce").fillna(0) < n)
            out[col] = out[col].astype(object).where(~small, LEEG)
        else:
            shown = frame[col].map(rounded_count)
            out[col] = out[col].astype(object).where(~hidden, shown)
    return out


def protected_share(share, base, numerator: bool = False):
    """One percentage cell for a non-exact viewer: recomputed from the rounded counts, "-" when hidden,
    missing when it was missing. `numerator`: `base` is the count the share is of, not its base (a share of
    0 then stays 0). Text (an already formatted percentage) cannot be recomputed: it is hidden when its base
    is below the threshold, else kept."""
    if isinstance(share, str):
        number = pd.to_numeric(base, errors="coerce")
        return share if missing(number) or number >= threshold() else LEEG
    if missing(share):
        return share
    if isinstance(base, str):  # a base that is no number (already shown as text): nothing to build on
        return LEEG
    if numerator and rounded(base) == 0:
        return 0.0
    part, whole = (base, whole_of(share, base)) if numerator else (part_of(share, base), base)
    value = rounded_share(part, whole)
    return LEEG if value is None else value


def catalogue_kinds(columns) -> dict[str, Kind]:
    """How each column is protected, as the metric catalogue (herstelmonitor.queries) declares it, in a query
    or beside the Python that makes it: a count is rounded; a percentage is recomputed from the rounded count
    it is a share of and its rounded base count (or numerator); any other figure with a base count (days, a
    ratio) is hidden when that base is small."""
    known, kinds = catalogue(), {}
    for c in columns:
        m = known.get(c)
        if m is None or (m.kind != "count" and not m.base):
            continue  # 'number' counts no parents; scores and ranks are made from protected figures
        if m.kind == "count":
            kinds[c] = Kind(COUNT)
        elif m.kind == "percentage" and m.base in columns:
            kinds[c] = Kind(PERCENTAGE, m.base, m.numerator)
        else:
            kinds[c] = Kind(DAYS, m.base)
    return kinds


def protect(frame: pd.DataFrame, viewer: Viewer, code: str = "gemeentecode") -> pd.DataFrame:
    """protect_kinds() with the kinds the catalogue declares for the frame's columns (catalogue_kinds), so a
    figure is protected by declaring it, in its query or beside the Python that makes it. A percentage given
    as text (already formatted) can only be hidden, not recomputed: pass numbers."""
    return protect_kinds(frame, viewer, catalogue_kinds(frame.columns), code)


def count_text(value, exact: bool, fmt=str) -> str:
    """One count for display: exact, or rounded ('<5' when small) when the viewer may not see it exactly."""
    if exact:
        return fmt(value)
    shown = rounded_count(value)
    return shown if isinstance(shown, str) else fmt(shown)


def share_text(part, base, exact: bool, fmt) -> str | None:
    """A percentage for display: exact, or from rounded counts; None when it must be hidden."""
    if exact:
        return fmt(100.0 * part / base) if base else None
    share = rounded_share(part, base)
    return None if share is None else fmt(share)
