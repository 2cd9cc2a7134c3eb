"""Regions and centrumgemeenten (herstelmonitor.regio, queries/regio_*.sql), checked by hand on
tests/fixtures/regio, one peildatum 2021-06-30 (reach counts details shared on or before 2021-05-05):

| gemeente (provincie, COROP)             | parents | shared | contacted (days after sharing)  | joined     | centrum |
| Almere GM0034 (Flevoland, CR40)         | 12      | 12     | 9: 10,20,30,30,30,40,50,60,70   | 2021-02-01 |         |
| Lelystad GM0995 (Flevoland, CR40)       | 6       | 6      | 6: 10,10,15,15,20,20            | no         | GM0034  |
| Dronten GM0303 (Flevoland, CR40)        | 2       | 2      | 2: 5,5                          | 2021-01-15 | GM0034  |
| Groningen GM0014 (Groningen, CR03)      | 8       | 8      | 2: 14,14                        | 2021-01-10 |         |
| Midden-Groningen GM1952 (Groningen, CR03)| 5      | 0      |                                 | 2021-03-01 | GM0014  |
| Oldambt GM1895 (Groningen, CR01)        | 1       | 0      |                                 | no         |         |

So: Almere bereik 9/12 = 75%, median 30 days; Lelystad 100%, 15 days; Dronten and Groningen have fewer than
5 contacted parents (speed does not count), Dronten fewer than 5 for reach too. Signals: Lelystad (not joined,
standstill), Groningen (low reach 2/8, standstill). Flevoland's other three gemeenten have no parents.
"""
from datetime import date

import pandas as pd
import pytest

from herstelmonitor import config, db, queries, regio
from herstelmonitor.access import Access
from herstelmonitor.queries import metrics as documented
from herstelmonitor.paths import CONFIG_FILE
from herstelmonitor.queries import sql, signal_definitions
from tests.conftest import TESTS, load

P = date(2021, 6, 30)


BUITEN, TEAM = Access("landelijk", "test"), Access("coordinator", "test")


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    path = load(TESTS / "fixtures" / "regio", tmp_path_factory.mktemp("regio") / "regio.duckdb")
    c = db.connect(path, read_only=True)
    yield c.cursor()
    c.close()


@pytest.fixture(scope="module")
def basis(con):
    return regio.gemeenten(con, P)


def kandidaten(per_gemeente, viewer):
    if "klein_aangemeld" not in per_gemeente.columns:  # computed from exact input (as the team sees it)
        per_gemeente = per_gemeente.assign(klein_aangemeld=False, klein_bereik=False, klein_contact=False)
    return regio.kandidaten(regio.teksten(per_gemeente, viewer))


def rij(frame, **where):
    mask = pd.Series(True, index=frame.index)
    for col, value in where.items():
        mask &= frame[col] == value
    assert mask.sum() == 1, where
    return frame[mask].iloc[0]


def test_figures_per_gemeente_come_from_the_metrics(basis):
    almere = rij(basis, gemeentecode="GM0034")
    assert (almere.aangemeld, almere.bereik_pct, almere.bereik_basis, almere.doorlooptijd_contact_mediaan, almere.in_contact) == (12, 75.0, 12, 30.0, 9)
    assert almere.aangesloten and almere.aangesloten_sinds.date() == date(2021, 2, 1) and not almere.signaal
    lelystad = rij(basis, gemeentecode="GM0995")
    assert not lelystad.aangesloten and lelystad.signalen == ["niet_aangesloten", "stilstand"]
    assert rij(basis, gemeentecode="GM0014").signalen == ["laag_bereik", "stilstand"]
    # Households with children: round(94.739 households x 42%) for Almere (CBS 2023).
    assert almere.huishoudens_met_kinderen == 39790
    assert len(basis) == 342


