"""Tests for the synthetic sample extracts (herstelmonitor.sample)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from herstelmonitor.sample import PEILDATA, load_gemeenten, write_sample
from herstelmonitor.sample_ervaring import PEILDATA as SURVEY_PEILDATA

AANMELDINGEN_COLS = ["ouder_id", "aanmelddatum", "gemeentecode", "gegevens_gedeeld_datum", "eerste_toets_datum",
                     "eerste_toets_uitkomst", "forfait_betaald_datum", "integrale_beoordeling_datum",
                     "compensatie_bedrag"]
ONDERSTEUNING_COLS = ["ouder_id", "gemeentecode", "status", "eerste_contact_datum", "plan_datum", "afgerond_datum",
                      "lg_financien", "lg_wonen", "lg_werk", "lg_zorg", "lg_gezin"]
DEELNAME_COLS = ["gemeentecode", "aangesloten_datum", "centrumgemeente"]
A_DATES = ["aanmelddatum", "gegevens_gedeeld_datum", "eerste_toets_datum", "forfait_betaald_datum",
           "integrale_beoordeling_datum"]
O_DATES = ["eerste_contact_datum", "plan_datum", "afgerond_datum"]
STATUSES = {"nog_geen_contact", "in_gesprek", "plan_van_aanpak", "ondersteuning_loopt", "afgerond",
            "hulp_afgewezen", "niet_bereikbaar"}
SIGNALS = ["niet_aangesloten", "laag_bereik", "trage_start", "stilstand"]

# Cumulative national targets at scale 1: (metric, date, target).
TARGETS = [
    ("aangemeld", "2020-09-30", 8100), ("aangemeld", "2021-02-15", 25000), ("aangemeld", "2021-04-30", 36196),
    ("aangemeld", "2021-06-30", 42000), ("aangemeld", "2021-09-30", 47000), ("aangemeld", "2023-12-31", 68376),
    ("eerste_toets", "2021-03-25", 12500), ("eerste_toets", "2021-06-30", 32000),
    ("eerste_toets", "2023-12-31", 64149),
    ("erkend", "2021-03-25", 8500), ("erkend", "2021-04-30", 15456), ("erkend", "2021-06-30", 21000),
    ("erkend", "2023-12-31", 33200),
    ("forfait", "2021-03-25", 4800), ("forfait", "2021-04-30", 11143), ("forfait", "2021-06-30", 19000),
    ("integrale_beoordeling", "2021-06-30", 2300), ("integrale_beoordeling", "2021-09-30", 4200),
    # "About half of all registered parents still waiting for their full review" at the closing date.
    ("integrale_beoordeling", "2023-12-31", 68376 // 2),
]


def read(out: Path, kind: str, p: str) -> pd.DataFrame:
    df = pd.read_csv(out / f"{kind}_{p}.csv", dtype=str)
    for c in (A_DATES if kind == "aanmeldingen" else O_DATES if kind == "ondersteuning" else ["aangesloten_datum"]):
        df[c] = pd.to_datetime(df[c], format="%Y-%m-%d")
    return df


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("small")
    write_sample(out, seed=7, scale=0.05)
    return out


@pytest.fixture(scope="module")
def full(tmp_path_factory) -> tuple[Path, float]:
    out = tmp_path_factory.mktemp("full")
    write_sample(out, seed=1, scale=1.0)
    return out, None


def national(a: pd.DataFrame, metric: str, d: str) -> int:
    d = pd.Timestamp(d)
    if metric == "aangemeld":
        return int((a["aanmelddatum"] <= d).sum())
    if metric == "eerste_toets":
        return int((a["eerste_toets_datum"] <= d).sum())
    if metric == "erkend":
        return int(((a["eerste_toets_datum"] <= d) & (a["eerste_toets_uitkomst"] == "gedupeerd")).sum())
    if metric == "forfait":
        return int((a["forfait_betaald_datum"] <= d).sum())
    return int((a["integrale_beoordeling_datum"] <= d).sum())


def same(x: pd.Series, y: pd.Series) -> bool:
    x, y = x.reset_index(drop=True), y.reset_index(drop=True)
    if pd.api.types.is_datetime64_any_dtype(x):
        x, y = x.astype("datetime64[ns]"), y.astype("datetime64[ns]")
    return x.equals(y)


def signals(out: Path, p: str) -> pd.DataFrame:
    """The achtervang signals per gemeente, straight from the spec's definitions (section 3)."""
    P = pd.Timestamp(p)
    weeks8 = P - pd.Timedelta(days=56)
    a, o, d = read(out, "aanmeldingen", p), read(out, "ondersteuning", p), read(out, "deelname", p)
    o = o.merge(a[["ouder_id", "gegevens_gedeeld_datum"]], on="ouder_id", how="left")
    o["contacted"] = o["eerste_contact_datum"].notna()
    o["eligible"] = o["gegevens_gedeeld_datum"] <= weeks8
    o["wait"] = (o["eerste_contact_datum"] - o["gegevens_gedeeld_datum"]).dt.days
    o["open"] = ~o["status"].isin(["afgerond", "hulp_afgewezen"])
    o["recent"] = (o[O_DATES].gt(weeks8) & o[O_DATES].le(P)).any(axis=1)
    g = o.groupby("gemeentecode").agg(
        shared=("ouder_id", "size"), eligible=("eligible", "sum"),
        reached=("contacted", lambda s: s[o.loc[s.index, "eligible"]].sum()),
        contacted=("contacted", "sum"), median_wait=("wait", "median"), open=("open", "sum"),
        recent=("recent", "any"))
    g = g.reindex(d["gemeentecode"]).fillna({"shared": 0, "eligible": 0, "reached": 0, "contacted": 0,
                                              "open": 0, "recent": False})
    joined = d.set_index("gemeentecode")["aangesloten_datum"].notna()
    res = pd.DataFrame(index=g.index)
    res["niet_aangesloten"] = (g["shared"] >= 5) & ~joined
    res["laag_bereik"] = (g["eligible"] >= 5) & (g["reached"] < 0.5 * g["eligible"])
    res["trage_start"] = (g["contacted"] >= 5) & (g["median_wait"] > 42)
    res["stilstand"] = (g["open"] >= 5) & ~g["recent"].astype(bool)
    return res


