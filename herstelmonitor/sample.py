"""Realistic synthetic extracts (aanmeldingen, ondersteuning, deelname) for every peildatum.

One history per parent is built once (all event dates, numpy-vectorised); the extract of a
peildatum P is a cut of that history: every date after P is empty and statuses are derived at P.
National counts at scale 1 follow the real figures of the spec (section 1) via piecewise-linear
cumulative target curves; event dates are handed out by inverse CDF to parents in queue order.
Support behaviour differs per gemeente (joining date, speed, reach, decline, stalls) so that the
achtervang signals of the spec fire for some gemeenten.

Same seed and scale give byte-identical files.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

REFERENCE_CSV = Path(__file__).resolve().parent.parent / "data" / "reference" / "gemeenten_2023.csv"

START = np.datetime64("2020-01-01")
END = np.datetime64("2025-04-30")  # end of the history (April 2025 figures)
NAT = np.datetime64("NaT", "D")

PEILDATA: list[str] = sorted(
    [str(d) for d in (pd.date_range("2020-09-30", "2023-12-31", freq="ME").date)] + ["2021-03-11"]
)

# Cumulative national targets at scale 1 (date, count), with the real shape of spec section 1. Between
# anchors: linear, then weekly noise. The history runs on to April 2025 (registration closed 31-12-2023, a
# trickle after it); the extracts end at the closing date.
REGISTRATIONS = [
    ("2020-01-01", 0), ("2020-09-30", 8100), ("2021-02-15", 25000),  # 500-1,000 a week until mid-2021
    ("2021-04-30", 36196), ("2021-06-30", 42000), ("2021-09-30", 47000),
    ("2021-12-31", 49000), ("2022-06-30", 52900),  # about 150 a week from late 2021
    ("2022-12-31", 60000),  # second wave: about 300 a week in the second half of 2022
    ("2023-06-30", 63800), ("2023-09-30", 65700), ("2023-11-30", 67300),  # 150-200 a week, rising
    ("2023-12-31", 68376),  # rush before the closing date
    ("2025-04-30", 69400),  # late registrations accepted: a trickle
]
FIRST_CHECKS = [
    ("2020-06-30", 0), ("2020-07-31", 108), ("2020-09-30", 350), ("2020-12-31", 1200),
    ("2021-01-31", 3500), ("2021-02-28", 7500), ("2021-03-25", 12500), ("2021-04-30", 20500),
    ("2021-06-30", 32000),  # spring 2021: about 1,000 a week and more
    ("2021-12-31", 40600), ("2022-06-30", 48100),  # after mid-2021 at once about 300 a week
    ("2022-12-31", 54600), ("2023-06-30", 59800), ("2023-12-31", 64149),  # slowly to about 150 a week
    ("2025-04-30", 69400),  # April 2025: all first checks done
]
# Share recognised (gedupeerd) among first checks done, per period of the first check: 60-70% in spring
# 2021, under a third after mid-2021.
RECOGNISED_SHARE = [("2021-03-25", 0.68), ("2021-04-30", 0.70), ("2021-06-30", 0.58), ("2099-12-31", 0.32)]
FORFAITS = [
    ("2020-07-05", 0), ("2020-07-31", 108), ("2020-10-31", 250), ("2020-12-21", 500),
    ("2021-01-31", 1500), ("2021-02-28", 2800), ("2021-03-25", 4800), ("2021-04-30", 11143),
    ("2021-06-30", 19000),  # spring 2021: about 1,000 a week
    ("2021-12-31", 20900), ("2022-12-31", 24900), ("2023-12-31", 28900),  # fewer than 100 a week
    ("2025-04-30", 33000),
]
# Full reviews for every registered parent, recognised or not.
FULL_REVIEWS = [
    ("2020-07-05", 0), ("2020-07-31", 108), ("2020-12-31", 300), ("2021-03-31", 1200),
    ("2021-06-30", 2300), ("2021-09-30", 4200), ("2021-12-31", 6150),  # about 150 a week in 2021
    ("2022-12-31", 20200), ("2023-12-31", 34200),  # about 270 a week; half of all registered still wait
    ("2024-12-31", 55000), ("2025-04-30", 60300),  # about 400 a week in 2024
]
REGISTERED = 69400  # everyone registered by April 2025, at scale 1
PILOT = 108  # first parents assessed, reviewed and paid in July 2020

# Against their share of inhabitants (spec section 1).
CITY_FACTORS = {"GM0599": 3.5, "GM0034": 3.7, "GM0363": 2.0, "GM0518": 2.0}
LIFE_DOMAINS = {"lg_financien": 0.70, "lg_wonen": 0.30, "lg_werk": 0.35, "lg_zorg": 0.40, "lg_gezin": 0.45}
STATUS_CASE = """CASE
  WHEN contact <= P AND afgewezen <= P THEN 'hulp_afgewezen'
  WHEN contact <= P AND afgerond <= P THEN 'afgerond'
  WHEN contact <= P AND loopt <= P THEN 'ondersteuning_loopt'
  WHEN contact <= P AND plan <= P THEN 'plan_van_aanpak'
  WHEN contact <= P THEN 'in_gesprek'
  WHEN onbereikbaar <= P THEN 'niet_bereikbaar'
  ELSE 'nog_geen_contact' END"""


def _d(s: str) -> np.datetime64:
    return np.datetime64(s, "D")


def _days(x) -> np.ndarray:
    """Whole days (float array, NaN allowed) as timedelta64[D] (NaT for NaN)."""
    x = np.asarray(x, dtype=float)
    out = np.full(x.shape, NAT - NAT)
    ok = ~np.isnan(x)
    out[ok] = np.round(x[ok]).astype("timedelta64[D]")
    return out


def _rng(seed: int, part: int) -> np.random.Generator:
    return np.random.default_rng([seed, part])


def _curve_slots(anchors, scale: float, rng: np.random.Generator, noise: float = 0.3) -> np.ndarray:
    """Event dates (sorted) following the cumulative anchor curve, with weekly and weekday noise.

    Totals between consecutive anchors are kept; within a segment the weekly pace varies.
    """
    days = np.arange(START, END + 1)
    a_day = np.array([(_d(d) - START).astype(int) for d, _ in anchors])
    a_val = np.array([v for _, v in anchors], dtype=float) * scale
    idx = np.arange(days.size)
    inc = np.diff(np.interp(idx, a_day, a_val), prepend=0.0)
    week_noise = rng.lognormal(0.0, noise, idx.size // 7 + 1)[idx // 7]
    weekday = np.where(((days - np.datetime64("2020-01-06")).astype(int) % 7) >= 5, 0.15, 1.0)
    inc2 = inc * week_noise * weekday
    seg = np.searchsorted(a_day, idx, side="left")
    want, got = np.bincount(seg, inc, a_day.size + 1), np.bincount(seg, inc2, a_day.size + 1)
    inc2 *= np.divide(want, got, out=np.zeros_like(want), where=got > 0)[seg]
    cum = np.cumsum(inc2)
    n = int(round(a_val[-1]))
    return days[np.minimum(np.searchsorted(cum, np.arange(n) + 0.5), days.size - 1)]


def _assign(slots: np.ndarray, keys: np.ndarray, eligible: np.ndarray, earliest: np.ndarray) -> np.ndarray:
    """Give slot k to the k-th eligible parent in key order; never before `earliest`; cut at END."""
    out = np.full(keys.size, NAT)
    cand = np.flatnonzero(eligible)
    cand = cand[np.argsort(keys[cand], kind="stable")][: slots.size]
    out[cand] = np.maximum(slots[: cand.size], earliest[cand])
    out[out > END] = NAT
    return out


def load_gemeenten(path: Path = REFERENCE_CSV) -> pd.DataFrame:
    return pd.read_csv(path, dtype={"gemeentecode": str, "coropcode": str})


def gemeente_weights(gem: pd.DataFrame) -> np.ndarray:
    """Share of parents (with a known gemeente) per gemeente."""
    inw = gem["inwoners"].to_numpy(float)
    kids = gem["huishoudens"].to_numpy(float) * gem["pct_huishoudens_met_kinderen"].to_numpy(float) / 100
    size = np.clip(inw / np.median(inw), 0.2, 8.0) ** 0.35
    w = kids * size
    fixed = gem["gemeentecode"].map(CITY_FACTORS).to_numpy(float)
    is_fixed = ~np.isnan(fixed)
    share = np.zeros(len(gem))
    share[is_fixed] = inw[is_fixed] / inw.sum() * fixed[is_fixed]
    rest = 1.0 - share.sum()
    share[~is_fixed] = w[~is_fixed] / w[~is_fixed].sum() * rest
    return share


def _compensation_history(n: int, scale: float, seed: int) -> dict[str, np.ndarray]:
    """Registration, first check, outcome, forfait, full review and extra amount per parent."""
    rng = _rng(seed, 1)
    aanmeld = _curve_slots(REGISTRATIONS, scale, rng)[:n]
    if aanmeld.size < n:
        aanmeld = np.concatenate([aanmeld, np.full(n - aanmeld.size, END)])
    day = lambda x: x.astype("datetime64[D]").astype(float)  # noqa: E731

    # Mostly first come, first served; one parent in ten is a hard case that waits much longer.
    check_key = day(aanmeld) + 7 + rng.exponential(35, n) + np.where(rng.random(n) < 0.1, rng.exponential(150, n), 0)
    check_slots = _curve_slots(FIRST_CHECKS, scale, rng)
    toets = _assign(check_slots, check_key, np.ones(n, bool), aanmeld + _days(7 + rng.integers(0, 14, n)))
    order = np.argsort(check_key, kind="stable")
    pilot = np.zeros(n, bool)
    pilot[order[: min(int(round(PILOT * scale)), n)]] = True

    bounds = np.array([_d(d) for d, _ in RECOGNISED_SHARE])
    p_rec = np.array([p for _, p in RECOGNISED_SHARE])[np.minimum(np.searchsorted(bounds, toets), bounds.size - 1)]
    has_toets = ~np.isnat(toets)
    gedupeerd = has_toets & ((rng.random(n) < p_rec) | pilot)

    pay_key = np.where(pilot, -1e9, day(toets) + rng.exponential(10, n))
    forfait = _assign(_curve_slots(FORFAITS, scale, rng), pay_key, gedupeerd,
                      toets + _days(3 + rng.integers(0, 10, n)))
    # Every parent with a first check gets a full review (recognised ones after their payment).
    ib_key = np.where(pilot, -1e9, day(toets) + rng.normal(0, 60, n))
    ready = np.where(gedupeerd, forfait, toets) + _days(14 + rng.integers(0, 30, n))
    ib = _assign(_curve_slots(FULL_REVIEWS, scale, rng), ib_key, has_toets & ~(gedupeerd & np.isnat(forfait)),
                 np.where(pilot, forfait, ready))
    forfait[pilot] = np.where(np.isnat(ib[pilot]), forfait[pilot], ib[pilot])
    extra = np.where((rng.random(n) < 0.2) | ~gedupeerd, 0.0, np.round(rng.lognormal(np.log(4000), 0.9, n), 2))
    return dict(aanmeld=aanmeld, toets=toets, gedupeerd=gedupeerd, forfait=forfait, ib=ib, extra=extra)


def _gemeente_behaviour(gem: pd.DataFrame, seed: int) -> pd.DataFrame:
    """Per gemeente: joining date, contact delay, reach, decline rate and stall period."""
    rng = _rng(seed, 2)
    g = len(gem)
    expected = gemeente_weights(gem) * 68376 * 0.97  # parents at scale 1, to pick eligible gemeenten
    mid = np.flatnonzero((expected >= 40) & (expected <= 400))
    never = rng.choice(mid, int(round(0.04 * g)), replace=False)
    late = rng.choice(np.setdiff1d(np.flatnonzero(expected <= 600), never), int(round(0.06 * g)), replace=False)
    u = rng.random(g)
    join = np.where(u < 0.55, _d("2021-01-04") + _days(rng.uniform(0, 30, g)),
                    np.where(u < 0.82, _d("2021-02-01") + _days(rng.uniform(0, 58, g)),
                             _d("2021-04-01") + _days(rng.uniform(0, 182, g))))
    join[late] = _d("2022-01-10") + _days(rng.uniform(0, 290, late.size))
    join[never] = NAT

    slow = rng.random(g) < 0.06
    delay = np.where(slow, rng.uniform(48, 90, g), np.exp(rng.uniform(np.log(10), np.log(30), g)))
    low = rng.random(g) < 0.06
    reach = np.where(low, rng.uniform(0.25, 0.45, g), rng.uniform(0.80, 0.96, g))
    decline = rng.uniform(0.05, 0.20, g)

    stall_from, stall_to = np.full(g, NAT), np.full(g, NAT)
    ok = np.setdiff1d(np.flatnonzero(expected >= 40), np.concatenate([never, late]))
    early = rng.choice(ok, 10, replace=False)
    stall_from[early] = _d("2021-03-01") + _days(rng.uniform(0, 50, early.size))
    stall_to[early] = _d("2021-08-01") + _days(rng.uniform(0, 120, early.size))
    last = rng.choice(np.setdiff1d(ok, early), 5, replace=False)
    stall_from[last] = _d("2023-05-01") + _days(rng.uniform(0, 150, last.size))
    stall_to[last] = _d("2099-12-31")

    lg = {k: np.clip(p * rng.lognormal(0, 0.15, g), 0.05, 0.95) for k, p in LIFE_DOMAINS.items()}
    return pd.DataFrame(dict(join=join, delay=delay, reach=reach, decline=decline,
                             stall_from=stall_from, stall_to=stall_to, **lg))


def _unstall(d: np.ndarray, g_from: np.ndarray, g_to: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Events that fall in the gemeente's stall period move to just after it."""
    hit = (d >= g_from) & (d < g_to)
    return np.where(hit, g_to + _days(rng.uniform(0, 21, d.size)), d)


