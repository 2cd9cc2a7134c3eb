"""Deelname gemeenten and the gemeente page: the new measures checked by hand on tests/fixtures/klein,
the provincie and gemeente groupings against the spec's metrics, filters, suppression and exports.

At 2021-06-30 (P2) the support rows of klein are: Rotterdam (GM0599) OU01 afgerond (shared 15-01, contact
20-01, plan 01-02; financien, wonen), OU02 ondersteuning_loopt (15-01, 10-02, plan 01-03; financien, gezin),
OU03 hulp_afgewezen (01-02, contact 01-03), OU04 niet_bereikbaar (01-04), OU05 nog_geen_contact (20-04);
Almere (GM0034) OU06 in_gesprek (10-03, contact 15-05; zorg), OU07 nog_geen_contact (20-03); Groningen
(GM0014) OU09 shared 10-05 without a support row. Reach counts parents shared on or before 2021-05-05.
"""
import io
import shutil
from datetime import date

import pandas as pd
import pytest

from herstelmonitor import db, metrics, queries
from herstelmonitor import deelname as d
from herstelmonitor import gemeente as g
from herstelmonitor.access import Access
from herstelmonitor.export import csv_bytes, xlsx_bytes
from herstelmonitor.paths import GEMEENTEN_CSV
from herstelmonitor.queries import documented_metrics, sql
from tests.conftest import KLEIN, load
from tests.helpers import same

P1, P2 = date(2021, 3, 31), date(2021, 6, 30)
REFERENCE = pd.read_csv(GEMEENTEN_CSV)


OUTSIDER = Access("landelijk", "test")


@pytest.fixture
def con(klein_db):
    c = db.connect(klein_db, read_only=True)
    yield c
    c.close()


@pytest.fixture(scope="module")
def sample_con(sample_db):
    c = db.connect(sample_db, read_only=True)
    yield c
    c.close()


def steun_rows(con, peildatum):
    rows = d.steun(con, peildatum, peildatum)
    return {
        "gemeente": rows[rows["niveau"] == "gemeente"].set_index("gemeente"),
        "provincie": rows[rows["niveau"] == "provincie"].set_index("provincie"),
        "landelijk": rows[rows["niveau"] == "landelijk"].iloc[0],
        "vergelijkbaar": rows[rows["niveau"] == "vergelijkbaar"],
    }


def test_new_measures_per_gemeente_by_hand(con):
    rows = steun_rows(con, P2)["gemeente"]
    rdam = rows.loc["GM0599"]
    # Plan agreed with OU01 and OU02 (OU01 finished since); one running, one finished, one unreachable.
    assert (rdam["plan_van_aanpak"], rdam["ondersteuning_loopt"], rdam["afgerond"], rdam["niet_bereikbaar"]) == (2, 1, 1, 1)
    # In contact: OU01, OU02, OU03. Financien OU01+OU02, wonen OU01, gezin OU02.
    assert (rdam["lg_financien"], rdam["lg_wonen"], rdam["lg_werk"], rdam["lg_zorg"], rdam["lg_gezin"]) == (2, 1, 0, 0, 1)
    assert rdam["lg_financien_pct"] == pytest.approx(200 / 3) and rdam["lg_gezin_pct"] == pytest.approx(100 / 3)
    assert rdam["plan_pct"] == pytest.approx(200 / 3)
    assert (rdam["bereik_basis"], rdam["in_contact"]) == (5, 3)
    # The spec's figures are not repeated on gemeente rows.
    assert pd.isna(rdam["bereik_pct"]) and pd.isna(rdam["doorlooptijd_contact_mediaan"])
    almere = rows.loc["GM0034"]
    assert (almere["plan_van_aanpak"], almere["lg_zorg"], almere["lg_zorg_pct"], almere["bereik_basis"]) == (0, 1, 100, 2)
    # Groningen shared OU09 but reports nothing: no status, no contact, no life domain share.
    gron = rows.loc["GM0014"]
    assert (gron["plan_van_aanpak"], gron["niet_bereikbaar"], gron["in_contact"]) == (0, 0, 0)
    assert pd.isna(gron["lg_financien_pct"])
    # Every gemeente of the reference list has a row, with its size class.
    assert len(rows) == 342
    assert (rdam["klasse"], rows.loc["GM1680", "klasse"], rows.loc["GM0106", "klasse"]) == (3, 1, 2)
    assert rows.loc["GM0034", "gemeentenaam"] == "Almere" and rows.loc["GM0034", "corop"] == "Flevoland"