def test_region_load_per_provincie(basis):
    _, regios = regio.bereken(regio.indelen(basis, "provincie"), klein=5)
    flevoland = rij(regios, regionaam="Flevoland")
    assert (flevoland.regio_gemeenten, flevoland.regio_ouders, flevoland.grootste_gemeente) == (6, 20, "Almere")
    assert flevoland.aandeel_grootste_pct == pytest.approx(60.0)  # 12 of 20
    assert flevoland.kleine_gemeenten == 4  # Dronten (2) and three gemeenten without parents
    assert flevoland.ouders_met_signaal == 6  # Lelystad
    # 20 parents per 1,000 of 39.790 + 13.611 + 6.568 + 3.733 + 3.780 + 7.554 households with children
    assert flevoland.regio_per_1000_huishoudens_met_kinderen == pytest.approx(20 / 75036 * 1000)
    groningen = rij(regios, regionaam="Groningen")
    assert (groningen.regio_gemeenten, groningen.regio_ouders, groningen.ouders_met_signaal) == (10, 14, 8)
    assert groningen.aandeel_grootste_pct == pytest.approx(800 / 14)
    assert groningen.kleine_gemeenten == 8  # all but Groningen (8) and Midden-Groningen (5)
    assert len(regios) == 12 and regios["regio_gemeenten"].sum() == 342


def test_region_load_per_corop_and_the_small_gemeente_limit(basis):
    _, regios = regio.bereken(regio.indelen(basis, "corop"), klein=6)
    overig = rij(regios, regionaam="Overig Groningen")
    assert (overig.regio_gemeenten, overig.regio_ouders, overig.kleine_gemeenten) == (4, 13, 3)  # 5 < 6 is small
    assert rij(regios, regionaam="Oost-Groningen").regio_ouders == 1
    assert len(regios) == 40


def test_existing_arrangement_groups_each_centrumgemeente_with_the_gemeenten_it_serves(basis):
    ingedeeld = regio.indelen(basis, "bestaand")
    assert set(ingedeeld.loc[ingedeeld["regio"] == "GM0034", "gemeentenaam"]) == {"Almere", "Lelystad", "Dronten"}
    assert set(ingedeeld.loc[ingedeeld["regio"] == "GM0014", "gemeentenaam"]) == {"Groningen", "Midden-Groningen"}
    _, regios = regio.bereken(ingedeeld)
    assert list(regios["regionaam"]) == ["Regio Almere", "Regio Groningen", "Geen regio"]
    geen = rij(regios, regio=regio.GEEN_REGIO)
    assert (geen.regio_gemeenten, geen.regio_ouders) == (337, 1)


def test_score_by_hand_with_the_default_weights(basis):
    per_gemeente, _ = regio.bereken(regio.afgeschermd(regio.indelen(basis, "provincie"), TEAM))
    # Flevoland. Share 60/30/10% -> 1, 0,5, 1/6. Reach 75 and 100 (Dronten: too few) -> 0,75, 1, 0.
    # Speed: fastest median 15 days -> Almere 15/30 = 0,5, Lelystad 1, Dronten too few -> 0. Joined 1, 0, 1.
    # The share counts times the mean of reach and speed: Almere 0,625, Lelystad 1, Dronten 0.
    almere, lelystad, dronten = (rij(per_gemeente, gemeentenaam=n) for n in ("Almere", "Lelystad", "Dronten"))
    assert (almere.punt_aandeel, almere.punt_bereik, almere.punt_snelheid, almere.punt_aangesloten) == pytest.approx((1, 0.75, 0.5, 1))
    assert (lelystad.punt_aandeel, lelystad.punt_bereik, lelystad.punt_snelheid, lelystad.punt_aangesloten) == pytest.approx((0.5, 1, 1, 0))
    assert (dronten.punt_aandeel, dronten.punt_bereik, dronten.punt_snelheid) == pytest.approx((1 / 6, 0, 0))
    assert (almere.kwaliteit, lelystad.kwaliteit, dronten.kwaliteit) == pytest.approx((0.625, 1, 0))
    assert almere.score == pytest.approx(100 * (0.5 * 1 * 0.625 + 0.2 * 0.75 + 0.2 * 0.5 + 0.1 * 1))  # 66,25
    assert lelystad.score == pytest.approx(100 * (0.5 * 0.5 + 0.2 + 0.2))  # 65
    assert dronten.score == pytest.approx(100 * 0.1)  # 10: its share counts for nothing without reach or speed
    assert (almere.score_oud, lelystad.score_oud, dronten.score_oud) == pytest.approx((85, 65, 100 * (0.5 / 6 + 0.1)))
    # Lelystad needs achtervang (not joined, standstill): not proposed, no rank.
    assert (almere.rang, dronten.rang) == (1, 2) and pd.isna(lelystad.rang) and not lelystad.kandidaat
    # Equal scores (no parents): more parents first, then by code: Zeewolde GM0050, Noordoostpolder GM0171, Urk GM0184.
    flevo = per_gemeente[(per_gemeente["regionaam"] == "Flevoland") & per_gemeente["kandidaat"]].sort_values("rang")
    assert list(flevo["gemeentenaam"]) == ["Almere", "Dronten", "Zeewolde", "Noordoostpolder", "Urk"]
    # Groningen: share 8/14, 5/14, 1/14 -> 1, 0,625, 0,125; only Groningen has a reach to count (25% -> 1).
    assert rij(per_gemeente, gemeentenaam="Groningen").score == pytest.approx(100 * (0.5 * 0.5 + 0.2 + 0.1))
    assert rij(per_gemeente, gemeentenaam="Midden-Groningen").score == pytest.approx(100 * 0.1)
    assert rij(per_gemeente, gemeentenaam="Oldambt").score == pytest.approx(0)
    assert rij(per_gemeente, gemeentenaam="Midden-Groningen").rang == 1  # Groningen itself needs achtervang


