"""The reusable gemeente map (herstelmonitor.kaart): colour classes, legend, the deck spec and click selection."""
import json

import pandas as pd

from herstelmonitor import kaart


def test_bins_run_from_each_border_up_to_the_next_and_small_values_share_the_first_class():
    values = pd.Series([0, 1, 4, 5, 24, 25, 99, 100, None], index=[f"GM{i:04d}" for i in range(9)])
    klasse, schaal = kaart.klassen(values, [5, 25, 100], kaart.PALET_LAST, "Aangemelde ouders")
    assert list(klasse) == ["minder dan 5"] * 3 + ["5 tot 25"] * 2 + ["25 tot 100"] * 2 + ["100 of meer", "geen gegevens"]
    assert [(k.label, k.aantal) for k in schaal.klassen] == [
        ("minder dan 5", 3), ("5 tot 25", 2), ("25 tot 100", 2), ("100 of meer", 1), ("geen gegevens", 1)]
    # Colours go from light to dark and differ per class.
    kleuren = [k.kleur for k in schaal.klassen[:4]]
    assert len(set(kleuren)) == 4 and kleuren[0] == kaart.PALET_LAST[0] and kleuren[-1] == kaart.PALET_LAST[-1]


def test_a_measure_built_on_few_parents_goes_to_the_grey_class_whatever_its_value():
    pct = pd.Series([100.0, 40.0, 90.0])
    klasse, schaal = kaart.klassen(pct, [50, 85], kaart.PALET_BEREIK, "Bereik", eenheid="%",
                                   te_weinig=pd.Series([True, False, False]), te_weinig_label="minder dan 5 ouders")
    assert list(klasse) == ["minder dan 5 ouders", "minder dan 50%", "85% of meer"]
    assert schaal.kleuren()["minder dan 5 ouders"] == kaart.KLEUR_TE_WEINIG
    assert "geen gegevens" not in schaal.kleuren()  # no gemeente without data: not in the legend


def test_round_class_borders_start_at_the_threshold():
    values = pd.Series([0, 2, 7, 12, 40, 45, 60, 90, 130, 400, 900, 3000])
    # Quartiles of the values from 5 on: 41,25, 75 and 332,5; rounded to 1, 2, 2,5 or 5 x 10^n: 50, 50, 250.
    assert kaart.nette_grenzen(values, 4, ondergrens=5) == [5, 50, 250]
    assert kaart.nette_grenzen(values, 4) == [10, 50, 200]  # all values: quartiles 10,75, 52,5 and 197,5
    assert kaart.kort_getal(2.5) == "2,5" and kaart.kort_getal(1000) == "1.000" and kaart.kort_getal(0.25) == "0,25"


def test_categories_for_yes_no():
    klasse, schaal = kaart.categorieen(pd.Series([True, False, True]),
                                       {True: ("signaal", (200, 0, 0)), False: ("geen signaal", (0, 0, 200))}, "Signaal")
    assert list(klasse) == ["signaal", "geen signaal", "signaal"]
    assert [(k.label, k.aantal) for k in schaal.klassen] == [("signaal", 2), ("geen signaal", 1)]


