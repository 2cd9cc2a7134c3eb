"""Helpers shared by the tests (fixtures live in conftest.py)."""
import math

import pandas as pd
import pytest


def missing(x) -> bool:
    return x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x))


def same(a, b) -> bool:
    """Equal numbers (approximately), or both missing (None, NA or NaN)."""
    if missing(a) or missing(b):
        return missing(a) and missing(b)
    return float(a) == pytest.approx(float(b))


def tiles(at) -> dict[str, str]:
    """The KPI tiles of an AppTest page: label -> value as shown."""
    return {m.label: m.value for m in at.metric}


def tile(at, label: str) -> str:
    """The value of one tile, by its label."""
    return tiles(at)[label]
