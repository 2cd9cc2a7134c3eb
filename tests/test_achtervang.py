"""Achtervang: the signals at the edges of their thresholds, since when they fire, the explanations, the
early warning on constructed trends, the exports and the printable summary."""
import io
import re
from datetime import date

import pandas as pd
import pytest
from markupsafe import escape

from herstelmonitor import achtervang as av
from herstelmonitor import db, metrics
from herstelmonitor.access import Access
from herstelmonitor.export import xlsx_bytes
from tests import achtervang_extracts as ex
from tests.conftest import load

P = ex.P


OUTSIDE, TEAM = Access("landelijk", "test"), Access("coordinator", "test")


@pytest.fixture(scope="module")
def randen(tmp_path_factory):
    root = tmp_path_factory.mktemp("randen")
    database = load(ex.write(root / "extracts"), root / "randen.duckdb")
    con = db.connect(database, read_only=True)
    yield con
    con.close()


def fired_at(con, thresholds=None) -> dict[str, set[str]]:
    sig = metrics.signals(con, P, P, thresholds).set_index("gemeentecode")
    return {code: {s for s in metrics.SIGNALS if sig.loc[code, s]} for code in sig.index}


@pytest.mark.parametrize("g", ex.GEMEENTEN, ids=lambda g: f"{g.code} {g.why}")
def test_each_signal_fires_and_stays_quiet_at_the_edges_of_its_threshold(randen, g):
    assert fired_at(randen)[g.code] == g.fires


def test_no_other_gemeente_fires(randen):
    built = {g.code for g in ex.GEMEENTEN}
    assert not any(fired for code, fired in fired_at(randen).items() if code not in built)


def test_changed_thresholds_change_the_list(randen):
    hist = av.history(randen, [P], P, av.defaults())
    default_list = set(av.needs_achtervang(hist, P, av.defaults(), OUTSIDE)["gemeentecode"])
    assert default_list == {g.code for g in ex.GEMEENTEN if g.fires}
    # Reach below 51% now also catches the gemeente at exactly 50%; a 41-day limit the one at exactly 42.
    wider = av.defaults() | {"laag_bereik_max_pct": 51, "trage_start_max_dagen": 41}
    wider_list = set(av.needs_achtervang(av.history(randen, [P], P, wider), P, wider, OUTSIDE)["gemeentecode"])
    assert wider_list == default_list | {"GM0050", "GM0085"}
    # Requiring 6 parents silences the gemeenten built on exactly 5.
    stricter = {k: (6 if k.endswith("min_ouders") else v) for k, v in av.defaults().items()}
    strict_list = set(av.needs_achtervang(av.history(randen, [P], P, stricter), P, stricter, OUTSIDE)["gemeentecode"])
    assert strict_list == {"GM0059"}  # 71 parents, reach 49.3%


def test_sentences_are_built_from_the_gemeentes_own_figures(randen):
    lijst = av.needs_achtervang(av.history(randen, [P], P, av.defaults()), P, av.defaults(), OUTSIDE).set_index("gemeentecode")
    assert lijst.loc["GM0059", "uitleg_laag_bereik"] == \
        "35 van de 70 ouders zijn na acht weken bereikt (50%, uit afgeronde aantallen); de grens is 50%."
    assert lijst.loc["GM0060", "uitleg_laag_bereik"] == "Geen van de 5 ouders is na acht weken bereikt (0%); de grens is 50%."
    assert lijst.loc["GM0037", "uitleg_niet_aangesloten"] == (
        "De gemeente is niet aangesloten bij de gezamenlijke aanpak, terwijl de gegevens van 5 ouders met haar zijn gedeeld.")
    assert lijst.loc["GM0086", "uitleg_trage_start"] == (
        "De helft van de 5 bereikte ouders wachtte 43 dagen of langer op het eerste contact na het delen van de "
        "gegevens; de grens is 42 dagen.")
    # 2021-05-05 is exactly 8 weeks before 2021-06-30.
    assert lijst.loc["GM0093", "uitleg_stilstand"] == (
        "5 ouders hebben een open traject, maar sinds 5 mei 2021 (acht weken vóór de peildatum) is er geen eerste "
        "contact, plan van aanpak of afronding meer geregistreerd; de grens is acht weken.")
    # Ranked by parents affected (shared details): 71 in GM0059 first, then the 8 of GM0060 and GM0074.
    assert list(lijst.index[:3]) == ["GM0059", "GM0060", "GM0074"] and lijst["rang"].tolist() == list(range(1, 9))
    assert lijst.loc["GM0059", "ouders"] == "70"  # 71, rounded to 5 outside the team
    team = av.needs_achtervang(av.history(randen, [P], P, av.defaults()), P, av.defaults(), TEAM).set_index("gemeentecode")
    assert team.loc["GM0059", "uitleg_laag_bereik"] == "35 van de 71 ouders zijn na acht weken bereikt (49,3%); de grens is 50%."
    assert team.loc["GM0059", "ouders"] == "71"