def check_contract(out: Path, p: str) -> None:
    P = pd.Timestamp(p)
    codes = set(load_gemeenten()["gemeentecode"])
    a, o, d = read(out, "aanmeldingen", p), read(out, "ondersteuning", p), read(out, "deelname", p)
    assert list(a.columns) == AANMELDINGEN_COLS
    assert list(o.columns) == ONDERSTEUNING_COLS
    assert list(d.columns) == DEELNAME_COLS
    # aanmeldingen
    assert a["ouder_id"].is_unique and a["ouder_id"].str.fullmatch(r"OU[0-9A-F]{10}").all()
    assert not a["ouder_id"].str.fullmatch(r"\d{9}").any()
    assert a["aanmelddatum"].notna().all()
    for c in A_DATES:
        assert (a[c].dropna() <= P).all(), c
    assert a["gemeentecode"].dropna().isin(codes).all()
    assert a["eerste_toets_uitkomst"].dropna().isin(["gedupeerd", "niet_gedupeerd"]).all()
    assert (a["eerste_toets_uitkomst"].notna() == a["eerste_toets_datum"].notna()).all()
    assert (a["eerste_toets_datum"].dropna() >= a.loc[a["eerste_toets_datum"].notna(), "aanmelddatum"]).all()
    paid = a[a["forfait_betaald_datum"].notna()]
    assert (paid["eerste_toets_uitkomst"] == "gedupeerd").all()
    assert (paid["forfait_betaald_datum"] >= paid["eerste_toets_datum"]).all()
    ib = a[a["integrale_beoordeling_datum"].notna()]
    assert ib["eerste_toets_uitkomst"].notna().all()  # every parent gets a full review, after the first check
    assert (ib["integrale_beoordeling_datum"] >= ib["eerste_toets_datum"]).all()
    assert a["gegevens_gedeeld_datum"].isna()[a["gemeentecode"].isna()].all()
    bedrag = a["compensatie_bedrag"]
    assert bedrag.str.fullmatch(r"\d+\.\d\d").all()
    assert (bedrag.astype(float)[a["forfait_betaald_datum"].notna()] >= 30000).all()
    assert (bedrag.astype(float)[a["eerste_toets_uitkomst"] != "gedupeerd"] == 0).all()
    # ondersteuning
    assert o["ouder_id"].is_unique and o["ouder_id"].isin(a["ouder_id"]).all()
    assert o["status"].isin(STATUSES).all()
    for c in O_DATES:
        assert (o[c].dropna() <= P).all(), c
    for c in ONDERSTEUNING_COLS[6:]:
        assert o[c].isin(["true", "false"]).all(), c
    no_contact = o["status"].isin(["nog_geen_contact", "niet_bereikbaar"])
    assert o.loc[no_contact, O_DATES].isna().all().all()
    assert o.loc[~no_contact, "eerste_contact_datum"].notna().all()
    assert not (o["plan_datum"] < o["eerste_contact_datum"]).any()
    assert not (o["afgerond_datum"] < o["plan_datum"]).any()
    assert o.loc[o["status"] == "afgerond", "afgerond_datum"].notna().all()
    assert o.loc[o["status"].isin(["plan_van_aanpak", "ondersteuning_loopt"]), "plan_datum"].notna().all()
    shared = a.set_index("ouder_id").loc[o["ouder_id"]]
    assert (shared["gemeentecode"].to_numpy() == o["gemeentecode"].to_numpy()).all()
    assert (shared["gegevens_gedeeld_datum"] <= P).all()
    assert len(o) == a["gegevens_gedeeld_datum"].notna().sum()
    # deelname
    assert len(d) == 342 and set(d["gemeentecode"]) == codes
    assert (d["aangesloten_datum"].dropna() <= P).all()
    assert d["centrumgemeente"].dropna().isin(codes).all()
    assert (d["centrumgemeente"] != d["gemeentecode"]).all()
    if P < pd.Timestamp("2021-07-01"):
        assert d["centrumgemeente"].isna().all()


