"""Completion forecasts for the compensation backlog, and how they are back-tested. No Streamlit here.

The model is deliberately simple and stated on the page: the work still to do at the peildatum is done at
the throughput of recent weeks. Two scenarios:

- ``bevroren`` (backlog frozen): only the parents registered so far; all throughput goes to them. The
  earliest these parents can be done.
- ``instroom`` (inflow continues): registrations keep coming at their recent rate and share the capacity;
  the date is when the queue is empty. Whatever order UHT works in, the parents registered so far are done
  by then at the latest, so the two dates bracket the answer.

The uncertainty band comes from how much the weekly throughput varied in the window: a slow week (10th
percentile) and a fast week (90th percentile) held for the whole period. A date more than ten years out
is never shown as a date: the queue is "niet haalbaar bij dit tempo".

Steps (stappen): ``eerste_toets`` (everyone registered gets a first check), ``forfait`` (every parent
who is or will be recognised gets EUR 30,000) and ``integrale_beoordeling`` (every recognised parent gets a
full review). Not every parent will be recognised, so the payment and review queues are the recognised
parents still waiting plus the parents without a first check times the recognition rate of the window.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import pandas as pd

CAP_WEEKS = 520  # ten years: beyond this a date is not a forecast but "niet haalbaar bij dit tempo"
STAPPEN = ("eerste_toets", "forfait", "integrale_beoordeling")
SCENARIOS = ("bevroren", "instroom")
HORIZONS = (3, 6, 12)  # months, for the back-test

# Verdicts on a target date.
KLAAR, HAALBAAR, ONZEKER, NIET_HAALBAAR, DOEL_VERSTREKEN = (
    "klaar", "haalbaar", "onzeker", "niet_haalbaar", "doel_verstreken")


@dataclass(frozen=True)
class Tempo:
    """Throughput per week over a window of whole weeks: the mean, a slow and a fast week."""
    per_week: float
    laag: float  # 10th percentile of the weekly counts
    hoog: float  # 90th percentile
    weken: int = 0
    totaal: float = 0.0

    @classmethod
    def from_weeks(cls, counts) -> Tempo:
        arr = np.asarray(counts, dtype=float)
        if arr.size == 0:
            return cls(0.0, 0.0, 0.0, 0, 0.0)
        return cls(float(arr.mean()), float(np.quantile(arr, 0.1)), float(np.quantile(arr, 0.9)),
                   int(arr.size), float(arr.sum()))

    @classmethod
    def constant(cls, per_week: float) -> Tempo:
        return cls(per_week, per_week, per_week)


def finish(start: date, remaining: float, rate: float, inflow: float = 0.0) -> date | None:
    """The day the last of `remaining` is done at `rate` per week while `inflow` per week joins the queue.
    None when the queue never empties at this pace, or only after more than CAP_WEEKS."""
    if remaining <= 0:
        return start
    net = rate - inflow
    if net <= 0 or not math.isfinite(net):
        return None
    weeks = remaining / net
    if weeks > CAP_WEEKS:
        return None
    return start + timedelta(days=math.ceil(weeks * 7 - 1e-9))


def needed_rate(remaining: float, start: date, target: date, inflow: float = 0.0) -> float | None:
    """Weekly throughput needed to empty the queue by `target` (None when the target is not after start)."""
    days = (target - start).days
    if days <= 0:
        return None
    return max(remaining, 0.0) / (days / 7) + inflow


def projected(done: float, rate: float, weeks: float, ceiling: float, ceiling_rate: float = 0.0) -> float:
    """A cumulative count `weeks` ahead: growing at `rate` until it meets the ceiling (all the work there is,
    itself growing by `ceiling_rate` a week with inflow), then following the ceiling."""
    return max(done, min(done + rate * weeks, ceiling + ceiling_rate * weeks))


@dataclass(frozen=True)
class Stand:
    """The state at a peildatum and the recent tempo, for one selection (national by default)."""
    peildatum: date
    aangemeld: float
    eerste_toets: float
    erkend: float
    forfait: float
    ib_erkend: float  # recognised parents with a completed full review
    tempo: dict[str, Tempo] = field(default_factory=dict)  # aangemeld, eerste_toets, erkend, forfait, ib_erkend

    @property
    def wachtend(self) -> float:
        return self.aangemeld - self.eerste_toets

    @property
    def erkenning(self) -> float | None:
        """Share recognised among first checks: in the window, else to date; None without any first check."""
        window = self.tempo.get("eerste_toets")
        if window is not None and window.totaal > 0:
            return self.tempo["erkend"].totaal / window.totaal
        return self.erkend / self.eerste_toets if self.eerste_toets > 0 else None

    def gedaan(self, stap: str) -> float:
        return {"eerste_toets": self.eerste_toets, "forfait": self.forfait,
                "integrale_beoordeling": self.ib_erkend}[stap]

    def te_doen(self, stap: str) -> float | None:
        """Work left for the parents registered so far (expected, for payment and full review)."""
        if stap == "eerste_toets":
            return self.wachtend
        r = self.erkenning
        if r is None:
            return None if self.wachtend > 0 else self.erkend - self.gedaan(stap)
        return self.erkend - self.gedaan(stap) + r * self.wachtend

    def doorstroom(self, stap: str) -> Tempo:
        return self.tempo[{"eerste_toets": "eerste_toets", "forfait": "forfait",
                           "integrale_beoordeling": "ib_erkend"}[stap]]

    def instroom(self, stap: str) -> float:
        """New work per week joining this step's queue when registrations continue at their recent rate."""
        a = self.tempo["aangemeld"].per_week
        return a if stap == "eerste_toets" else (self.erkenning or 0.0) * a