def test_small_counts_in_sentences_and_exports_read_less_than_five_outside_the_team(randen):
    low = av.defaults() | {"niet_aangesloten_min_ouders": 4, "trage_start_min_ouders": 4}
    hist = av.history(randen, [P], P, low)
    outside = av.needs_achtervang(hist, P, low, OUTSIDE).set_index("gemeentecode")
    assert outside.loc["GM0047", "uitleg_niet_aangesloten"] == (
        "De gemeente is niet aangesloten bij de gezamenlijke aanpak, terwijl de gegevens van <5 ouders met haar zijn gedeeld.")
    assert outside.loc["GM0088", "uitleg_trage_start"].startswith("De helft van de <5 bereikte ouders wachtte 60 dagen")
    assert outside.loc["GM0047", "ouders"] == "<5"
    team = av.needs_achtervang(hist, P, low, TEAM).set_index("gemeentecode")
    assert "gegevens van 4 ouders" in team.loc["GM0047", "uitleg_niet_aangesloten"]
    frame = av.export_frame(av.needs_achtervang(hist, P, low, OUTSIDE), P, OUTSIDE).set_index("Gemeentecode")
    assert frame.loc["GM0047", "Getroffen ouders (gegevens gedeeld)"] == "<5"
    assert frame.loc["GM0059", "Getroffen ouders (gegevens gedeeld)"] == 70
    text = " ".join(frame.astype(str).to_numpy().ravel())
    assert not re.search(r"\b[1-4] (ouders|bereikte)", text)


def test_a_hidden_count_hides_the_percentage_that_would_give_it_away():
    row = pd.Series({"ouders_bereik_basis": 30, "ouders_bereikt": 3, "bereik_pct": 10.0})
    assert av.explain("laag_bereik", row, av.defaults(), P, exact=False) == \
        "<5 van de 30 ouders zijn na acht weken bereikt; de grens is 50%."
    assert av.explain("laag_bereik", row, av.defaults(), P, exact=True) == \
        "3 van de 30 ouders zijn na acht weken bereikt (10%); de grens is 50%."


# --- since when: constructed histories --------------------------------------------------------------

PEILDATA = [date(2021, 2, 28), date(2021, 3, 31), date(2021, 4, 30), date(2021, 5, 31), date(2021, 6, 30)]


def history_frame(patterns: dict[str, dict[str, str]], **figures) -> pd.DataFrame:
    """A frame shaped like the signal query: patterns[code][signal] is one letter per peildatum (T fires)."""
    rows = []
    for code, signals in patterns.items():
        for i, p in enumerate(PEILDATA):
            row = {"peildatum": pd.Timestamp(p), "gemeentecode": code, "gemeentenaam": f"Gemeente {code}",
                   "provincienaam": "Utrecht", "aangesloten": True, "ouders_gedeeld": 50, "ouders_bereik_basis": 40,
                   "ouders_bereikt": 30, "bereik_pct": 75.0, "ouders_in_contact": 30, "mediaan_dagen_tot_contact": 20.0,
                   "ouders_open": 30, "laatste_activiteit": pd.Timestamp(p) - pd.Timedelta(days=3)}
            for name, values in figures.get(code, {}).items():
                row[name] = values[i - len(PEILDATA) + len(values)] if i >= len(PEILDATA) - len(values) else row[name]
            for s in metrics.SIGNALS:
                row[s] = signals.get(s, "FFFFF")[i] == "T"
            rows.append(row)
    frame = pd.DataFrame(rows)
    frame["needs"] = frame[list(metrics.SIGNALS)].any(axis=1)
    return frame


