"""Buiten de boot: the funnel hand-computed on tests/fixtures/boot (two peildata, four gemeenten).

Every parent of the fixture and where it goes at 2022-06-30 (first way out that applies):
  U1 (no gemeentecode), U2 (GM9999, unknown)        -> not shared, no gemeente known   (2)
  R4 (not shared, Rotterdam reports hulp_afgewezen) -> not shared, help refused        (1)
  R5 (not shared)                                   -> not shared, no reason           (1)
  R8 (shared 1 Feb, no contact; also past the term), G1-G5 (Groningen, shared 1 Jan, no contact)
                                                    -> no contact after 8 weeks        (6)
  R6 (niet_bereikbaar)                              -> unreachable                     (1)
  R7 (contact, then hulp_afgewezen)                 -> help declined, own choice       (1)
  R2 (recognised Apr 2021, no full review, registered Feb 2021)
                                                    -> past the legal term             (1)
  L1, L2 (Almere, not aangesloten), G6 (Groningen: laag_bereik fires, 1 of 6 reached)
                                                    -> gemeente without approach       (3)
  R3 (shared 1 Jun, within 8 weeks)                 -> still within 8 weeks            (1)
  R1, A1, M1 (M1: reported by Rotterdam as unreachable and by Amsterdam in contact: counted once,
  in Amsterdam)                                     -> reached                         (3)
Total 20; out of reach 2 + 1 + 1 + 6 + 1 + 1 + 3 = 15.
"""
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from herstelmonitor import buiten_de_boot as b, db
from herstelmonitor.access import Access
from herstelmonitor.queries import metrics as documented, run
from tests.conftest import load

BOOT = Path(__file__).resolve().parent / "fixtures" / "boot"
P1, P2 = date(2022, 3, 31), date(2022, 6, 30)


@pytest.fixture(scope="module")
def boot_db(tmp_path_factory) -> Path:
    return load(BOOT, tmp_path_factory.mktemp("boot") / "boot.duckdb")


@pytest.fixture
def con(boot_db):
    c = db.connect(boot_db, read_only=True)
    yield c
    c.close()


EXPECTED_P2 = {"bdb_aangemeld": 20, "bdb_geen_gemeente": 2, "bdb_geweigerd": 1, "bdb_niet_gedeeld": 1,
               "bdb_geen_contact": 6, "bdb_niet_bereikbaar": 1, "bdb_hulp_afgewezen": 1, "bdb_over_termijn": 1,
               "bdb_zonder_aanpak": 3, "bdb_nog_binnen_8_weken": 1, "bdb_bereikt": 3, b.BUITEN: 15}
# At 2022-03-31: U1; R5; R8 and G1-G5; R6; R2; G6 (laag_bereik already); R1.
EXPECTED_P1 = {"bdb_aangemeld": 12, "bdb_geen_gemeente": 1, "bdb_geweigerd": 0, "bdb_niet_gedeeld": 1,
               "bdb_geen_contact": 6, "bdb_niet_bereikbaar": 1, "bdb_hulp_afgewezen": 0, "bdb_over_termijn": 1,
               "bdb_zonder_aanpak": 1, "bdb_nog_binnen_8_weken": 0, "bdb_bereikt": 1, b.BUITEN: 11}


def test_national_funnel_counts_each_parent_once_at_the_first_way_out(con):
    land = b.landelijk(b.tabel(con, P1, P2))
    assert land.loc[P2].to_dict() == EXPECTED_P2
    assert land.loc[P1].to_dict() == EXPECTED_P1
    for p in (P1, P2):  # the steps add up to the registered parents
        assert land.loc[p, list(b.KOLOMMEN)].sum() == land.loc[p, "bdb_aangemeld"]


def test_registered_total_is_the_spec_metric_aangemeld(con):
    land = b.landelijk(b.tabel(con, P1, P2))
    spec = run(con, "metrieken_opgeslagen", van=P1, tot=P2)
    national = spec[spec["gemeente"].isna()].set_index("peildatum")["aangemeld"]
    assert [land.loc[p, "bdb_aangemeld"] for p in (P1, P2)] == [national.loc[pd.Timestamp(p)] for p in (P1, P2)]


def test_per_gemeente_and_unknown_residence_apart_but_in_the_totals(con):
    t = b.tabel(con, P1, P2)
    gem = b.per_gemeente(t, P2, b.namen(con))
    assert len(gem) == 342 and b.ONBEKEND not in gem.index
    assert gem.loc["GM0599", ["bdb_aangemeld", "bdb_geweigerd", "bdb_niet_gedeeld", "bdb_geen_contact",
                              "bdb_niet_bereikbaar", "bdb_hulp_afgewezen", "bdb_over_termijn", "bdb_nog_binnen_8_weken",
                              "bdb_bereikt"]].tolist() == [8, 1, 1, 1, 1, 1, 1, 1, 1]
    assert gem.loc["GM0363", ["bdb_aangemeld", "bdb_bereikt"]].tolist() == [2, 2]  # A1 and the moved M1
    assert gem.loc["GM0034", ["bdb_aangemeld", "bdb_zonder_aanpak"]].tolist() == [2, 2]
    assert gem.loc["GM0014", ["bdb_geen_contact", "bdb_zonder_aanpak", b.BUITEN]].tolist() == [5, 1, 6]
    unknown = b.onbekend(t, P2)
    assert unknown["bdb_aangemeld"] == 2 and unknown["bdb_geen_gemeente"] == 2
    assert gem["bdb_aangemeld"].sum() + unknown["bdb_aangemeld"] == EXPECTED_P2["bdb_aangemeld"]
    assert gem[b.BUITEN].sum() + unknown[b.BUITEN] == EXPECTED_P2[b.BUITEN]