def test_files_and_format(small):
    names = sorted(p.name for p in small.iterdir())
    assert len(PEILDATA) == 41 and "2021-03-11" in PEILDATA and PEILDATA[0] == "2020-09-30"
    assert len(names) == 123 + len(SURVEY_PEILDATA)
    assert {f"{k}_{p}.csv" for k in ("aanmeldingen", "ondersteuning", "deelname") for p in PEILDATA} | {
        f"ervaring_{p}.csv" for p in SURVEY_PEILDATA} == set(names)
    text = (small / "ondersteuning_2023-12-31.csv").read_text(encoding="utf-8")
    assert text.splitlines()[0] == ",".join(ONDERSTEUNING_COLS)
    assert re.search(r",true(,|\n)", text) and re.search(r",false(,|\n)", text)
    first = (small / "aanmeldingen_2021-03-11.csv").read_text(encoding="utf-8").splitlines()
    assert first[0] == ",".join(AANMELDINGEN_COLS)
    assert re.fullmatch(r"OU[0-9A-F]{10},2020-\d\d-\d\d,(GM\d{4})?,.*,\d+\.\d\d", first[1])
    assert '""' not in text and "NULL" not in text


def test_same_seed_identical_bytes(small, tmp_path):
    write_sample(tmp_path, seed=7, scale=0.05)
    for p in small.iterdir():
        assert (tmp_path / p.name).read_bytes() == p.read_bytes(), p.name
    other = tmp_path / "other"
    write_sample(other, seed=8, scale=0.05)
    assert (other / "aanmeldingen_2023-12-31.csv").read_bytes() != (small / "aanmeldingen_2023-12-31.csv").read_bytes()


def test_parquet_typed(tmp_path):
    paths = write_sample(tmp_path, seed=3, scale=0.02, fmt="parquet")
    assert len(paths) == 123 + len(SURVEY_PEILDATA) and all(p.suffix == ".parquet" for p in paths)
    a = pd.read_parquet(tmp_path / "aanmeldingen_2023-12-31.parquet")
    o = pd.read_parquet(tmp_path / "ondersteuning_2023-12-31.parquet")
    assert list(a.columns) == AANMELDINGEN_COLS and list(o.columns) == ONDERSTEUNING_COLS
    assert pd.api.types.is_datetime64_any_dtype(a["aanmelddatum"]) or str(a["aanmelddatum"].dtype) == "object"
    assert o["lg_financien"].dtype == bool