def test_since_is_the_start_of_the_current_unbroken_run():
    hist = history_frame({
        "GM0001": {"laag_bereik": "TTFTT", "stilstand": "TTTTT"},
        "GM0002": {"trage_start": "FFFFT"},
        "GM0003": {"laag_bereik": "TTTTF"},
    })
    started = av.since(hist, PEILDATA[-1])
    assert set(started.index) == {"GM0001", "GM0002"}  # GM0003 is quiet now
    assert started.loc["GM0001", "laag_bereik"].date() == date(2021, 5, 31)  # after the quiet 30 April
    assert started.loc["GM0001", "stilstand"].date() == PEILDATA[0]
    assert pd.isna(started.loc["GM0001", "trage_start"])
    assert started.loc["GM0002", "trage_start"].date() == PEILDATA[-1]
    # At an earlier peildatum only the peildata up to it count.
    earlier = av.since(hist, date(2021, 4, 30))
    assert set(earlier.index) == {"GM0001", "GM0003"} and pd.isna(earlier.loc["GM0001", "laag_bereik"])
    assert earlier.loc["GM0003", "laag_bereik"].date() == PEILDATA[0]


def test_since_texts():
    first, p = PEILDATA[0], PEILDATA[-1]
    assert av.since_text(pd.Timestamp(p), first, p) == "nieuw op deze peildatum"
    assert av.since_text(pd.Timestamp(first), first, p) == "al sinds de eerste peildatum in de gegevens (28 februari 2021)"
    assert av.since_text(pd.Timestamp(2021, 4, 30), first, p) == "sinds 30 april 2021"


# --- early warning: constructed trends --------------------------------------------------------------

def test_early_warning_projects_the_trend_of_the_last_three_peildata():
    p = PEILDATA[-1]
    hist = history_frame(
        {code: {} for code in ("GM0001", "GM0002", "GM0003", "GM0004", "GM0005", "GM0006", "GM0007")}
        | {"GM0008": {"stilstand": "FFFFT"}},
        **{
            "GM0001": {"bereik_pct": [70.0, 62.0, 54.0]},              # -8 a peildatum: 46 next time
            "GM0002": {"bereik_pct": [70.0, 66.0, 62.0]},              # 58, 54: stays above 50
            "GM0003": {"bereik_pct": [62.0, 58.0, 54.0]},              # 50 (not below), then 46
            "GM0004": {"mediaan_dagen_tot_contact": [30.0, 36.0, 40.0]},  # +5: 45 > 42
            # 5, 35 and 50 days without activity: +22.5 a peildatum, 72.5 >= 56 next time
            "GM0005": {"laatste_activiteit": [pd.Timestamp(2021, 4, 25), pd.Timestamp(2021, 4, 26), pd.Timestamp(2021, 5, 11)]},
            "GM0006": {"aangesloten": [False] * 5, "ouders_gedeeld": [1, 1, 2, 3, 4]},  # 5 next time
            # falling fast, but the first of the three reach figures rests on 3 parents: no trend
            "GM0007": {"bereik_pct": [90.0, 60.0, 52.0], "ouders_bereik_basis": [3, 6, 8]},
            "GM0008": {"bereik_pct": [70.0, 60.0, 51.0]},              # already fires (stilstand): not listed
        })
    warn = av.early_warning(hist, p, av.defaults(), OUTSIDE)
    got = {(w.gemeentecode, w.signaal): (w.over, round(w.verwacht, 1)) for w in warn.itertuples()}
    assert got == {("GM0001", "laag_bereik"): (1, 46.0), ("GM0003", "laag_bereik"): (2, 46.0),
                   ("GM0004", "trage_start"): (1, 45.0), ("GM0005", "stilstand"): (1, 72.5),
                   ("GM0006", "niet_aangesloten"): (1, 5.0)}
    trend = warn.set_index("gemeentecode")["trend"]
    # Outside the team the shares come from rounded counts (of 40: 28 -> 30, 24.8 -> 25, 21.6 -> 20), without
    # the exact projection.
    assert trend["GM0001"] == ("Het bereik na acht weken daalt (75% → 62,5% → 50% op de laatste drie peildata). Gaat "
                               "dat zo door, dan ligt het bij de volgende peildatum onder de grens van 50%.")
    exact = av.early_warning(hist, p, av.defaults(), TEAM).set_index("gemeentecode")["trend"]
    assert exact["GM0001"] == ("Het bereik na acht weken daalt (70% → 62% → 54% op de laatste drie peildata). Gaat dat "
                               "zo door, dan ligt het bij de volgende peildatum onder de grens van 50% (verwacht 46%).")
    assert "over twee peildata onder de grens van 50%" in trend["GM0003"]
    assert "(30 → 36 → 40 dagen op de laatste drie peildata)" in trend["GM0004"]
    assert "was op 11 mei 2021" in trend["GM0005"] and "(5 → 35 → 50 dagen" in trend["GM0005"]
    assert "groeit (nu <5)" in trend["GM0006"]
    assert "groeit (2 → 3 → 4)" in exact["GM0006"]