def test_reach_per_provincie_pooled_over_parents(con):
    prov = steun_rows(con, P2)["provincie"]
    # Zuid-Holland: only Rotterdam has parents; 3 of its 5 shared before 2021-05-05 were reached. Days
    # from sharing to contact 5, 26 and 28: median 26.
    assert prov.loc["Zuid-Holland", "bereik_pct"] == pytest.approx(60)
    assert prov.loc["Zuid-Holland", "doorlooptijd_contact_mediaan"] == 26
    # Flevoland: Almere reached OU06 (66 days), not OU07: 1 of 2.
    assert prov.loc["Flevoland", "bereik_pct"] == pytest.approx(50)
    assert prov.loc["Flevoland", "doorlooptijd_contact_mediaan"] == 66
    # Groningen: OU09 was shared too recently to count for reach.
    assert pd.isna(prov.loc["Groningen", "bereik_pct"]) and prov.loc["Groningen", "bereik_basis"] == 0
    assert prov.loc["Zuid-Holland", "gemeenten"] == 50


def test_national_row_equals_the_spec_metrics(con):
    land = steun_rows(con, P2)["landelijk"]
    spec = metrics.national(con, P2, P2).iloc[0]
    for name in ("bereik_pct", "doorlooptijd_contact_mediaan", "doorlooptijd_contact_p90"):
        assert land[name] == pytest.approx(spec[name])
    assert land["in_contact"] == spec["in_contact"] == 4
    # Financien: OU01 and OU02 of the 4 parents in contact; zorg: OU06.
    assert land["lg_financien_pct"] == pytest.approx(50) and land["lg_zorg_pct"] == pytest.approx(25)


def test_provincie_and_national_rows_equal_the_spec_on_the_sample(sample_con):
    """Same definition, other grouping: the national row equals the spec at every peildatum, and the
    provincie figures are pooled (here checked against sums of the spec's per-gemeente counts)."""
    peildata = metrics.peildata(sample_con)
    rows = d.steun(sample_con, peildata[0], peildata[-1])
    spec = metrics.national(sample_con, peildata[0], peildata[-1])
    land = rows[rows["niveau"] == "landelijk"].set_index("peildatum")
    for name in ("bereik_pct", "doorlooptijd_contact_mediaan", "doorlooptijd_contact_p90"):
        pd.testing.assert_series_equal(land[name].astype(float), spec[name].astype(float), check_names=False,
                                       check_index_type=False, check_freq=False)
    p = peildata[-1]
    per_gem = metrics.per_gemeente(sample_con, p)
    at_p = rows[rows["peildatum"] == pd.Timestamp(p)]
    gem = at_p[at_p["niveau"] == "gemeente"].set_index("gemeente")
    prov = at_p[at_p["niveau"] == "provincie"].set_index("provincie")
    for provincie, group in gem[gem["provincie"].notna()].groupby("provincie"):
        assert prov.loc[provincie, "in_contact"] == per_gem.loc[group.index, "in_contact"].sum()
        # A pooled percentage differs from the mean of the gemeenten's percentages.
        bereikt = (per_gem.loc[group.index, "bereik_pct"].fillna(0) * group["bereik_basis"] / 100).sum()
        assert prov.loc[provincie, "bereik_pct"] == pytest.approx(100 * bereikt / group["bereik_basis"].sum())


def test_peer_group_is_provincie_and_size_class(con):
    groups = steun_rows(con, P2)["vergelijkbaar"]
    zh_big = groups[(groups["provincie"] == "Zuid-Holland") & (groups["klasse"] == 3)].iloc[0]
    # The 8 gemeenten of Zuid-Holland with 100.000 inhabitants or more; only Rotterdam has parents.
    assert zh_big["gemeenten"] == 8
    assert zh_big["bereik_pct"] == pytest.approx(60) and zh_big["lg_financien_pct"] == pytest.approx(200 / 3)