@dataclass(frozen=True)
class Prognose:
    stap: str
    scenario: str
    te_doen: float | None
    tempo: Tempo
    instroom: float  # per week, 0 in the frozen scenario
    datum: date | None  # at the mean throughput; None: not reachable at this pace
    vroeg: date | None  # at a fast week's throughput
    laat: date | None  # at a slow week's throughput
    nodig: float | None  # weekly throughput needed for the target date
    oordeel: str


def _after(d: date | None, first: date | None) -> date | None:
    """A step cannot finish before the step it depends on."""
    if d is None or first is None:
        return None
    return max(d, first)


def prognose(stand: Stand, stap: str, scenario: str, doel: date) -> Prognose:
    """When is the work of `stap` done for the parents registered so far, in `scenario`, against `doel`."""
    tempo = stand.doorstroom(stap)
    inflow = stand.instroom(stap) if scenario == "instroom" else 0.0
    rest = stand.te_doen(stap)
    start = stand.peildatum
    if rest is None:
        dates = (None, None, None)
    else:
        dates = tuple(finish(start, rest, rate, inflow) for rate in (tempo.per_week, tempo.hoog, tempo.laag))
    if stap != "eerste_toets":
        # Payments and reviews wait for the first checks that recognise the parents still to be checked.
        toets = prognose(stand, "eerste_toets", scenario, doel)
        if stand.wachtend > 0:
            dates = tuple(_after(d, t) for d, t in zip(dates, (toets.datum, toets.vroeg, toets.laat)))
    datum, vroeg, laat = dates
    nodig = None if rest is None else needed_rate(rest, start, doel, inflow)
    return Prognose(stap, scenario, rest, tempo, inflow, datum, vroeg, laat, nodig,
                    oordeel(rest, datum, laat, start, doel))


def oordeel(rest: float | None, datum: date | None, laat: date | None, start: date, doel: date) -> str:
    if rest is not None and rest <= 0:
        return KLAAR
    if doel <= start:
        return DOEL_VERSTREKEN
    if laat is not None and laat <= doel:
        return HAALBAAR
    if datum is not None and datum <= doel:
        return ONZEKER
    return NIET_HAALBAAR


def prognoses(stand: Stand, doel: date) -> list[Prognose]:
    return [prognose(stand, stap, scenario, doel) for stap in STAPPEN for scenario in SCENARIOS]


def add_months(d: date, months: int) -> date:
    return (pd.Timestamp(d) + pd.DateOffset(months=months)).date()