def test_early_warning_needs_three_peildata():
    hist = history_frame({"GM0001": {}}, GM0001={"bereik_pct": [70.0, 62.0, 54.0]})
    two = hist[hist["peildatum"] <= pd.Timestamp(PEILDATA[1])]
    assert av.early_warning(two, PEILDATA[1], av.defaults(), OUTSIDE).empty


def test_the_crossing_rules_of_the_early_warning_match_the_signal_query(sample_db):
    """The early warning compares projected figures with the thresholds; at the current figures those
    comparisons must give exactly what queries/signalen.sql gives, for every gemeente and peildatum."""
    con = db.connect(sample_db, read_only=True)
    try:
        peildata = metrics.peildata(con)
        hist = av.figures(av.history(con, peildata, peildata[-1], av.defaults()))
    finally:
        con.close()
    lim = av.limits(av.defaults())
    for t in av.TRENDS:
        ready = ~hist["aangesloten"] if not t.ready else hist[t.ready] >= lim[t.ready_min]
        crossed = hist[t.figure].map(lambda v: bool(pd.notna(v) and av.beyond(v, t, lim[t.threshold])))
        if t.signal == "stilstand":
            crossed |= hist["laatste_activiteit"].isna()  # nothing ever happened: standing still
        assert ((ready & crossed) == hist[t.signal]).all(), t.signal
        assert hist[t.signal].any(), t.signal  # the sample exercises every signal


# --- the sample: national picture, exports, printable summary ---------------------------------------

@pytest.fixture(scope="module")
def sample(sample_db):
    con = db.connect(sample_db, read_only=True)
    peildata = metrics.peildata(con)
    p = date(2021, 6, 30)
    hist = av.history(con, peildata, p, av.defaults())
    lijst = av.needs_achtervang(hist, p, av.defaults(), OUTSIDE)
    warn = av.early_warning(hist, p, av.defaults(), OUTSIDE)
    yield con, peildata, p, hist, lijst, warn
    con.close()


def test_the_national_series_matches_the_overview_count(sample):
    con, peildata, p, hist, _, _ = sample
    series = av.national_series(hist)
    assert [d.date() for d in series.index] == [d for d in peildata if d <= p]
    for d in (peildata[0], p):
        assert series.loc[pd.Timestamp(d), "gemeenten"] == metrics.achtervang_summary(con, d)["gemeenten"]
    lijst = av.needs_achtervang(hist, p, av.defaults(), TEAM)
    assert series.loc[pd.Timestamp(p), "ouders"] == lijst["ouders_gedeeld"].sum()
    assert lijst["ouders_gedeeld"].is_monotonic_decreasing


def test_export_has_one_row_per_gemeente_with_reasons(sample):
    con, peildata, p, hist, lijst, _ = sample
    frame = av.export_frame(lijst, p, OUTSIDE)
    back = pd.read_excel(io.BytesIO(xlsx_bytes(frame)))
    assert len(back) == len(lijst) > 0
    assert list(back["Gemeentecode"]) == list(lijst["gemeentecode"])
    first = back.iloc[0]
    assert first["Peildatum"] == "30-06-2021" and first["Signalen"]
    for s in first["Signalen"].split(", "):
        assert len(first[f"{s}: toelichting"]) > 40 and re.fullmatch(r"\d\d-\d\d-\d{4}", first[f"{s}: sinds"])
    assert not back.astype(str).apply(lambda c: c.str.contains(r"\bOU\d|ouder_id")).any().any()
    assert av.export_name(p, av.defaults()) == "achtervang_2021-06-30"
    assert av.export_name(p, av.defaults() | {"stilstand_weken": 6}) == "achtervang_2021-06-30_eigen-drempels"


def test_printable_summary_is_self_contained_and_names_date_thresholds_and_list(sample):
    con, peildata, p, hist, lijst, warn = sample
    page = av.printable_summary(peildatum=p, thresholds=av.defaults(), lijst=lijst, waarschuwing=warn,
                                series=av.national_series(hist), first=peildata[0])
    assert page.startswith("<!DOCTYPE html>") and '<html lang="nl">' in page
    assert "size: A4" in page and "peildatum <strong>30 juni 2021</strong>" in page
    assert "minder dan 50% van hen bereikt" in page and "standaarddrempels" in page
    for name in lijst["gemeentenaam"]:
        assert str(escape(name)) in page  # autoescaped by the template
    assert not re.search(r"(src|href)=|url\(|@import|<script|<link", page)
    changed = av.defaults() | {"laag_bereik_max_pct": 60}
    page = av.printable_summary(peildatum=p, thresholds=changed, lijst=lijst, waarschuwing=warn,
                                series=av.national_series(hist), first=peildata[0])
    assert "minder dan 60% van hen bereikt" in page and "aangepaste drempels: bereik lager dan (%) 60 (standaard 50)" in page