def test_share_of_parents_in_a_joined_gemeente(con):
    table = d.history(con, P1, P2)
    # P1: 7 registered, Rotterdam's 5 in a joined gemeente (joined 2021-02-01), Almere's 2 not.
    assert table.loc[pd.Timestamp(P1), "ouders_in_aangesloten_gemeente"] == 5
    assert table.loc[pd.Timestamp(P1), "ouders_in_aangesloten_gemeente_pct"] == pytest.approx(500 / 7)
    # P2: 12 registered; Rotterdam 5 and Groningen 2 (joined 2021-06-01); Almere, GM9999 and none not.
    assert table.loc[pd.Timestamp(P2), "ouders_in_aangesloten_gemeente"] == 7
    assert table.loc[pd.Timestamp(P2), "ouders_in_aangesloten_gemeente_pct"] == pytest.approx(700 / 12)
    assert list(table["gemeenten_aangesloten"]) == [2, 3]
    assert table.loc[pd.Timestamp(P2), "bereik_pct"] == pytest.approx(400 / 7)


def test_new_measures_are_documented():
    documented = {m.name for m in documented_metrics()}
    for name in ("plan_van_aanpak", "ondersteuning_loopt", "afgerond", "niet_bereikbaar", "plan_pct",
                 "ouders_in_aangesloten_gemeente_pct", *d.LG_PCT, *(f"lg_{k}" for k in d.LEEFGEBIEDEN)):
        assert name in documented
    # No spec metric is documented a second time.
    names = [m.name for m in documented_metrics()]
    assert len(names) == len(set(names))


def test_gemeente_table_joins_spec_metrics_signals_and_new_measures(con):
    gem = d.gemeenten(con, P2)
    assert len(gem.table) == 342 and "onbekend" not in gem.table.index
    rdam = gem.table.loc["GM0599"]
    assert (rdam["gegevens_gedeeld"], rdam["in_contact"], rdam["hulp_afgewezen"], rdam["plan_van_aanpak"]) == (5, 3, 1, 2)
    assert rdam["bereik_pct"] == pytest.approx(60) and rdam["aangesloten"] and rdam["signalen"] == []
    assert not gem.table.loc["GM0034", "aangesloten"]
    # GM9999 and the parent without a code: apart, but in the national totals.
    assert gem.onbekend["aangemeld"] == 2 and gem.national["aangemeld"] == 12


def test_filters(con, monkeypatch):
    gem = d.gemeenten(con, P2)
    zh = d.apply(gem.table, d.Filters(provincie="Zuid-Holland"))
    assert len(zh) == 50 and set(zh["provincie"]) == {"Zuid-Holland"}
    assert list(d.apply(gem.table, d.Filters(zoek="rotter")).index) == ["GM0599"]
    groot = d.apply(gem.table, d.Filters(provincie="Zuid-Holland", klassen=[3]))
    assert len(groot) == 8 and groot["inwoners"].min() >= 100_000
    assert set(d.apply(gem.table, d.Filters(coropen=["Flevoland"])).index) == set(
        REFERENCE.loc[REFERENCE["coropnaam"] == "Flevoland", "gemeentecode"])
    # No signal fires in klein with the default thresholds; with Almere flagged by hand the filter finds it.
    assert d.apply(gem.table, d.Filters(signaal=d.ALLE_SIGNALEN)).empty
    gem.table.at["GM0034", "signalen"] = ["niet_aangesloten"]
    assert list(d.apply(gem.table, d.Filters(signaal="niet_aangesloten")).index) == ["GM0034"]
    assert list(d.apply(gem.table, d.Filters(signaal=d.ALLE_SIGNALEN)).index) == ["GM0034"]
    assert d.apply(gem.table, d.Filters(signaal="laag_bereik")).empty