def test_candidates_never_include_a_gemeente_with_a_signal_unless_asked(basis):
    for indeling in ("provincie", "corop", "bestaand"):
        per_gemeente, _ = regio.bereken(regio.indelen(basis, indeling))
        assert not (per_gemeente["rang"].notna() & per_gemeente["signaal"]).any()
        assert per_gemeente.loc[per_gemeente["signaal"], "rang"].isna().all()
    per_gemeente, _ = regio.bereken(regio.indelen(basis, "provincie"), met_signaal=True)
    kand = kandidaten(per_gemeente, BUITEN)
    lelystad = rij(kand, gemeentenaam="Lelystad")
    assert lelystad.rang == 2 and lelystad.waarschuwing == "heeft zelf achtervang nodig (niet aangesloten, stilstand)"
    assert rij(kand, gemeentenaam="Groningen").rang == 1 and rij(kand, gemeentenaam="Almere").waarschuwing == ""


def test_a_large_share_alone_does_not_outweigh_poor_reach_and_speed(basis):
    heavy_share = regio.Gewichten(aandeel=0.7, bereik=0.15, snelheid=0.15, aangesloten=0)
    per_gemeente, _ = regio.bereken(regio.indelen(basis, "provincie"), heavy_share, met_signaal=True)
    almere, lelystad = (rij(per_gemeente, gemeentenaam=n) for n in ("Almere", "Lelystad"))
    # Without the limit Almere's 60% share wins: 70 + 11,25 + 7,5 = 88,75 against 35 + 15 + 15 = 65.
    assert (almere.score_oud, lelystad.score_oud) == pytest.approx((88.75, 65)) and (almere.rang_oud, lelystad.rang_oud) == (1, 2)
    # With it, Almere's share counts at 0,625: 43,75 + 11,25 + 7,5 = 62,5, and Lelystad (reach 100%, fastest) wins.
    assert (almere.score, lelystad.score) == pytest.approx((62.5, 65)) and (almere.rang, lelystad.rang) == (2, 1)


def test_each_region_says_whether_its_current_centrumgemeente_is_still_the_best(basis):
    per_gemeente, regios = regio.bereken(regio.indelen(basis, "corop"))
    kand = kandidaten(per_gemeente, TEAM)
    tabel = regio.regiotabel(regios, kand, 50).set_index("Regio")
    # Flevoland (CR40): Almere is the centrumgemeente of Lelystad and Dronten, and still the top candidate.
    assert tabel.loc["Flevoland", "Huidige centrumgemeente"] == "Almere"
    assert tabel.loc["Flevoland", "Huidige nog de beste keuze?"] == "ja"
    # Oost-Groningen (CR01): Oldambt, no centrumgemeente. Overig Groningen (CR03): Groningen heads Midden-Groningen
    # but needs achtervang itself.
    assert tabel.loc["Overig Groningen", "Huidige centrumgemeente"] == "Groningen"
    assert tabel.loc["Overig Groningen", "Huidige nog de beste keuze?"] == (
        "nee: topkandidaat is Midden-Groningen; Groningen heeft zelf achtervang nodig (laag bereik, stilstand)")
    assert tabel.loc["Oost-Groningen", "Huidige nog de beste keuze?"].startswith("geen huidige centrumgemeente")