def test_the_deck_has_no_basemap_a_pickable_fill_and_borders_on_top():
    _, schaal = kaart.klassen(pd.Series([10]), [5], kaart.PALET_LAST, "Ouders")
    frame = pd.DataFrame({"gemeentecode": ["GM0599", "GM0034"], "klasse": ["5 of meer", "minder dan 5"],
                          "t_ouders": ["10", "<5"]})
    deck = kaart.gemeente_kaart(frame, schaal, "<b>{gemeentenaam}</b>: {t_ouders}", geselecteerd=["GM0599"])
    assert deck.map_provider is None
    spec = json.loads(deck.to_json())
    assert "mapProvider" not in spec and not str(spec.get("mapStyle", "")).startswith("http")
    layers = {layer["id"]: layer for layer in spec["layers"]}
    assert list(layers) == [kaart.LAAG_GEMEENTEN, kaart.LAAG_GRENZEN, kaart.LAAG_PROVINCIES, kaart.LAAG_SELECTIE]
    assert [i for i, layer in layers.items() if layer["pickable"]] == [kaart.LAAG_GEMEENTEN]
    features = {f["properties"]["gemeentecode"]: f["properties"] for f in layers[kaart.LAAG_GEMEENTEN]["data"]["features"]}
    assert len(features) == 342
    # Only what the tooltip names (under a short name) and the colour travel with each shape (the class label
    # is in the legend); the tooltip shows the protected text.
    assert deck._tooltip["html"] == "<b>{gemeentenaam}</b>: {a}"
    assert features["GM0034"] == {"gemeentecode": "GM0034", "gemeentenaam": "Almere", "a": "<5",
                                  "kleur": [*kaart.PALET_LAST[0], 220]}
    assert kaart.tooltip_tekst(deck._tooltip["html"], features["GM0599"]) == "<b>Rotterdam</b>: 10"
    assert features["GM0014"]["kleur"] == [*kaart.KLEUR_GEEN_GEGEVENS, 220]  # no row: drawn as "geen gegevens"
    # The border lines are fixed files the browser fetches once (static/), not part of every view.
    assert layers[kaart.LAAG_GRENZEN]["data"] == "app/static/gemeentegrenzen_2023.json"
    assert layers[kaart.LAAG_PROVINCIES]["data"] == "app/static/provinciegrenzen_2023.json"
    # The chosen gemeente is outlined by its own edges, not sent a second time as a shape.
    rotterdam = next(f["geometry"] for f in kaart.gemeenten_geojson()["features"]
                     if f["properties"]["gemeentecode"] == "GM0599")
    assert edges(layers[kaart.LAAG_SELECTIE]["data"]) == edges([{"path": r} for r in kaart._ringen(rotterdam)])


def edges(paths: list[dict]) -> set:
    return {frozenset((tuple(a), tuple(b))) for p in paths for a, b in zip(p["path"], p["path"][1:]) if a != b}


def test_the_outline_of_chosen_gemeenten_leaves_out_the_borders_they_share():
    shapes = {f["properties"]["gemeentecode"]: f["geometry"] for f in kaart.gemeenten_geojson()["features"]}
    ring_edges = {c: edges([{"path": r} for r in kaart._ringen(g)]) for c, g in shapes.items()}
    # Rotterdam and every gemeente it shares a border with: their outline has no edge two of them share.
    buren = [c for c, e in ring_edges.items() if c != "GM0599" and e & ring_edges["GM0599"]]
    assert len(buren) >= 3
    gekozen = ["GM0599", *buren]
    alle = [e for c in gekozen for e in ring_edges[c]]
    buiten = {e for e in alle if alle.count(e) == 1}
    gedeeld = {e for e in alle if alle.count(e) == 2}
    outline = edges([{"path": p} for p in kaart.omtrek(shapes[c] for c in gekozen)])
    assert outline == buiten and gedeeld and not outline & gedeeld
    # Chained: far fewer paths than edges, and every path runs along edges of the outline.
    assert len(kaart.omtrek(shapes[c] for c in gekozen)) < len(outline) / 10


def test_the_clicked_gemeente_is_read_from_the_selection_state():
    # The shape st.pydeck_chart returns for a click on a GeoJSON feature (seen in Chromium).
    event = {"selection": {"indices": {"gemeenten": [96]}, "objects": {"gemeenten": [
        {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": []},
         "properties": {"gemeentecode": "GM0344", "gemeentenaam": "Utrecht"}}]}}}
    assert kaart.gekozen_gemeente(event) == "GM0344"
    assert kaart.gekozen_gemeente({"selection": {"indices": {}, "objects": {}}}) is None
    assert kaart.gekozen_gemeente(None) is None


def test_the_legend_lists_every_class_with_its_count_and_escapes_text():
    schaal = kaart.Schaal("Ouders <regio>", (kaart.Klasse("minder dan 5", (1, 2, 3), 1), kaart.Klasse("5 of meer", (4, 5, 6), 7)))
    html = kaart.legenda(schaal, "Bron: CBS & UHT")
    assert "Ouders &lt;regio&gt;" in html and "Bron: CBS &amp; UHT" in html
    assert "background:rgb(1, 2, 3)" in html and "(1 gemeente)" in html and "(7 gemeenten)" in html