def test_suppression_and_exact_viewers(con):
    gem = d.gemeenten(con, P2)
    rows = gem.table.loc[["GM0599", "GM0034", "GM0014"]]
    hidden = d.protected(rows, OUTSIDER).set_index("gemeentecode")
    # Rotterdam: 5 shared is shown, 3 in contact is not; reach is 3 reached of 5 parents: the 3 rounds to
    # "<5", so no share (a share from rounded counts); the median days on 3 (hidden); life-domain shares on 3
    # parents in contact (hidden).
    assert hidden.loc["GM0599", "gegevens_gedeeld"] == 5 and hidden.loc["GM0599", "in_contact"] == "<5"
    assert hidden.loc["GM0599", "bereik_pct"] == "-"
    assert hidden.loc["GM0599", "doorlooptijd_contact_mediaan"] == "-"
    assert hidden.loc["GM0599", "lg_financien_pct"] == "-"
    assert hidden.loc["GM0034", "bereik_pct"] == "-" and hidden.loc["GM0034", "gegevens_gedeeld"] == "<5"
    assert hidden.loc["GM0014", "plan_van_aanpak"] == 0  # zero is not a small count
    exact = d.protected(rows, Access("gemeente", "test", "GM0599")).set_index("gemeentecode")
    assert exact.loc["GM0599", "in_contact"] == 3 and exact.loc["GM0599", "doorlooptijd_contact_mediaan"] == 26
    assert exact.loc["GM0034", "in_contact"] == "<5"  # another gemeente stays hidden


def test_table_shows_protected_text_that_sorts_by_value(con):
    gem = d.gemeenten(con, P2)
    shown = d.protected(gem.table.loc[["GM0599", "GM0034", "GM0363"]], OUTSIDER)
    cells, columns = d.display_table(shown, P2)
    texts = cells.set_index("Gemeente").map(lambda v: v.lstrip(d.FIGURE_SPACE))
    rdam = texts.loc["Rotterdam"]
    assert rdam["In contact"] == "<5" and rdam["Gegevens gedeeld"] == "5" and rdam["Bereik na acht weken"] == "-"
    assert rdam["Tijd tot eerste contact (mediaan)"] == "-" and rdam["Signalen"] == "" and rdam["Aangesloten"] == "ja"
    assert rdam["Pagina"] == "gemeente?gemeente=GM0599&peildatum=2021-06-30"
    assert texts.loc["Almere", "Bereik na acht weken"] == "-" and texts.loc["Almere", "Aangesloten"] == "nee"
    assert texts.loc["Rotterdam", "Inwoners"] == "663.900" and texts.loc["Almere", "Inwoners"] == "222.825"
    assert columns["Pagina"]["type_config"]["display_text"] == "Openen"
    # Right-aligned to one width; "<5" counts as one character so that it sorts below the shown numbers.
    assert d.sortable(pd.Series(["<5", "5", "12", "1.234", "-"])) == [
        "\u2007\u2007\u2007\u2007<5", "\u2007\u2007\u2007\u20075", "\u2007\u2007\u200712", "1.234",
        "\u2007\u2007\u2007\u2007-"]


def test_export_is_the_table_as_shown(con):
    gem = d.gemeenten(con, P2)
    shown = d.protected(d.apply(gem.table, d.Filters(provincie="Zuid-Holland")), OUTSIDER)
    frame = d.export_frame(shown)
    assert len(frame) == 50 and list(frame.columns[:4]) == ["Gemeentecode", "Gemeente", "Provincie", "Aangesloten"]
    rdam = frame.set_index("Gemeentecode").loc["GM0599"]
    # Reach 3 of 5: the 3 rounds to "<5", so no share.
    assert rdam["In contact"] == "<5" and rdam["Gegevens gedeeld"] == 5 and rdam["Bereik na acht weken"] == "-"
    assert rdam["Tijd tot eerste contact (mediaan)"] == "-" and rdam["Grootteklasse"] == "≥ 100.000"
    text = csv_bytes(frame).decode("utf-8-sig")
    assert "GM0599;Rotterdam;Zuid-Holland;ja;-;-;" in text  # a lone "-" is no formula: not neutralised
    back = pd.read_excel(io.BytesIO(xlsx_bytes(frame))).set_index("Gemeentecode")
    assert back.loc["GM0599", "In contact"] == "<5" and back.loc["GM0599", "Gegevens gedeeld"] == 5
    assert back.loc["GM0599", "Tijd tot eerste contact (mediaan)"] == "-"