@pytest.mark.parametrize("p", ["2020-09-30", "2021-01-31", "2021-03-11", "2021-06-30", "2022-03-31", "2023-12-31"])
def test_contract_small(small, p):
    check_contract(small, p)


@pytest.mark.parametrize("p", ["2021-03-11", "2021-06-30", "2023-12-31"])
def test_contract_full(full, p):
    check_contract(full[0], p)


def test_national_calibration(full):
    a = read(full[0], "aanmeldingen", "2023-12-31")
    rows = [(m, d, t, national(a, m, d)) for m, d, t in TARGETS]
    off = [(m, d, t, got) for m, d, t, got in rows if abs(got - t) > 0.15 * t]
    assert not off, off
    assert a["gemeentecode"].isna().mean() == pytest.approx(0.03, abs=0.01)


def test_registrations_keep_arriving_and_throughput_varies(full):
    a = read(full[0], "aanmeldingen", "2023-12-31")
    weekly = a["aanmelddatum"].dt.to_period("W").value_counts().sort_index()
    spring = weekly[(weekly.index.start_time >= "2021-03-01") & (weekly.index.start_time < "2021-06-28")]
    later = weekly[(weekly.index.start_time >= "2021-07-01") & (weekly.index.start_time < "2023-12-25")]
    assert spring.median() >= 450 and later.min() > 50
    checks = a["eerste_toets_datum"].dropna().dt.to_period("W").value_counts().sort_index()
    mid = checks[(checks.index.start_time >= "2021-07-01") & (checks.index.start_time < "2022-07-01")]
    assert mid.std() / mid.mean() > 0.15


def weekly_pace(a: pd.DataFrame, column: str, start: str, end: str, rows=None) -> float:
    """Mean events per week with `column` in [start, end)."""
    d = a[column] if rows is None else a.loc[rows, column]
    n = ((d >= pd.Timestamp(start)) & (d < pd.Timestamp(end))).sum()
    return n / ((pd.Timestamp(end) - pd.Timestamp(start)).days / 7)


def test_real_shape_of_the_pace(full):
    # Spec section 1, "the shape of the pace over time".
    a = read(full[0], "aanmeldingen", "2023-12-31")
    pace = lambda col, s, e, rows=None: weekly_pace(a, col, s, e, rows)  # noqa: E731
    assert 500 <= pace("aanmelddatum", "2020-10-01", "2021-07-01") <= 1100
    assert 100 <= pace("aanmelddatum", "2021-10-01", "2022-07-01") <= 200  # about 150 from late 2021
    assert 250 <= pace("aanmelddatum", "2022-07-01", "2023-01-01") <= 350  # second wave
    assert 120 <= pace("aanmelddatum", "2023-01-01", "2023-10-01") <= 200
    assert pace("aanmelddatum", "2023-12-01", "2024-01-01") > pace("aanmelddatum", "2023-01-01", "2023-10-01")
    assert pace("eerste_toets_datum", "2021-03-01", "2021-07-01") >= 900  # spring 2021
    assert 250 <= pace("eerste_toets_datum", "2021-07-01", "2022-01-01") <= 350  # fell at once
    assert 120 <= pace("eerste_toets_datum", "2023-01-01", "2024-01-01") <= 200  # slowly to about 150
    assert pace("forfait_betaald_datum", "2021-03-01", "2021-07-01") >= 900
    assert pace("forfait_betaald_datum", "2021-07-01", "2024-01-01") < 100  # payments nearly stopped
    assert 100 <= pace("integrale_beoordeling_datum", "2021-07-01", "2022-01-01") <= 200
    assert 200 <= pace("integrale_beoordeling_datum", "2022-01-01", "2024-01-01") <= 300  # full reviews sped up
    late = a["eerste_toets_datum"] >= pd.Timestamp("2021-07-01")
    assert (a.loc[late, "eerste_toets_uitkomst"] == "gedupeerd").mean() < 1 / 3
    # The full review is for every parent: many parents not recognised have had theirs.
    reviewed = a["integrale_beoordeling_datum"].notna()
    assert (a.loc[reviewed, "eerste_toets_uitkomst"] == "niet_gedupeerd").mean() > 0.3