class Reeks:
    """A cumulative count over time, known on some days (daily, or sparse as in the spec's table); linear
    between the known days, unknown after the last one. Days are date ordinals."""

    def __init__(self, days, values):
        days = np.asarray(days, dtype=float)
        order = np.argsort(days, kind="stable")
        self.days = days[order]
        self.values = np.maximum.accumulate(np.asarray(values, dtype=float)[order])

    @classmethod
    def van(cls, points: dict) -> Reeks:
        """From {date: count}."""
        return cls([d.toordinal() for d in points], list(points.values()))

    @property
    def laatste(self) -> date:
        return date.fromordinal(int(self.days[-1]))

    def op(self, d: date) -> float | None:
        """The count on day d (None after the last known day)."""
        x = d.toordinal()
        if x > self.days[-1]:
            return None
        return float(np.interp(x, self.days, self.values))

    def bereikt(self, level: float) -> date | None:
        """The first day the count reaches `level`; None if it has not by the last known day."""
        i = int(np.searchsorted(self.values, level - 1e-9, side="left"))
        if i >= self.values.size:
            return None
        if i == 0:
            return date.fromordinal(int(self.days[0]))
        v0, v1, d0, d1 = self.values[i - 1], self.values[i], self.days[i - 1], self.days[i]
        return date.fromordinal(int(math.ceil(d0 + (level - v0) / (v1 - v0) * (d1 - d0) - 1e-9)))


def backtest(stand: Stand, stap: str, scenario: str, werkelijk: Reeks,
             horizons=HORIZONS) -> list[dict]:
    """Compare what the forecast at stand.peildatum said the cumulative count of `stap` would be after each
    horizon with what `werkelijk` (the later extracts) shows. For the frozen scenario `werkelijk` counts only
    the parents registered by the peildatum; for the inflow scenario everyone.

    The error is in weeks: the day the real count reached the forecast level, minus the day the forecast
    put it there. Positive: reality was later, the forecast too optimistic. When the real count has not
    reached the level by the last known date, the error is at least the time since then (`ondergrens`).
    """
    tempo = stand.doorstroom(stap)
    rest = stand.te_doen(stap)
    if rest is None or tempo.per_week <= 0:
        return []
    done = stand.gedaan(stap)
    ceiling_rate = stand.instroom(stap) if scenario == "instroom" else 0.0
    rows = []
    for h in horizons:
        t = add_months(stand.peildatum, h)
        if t > werkelijk.laatste:
            continue
        weeks = (t - stand.peildatum).days / 7
        level, low, high = (projected(done, rate, weeks, done + rest, ceiling_rate)
                            for rate in (tempo.per_week, tempo.laag, tempo.hoog))
        reached = werkelijk.bereikt(level)
        error = ((reached or werkelijk.laatste) - t).days / 7
        actual = werkelijk.op(t)
        rows.append({
            "peildatum": stand.peildatum, "stap": stap, "scenario": scenario, "horizon": h,
            "doeldag": t, "voorspeld": level, "werkelijk": actual, "bereikt_op": reached,
            "fout_weken": error, "ondergrens": reached is None,
            "binnen_band": low - 0.5 <= actual <= high + 0.5,
        })
    return rows


def summarise(rows: pd.DataFrame) -> pd.DataFrame:
    """Per step, scenario and horizon: number of forecasts, median absolute error, mean error (bias), share
    within the band. Errors that are only a lower bound count with that bound."""
    if rows.empty:
        return pd.DataFrame(columns=["stap", "scenario", "horizon", "prognoses", "mediane_absolute_fout_weken",
                                     "gemiddelde_fout_weken", "ondergrenzen", "binnen_band_pct"])
    g = rows.groupby(["stap", "scenario", "horizon"], sort=False)
    out = g.agg(prognoses=("fout_weken", "size"),
                mediane_absolute_fout_weken=("fout_weken", lambda e: float(np.median(np.abs(e)))),
                gemiddelde_fout_weken=("fout_weken", "mean"),
                ondergrenzen=("ondergrens", "sum"),
                binnen_band_pct=("binnen_band", lambda b: 100.0 * float(np.mean(b))))
    return out.reset_index()