def test_gemeente_history_keeps_the_spec_definitions(sample_con):
    """The gemeente page runs the spec's queries on one gemeente's rows: the same numbers as the spec's
    per-gemeente metrics, at every peildatum."""
    peildata = metrics.peildata(sample_con)
    for code in ("GM0599", "GM0034", "GM1680"):
        hist = g.history(sample_con, code, peildata)
        for p in (peildata[5], peildata[20], peildata[-1]):
            spec = metrics.per_gemeente(sample_con, p).loc[code]
            row = hist.loc[p]
            for name in ("aangemeld", "forfait_betaald", "gegevens_gedeeld", "in_contact", "hulp_afgewezen",
                         "gemeenten_aangesloten", "bereik_pct", "doorlooptijd_contact_mediaan"):
                assert same(row[name], spec[name]), (code, p, name)
        rows = d.steun(sample_con, peildata[-1], peildata[-1])
        own = rows[(rows["niveau"] == "gemeente") & (rows["gemeente"] == code)].iloc[0]
        for name in ("plan_van_aanpak", "afgerond", "niet_bereikbaar", "lg_wonen_pct"):
            assert same(hist.loc[peildata[-1], name], own[name]), (code, name)


def test_gemeente_history_by_hand(con):
    hist = g.history(con, "GM0599", [P1, P2])
    # P1: OU01 plan_van_aanpak (plan 01-02), OU02 in_gesprek, OU03 declined; 5 registered, 3 shared.
    assert list(hist["aangemeld"]) == [5, 5] and list(hist["gegevens_gedeeld"]) == [3, 5]
    assert list(hist["plan_van_aanpak"]) == [1, 2] and list(hist["afgerond"]) == [0, 1]
    empty = g.history(con, "GM0363", [P1, P2])  # joined, but no parents
    assert list(empty["aangemeld"]) == [0, 0] and list(empty["gemeenten_aangesloten"]) == [1, 1]


def test_comparison_protects_the_gemeente_and_its_group(con):
    hist = g.history(con, "GM0599", [P1, P2])
    profiel = g.profile(con, "GM0599", P2)
    national = d.history(con, P1, P2).iloc[-1]
    v = g.comparison(con, "GM0599", P2, hist.iloc[-1], profiel, national, OUTSIDER)
    assert v.gemeente["bereik_pct"] == "-" and v.gemeente["plan_pct"] == "-"  # 3 of 5 reached: the 3 is "<5"
    # The group (8 gemeenten, only Rotterdam with parents) would otherwise reveal Rotterdam's figures.
    assert v.groep["plan_pct"] == "-" and v.groep["doorlooptijd_contact_mediaan"] == "-"
    assert v.land["bereik_pct"] == pytest.approx(400 / 7) and v.land["plan_pct"] == pytest.approx(50)
    assert len(v.groep_namen) == 8 and v.groep_namen[0] == "Alphen aan den Rijn"


def test_profile(con):
    rdam = g.profile(con, "GM0599", P2)
    assert rdam["gemeentenaam"] == "Rotterdam" and list(rdam["centrumgemeente_voor"]) == ["Almere"]
    facts = g.facts(rdam, 3, P2)
    assert "aangesloten sinds 1 februari 2021" in facts and "centrumgemeente voor 1 gemeente" in facts
    almere = g.facts(g.profile(con, "GM0034", P2), 3, P2)
    assert "niet aangesloten bij de gezamenlijke aanpak" in almere and "centrumgemeente: Rotterdam" in almere


def test_size_classes_are_defined_once():
    assert d.size_class_bounds() == [20_000, 50_000, 100_000]
    text = sql("deelname_steun")
    assert "20000" not in text and "$grenzen" in text


def test_history_cache_follows_the_loaded_extracts(con, tmp_path):
    """Figures are cached by one key, the database version plus the definitions (queries.key): a database
    with other extracts gets its own figures."""
    assert list(d.history(con, P1, P2)["gemeenten_aangesloten"]) == [2, 3]
    only_p1 = tmp_path / "p1"
    only_p1.mkdir()
    for f in KLEIN.glob("*_2021-03-31.csv"):
        shutil.copy(f, only_p1)
    other = db.connect(load(only_p1, tmp_path / "p1.duckdb"), read_only=True)
    try:
        assert queries.key(other) != queries.key(con) and queries.key(con)[-1] == queries.definitions()
        assert list(d.history(other, P1, P2)["gemeenten_aangesloten"]) == [2]
    finally:
        other.close()