def _support_history(aanmeld, gidx, beh: pd.DataFrame, seed: int) -> dict[str, np.ndarray]:
    """Sharing date and support trajectory (contact, plan, loopt, afgerond, declined, unreachable)."""
    rng = _rng(seed, 3)
    n = aanmeld.size
    known = gidx >= 0
    gi = np.where(known, gidx, 0)
    join = np.where(known, beh["join"].to_numpy()[gi], NAT)
    natural = np.where(aanmeld < _d("2021-01-01"), _d("2021-01-04") + _days(rng.uniform(0, 86, n)),
                       aanmeld + _days(rng.uniform(14, 42, n)))
    # Before a gemeente joins UHT shares only the urgent cases; the rest once it has a contact point.
    defer = (rng.random(n) < 0.8) & ~np.isnat(join) & (join > natural)
    shared = np.where(defer, join + _days(rng.uniform(0, 21, n)), natural)
    shared = np.where(known & (rng.random(n) < 0.88) & (shared <= END), shared, NAT)

    g_from, g_to = beh["stall_from"].to_numpy()[gi], beh["stall_to"].to_numpy()[gi]
    can = ~np.isnat(join) & ~np.isnat(shared)
    reached = (rng.random(n) < beh["reach"].to_numpy()[gi]) & can
    start = np.maximum(shared, join)
    delay = rng.lognormal(np.log(beh["delay"].to_numpy()[gi]), 0.6, n)
    # Some parents not reached at first are reached much later (outreach campaigns, re-sharing).
    late = ~reached & can & (rng.random(n) < 0.3)
    delay = np.where(late, rng.uniform(120, 700, n), delay)
    reached |= late
    contact = _unstall(np.where(reached, start + _days(1 + delay), NAT), g_from, g_to, rng)
    declines = rng.random(n) < beh["decline"].to_numpy()[gi]
    afgewezen = np.where(declines, contact + _days(rng.uniform(3, 30, n)), NAT)
    plan = _unstall(np.where(declines, NAT, contact + _days(7 + rng.lognormal(np.log(25), 0.5, n))),
                    g_from, g_to, rng)
    loopt = plan + _days(rng.uniform(21, 42, n))
    afgerond = _unstall(plan + _days(rng.lognormal(np.log(420), 0.6, n)), g_from, g_to, rng)
    onbereikbaar = np.where(~np.isnat(shared) & ~reached, shared + _days(70), NAT)
    lg = {k: (rng.random(n) < beh[k].to_numpy()[gi]) & known for k in LIFE_DOMAINS}
    return dict(shared=shared, contact=contact, plan=plan, loopt=loopt, afgerond=afgerond,
                afgewezen=afgewezen, onbereikbaar=onbereikbaar, **lg)