def test_the_weights_decide_the_ranking(basis):
    only_performance = regio.Gewichten(aandeel=0, bereik=1, snelheid=1, aangesloten=0)
    per_gemeente, _ = regio.bereken(regio.indelen(basis, "provincie"), only_performance, met_signaal=True)
    assert rij(per_gemeente, gemeentenaam="Lelystad").score == pytest.approx(100)
    assert rij(per_gemeente, gemeentenaam="Almere").score == pytest.approx(100 * (0.75 + 0.5) / 2)
    assert rij(per_gemeente, gemeentenaam="Lelystad").rang == 1
    with pytest.raises(ValueError):
        regio.bereken(regio.indelen(basis, "provincie"), regio.Gewichten(0, 0, 0, 0))


def test_reasons_are_built_from_the_figures_and_hide_small_counts(basis):
    ingedeeld = regio.indelen(basis, "provincie")
    per_gemeente, regios = regio.bereken(regio.afgeschermd(ingedeeld, BUITEN))
    buiten = kandidaten(per_gemeente, BUITEN)
    # Outside the team every count is rounded to 5 before anything is computed: Almere 12 -> 10, Lelystad
    # 6 -> 5, Dronten 2 -> "<5" (0 in sums), so Flevoland has 15 and its members add up to it; reach from
    # rounded counts: Almere 9 of 12 -> 10 of 10, Lelystad 6 of 6 -> 5 of 5.
    assert rij(regios, regionaam="Flevoland").regio_ouders == 15
    assert rij(buiten, gemeentenaam="Almere").reden == (
        "Almere: 67% van de ouders in de regio, bereik 100%, mediaan 30 dagen tot contact, aangesloten sinds 1 februari 2021")
    assert rij(buiten, gemeentenaam="Lelystad").reden == (
        "Lelystad: 33% van de ouders in de regio, bereik 100%, mediaan 15 dagen tot contact, niet aangesloten")
    dronten = rij(buiten, gemeentenaam="Dronten")
    assert dronten.t_ouders == "<5" and dronten.t_per_1000 == "-" and "10%" not in dronten.reden
    assert dronten.reden.startswith("Dronten: minder dan 5 aangemelde ouders, bereik niet bekend")
    assert rij(buiten, gemeentenaam="Urk").reden.startswith("Urk: geen aangemelde ouders")
    exact, regios = regio.bereken(regio.afgeschermd(ingedeeld, TEAM))
    assert rij(regios, regionaam="Flevoland").regio_ouders == 20
    team = rij(kandidaten(exact, TEAM), gemeentenaam="Dronten")
    assert team.t_ouders == "2" and team.reden.startswith("Dronten: 10% van de ouders in de regio, bereik 100%, mediaan 5 dagen")


def test_what_if_counts_the_gemeenten_and_parents_served(basis):
    per_gemeente, _ = regio.bereken(regio.afgeschermd(regio.indelen(basis, "provincie"), TEAM))
    kand = kandidaten(per_gemeente, BUITEN)
    flevoland = rij(kand, gemeentenaam="Almere").regio
    bediend, totaal = regio.wat_als(kand, flevoland, "GM0034")
    assert set(bediend["gemeentenaam"]) == {"Lelystad", "Dronten", "Urk", "Zeewolde", "Noordoostpolder"}
    assert totaal == {"gemeenten_bediend": 5, "ouders_bediend": 8, "ouders_bediend_signaal": 6, "gemeenten_met_signaal": 1,
                      "regio_ouders": 20}
    _, totaal = regio.wat_als(kand, flevoland, "GM0995")  # Lelystad as centrumgemeente
    assert (totaal["ouders_bediend"], totaal["ouders_bediend_signaal"]) == (14, 0)


