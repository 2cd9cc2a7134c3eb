"""The synthetic parent survey (extract `ervaring`, spec 2.5) that goes with the sample extracts.

A survey party asks the parents in support (in contact with their gemeente, not declined) in half-yearly
waves from January 2021 (first file at 2021-06-30); 20-40% answer, the rate differing per gemeente. How a
parent feels helped follows the gemeente (a quality per gemeente), the parent's own trajectory (finished
support helps, months without a plan hurt) and stalls: during a gemeente's stall period (herstelmonitor.sample's behaviour table) most
answers are 'nee', so the signal niet_geholpen fires where support stalls. A few gemeenten with good process
figures (quick contact, high reach, no stall) have a low quality anyway: the dissatisfaction the process
figures hide. Marks are mostly 5-8. The file of a peildatum holds each parent's latest answer of the last
52 weeks (one row per parent); some peildata have no file (the survey started later; one delivery missed).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from herstelmonitor import sample

WAVES = pd.date_range("2021-01-01", "2023-07-01", freq="6MS").to_numpy("datetime64[D]")
WAVE_DAYS = 182
MISSED = ("2022-02-28",)  # the survey party delivered no file for this peildatum
PEILDATA = [p for p in sample.PEILDATA if p >= "2021-06-30" and p not in MISSED]
HIDDEN_SHARE = 0.08  # of the gemeenten with good process figures


def gemeente_quality(beh: pd.DataFrame, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """(quality, response rate) per gemeente. Quality is higher where contact is quick and reach high;
    a share of the good-process gemeenten gets a low quality (hidden dissatisfaction)."""
    g = len(beh)
    reach, delay = beh["reach"].to_numpy(float), beh["delay"].to_numpy(float)
    quality = rng.normal(0, 0.45, g) + 1.5 * (reach - 0.85) - 0.5 * (delay > 45)
    good = (reach >= 0.8) & (delay < 30) & np.isnat(beh["stall_from"].to_numpy("datetime64[D]"))
    hidden = np.flatnonzero(good)[rng.random(good.sum()) < HIDDEN_SHARE]
    quality[hidden] = rng.normal(-1.7, 0.2, hidden.size)
    return quality, rng.uniform(0.20, 0.40, g)


def survey_answers(hist: pd.DataFrame, gem: pd.DataFrame, seed: int) -> pd.DataFrame:
    """Every answer of every wave: ouder_id, gemeentecode, antwoord_datum, voelt_zich_geholpen,
    rapportcijfer (0 = none given), hulp_sneller_na_compensatie ('' = none)."""
    rng = np.random.default_rng([seed, 15])
    beh = sample._gemeente_behaviour(gem, seed)
    quality, response = gemeente_quality(beh, rng)
    gi = pd.Series(np.arange(len(gem)), index=gem["gemeentecode"]).reindex(hist["gemeentecode"]).to_numpy()
    known = ~np.isnan(gi)
    gi = np.where(known, gi, 0).astype(int)
    contact = hist["contact"].to_numpy("datetime64[D]")
    frames = []
    for start in WAVES:
        lo = np.maximum(start, contact + 30)
        end = min(start + WAVE_DAYS - 1, sample.END)
        can = known & ~np.isnat(contact) & (lo <= end) & (rng.random(len(hist)) < response[gi])
        span = (end - lo).astype(float)
        when = lo + sample._days(np.where(can, rng.random(len(hist)) * np.nan_to_num(span), np.nan))
        declined = hist["afgewezen"].to_numpy("datetime64[D]") <= when
        take = can & ~declined
        frames.append(answers(hist[take], when[take], quality[gi[take]], beh.iloc[gi[take]], rng))
    return pd.concat(frames, ignore_index=True)


def answers(h: pd.DataFrame, when: np.ndarray, quality: np.ndarray, beh: pd.DataFrame,
            rng: np.random.Generator) -> pd.DataFrame:
    """The answers of one wave for the parents in `h` (answer dates `when`)."""
    n = len(h)
    stalled = (beh["stall_from"].to_numpy("datetime64[D]") <= when) & (when < beh["stall_to"].to_numpy("datetime64[D]"))
    finished = h["afgerond"].to_numpy("datetime64[D]") <= when
    no_plan = ~(h["plan"].to_numpy("datetime64[D]") <= when) & (h["contact"].to_numpy("datetime64[D]") < when - 120)
    u = 0.95 + quality + 0.5 * finished - 0.8 * no_plan - 2.2 * stalled + rng.logistic(0, 0.9, n)
    geholpen = np.where(u > 1.0, "ja", np.where(u > 0.0, "deels", "nee"))
    mark = np.clip(np.round(6.6 + 0.9 * np.clip(u - 0.6, -3, 3) + rng.normal(0, 0.7, n)), 1, 10).astype(int)
    mark[rng.random(n) < 0.12] = 0
    paid = h["forfait"].to_numpy("datetime64[D]") <= when
    sneller = np.where(paid, rng.choice(["ja", "nee", "weet_niet", ""], n, p=[0.45, 0.25, 0.2, 0.1]),
                       rng.choice(["ja", "nee", "weet_niet", ""], n, p=[0.1, 0.3, 0.45, 0.15]))
    return pd.DataFrame(dict(ouder_id=h["ouder_id"].to_numpy(), gemeentecode=h["gemeentecode"].to_numpy(),
                             antwoord_datum=when, voelt_zich_geholpen=geholpen, rapportcijfer=mark,
                             hulp_sneller_na_compensatie=sneller))


def write_survey(con, hist: pd.DataFrame, gem: pd.DataFrame, out_dir: Path, seed: int, fmt: str,
                 options: str) -> list[Path]:
    """One ervaring file per survey peildatum: each parent's latest answer of the 52 weeks up to it."""
    con.register("antwoorden_df", survey_answers(hist, gem, seed))
    con.execute("CREATE OR REPLACE TABLE antwoorden AS SELECT * REPLACE (CAST(antwoord_datum AS DATE) AS "
                "antwoord_datum) FROM antwoorden_df")
    written = []
    for p in PEILDATA:
        path = out_dir / f"ervaring_{p}.{fmt}"
        con.execute(f"""COPY (
            SELECT ouder_id, gemeentecode, antwoord_datum, voelt_zich_geholpen,
                CASE WHEN rapportcijfer > 0 THEN rapportcijfer END AS rapportcijfer,
                nullif(hulp_sneller_na_compensatie, '') AS hulp_sneller_na_compensatie
            FROM antwoorden
            WHERE antwoord_datum <= DATE '{p}' AND antwoord_datum > DATE '{p}' - 364
            QUALIFY row_number() OVER (PARTITION BY ouder_id ORDER BY antwoord_datum DESC) = 1
            ORDER BY gemeentecode, ouder_id) TO '{path.as_posix()}' {options}""")
        written.append(path)
    return written