def test_steps_with_change_and_trend(con):
    st_ = b.stappen(b.landelijk(b.tabel(con, P1, P2)), P2).set_index("stap")
    assert st_.loc[b.BUITEN, "aantal"] == 15 and st_.loc[b.BUITEN, "verschil"] == 4
    assert st_.loc[b.BUITEN, "pct"] == pytest.approx(75.0)
    assert st_.loc["bdb_zonder_aanpak", "reeks"] == [1, 3]
    assert b.richting(4, "uit") == "slechter" and b.richting(-2, "uit") == "beter" and b.richting(2, "binnen") == "beter"


def test_top_gemeenten_of_a_step_and_suppression_for_a_national_viewer(con):
    t = b.tabel(con, P1, P2)
    gem = b.per_gemeente(t, P2, b.namen(con))
    assert list(b.top(gem, "bdb_geen_contact").index) == ["GM0014", "GM0599"]
    landelijk = Access("landelijk", "test")
    shown = b.beschermd(gem, landelijk)
    regels = b.top_regels(gem, shown, "bdb_geen_contact")
    assert [(r["gemeentenaam"], r["aantal"]) for r in regels] == [("Groningen", "5"), ("Rotterdam", "<5")]
    assert regels[1]["pct"] is None  # a share would give the hidden count away
    # Groningen: 5 of its 6 registered parents; the share from the counts as shown (5 of 6 -> 5): 100%.
    assert regels[0]["pct"] == pytest.approx(100)
    own = b.beschermd(gem, Access("gemeente", "test", "GM0599"))
    assert own.at["GM0599", "bdb_geen_contact"] == 1 and own.at["GM0034", "bdb_zonder_aanpak"] == "<5"
    assert b.onbekend_tekst(b.onbekend(t, P2), landelijk)["bdb_aangemeld"] == "<5"
    assert b.onbekend_tekst(b.onbekend(t, P2), Access("coordinator", "test"))["bdb_aangemeld"] == "2"


def test_past_the_legal_term_uses_the_tempo_definition(con):
    """The Tempo page counts R2, R4, R5 and R8 past the term at 2022-06-30 (registered a year before or
    earlier, no decision); in the funnel R4, R5 and R8 left earlier (refused, not shared, no contact)."""
    tempo = run(con, "tempo_stromen", van=P2, tot=P2, periode="maand", provincie=None, gemeente=None)
    assert int(tempo.iloc[-1]["over_wettelijke_termijn"]) == 4
    assert b.landelijk(b.tabel(con, P2, P2)).loc[P2, "bdb_over_termijn"] == 1


def test_every_step_is_documented():
    names = {m.name for m in documented("buiten_de_boot")}
    assert set(b.KOLOMMEN) | {"bdb_aangemeld", b.BUITEN} == names
    assert all(len(b.definitie(c)) > 30 for c in (*b.KOLOMMEN, b.BUITEN))


def test_the_order_of_gemeenten_tells_no_more_than_the_figures_shown():
    """Delft 12 and Breda 8 both show as 10 to a national viewer, Zwolle 4 and Amsterdam 1 both as '<5': in
    the top list and the table they stand by name, so neither the order nor who makes a top n gives away which
    has more. A viewer with exact rights sees them by their exact counts."""
    gem = pd.DataFrame({"gemeentenaam": ["Zwolle", "Amsterdam", "Breda", "Delft"], "provincienaam": "Test",
                        "bdb_geen_contact": [4, 1, 8, 12], "bdb_aangemeld": [40, 40, 40, 40]},
                       index=pd.Index(["GM0193", "GM0363", "GM0758", "GM0503"], name="gemeentecode"))
    landelijk = b.beschermd(gem, Access("landelijk", "test"))
    regels = b.top_regels(gem, landelijk, "bdb_geen_contact")
    assert [(r["gemeentenaam"], r["aantal"]) for r in regels] == [
        ("Breda", "10"), ("Delft", "10"), ("Amsterdam", "<5"), ("Zwolle", "<5")]
    assert [r["gemeentenaam"] for r in b.top_regels(gem, landelijk, "bdb_geen_contact", n=1)] == ["Breda"]
    assert list(b.volgorde(gem, landelijk, "bdb_geen_contact")) == ["GM0758", "GM0503", "GM0363", "GM0193"]
    exact = b.beschermd(gem, Access("coordinator", "test"))
    assert [r["gemeentenaam"] for r in b.top_regels(gem, exact, "bdb_geen_contact")] == [
        "Delft", "Breda", "Zwolle", "Amsterdam"]
    assert list(b.volgorde(gem, exact, "bdb_geen_contact")) == ["GM0503", "GM0758", "GM0193", "GM0363"]