def test_the_map_marks_the_list_and_the_early_warning(sample):
    con, peildata, p, hist, lijst, warn = sample
    frame = av.map_frame(hist, p, lijst, warn, OUTSIDE)
    assert len(frame) == 342
    status = frame.set_index("gemeentecode")["status"]
    assert set(status[status == "achtervang"].index) == set(lijst["gemeentecode"])
    assert set(status[status == "vroeg"].index) == set(warn["gemeentecode"])
    small = frame[frame["ouders"] == "<5"]
    assert not small.empty and not frame["ouders"].isin(["1", "2", "3", "4"]).any()
    deck, schaal = av.map_deck(frame)
    assert {k.label: k.aantal for k in schaal.klassen}["Achtervang nodig"] == len(lijst)
    assert deck.map_provider is None  # no basemap, no outside request


def test_the_filter_narrows_the_early_warning_and_counts_only_its_signals():
    warn = pd.DataFrame({"gemeentecode": ["GM1", "GM2", "GM3"], "provincienaam": ["Zeeland", "Zeeland", "Drenthe"],
                         "signaal": ["laag_bereik", "stilstand", "laag_bereik"]})
    f = av.Filter(("Zeeland",), ("laag_bereik",))
    assert list(f.waarschuwing(warn)["gemeentecode"]) == ["GM1"]
    assert f.tekst() == "provincie: Zeeland; signaal: Laag bereik" and f.slug() == "_zeeland_laag-bereik"
    assert av.Filter().tekst() == "geen (alle provincies, alle signalen)" and av.Filter().slug() == ""
    hist = pd.DataFrame({"peildatum": [pd.Timestamp(P)] * 3, "gemeentecode": ["GM1", "GM2", "GM3"],
                         "provincienaam": ["Zeeland", "Zeeland", "Drenthe"], "ouders_gedeeld": [10, 20, 40],
                         "niet_aangesloten": [False] * 3, "laag_bereik": [True, False, True],
                         "trage_start": [False] * 3, "stilstand": [False, True, False],
                         "niet_geholpen": [False] * 3})
    series = av.national_series(f.history(hist.assign(needs=hist[list(av.SIGNALS)].any(axis=1))))
    row = series.iloc[0]
    # In Zeeland only GM1 has the chosen signal; GM2's stilstand is outside the filter.
    assert (row["gemeenten"], row["gemeenten_totaal"], row["ouders"], row["ouders_totaal"]) == (1, 2, 10, 30)
    assert row["stilstand"] == 0


def test_the_list_order_tells_no_more_than_the_counts_shown():
    """Gemeenten with 12 and 8 parents both show 10 to a national viewer; 4 and 1 both '<5': by name then."""
    out = pd.DataFrame({"gemeentecode": ["GM0193", "GM0363", "GM0758", "GM0503"],
                        "gemeentenaam": ["Zwolle", "Amsterdam", "Breda", "Delft"], "ouders_gedeeld": [4, 1, 8, 12],
                        "aantal_signalen": 1})
    landelijk = av.zichtbaar_gesorteerd(out, Access("landelijk", "test"), ["aantal_signalen", "gemeentenaam"], [False, True])
    assert list(landelijk["gemeentenaam"]) == ["Breda", "Delft", "Amsterdam", "Zwolle"]
    exact = av.zichtbaar_gesorteerd(out, Access("coordinator", "test"), ["aantal_signalen", "gemeentenaam"], [False, True])
    assert list(exact["gemeentenaam"]) == ["Delft", "Breda", "Zwolle", "Amsterdam"]
    # A gemeente user sees its own count exactly (Zwolle 4 above Amsterdam's '<5'), the others rounded.
    own = av.zichtbaar_gesorteerd(out, Access("gemeente", "test", "GM0363"), ["aantal_signalen", "gemeentenaam"], [False, True])
    assert list(own["gemeentenaam"]) == ["Breda", "Delft", "Zwolle", "Amsterdam"]