def _ouder_ids(n: int, rng: np.random.Generator) -> np.ndarray:
    """'OU' + 10 unique upper-case hex digits."""
    ids = np.unique(rng.integers(0, 16**10, int(n * 1.01) + 10))
    ids = rng.permutation(ids)[:n]
    digits = (ids[:, None] >> (4 * np.arange(9, -1, -1))) & 15
    chars = np.array(list("0123456789ABCDEF"))[digits]
    return np.char.add("OU", np.ascontiguousarray(chars).view("<U10").ravel())


def build_history(seed: int = 1, scale: float = 1.0, gem: pd.DataFrame | None = None):
    """Full per-parent history (one row per parent) and per-gemeente table."""
    gem = load_gemeenten() if gem is None else gem
    n = max(int(round(REGISTERED * scale)), 1)
    comp = _compensation_history(n, scale, seed)
    rng = _rng(seed, 4)
    gidx = np.where(rng.random(n) < 0.03, -1, rng.choice(len(gem), n, p=gemeente_weights(gem)))
    beh = _gemeente_behaviour(gem, seed)
    sup = _support_history(comp["aanmeld"], gidx, beh, seed)
    codes = gem["gemeentecode"].to_numpy(object)
    hist = pd.DataFrame(dict(
        ouder_id=_ouder_ids(n, rng),
        gemeentecode=np.where(gidx >= 0, codes[np.maximum(gidx, 0)], None),
        uitkomst=np.where(~np.isnat(comp["toets"]), np.where(comp["gedupeerd"], "gedupeerd", "niet_gedupeerd"), None),
        **{k: v for k, v in comp.items() if k != "gedupeerd"}, **sup))
    gem_out = _deelname_table(gem, hist, beh, seed)
    return hist, gem_out