def test_meeting_list_takes_the_top_candidate_unless_chosen_otherwise(basis):
    per_gemeente, _ = regio.bereken(regio.afgeschermd(regio.indelen(basis, "provincie"), TEAM))
    kand = kandidaten(per_gemeente, BUITEN)
    flevoland, groningen = rij(kand, gemeentenaam="Almere").regio, rij(kand, gemeentenaam="Groningen").regio
    lijst = regio.keuzelijst(kand, {flevoland: "GM0995", groningen: "GM0034"})  # Almere is not in Groningen: ignored
    assert len(lijst) == 12 and lijst["gemeentenaam"].notna().all()
    flevo = rij(lijst, regio=flevoland)
    assert (flevo.gemeentenaam, flevo.keuze) == ("Lelystad", "eigen keuze (topkandidaat: Almere)")
    assert pd.isna(flevo.rang) and flevo.waarschuwing == "heeft zelf achtervang nodig (niet aangesloten, stilstand)"
    assert (flevo.gemeenten_bediend, flevo.ouders_bediend, flevo.ouders_bediend_signaal) == (5, 14, 0)
    assert flevo.bediende_gemeenten == "Almere, Dronten, Noordoostpolder, Urk, Zeewolde"
    gron = rij(lijst, regio=groningen)  # Groningen needs achtervang: Midden-Groningen is proposed and serves it
    assert (gron.gemeentenaam, gron.keuze, gron.regio_ouders, gron.ouders_bediend_signaal) == (
        "Midden-Groningen", "topkandidaat", 14, 8)
    tabel = regio.keuzetabel(kand, {})
    assert list(tabel.columns[:3]) == ["Regio", "Centrumgemeente", "Keuze"]
    assert rij(tabel, Regio="Flevoland")["Redenen"].startswith("Almere: 60% van de ouders in de regio")


def test_every_documented_regio_measure_is_a_column_of_its_query(basis):
    per_gemeente, regios = regio.bereken(regio.afgeschermd(regio.indelen(basis, "provincie"), TEAM))
    columns = {"regio_gemeenten": set(per_gemeente.columns), "regio_regios": set(regios.columns),
               "regio_basis": set(basis.columns)}
    for name, cols in columns.items():
        names = {m.name for m in documented(name)}
        assert names and names <= cols, (name, names - cols)
        assert "@metric" in sql(name)


# ------------------------------------------------------------------------------------------------ upload

CODES = frozenset({"GM0034", "GM0995", "GM0599", "GM0014"})


def test_a_valid_upload_is_read_with_comma_or_semicolon_and_a_bom():
    frame = regio.lees_indeling(b"gemeentecode,regio\nGM0034,Flevoland\ngm0995 , Flevoland\n", CODES)
    assert frame.to_dict("records") == [{"gemeentecode": "GM0034", "regio": "Flevoland"},
                                       {"gemeentecode": "GM0995", "regio": "Flevoland"}]
    frame = regio.lees_indeling("\ufeffGemeentenaam;Regio;GemeenteCode\nRotterdam;Rijnmond;GM0599\n".encode(), CODES)
    assert frame.to_dict("records") == [{"gemeentecode": "GM0599", "regio": "Rijnmond"}]


def weigering(inhoud: bytes) -> str:
    """The message an upload is refused with."""
    with pytest.raises(regio.IndelingFout) as fout:
        regio.lees_indeling(inhoud, CODES)
    return str(fout.value)


def test_an_upload_without_a_required_column_is_refused_naming_it():
    text = weigering(b"gemeente,regio\nGM0034,Flevoland\n")
    assert "Kolom `gemeentecode` ontbreekt in de kopregel (rij 1)" in text
    assert "`gemeente`, `regio`" in text


def test_an_upload_with_an_unknown_code_is_refused_naming_row_and_column():
    text = weigering(b"gemeentecode,regio\nGM0034,Flevoland\nGM9999,Flevoland\nGM12,Rijnmond\n")
    assert "niet geladen; er is niets veranderd" in text
    assert "rij 3, kolom `gemeentecode`: GM9999 staat niet in de lijst van gemeenten van 2023" in text
    assert "rij 4, kolom `gemeentecode`: 'GM12' is geen gemeentecode" in text


def test_an_upload_with_a_duplicate_or_an_empty_region_or_nothing_is_refused():
    text = weigering(b"gemeentecode,regio\nGM0034,Flevoland\nGM0034,Rijnmond\nGM0599,\n")
    assert "rij 3, kolom `gemeentecode`: GM0034 staat er al in (rij 2)" in text
    assert "rij 4, kolom `regio`: leeg" in text
    assert "leeg" in weigering(b"") and "geen gemeenten" in weigering(b"gemeentecode,regio\n")