@pytest.mark.parametrize("earlier", ["2020-12-31", "2021-03-11", "2021-06-30", "2022-06-30"])
def test_extracts_agree_over_time(full, earlier):
    out, P = full[0], pd.Timestamp(earlier)
    a0, a1 = read(out, "aanmeldingen", earlier), read(out, "aanmeldingen", "2023-12-31")
    cut = a1[a1["aanmelddatum"] <= P].set_index("ouder_id").loc[a0["ouder_id"]]
    for c in A_DATES:
        expected = cut[c].where(cut[c] <= P)
        assert same(expected, a0[c]), c
    outcome = cut["eerste_toets_uitkomst"].where(cut["eerste_toets_datum"] <= P)
    assert same(outcome, a0["eerste_toets_uitkomst"])
    assert (a0["compensatie_bedrag"].astype(float).to_numpy() <= cut["compensatie_bedrag"].astype(float).to_numpy()).all()
    o0, o1 = read(out, "ondersteuning", earlier), read(out, "ondersteuning", "2023-12-31")
    later = o1.set_index("ouder_id").loc[o0["ouder_id"]]
    for c in O_DATES[:2]:
        assert same(later[c].where(later[c] <= P), o0[c]), c


def test_gemeente_shares(full):
    a = read(full[0], "aanmeldingen", "2023-12-31")
    gem = load_gemeenten().set_index("gemeentecode")
    share = a["gemeentecode"].value_counts(normalize=True).reindex(gem.index, fill_value=0)
    ratio = share / (gem["inwoners"] / gem["inwoners"].sum())
    assert 3.0 <= ratio["GM0599"] <= 4.0 and 3.0 <= ratio["GM0034"] <= 4.0
    assert 1.7 <= ratio["GM0363"] <= 2.3 and 1.7 <= ratio["GM0518"] <= 2.3
    small_gem = gem["inwoners"] < 25000
    assert share[small_gem].sum() < 0.7 * (gem.loc[small_gem, "inwoners"].sum() / gem["inwoners"].sum())
    big = gem.index[(gem["inwoners"] > 150000) & ~gem.index.isin(["GM0599", "GM0034", "GM0363", "GM0518"])]
    assert ratio[big].median() > 1.0


def test_life_domains_rates(full):
    o = read(full[0], "ondersteuning", "2023-12-31")
    contacted = o[o["eerste_contact_datum"].notna()]
    rates = (contacted[ONDERSTEUNING_COLS[6:]] == "true").mean()
    assert rates["lg_financien"] == pytest.approx(0.70, abs=0.07)
    assert rates["lg_wonen"] == pytest.approx(0.30, abs=0.07)
    assert rates["lg_financien"] > rates["lg_gezin"] > rates["lg_wonen"]


def test_support_shape(full):
    out = full[0]
    a = read(out, "aanmeldingen", "2023-12-31")
    known = a["gemeentecode"].notna()
    assert 0.80 <= a.loc[known, "gegevens_gedeeld_datum"].notna().mean() <= 0.92
    assert a["gegevens_gedeeld_datum"].min() >= pd.Timestamp("2021-01-01")
    d = read(out, "deelname", "2023-12-31")
    assert 0.02 <= d["aangesloten_datum"].isna().mean() <= 0.06
    assert d["centrumgemeente"].notna().sum() > 20
    statuses = set(read(out, "ondersteuning", "2022-06-30")["status"])
    assert statuses == STATUSES


def test_achtervang_signals(full):
    out = full[0]
    mid = signals(out, "2021-06-30")
    for s in SIGNALS:
        assert mid[s].sum() >= 3, (s, mid.sum().to_dict())
    end = signals(out, "2023-12-31")
    for s in SIGNALS:
        assert end[s].sum() >= 1, (s, end.sum().to_dict())
    assert (~end.any(axis=1)).mean() > 0.70, end.sum().to_dict()
