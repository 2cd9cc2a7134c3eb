"""The spec's metrics computed a second, independent way: plain pandas straight from the extract files.

Used by the benchmark (what a straightforward analysis script costs) and by the tests (a second reading
of the definitions in spec section 3 must give the same numbers as the SQL in queries/).
"""
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from herstelmonitor.paths import GEMEENTEN_CSV

DATES = {
    "aanmeldingen": ["aanmelddatum", "gegevens_gedeeld_datum", "eerste_toets_datum", "forfait_betaald_datum",
                     "integrale_beoordeling_datum"],
    "ondersteuning": ["eerste_contact_datum", "plan_datum", "afgerond_datum"],
    "deelname": ["aangesloten_datum"],
}


COUNTS = ["aangemeld", "eerste_toets_afgerond", "erkend_gedupeerd", "forfait_betaald",
          "integrale_beoordeling_afgerond", "gegevens_gedeeld", "wachtend_op_eerste_toets", "in_contact",
          "hulp_afgewezen", "gemeenten_aangesloten"]


def read(folder: Path, kind: str, p: date) -> pd.DataFrame:
    """An ISO, comma-separated extract as the sample writes it."""
    frame = pd.read_csv(folder / f"{kind}_{p.isoformat()}.csv", dtype=str, keep_default_na=False)
    for col in DATES[kind]:
        frame[col] = pd.to_datetime(frame[col].replace("", None), format="%Y-%m-%d")
    return frame


def days(later: pd.Series, earlier: pd.Series) -> pd.Series:
    return (later - earlier).dt.days


def compensation(a: pd.DataFrame, by: pd.Series) -> pd.DataFrame:
    g = a.groupby(by)
    out = pd.DataFrame({
        "aangemeld": g.size(),
        "eerste_toets_afgerond": g["eerste_toets_datum"].count(),
        "erkend_gedupeerd": g["eerste_toets_uitkomst"].apply(lambda s: (s == "gedupeerd").sum()),
        "forfait_betaald": g["forfait_betaald_datum"].count(),
        "integrale_beoordeling_afgerond": g["integrale_beoordeling_datum"].count(),
        "gegevens_gedeeld": g["gegevens_gedeeld_datum"].count(),
    })
    out["wachtend_op_eerste_toets"] = out["aangemeld"] - out["eerste_toets_afgerond"]
    for name, col in (("eerste_toets", "eerste_toets_datum"), ("forfait", "forfait_betaald_datum"),
                      ("integrale_beoordeling", "integrale_beoordeling_datum")):
        wait = days(a[col], a["aanmelddatum"]).groupby(by)
        out[f"doorlooptijd_{name}_mediaan"] = wait.median()
        out[f"doorlooptijd_{name}_p90"] = wait.quantile(0.9)
    return out


def support_rows(a: pd.DataFrame, o: pd.DataFrame, known: set[str], p: date, reach_days: int) -> pd.DataFrame:
    """Every shared parent joined to the gemeente's report (a report without a sharing date stays in)."""
    shared = a.loc[a["gegevens_gedeeld_datum"].notna(), ["ouder_id", "gemeentecode", "gegevens_gedeeld_datum"]]
    s = shared.merge(o, on="ouder_id", how="outer", suffixes=("_a", ""))
    code = s["gemeentecode"].where(s["gemeentecode"].notna() & (s["gemeentecode"] != ""), s["gemeentecode_a"])
    s["gemeente"] = code.where(code.isin(known), "onbekend")
    base = s["gegevens_gedeeld_datum"] <= pd.Timestamp(p) - pd.Timedelta(days=reach_days)
    s["basis"], s["bereikt"] = base, base & s["eerste_contact_datum"].notna()
    s["wacht"] = days(s["eerste_contact_datum"], s["gegevens_gedeeld_datum"])
    s["afgewezen"] = s["status"] == "hulp_afgewezen"
    return s


def support(s: pd.DataFrame, by: pd.Series) -> pd.DataFrame:
    g = s.groupby(by)
    out = pd.DataFrame({
        "in_contact": g["eerste_contact_datum"].count(),
        "hulp_afgewezen": g["afgewezen"].sum(),
        "bereik_pct": 100 * g["bereikt"].sum() / g["basis"].sum().replace(0, np.nan),
        "doorlooptijd_contact_mediaan": g["wacht"].median(),
        "doorlooptijd_contact_p90": g["wacht"].quantile(0.9),
    })
    return out


def metrics(folder: Path, p: date, reach_days: int = 56) -> tuple[dict, pd.DataFrame]:
    """(national, per gemeente) for peildatum p from the files in folder."""
    return compute(*frames(folder, p), p, reach_days)


def frames(folder: Path, p: date) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The three extracts of peildatum p, read (the benchmark times computing on data in memory apart)."""
    return tuple(read(folder, kind, p) for kind in ("aanmeldingen", "ondersteuning", "deelname"))


def compute(a: pd.DataFrame, o: pd.DataFrame, d: pd.DataFrame, p: date, reach_days: int = 56) -> tuple[dict, pd.DataFrame]:
    """(national, per gemeente) for peildatum p from the three extracts in memory."""
    known = set(pd.read_csv(GEMEENTEN_CSV, dtype=str)["gemeentecode"])
    a["gemeente"] = a["gemeentecode"].where(a["gemeentecode"].isin(known), "onbekend")
    joined = (d["aangesloten_datum"] <= pd.Timestamp(p))
    s = support_rows(a, o, known, p, reach_days)
    per = compensation(a, a["gemeente"]).join(support(s, s["gemeente"]), how="outer")
    aangesloten = joined.groupby(d["gemeentecode"].where(d["gemeentecode"].isin(known), "onbekend")).sum()
    per = per.reindex(per.index.union(aangesloten.index))
    per["gemeenten_aangesloten"] = aangesloten
    per[COUNTS] = per[COUNTS].fillna(0)
    national = compensation(a, pd.Series(0, index=a.index)).join(support(s, pd.Series(0, index=s.index)),
                                                                  how="outer").iloc[0].to_dict()
    national["gemeenten_aangesloten"] = int(joined.sum())
    return national, per