def test_an_uploaded_division_puts_unlisted_gemeenten_in_no_region(basis):
    eigen = regio.lees_indeling(b"gemeentecode,regio\nGM0034,Noord\nGM0995,Noord\nGM0014,Zuid\n",
                                frozenset(basis["gemeentecode"]))
    per_gemeente, regios = regio.bereken(regio.indelen(basis, "eigen", eigen))
    assert list(regios["regionaam"]) == ["Noord", "Zuid", "Geen regio"]
    assert list(regios["regio_ouders"]) == [18, 8, 8]  # 34 parents in all
    assert rij(per_gemeente, gemeentenaam="Lelystad").aandeel_regio_pct == pytest.approx(100 / 3)
    assert pd.isna(rij(per_gemeente, gemeentenaam="Dronten").rang)  # no region, no candidate


def test_map_classes_and_tooltips_do_not_reveal_small_counts(basis):
    per_gemeente, _ = regio.bereken(regio.afgeschermd(regio.indelen(basis, "provincie"), BUITEN))
    t = regio.teksten(per_gemeente, BUITEN).set_index("gemeentecode")
    klasse, _, _ = regio.kaart_klassen(t, "aangemeld")
    # Dronten (2), Oldambt (1) and gemeenten without parents share one colour; the tooltip says "<5".
    assert klasse["GM0303"] == klasse["GM1895"] == klasse["GM0184"] == "minder dan 5"
    assert (t.loc["GM0303", "t_ouders"], t.loc["GM0303", "t_per_1000"], t.loc["GM0303", "t_bereik"]) == ("<5", "-", "-")
    assert klasse["GM0034"] != "minder dan 5" and t.loc["GM0034", "t_ouders"] == "10"  # 12, rounded
    per_1000, _, _ = regio.kaart_klassen(t, "per_1000")
    bereik, _, _ = regio.kaart_klassen(t, "bereik")
    assert per_1000["GM0303"] == "minder dan 5 ouders" and bereik["GM0303"] == "minder dan 5 ouders na acht weken"
    # Almere 9 of 12 reached: 10 of 10 from rounded counts; Groningen 2 of 8: "<5" reached, no percentage.
    assert bereik["GM0034"] == "95% of meer" and bereik["GM0014"] == "minder dan 5 ouders na acht weken"
    signaal, _, _ = regio.kaart_klassen(t, "signaal")
    assert signaal[signaal == "minstens één signaal"].index.tolist() == ["GM0014", "GM0995"]


@pytest.fixture
def zes_weken(tmp_path, monkeypatch):
    """The configuration with [bereik] weken and [achtervang] laag_bereik_weken set from 8 to 6."""
    text = CONFIG_FILE.read_text(encoding="utf-8")
    assert "\nweken = 8\n" in text and "\nlaag_bereik_weken = 8\n" in text
    settings = tmp_path / "herstelmonitor.toml"
    settings.write_text(text.replace("\nweken = 8\n", "\nweken = 6\n")
                        .replace("\nlaag_bereik_weken = 8\n", "\nlaag_bereik_weken = 6\n"), encoding="utf-8")
    caches = (config.settings, queries.metrics, queries.module_metrics, queries.catalogue)
    monkeypatch.setattr(config, "CONFIG_FILE", settings)
    for f in caches:
        f.cache_clear()
    yield
    monkeypatch.undo()
    for f in caches:
        f.cache_clear()


def test_texts_that_name_the_weeks_follow_the_config(zes_weken):
    # The Regio map's class for gemeenten with a small reach base (its legend and tooltip).
    klasse, schaal, _ = regio.kaart_klassen(pd.DataFrame({"bereik_pct": [80.0, 50.0], "bereik_basis": [12, 3]}), "bereik")
    assert klasse.tolist() == ["70% tot 85%", "minder dan 5 ouders na zes weken"]
    # The reach figure's name and definition (tiles, the Deelname column and its help).
    m = queries.metric("bereik_pct")
    assert m.label == "Bereik na zes weken" and "minstens zes weken vóór de peildatum" in m.definition
    # The Deelname signal filter's help: the laag_bereik signal's definition with the configured weeks.
    assert "6 weken of langer geleden" in signal_definitions()["laag_bereik"][1].format(**config.achtervang_defaults())
