"""The completion forecast: how a backlog really drains, and how sure the forecast is. No Streamlit here.

Input is a national (or selected) series of cumulative counts on any dates: the published figures
(data/reference/landelijke_cijfers.csv, sparse and irregular) or the weekly counts of an extract. Only what
is known on the peildatum is used. Between known dates a count is linear; after its last known date up to
the peildatum it continues at the pace of its last stretch.

The method, in the words the page uses:
- Each week a fixed share of the parents still waiting gets their first check (payment, full review): the
  share measured over the window (``venster``, in weeks). A long queue drains fast, the last parents slowly.
- New registrations continue at the pace of the window, falling off as fast as they fell from the window
  before (never rising), and stop at the closing date once it is known.
- The share recognised among new first checks is taken over a longer period (twice the window, at least
  half a year).
- Payment waits for recognition; the full review is for every parent with a first check.

Two scenarios: ``bevroren`` (only the parents registered by the peildatum) and ``instroom``
(registrations continue). The band comes from the method's own past errors (see ``Band``).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

KOLOMMEN = ("aangemeld", "eerste_toets_afgerond", "erkend_gedupeerd", "forfait_betaald",
            "integrale_beoordeling_afgerond")
STAPPEN = ("eerste_toets", "forfait", "integrale_beoordeling")
SCENARIOS = ("bevroren", "instroom")
NIVEAUS = (13, 26, 52)  # weeks ahead for the forecast levels and the band (3, 6 and 12 months)
HORIZON_WEKEN = 104  # the method gives no date further out than this: two years
VENSTERS = (8, 13, 26, 52, 104)
STANDAARD_VENSTER = 104  # chosen by back-test: closest on the published figures at 6 months (15.0% against 18.6% for 52 weeks)
INSTROOM_WEKEN = 8  # registrations: the pace of the last 8 weeks, falling as from the 8 weeks before
VLOER = 0.25  # the pace never falls below this share of the pace at the peildatum
RUIMTE = 1.25  # the band from past errors reaches a quarter beyond the largest errors seen
RECENT = 12  # the band looks at the errors of the last 12 forecasts with a known outcome
SYMMETRISCH = True  # as far off as before, in either direction
BETALING_WEKEN = 13  # payments follow recognitions closely: their pace over at most the last 13 weeks
MIN_FOUTEN = 5  # past forecasts needed before the band comes from them instead of the wide fallback
BREED = (0.25, 10.0)  # wide fallback band: the weekly share between a quarter and ten times the measured one
# The column each step counts, and the column its queue is fed from.
TELT = {"aangemeld": "aangemeld", "eerste_toets": "eerste_toets_afgerond", "forfait": "forfait_betaald",
        "integrale_beoordeling": "integrale_beoordeling_afgerond"}


EVENTS_CSV = Path(__file__).resolve().parent.parent / "data" / "events.csv"
SLUITING = "Aanmelden gesloten"  # the label of the closing date in data/events.csv


def sluitdatum(path: Path = EVENTS_CSV) -> date | None:
    """The day registration closed, from the events file (None when it does not say)."""
    frame = pd.read_csv(path, dtype=str, comment="#").dropna()
    days = [date.fromisoformat(d.strip()) for d, label in zip(frame["datum"], frame["label"])
            if label.strip().lower() == SLUITING.lower()]
    return min(days) if days else None


class ReeksFout(ValueError):
    """A series file that cannot be used; the message is Dutch and names the file, row and column."""


def lees_reeks(path: Path) -> pd.DataFrame:
    """Read a series CSV (columns datum + KOLOMMEN, any cell but datum may be empty)."""
    path = Path(path)
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as e:
        raise ReeksFout(f"{path.name}: het bestand is niet te lezen als CSV ({type(e).__name__}).") from e
    missing = [c for c in ("datum", *KOLOMMEN) if c not in frame.columns]
    if missing:
        raise ReeksFout(f"{path.name}: kolom {', '.join(missing)} ontbreekt; nodig zijn datum, {', '.join(KOLOMMEN)}.")
    out = pd.DataFrame(index=frame.index)
    for i, text in frame["datum"].items():
        try:
            date.fromisoformat(text.strip())
        except ValueError:
            raise ReeksFout(f"{path.name}, rij {i + 2}, kolom datum: '{text}' is geen datum (JJJJ-MM-DD).") from None
    out["datum"] = [date.fromisoformat(t.strip()) for t in frame["datum"]]
    for col in KOLOMMEN:
        values = []
        for i, text in frame[col].items():
            text = text.strip()
            if text == "":
                values.append(np.nan)
                continue
            try:
                v = float(text)
            except ValueError:
                raise ReeksFout(f"{path.name}, rij {i + 2}, kolom {col}: '{text}' is geen aantal.") from None
            if v < 0 or not math.isfinite(v):
                raise ReeksFout(f"{path.name}, rij {i + 2}, kolom {col}: een aantal kan niet negatief zijn.")
            values.append(v)
        out[col] = values
    if out["datum"].duplicated().any():
        i = int(np.flatnonzero(out["datum"].duplicated())[0])
        raise ReeksFout(f"{path.name}, rij {i + 2}, kolom datum: de datum {out['datum'][i]} staat er twee keer in.")
    return out.sort_values("datum", ignore_index=True)


# ------------------------------------------------------------------------------------------- the series

class Lijn:
    """One cumulative count known on some days: linear between them, continued at the last stretch's
    pace after the last known day, unknown before the first."""

    def __init__(self, days, values):
        days, values = np.asarray(days, float), np.asarray(values, float)
        ok = ~np.isnan(values)
        order = np.argsort(days[ok], kind="stable")
        self.days = days[ok][order]
        self.values = np.maximum.accumulate(values[ok][order]) if ok.any() else values[ok]

    def __len__(self) -> int:
        return self.days.size

    @property
    def eerste(self) -> float:
        return self.days[0]

    def op(self, x: float) -> float:
        """The count on day ordinal x (NaN before the first known day)."""
        if len(self) == 0 or x < self.days[0]:
            return math.nan
        if x <= self.days[-1]:
            return float(np.interp(x, self.days, self.values))
        if len(self) == 1:
            return float(self.values[-1])
        slope = (self.values[-1] - self.values[-2]) / (self.days[-1] - self.days[-2])
        return float(self.values[-1] + slope * (x - self.days[-1]))


def lijnen(reeks: pd.DataFrame, tot: date | None = None) -> dict[str, Lijn]:
    """The columns of a series as Lijn objects, using only rows on or before `tot`."""
    rows = reeks if tot is None else reeks[reeks["datum"] <= tot]
    days = np.array([d.toordinal() for d in rows["datum"]], float)
    return {c: Lijn(days, rows[c].to_numpy(float)) for c in KOLOMMEN}


# ------------------------------------------------------------------------------------------- the state

@dataclass(frozen=True)
class Toestand:
    """The counts at the peildatum and the paces measured over the window."""
    peildatum: date
    venster: int
    aangemeld: float
    toets: float
    erkend: float
    forfait: float
    ib: float
    aandeel: dict[str, float]  # per step: share of its queue done per week (NaN when unknown)
    instroom: float  # registrations per week in the window
    afname: float  # weekly factor by which registrations fall (<= 1)
    erkenning: float  # share recognised among new first checks (NaN when unknown)
    sluitdatum: date | None
    tempo: dict[str, float] = field(default_factory=dict)  # per step: done per week in the window
    gemeten: dict[str, float] = field(default_factory=dict)  # per step: weeks the pace was measured over

    def weken(self, stap: str) -> int:
        """The weeks the step's pace was really measured over: the window, or less when the history (or,
        for payments, BETALING_WEKEN) is shorter."""
        return int(round(self.gemeten.get(stap, self.venster)))

    def wachtrij(self, stap: str) -> float:
        return {"eerste_toets": self.aangemeld - self.toets, "forfait": self.erkend - self.forfait,
                "integrale_beoordeling": self.toets - self.ib}[stap]

    def gedaan(self, stap: str) -> float:
        return {"eerste_toets": self.toets, "forfait": self.forfait, "integrale_beoordeling": self.ib}[stap]


def _share(done: Lijn, fed: Lijn, start: float, end: float) -> tuple[float, float]:
    """(share of the queue done per week, done per week) between day ordinals start and end; the queue is
    `fed` minus `done`, taken at the start of each week."""
    weeks = (end - start) / 7
    if weeks < 1 or any(math.isnan(x) for x in (done.op(start), fed.op(start))):
        return math.nan, math.nan
    n = int(round(weeks))
    starts = start + 7 * np.arange(n) * (weeks / n)
    queue = sum(max(fed.op(s) - done.op(s), 0.0) for s in starts)
    did = done.op(end) - done.op(start)
    per_week = did / weeks
    if queue <= 0:
        return (1.0 if did > 0 else math.nan), per_week
    return min(did / queue * (n / weeks), 1.0), per_week


def _span(*series: Lijn, end: float, weeks: int) -> float:
    """The window start: `weeks` before end, or later when a series is not known that far back."""
    first = max(s.eerste for s in series if len(s))
    return max(end - 7 * weeks, first)


def _vul(done: Lijn, fed: Lijn, p: float, venster: int) -> Lijn:
    """A count not reported up to the peildatum, filled in by the method itself: from its last known day,
    week by week the share of the queue measured over the window before that day."""
    if len(done) < 2 or len(fed) == 0 or done.days[-1] >= p:
        return done
    last = done.days[-1]
    k, _ = _share(done, fed, _span(done, fed, end=last, weeks=venster), last)
    if math.isnan(k):
        return done
    days, values, value = [], [], done.values[-1]
    day = last
    while day < p:
        step = min(7.0, p - day)
        value += k * step / 7 * max(fed.op(day) - value, 0.0)
        day += step
        days.append(day)
        values.append(value)
    return Lijn(np.concatenate([done.days, days]), np.concatenate([done.values, values]))


def _vul_erkend(e: Lijn, t: Lijn, p: float) -> Lijn:
    """Recognitions not reported up to the peildatum: the share recognised of the last stretch, applied to
    the first checks since."""
    if len(e) < 2 or len(t) == 0 or e.days[-1] >= p:
        return e
    d0, d1 = e.days[-2], e.days[-1]
    did = t.op(d1) - t.op(d0)
    share = (e.values[-1] - e.values[-2]) / did if did > 0 else 0.0
    share = min(max(share, 0.0), 1.0)
    return Lijn([*e.days, p], [*e.values, e.values[-1] + share * max(t.op(p) - t.op(d1), 0.0)])


def toestand(reeks: pd.DataFrame, peildatum: date, venster: int = STANDAARD_VENSTER,
             sluitdatum: date | None = None) -> Toestand:
    """The state at the peildatum from the rows of the series on or before it."""
    lines = lijnen(reeks, peildatum)
    p = float(peildatum.toordinal())
    a = lines["aangemeld"]
    t = _vul(lines["eerste_toets_afgerond"], a, p, venster)
    e = _vul_erkend(lines["erkend_gedupeerd"], t, p)
    f = _vul(lines["forfait_betaald"], e, p, venster)
    ib = _vul(lines["integrale_beoordeling_afgerond"], t, p, venster)
    aandeel, tempo, gemeten = {}, {}, {}
    for stap, (done, fed) in {"eerste_toets": (t, a), "forfait": (f, e), "integrale_beoordeling": (ib, t)}.items():
        if len(done) < 2 or len(fed) < 1:
            aandeel[stap], tempo[stap] = math.nan, math.nan
            continue
        weeks = min(venster, BETALING_WEKEN) if stap == "forfait" else venster
        start = _span(done, fed, end=p, weeks=weeks)
        aandeel[stap], tempo[stap] = _share(done, fed, start, p)
        gemeten[stap] = (p - start) / 7
    instroom, afname = _inflow(a, p, INSTROOM_WEKEN)
    long = max(2 * venster, 26)
    if len(e) >= 2 and len(t) >= 2:
        s = _span(e, t, end=p, weeks=long)
        did = t.op(p) - t.op(s)
        erkenning = (e.op(p) - e.op(s)) / did if did > 0 else math.nan
    else:
        erkenning = e.op(p) / t.op(p) if len(e) and len(t) and t.op(p) > 0 else math.nan
    if not math.isnan(erkenning):
        erkenning = min(max(erkenning, 0.0), 1.0)
    counts = [line.op(p) if len(line) else math.nan for line in (a, t, e, f, ib)]
    # Counts cannot overtake the count they follow from (an extrapolated stretch might).
    counts[1] = min(counts[1], counts[0]) if not math.isnan(counts[0]) else counts[1]
    counts[2] = min(counts[2], counts[1]) if not math.isnan(counts[1]) else counts[2]
    counts[3] = min(counts[3], counts[2]) if not math.isnan(counts[2]) else counts[3]
    counts[4] = min(counts[4], counts[1]) if not math.isnan(counts[1]) else counts[4]
    return Toestand(peildatum, venster, *counts, aandeel, instroom, afname, erkenning, sluitdatum, tempo, gemeten)


def _inflow(a: Lijn, p: float, venster: int) -> tuple[float, float]:
    """Registrations per week over the window, and the weekly factor by which they fall: the pace of the
    window against that of the window before it, never above 1 (registrations are never assumed to grow)."""
    if len(a) < 2:
        return math.nan, 1.0
    start = _span(a, end=p, weeks=venster)
    weeks = (p - start) / 7
    if weeks < 1:
        return math.nan, 1.0
    now = (a.op(p) - a.op(start)) / weeks
    before_start = start - 7 * weeks
    if before_start < a.eerste:
        return now, 1.0
    before = (a.op(start) - a.op(before_start)) / weeks
    if before <= 0 or now <= 0:
        return now, 1.0 if now > 0 else 1.0
    return now, min(1.0, (now / before) ** (1 / weeks))


# ------------------------------------------------------------------------------------------ simulation

def simuleer(s: Toestand, scenario: str, weken: int = HORIZON_WEKEN, tempo: dict | None = None,
             blijvend: bool = False) -> dict:
    """Week by week from the peildatum: cumulative counts per step after 0..weken weeks (arrays of
    weken + 1). `tempo` multiplies the weekly share done per step (the band); a multiplier may be an array,
    then every count gets a second axis, one column per multiplier. `blijvend`: registrations stay at the
    window's pace instead of falling off (the band's end with the most registrations)."""
    m = tempo or {}
    k = {stap: np.clip(np.asarray(s.aandeel[stap] * np.asarray(m.get(stap, 1.0), float)), 0.0, 1.0)
         if not math.isnan(s.aandeel[stap]) else np.asarray(0.0) for stap in STAPPEN}
    share = 0.0 if math.isnan(s.erkenning) else s.erkenning
    inflow = 0.0 if math.isnan(s.instroom) else s.instroom
    stop = None if s.sluitdatum is None else (s.sluitdatum - s.peildatum).days / 7
    new = np.zeros(weken)
    for week in range(weken):
        if stop is None or week < stop:
            new[week] = inflow * (1.0 if blijvend else s.afname ** week) * (min(1.0, stop - week) if stop is not None else 1.0)
    start = [0.0 if math.isnan(x) else x for x in (s.aangemeld, s.toets, s.erkend, s.forfait, s.ib)]
    shape = np.broadcast_shapes(*(v.shape for v in k.values()))
    if shape == ():
        rows = _stap_voor_stap([float(v) for v in k.values()], start, share, new)
    else:
        rows = _stap_voor_stap([np.broadcast_to(v, shape) for v in k.values()], [np.full(shape, x) for x in start],
                               share, new)
    a, t, e, f, ib = (rows[:, i] for i in range(5))
    if scenario == "bevroren":
        # First come, first served: the parents registered by the peildatum get the work done before anyone
        # registered later, so their count is the whole count up to their number.
        t_b = np.minimum(t, start[0])
        e_b = start[2] + share * (t_b - start[1])
        a, t, e, f, ib = np.full_like(a, start[0]), t_b, e_b, np.minimum(f, e_b), np.minimum(ib, t_b)
    return {"aangemeld": a, "eerste_toets": t, "erkend": e, "forfait": f, "integrale_beoordeling": ib}


def _stap_voor_stap(k: list, start: list, share: float, new: np.ndarray) -> np.ndarray:
    """The weekly recursion: registrations `new` join; each step drains a share k of its queue, but never
    less than VLOER of today's pace (the last parents are not left waiting for ever) and never more than the
    queue. Works on floats or on equal-shaped arrays; returns [week, count] (count: a, t, e, f, ib)."""
    k1, k2, k3 = k
    a, t, e, f, ib = start
    floors = [VLOER * kk * max(q, 0.0) if np.ndim(q) == 0 else VLOER * kk * np.maximum(q, 0.0)
              for kk, q in ((k1, a - t), (k2, e - f), (k3, t - ib))]
    lo, hi = (min, max) if np.ndim(a) == 0 else (np.minimum, np.maximum)
    out = [(a, t, e, f, ib)]
    for n in new:
        q1, q2, q3 = hi(a - t, 0.0), hi(e - f, 0.0), hi(t - ib, 0.0)
        d1, d2, d3 = lo(q1, hi(k1 * q1, floors[0])), lo(q2, hi(k2 * q2, floors[1])), lo(q3, hi(k3 * q3, floors[2]))
        a, t, e, f, ib = a + n, t + d1, e + share * d1, f + d2, ib + d3
        out.append((a, t, e, f, ib))
    return np.asarray(out, dtype=float)


def klaar_datum(s: Toestand, sim: dict, stap: str, deel: float) -> date | None:
    """The first day by which `deel` of this step's parents are done (None: not within the horizon).
    'Everyone' (deel 1) means fewer than one parent left."""
    done = sim[stap]
    if stap == "forfait":
        share = 0.0 if math.isnan(s.erkenning) else s.erkenning
        total = sim["erkend"] + share * np.maximum(sim["aangemeld"] - sim["eerste_toets"], 0.0)
    else:
        total = sim["aangemeld"]
    left = total - done
    hit = left <= 0.5 if deel >= 1 else done >= deel * total - 1e-9
    weeks = np.flatnonzero(hit)
    if weeks.size == 0:
        return None
    return s.peildatum + timedelta(weeks=int(weeks[0]))


# ---------------------------------------------------------------------------------------------- the band

@dataclass(frozen=True)
class Band:
    """Per (step, scenario, horizon in weeks): the multipliers of the weekly share that past forecasts
    needed to hit the real outcome. The band reaches as far as the largest of the last RECENT of them, in
    either direction (a forecast that was three times too slow could next be three times too fast), widened
    by RUIMTE (the next surprise may be a little larger). Where fewer than MIN_FOUTEN are known, the wide
    fallback BREED."""
    fouten: dict = field(default_factory=dict)  # (stap, scenario, weken) -> list of multipliers

    @classmethod
    def uit(cls, rows: pd.DataFrame) -> Band:
        """From back-test rows (columns stap, scenario, weken, multiplier)."""
        if rows.empty:
            return cls({})
        ok = rows[rows["multiplier"].notna()]
        return cls({key: list(g["multiplier"]) for key, g in ok.groupby(["stap", "scenario", "weken"])})

    def grenzen(self, stap: str, scenario: str, weken: int) -> tuple[float, float, int, bool]:
        """(low, high, number of past forecasts, from the method's own errors?)"""
        own = self.fouten.get((stap, scenario, weken), [])
        if len(own) < MIN_FOUTEN:
            own = self.fouten.get((stap, "instroom", weken), []) + self.fouten.get((stap, "bevroren", weken), [])
        if len(own) < MIN_FOUTEN:
            return BREED[0], BREED[1], len(own), False
        recent = own[-RECENT:] if RECENT else own
        if SYMMETRISCH:
            far = max(abs(math.log(max(m, 1e-3))) for m in recent)
            lo, hi = math.exp(-far) / RUIMTE, math.exp(far) * RUIMTE
        else:
            lo, hi = min(recent) / RUIMTE, max(recent) * RUIMTE
        return min(lo, 1.0), max(hi, 1.0), len(own), True


GRID = np.concatenate([[0.0], np.geomspace(0.02, 50.0, 120)])


def multipliers(s: Toestand, stap: str, scenario: str, actual: dict[int, float]) -> dict[int, float]:
    """Per horizon (weeks): the multiplier of the step's weekly share with which the forecast would have hit
    the actual count (0 when even no progress overshoots; the largest possible when reality went faster)."""
    k = s.aandeel[stap]
    if math.isnan(k) or k <= 0 or not actual:
        return {w: math.nan for w in actual}
    grid = GRID[GRID <= 1.0 / k]
    levels = simuleer(s, scenario, max(actual), {stap: grid})[stap]
    return {w: float(np.interp(a, levels[w], grid, left=0.0, right=float(grid[-1]))) for w, a in actual.items()}


def multiplier(s: Toestand, stap: str, scenario: str, weken: int, actual: float) -> float:
    return multipliers(s, stap, scenario, {weken: actual})[weken]


# ------------------------------------------------------------------------------------------ the forecast

@dataclass(frozen=True)
class Uitkomst:
    stap: str
    scenario: str
    nog_te_doen: float
    niveau: dict  # weeks -> (verwacht, laag, hoog)
    klaar_90: date | None
    klaar_95: date | None
    klaar: date | None
    klaar_laag: date | None  # 'everyone' at the fast end of the band
    klaar_hoog: date | None  # at the slow end
    eigen_fouten: bool  # band from the method's own past errors (else the wide fallback)
    fouten: int  # past forecasts behind the band (at 52 weeks)


def nog_te_doen(s: Toestand, stap: str) -> float:
    """The work of this step for the parents registered by the peildatum (payment: expected)."""
    if stap == "forfait":
        share = 0.0 if math.isnan(s.erkenning) else s.erkenning
        return max(s.erkend - s.forfait, 0.0) + share * max(s.aangemeld - s.toets, 0.0)
    return max(s.aangemeld - s.gedaan(stap), 0.0)


def uitkomst(s: Toestand, stap: str, scenario: str, band: Band) -> Uitkomst:
    sim = simuleer(s, scenario)
    niveau = {}
    for w in NIVEAUS:
        lo, hi, _, _ = band.grenzen(stap, scenario, w)
        low, high = bandranden(s, stap, scenario, np.array([lo]), np.array([hi]), w, voeding(band, stap, scenario, [w]))
        niveau[w] = (sim[stap][w], float(low[-1, 0]), float(high[-1, 0]))
    lo, hi, n, own = band.grenzen(stap, scenario, NIVEAUS[-1])
    # 'Everyone' is soonest at the fast pace with registrations falling off, latest at the slow pace with
    # registrations going on at today's pace.
    fast, slow = {stap: hi}, {stap: lo}
    feed = voeding(band, stap, scenario, [NIVEAUS[-1]])
    if feed is not None:
        slow[VOEDING[stap]], fast[VOEDING[stap]] = float(feed[0][0]), float(feed[1][0])
    fast = simuleer(s, scenario, tempo=fast)
    slow = simuleer(s, scenario, tempo=slow, blijvend=scenario == "instroom")
    return Uitkomst(stap, scenario, nog_te_doen(s, stap), niveau,
                    klaar_datum(s, sim, stap, 0.9), klaar_datum(s, sim, stap, 0.95), klaar_datum(s, sim, stap, 1.0),
                    klaar_datum(s, fast, stap, 1.0), klaar_datum(s, slow, stap, 1.0), own, n)


VOEDING = {"forfait": "eerste_toets"}  # a payment waits for a recognition, which comes with a first check


def bandranden(s: Toestand, stap: str, scenario: str, lo: np.ndarray, hi: np.ndarray, weken: int,
               voeding: tuple[np.ndarray, np.ndarray] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The step's count at the two ends of the band, week by week ([week, column], one column per
    multiplier in `lo` and `hi`): the low end at the slow pace, the high end at the fast pace and, while
    registrations go on, with registrations staying at today's pace: a faster pace cannot do work for
    parents who have not registered, so more registrations than forecast are part of the high end.
    Payments also carry the band of the step that feeds them (`voeding`: the first checks' low and high
    multipliers), because they can only be made as fast as parents are recognised."""
    slow, fast = {stap: np.asarray(lo, float)}, {stap: np.asarray(hi, float)}
    if voeding is not None and stap in VOEDING:
        slow[VOEDING[stap]], fast[VOEDING[stap]] = np.asarray(voeding[0], float), np.asarray(voeding[1], float)
    low = simuleer(s, scenario, weken, slow)[stap]
    high = simuleer(s, scenario, weken, fast, blijvend=scenario == "instroom")[stap]
    return low, high


def voeding(band: Band, stap: str, scenario: str, weken: list[int]) -> tuple[np.ndarray, np.ndarray] | None:
    """The low and high multipliers of the step that feeds `stap`, per horizon in `weken` (None: none)."""
    if stap not in VOEDING:
        return None
    limits = [band.grenzen(VOEDING[stap], scenario, w) for w in weken]
    return np.array([lim[0] for lim in limits]), np.array([lim[1] for lim in limits])


def bekend(s: Toestand, stap: str) -> bool:
    """Can this step be forecast at all from what is known?"""
    return not math.isnan(s.aandeel[stap]) and not math.isnan(s.gedaan(stap)) and not math.isnan(s.aangemeld)


def voorspel(reeks: pd.DataFrame, peildatum: date, venster: int = STANDAARD_VENSTER,
             sluitdatum: date | None = None, band: Band | None = None) -> tuple[Toestand, list[Uitkomst]]:
    """Every step and scenario that can be forecast from the series as known at the peildatum."""
    band = band if band is not None else eigen_band(reeks, peildatum, venster, sluitdatum)
    s = toestand(reeks, peildatum, venster, sluitdatum)
    return s, [uitkomst(s, stap, scenario, band) for stap in STAPPEN if bekend(s, stap) for scenario in SCENARIOS]


def als_json(s: Toestand, uitkomsten: list[Uitkomst]) -> dict:
    """The forecast in the CLI's JSON contract."""
    iso = lambda d: None if d is None else d.isoformat()  # noqa: E731
    return {"peildatum": s.peildatum.isoformat(), "venster_weken": s.venster, "prognoses": [{
        "stap": u.stap, "scenario": u.scenario, "nog_te_doen": int(round(u.nog_te_doen)),
        "niveau": {str(w): {"verwacht": int(round(v)), "laag": int(round(lo)), "hoog": int(round(hi))}
                   for w, (v, lo, hi) in u.niveau.items()},
        "klaar_90": iso(u.klaar_90), "klaar_95": iso(u.klaar_95), "klaar": iso(u.klaar),
        "klaar_laag": iso(u.klaar_laag), "klaar_hoog": iso(u.klaar_hoog),
    } for u in uitkomsten]}


# ------------------------------------------------------------------------------------------ back-test

def vergelijk(reeksen: dict, waarheid, venster: int, sluitdatum: date | None) -> pd.DataFrame:
    """The forecast made at each peildatum of `reeksen` ({peildatum: series as known then}) against what
    really happened: `waarheid(peildatum, stap, scenario)` gives the real cumulative count as a Lijn (for
    'bevroren' among the parents registered by that peildatum), or None. The band of each forecast comes
    from the errors of earlier forecasts whose outcome was known by its peildatum (the first day of the Lijn
    on or after the outcome's day). One row per peildatum, step, scenario and horizon."""
    states = {p: toestand(r, p, venster, sluitdatum) for p, r in sorted(reeksen.items())}
    raw = []
    for p, s in states.items():
        for stap in STAPPEN:
            if not bekend(s, stap):
                continue
            for scenario in SCENARIOS:
                line = waarheid(p, stap, scenario)
                if line is None or len(line) == 0:
                    continue
                found, arrived = {}, {}
                registrations = waarheid(p, "aangemeld", "instroom") if scenario == "instroom" else None
                for w in NIVEAUS:
                    x = (p + timedelta(weeks=w)).toordinal()
                    if line.days[0] <= x <= line.days[-1]:
                        found[w] = (line.op(x), date.fromordinal(int(line.days[np.searchsorted(line.days, x)])))
                        arrived[w] = _erbij(registrations, p, x)
                if not found:
                    continue
                sim = simuleer(s, scenario, max(found))[stap]
                mult = multipliers(s, stap, scenario, {w: a for w, (a, _) in found.items()})
                for w, (actual, known) in found.items():
                    raw.append({"peildatum": p, "stap": stap, "scenario": scenario, "weken": w, "bekend_op": known,
                                "gedaan": s.gedaan(stap), "nog_te_doen": nog_te_doen(s, stap), "tempo": s.tempo[stap],
                                "werk": nog_te_doen(s, stap) + _aandeel_stap(s, stap) * arrived[w],
                                "verwacht": float(sim[w]), "werkelijk": actual, "multiplier": mult[w]})
    if not raw:
        return pd.DataFrame()
    _band_per_peildatum(raw, states)
    out = pd.DataFrame(raw)
    rest = out["werk"].where(out["werk"] > 0)
    out["fout_pct"] = 100 * (out["verwacht"] - out["werkelijk"]) / rest
    out["binnen_band"] = (out["laag"] - 0.5 <= out["werkelijk"]) & (out["werkelijk"] <= out["hoog"] + 0.5)
    return out


def _erbij(registrations: Lijn | None, p: date, x: int) -> float:
    """Registrations that really arrived between the peildatum and day x (0 without that count)."""
    if registrations is None or len(registrations) == 0 or not registrations.days[0] <= p.toordinal():
        return 0.0
    if x > registrations.days[-1]:
        return 0.0
    return max(registrations.op(x) - registrations.op(p.toordinal()), 0.0)


def _aandeel_stap(s: Toestand, stap: str) -> float:
    """How much of a new registration becomes work for this step (payment: the share recognised)."""
    if stap == "forfait":
        return 0.0 if math.isnan(s.erkenning) else s.erkenning
    return 1.0


def _band_per_peildatum(raw: list[dict], states: dict) -> None:
    """Add laag, hoog and eigen_fouten to each raw row: the band as known on its peildatum."""
    by_known = sorted(raw, key=lambda r: r["bekend_op"])
    errors: dict = {}
    i = 0
    groups: dict = {}
    for r in raw:
        groups.setdefault((r["peildatum"], r["stap"], r["scenario"]), []).append(r)
    for (p, stap, scenario), rows in sorted(groups.items(), key=lambda kv: kv[0][0]):
        while i < len(by_known) and by_known[i]["bekend_op"] <= p:
            e = by_known[i]
            if not math.isnan(e["multiplier"]):
                errors.setdefault((e["stap"], e["scenario"], e["weken"]), []).append(e["multiplier"])
            i += 1
        band = Band({k: list(v) for k, v in errors.items()})
        limits = [band.grenzen(stap, scenario, r["weken"]) for r in rows]
        low, high = bandranden(states[p], stap, scenario, np.array([lim[0] for lim in limits]),
                               np.array([lim[1] for lim in limits]), max(r["weken"] for r in rows),
                               voeding(band, stap, scenario, [r["weken"] for r in rows]))
        for j, (r, (_, _, _, own)) in enumerate(zip(rows, limits)):
            r["laag"], r["hoog"], r["eigen_fouten"] = float(low[r["weken"], j]), float(high[r["weken"], j]), own


def _gepubliceerd(reeks: pd.DataFrame, tot: date | None = None):
    """Truth from a published series: only the national count ('instroom'), only between published days."""
    lines = lijnen(reeks, tot)

    def waarheid(p: date, stap: str, scenario: str) -> Lijn | None:
        return lines[TELT[stap]] if scenario == "instroom" else None
    return waarheid


def terugtoets(reeks: pd.DataFrame, venster: int = STANDAARD_VENSTER, sluitdatum: date | None = None) -> pd.DataFrame:
    """From each date of a published series as peildatum (using only the rows up to it): the forecast against
    what the whole series shows 13, 26 and 52 weeks later."""
    reeksen = {p: reeks[reeks["datum"] <= p] for p in reeks["datum"]}
    return vergelijk(reeksen, _gepubliceerd(reeks), venster, sluitdatum)


def eigen_band(reeks: pd.DataFrame, peildatum: date, venster: int, sluitdatum: date | None) -> Band:
    """The band of a forecast on a series at the peildatum: from the method's errors at the earlier dates of
    the series, as far as their outcome was known on the peildatum."""
    known = reeks[reeks["datum"] <= peildatum]
    reeksen = {p: known[known["datum"] <= p] for p in known["datum"] if p < peildatum}
    return Band.uit(vergelijk(reeksen, _gepubliceerd(known), venster, sluitdatum))


def samenvatting(rows: pd.DataFrame) -> pd.DataFrame:
    """Per step, scenario and horizon: forecasts, median absolute error (% of the work left), share of
    outcomes within the band, and the median error in weeks of the pace at the peildatum."""
    cols = ["stap", "scenario", "weken", "prognoses", "mediane_fout_pct", "binnen_band_pct", "binnen_band",
            "eigen_band"]
    if rows.empty:
        return pd.DataFrame(columns=cols)
    g = rows.groupby(["stap", "scenario", "weken"], sort=False)
    return g.agg(prognoses=("fout_pct", "size"),
                 mediane_fout_pct=("fout_pct", lambda e: float(np.nanmedian(np.abs(e))) if e.notna().any() else np.nan),
                 binnen_band_pct=("binnen_band", lambda b: 100.0 * float(np.mean(b))),
                 binnen_band=("binnen_band", "sum"),
                 eigen_band=("eigen_fouten", "sum")).reset_index()