def _deelname_table(gem: pd.DataFrame, hist: pd.DataFrame, beh: pd.DataFrame, seed: int) -> pd.DataFrame:
    """Joining date and centrumgemeente (with its start date) per gemeente."""
    rng = _rng(seed, 5)
    counts = hist["gemeentecode"].value_counts().reindex(gem["gemeentecode"], fill_value=0).to_numpy()
    df = pd.DataFrame(dict(gemeentecode=gem["gemeentecode"], coropcode=gem["coropcode"], n=counts,
                           join=beh["join"].to_numpy()))
    top = df.sort_values(["coropcode", "n", "gemeentecode"], ascending=[True, False, True]).groupby("coropcode").head(1)
    regions = np.sort(top["coropcode"].unique())
    chosen = rng.choice(regions, regions.size // 2, replace=False)
    starts = pd.Series(_d("2021-07-01") + _days(rng.uniform(0, 240, chosen.size)), index=chosen)
    centre = top.set_index("coropcode")["gemeentecode"]
    in_chosen = df["coropcode"].isin(chosen).to_numpy()
    df["centrum"] = np.where(in_chosen, df["coropcode"].map(centre), None)
    df.loc[df["centrum"] == df["gemeentecode"], "centrum"] = None
    df["centrum_vanaf"] = np.where(in_chosen, df["coropcode"].map(starts).to_numpy("datetime64[D]"), NAT)
    return df.drop(columns=["n", "coropcode"])


def _register(con: duckdb.DuckDBPyConnection, hist: pd.DataFrame, gem: pd.DataFrame) -> None:
    dates = ["aanmeld", "toets", "forfait", "ib", "shared", "contact", "plan", "loopt", "afgerond",
             "afgewezen", "onbereikbaar"]
    con.register("hist_df", hist)
    cols = ", ".join(f"CAST({c} AS DATE) AS {c}" if c in dates else c for c in hist.columns)
    con.execute(f"CREATE TABLE h AS SELECT {cols}, CAST(extra AS DECIMAL(12,2)) AS extra2 FROM hist_df")
    con.register("gem_df", gem)
    con.execute("CREATE TABLE g AS SELECT gemeentecode, CAST(\"join\" AS DATE) AS aangesloten, centrum, "
                "CAST(centrum_vanaf AS DATE) AS centrum_vanaf FROM gem_df")


def _queries(p: str) -> dict[str, str]:
    P = f"DATE '{p}'"
    cut = lambda c: f"CASE WHEN {c} <= P THEN {c} END"  # noqa: E731
    aanm = f"""SELECT ouder_id, aanmeld AS aanmelddatum, gemeentecode,
      {cut('shared')} AS gegevens_gedeeld_datum, {cut('toets')} AS eerste_toets_datum,
      CASE WHEN toets <= P THEN uitkomst END AS eerste_toets_uitkomst,
      {cut('forfait')} AS forfait_betaald_datum, {cut('ib')} AS integrale_beoordeling_datum,
      CAST(CASE WHEN forfait <= P THEN 30000 ELSE 0 END + CASE WHEN ib <= P THEN extra2 ELSE 0 END
           AS DECIMAL(12,2)) AS compensatie_bedrag
      FROM h WHERE aanmeld <= P ORDER BY aanmeld, ouder_id"""
    lg = ", ".join(f"({k} AND contact <= P) IS TRUE AS {k}" for k in LIFE_DOMAINS)
    onder = f"""SELECT ouder_id, gemeentecode, {STATUS_CASE} AS status,
      {cut('contact')} AS eerste_contact_datum, {cut('plan')} AS plan_datum,
      CASE WHEN afgerond <= P AND NOT (afgewezen <= P) IS TRUE THEN afgerond END AS afgerond_datum, {lg}
      FROM h WHERE shared <= P ORDER BY gemeentecode, ouder_id"""
    deel = f"""SELECT gemeentecode, {cut('aangesloten')} AS aangesloten_datum,
      CASE WHEN centrum_vanaf <= P THEN centrum END AS centrumgemeente
      FROM g ORDER BY gemeentecode"""
    return {k: q.replace("<= P", "<= " + P)
            for k, q in {"aanmeldingen": aanm, "ondersteuning": onder, "deelname": deel}.items()}


def write_sample(out_dir: Path, seed: int = 1, scale: float = 1.0, fmt: str = "csv") -> list[Path]:
    """Write aanmeldingen/ondersteuning/deelname extracts for every peildatum in PEILDATA."""
    if fmt not in ("csv", "parquet"):
        raise ValueError(f"unknown format {fmt!r}: use 'csv' or 'parquet'")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    hist, gem = build_history(seed, scale)
    options = "(HEADER, DELIMITER ',')" if fmt == "csv" else "(FORMAT parquet)"
    written: list[Path] = []
    with duckdb.connect(":memory:") as con:
        con.execute("SET preserve_insertion_order = true")
        _register(con, hist, gem)
        for p in PEILDATA:
            for kind, query in _queries(p).items():
                path = out_dir / f"{kind}_{p}.{fmt}"
                con.execute(f"COPY ({query}) TO '{path.as_posix()}' {options}")
                written.append(path)
        from herstelmonitor.sample_ervaring import write_survey  # the survey (spec 2.5): its own module

        written += write_survey(con, hist, load_gemeenten(), out_dir, seed, fmt, options)
    return written
