"""Maps of the 342 gemeenten: a pydeck choropleth without a basemap, with a legend drawn by Streamlit.

Reusable by every page that colours gemeenten (Regio's, Achtervang). The steps:

1. Put each gemeente in a colour class (the caller decides what a class means):
   - `klassen(values, grenzen, palet, titel, ...)` for a number cut into bins, e.g. registered parents;
   - `categorieen(values, {value: (label, colour)}, titel)` for categories, e.g. achtervang signal yes/no.
   Both return (the class label per gemeente, a `Schaal`: the ordered classes with colour and count).
2. `gemeente_kaart(frame, schaal, tooltip)` -> pydeck Deck. `frame` has one row per gemeente with
   `gemeentecode`, `klasse` (a label of the scale) and any text columns the tooltip names; the tooltip is
   an HTML template with `{column}` placeholders (`{gemeentenaam}` is always there). Gemeenten without a
   row are drawn as "geen gegevens". Province borders are drawn on top; `geselecteerd` codes get a thick
   outline. Draw with `st.pydeck_chart(deck, on_select="rerun", key=...)` and read the clicked gemeente
   with `gekozen_gemeente(event)`.
3. `toon_legenda(schaal)` draws the legend (pydeck has none) as HTML under or beside the map.

Privacy: tooltip texts must already have passed privacy.protect() (counts below 5 as "<5"); colour
classes must not reveal a small count either: put every value below the threshold in one class (make
the threshold the first bin border, or pass `te_weinig` for measures built on a small count).

No basemap: `map_provider=None` with map_style left unset draws on a plain background and makes no
outside request (setting map_style to None or to an empty string makes Streamlit fetch one). Never call
to_html() or show().
"""
import html
import json
import math
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
import pydeck as pdk
import streamlit as st
from pydeck.bindings.json_tools import default_serialize

from herstelmonitor import geometrie
from herstelmonitor.format import getal

RGB = tuple[int, int, int]

# Layer ids: st.pydeck_chart's selection is reported per layer id.
LAAG_GEMEENTEN = "gemeenten"
LAAG_GRENZEN = "gemeentegrenzen"
LAAG_PROVINCIES = "provincies"
LAAG_SELECTIE = "selectie"

# Sequential 9-class palettes (ColorBrewer, readable for most colour-blind viewers), light to dark; a scale
# with fewer classes takes colours spread evenly over them.
PALET_LAST: tuple[RGB, ...] = ((255, 255, 204), (255, 237, 160), (254, 217, 118), (254, 178, 76), (253, 141, 60),
                               (252, 78, 42), (227, 26, 28), (189, 0, 38), (128, 0, 38))  # YlOrRd: more = heavier
PALET_BEREIK: tuple[RGB, ...] = ((255, 247, 251), (236, 231, 242), (208, 209, 230), (166, 189, 219), (116, 169, 207),
                                 (54, 144, 192), (5, 112, 176), (4, 90, 141), (2, 56, 88))  # PuBu: more = better
KLEUR_TE_WEINIG: RGB = (189, 189, 189)
KLEUR_GEEN_GEGEVENS: RGB = (240, 240, 240)
GEEN_GEGEVENS = "geen gegevens"
# Zoom 6.0: the whole country (about 355 x 490 px) fits a phone's width (390 px screen) as well as a desktop
# column; 6.35 cut off Zeeland and the east at 390 px. Users zoom in with pinch, wheel or the keyboard.
NEDERLAND = pdk.ViewState(latitude=52.2, longitude=5.3, zoom=6.0, min_zoom=5, max_zoom=11)


@dataclass(frozen=True)
class Klasse:
    label: str
    kleur: RGB
    aantal: int = 0  # gemeenten in this class


@dataclass(frozen=True)
class Schaal:
    """A colour scale as the legend shows it: a title and the classes in order."""
    titel: str
    klassen: tuple[Klasse, ...]

    def kleuren(self) -> dict[str, RGB]:
        return {k.label: k.kleur for k in self.klassen}


@st.cache_resource(show_spinner=False)
def gemeenten_geojson() -> dict:
    """The 342 gemeente polygons of 2023, simplified so that neighbours still meet (herstelmonitor.geometrie);
    properties gemeentecode, gemeentenaam. Shared by every session: never modify."""
    with open(geometrie.SHAPES, encoding="utf-8") as f:
        return json.load(f)


def static_url(name: str) -> str:
    """The address of a file in static/ as the browser fetches it, relative to the page (Streamlit serves
    static/ at app/static/; relative, so it also works behind a proxy under a path)."""
    return f"app/static/{name}"


def kort_getal(x: float) -> str:
    """A class border in Dutch notation with only the decimals it needs: 25, 2,5, 0,25."""
    for decimals in range(3):
        if abs(x * 10 ** decimals - round(x * 10 ** decimals)) < 1e-9:
            return getal(x, decimals)
    return getal(x, 2)


def nette_grenzen(values: pd.Series, aantal: int = 5, ondergrens: float | None = None) -> list[float]:
    """Round class borders near the quantiles of `values` (1, 2, 2,5, 5 times a power of ten).
    With `ondergrens`, that is the first border and only values from it on are cut: the class below it
    holds every smaller value (use the small-count threshold so that class cannot reveal a count)."""
    v = pd.to_numeric(values, errors="coerce").dropna()
    if ondergrens is not None:
        v = v[v >= ondergrens]
    grenzen = [] if ondergrens is None else [float(ondergrens)]
    if v.empty:
        return grenzen
    for q in v.quantile([i / aantal for i in range(1, aantal)]).tolist():
        if q <= 0:
            continue
        macht = 10 ** math.floor(math.log10(q))
        rond = min((f * macht for f in (1, 2, 2.5, 5, 10)), key=lambda c: abs(c - q))
        if not grenzen or rond > grenzen[-1]:
            grenzen.append(rond)
    return grenzen


def _palet(palet: Sequence[RGB], n: int) -> list[RGB]:
    """n colours spread evenly over a palette (one class: the middle colour)."""
    return [palet[round(i * (len(palet) - 1) / max(n - 1, 1)) if n > 1 else len(palet) // 2] for i in range(n)]


def klassen(values: pd.Series, grenzen: Sequence[float], palet: Sequence[RGB], titel: str,
            eenheid: str = "", te_weinig: pd.Series | None = None,
            te_weinig_label: str = "te weinig ouders") -> tuple[pd.Series, Schaal]:
    """Bin a measure: classes "minder dan g0", "g0 tot g1", ..., "gN of meer" (each from its lower
    border up to, not including, the next). Rows where `te_weinig` is True go to one grey class whatever
    their value (a measure built on fewer than 5 parents); missing values to "geen gegevens"."""
    v = pd.to_numeric(values, errors="coerce")
    grenzen = list(grenzen)
    labels = ([f"minder dan {kort_getal(grenzen[0])}{eenheid}"]
              + [f"{kort_getal(a)}{eenheid} tot {kort_getal(b)}{eenheid}" for a, b in zip(grenzen, grenzen[1:])]
              + [f"{kort_getal(grenzen[-1])}{eenheid} of meer"]) if grenzen else [f"alle waarden{eenheid}"]
    index = np.searchsorted(np.asarray(grenzen, dtype=float), v.fillna(-math.inf).to_numpy(float), side="right")
    klasse = pd.Series(np.asarray(labels, dtype=object)[index], index=v.index)
    klasse[v.isna()] = GEEN_GEGEVENS
    kleuren = list(zip(labels, _palet(palet, len(labels))))
    if te_weinig is not None:
        klasse[te_weinig.reindex(v.index).fillna(False).astype(bool)] = te_weinig_label
        kleuren.append((te_weinig_label, KLEUR_TE_WEINIG))
    kleuren.append((GEEN_GEGEVENS, KLEUR_GEEN_GEGEVENS))
    return klasse, _schaal(titel, kleuren, klasse)


def categorieen(values: pd.Series, indeling: Mapping[object, tuple[str, RGB]], titel: str) -> tuple[pd.Series, Schaal]:
    """Classes for categories: `indeling` maps each value to (label, colour), in legend order.
    Values not in `indeling` (and missing ones) become "geen gegevens"."""
    labels = {value: label for value, (label, _) in indeling.items()}
    klasse = values.map(labels).astype(object).where(values.isin(list(labels)), GEEN_GEGEVENS)
    kleuren = list(dict(indeling.values()).items()) + [(GEEN_GEGEVENS, KLEUR_GEEN_GEGEVENS)]
    return klasse, _schaal(titel, kleuren, klasse)


def _schaal(titel: str, kleuren: list[tuple[str, RGB]], klasse: pd.Series) -> Schaal:
    tellingen = klasse.value_counts()
    return Schaal(titel, tuple(Klasse(label, kleur, int(tellingen.get(label, 0))) for label, kleur in kleuren
                               if label != GEEN_GEGEVENS or tellingen.get(label, 0)))


class _CompactDeck(pdk.Deck):
    """pydeck's to_json pretty-prints (indent=2): 2 MB and ~0.1 s for the gemeente polygons on every
    rerun. The same spec without indentation is a fifth of the size and five times faster."""

    def to_json(self) -> str:
        return json.dumps(self, sort_keys=True, default=default_serialize, separators=(",", ":"))


def gemeente_kaart(frame: pd.DataFrame, schaal: Schaal, tooltip: str, geselecteerd: Iterable[str] = (),
                   doorzichtig: int = 220) -> pdk.Deck:
    """A map of the gemeenten coloured by `frame["klasse"]` (labels of `schaal`), one row per gemeentecode.
    `tooltip`: HTML with `{column}` placeholders for columns of `frame` (and gemeentenaam); Streamlit
    escapes the values. Columns the tooltip does not name are not sent. Layer ids: LAAG_GEMEENTEN (fill, pickable), LAAG_GRENZEN, LAAG_PROVINCIES, LAAG_SELECTIE."""
    kleuren = schaal.kleuren()
    rijen = frame.drop_duplicates("gemeentecode").set_index("gemeentecode")
    # Only what the tooltip shows travels with the shapes (and the class): the rest would be sent for nothing.
    velden = [c for c in rijen.columns if c != "gemeentenaam" and (c == "klasse" or f"{{{c}}}" in tooltip)]
    records = rijen[velden].astype(object).where(rijen[velden].notna(), "").to_dict("index")
    # The tooltip's fields travel under short names (a, b, ...): with 342 shapes, the long column names were
    # about a tenth of a map's bytes. The tooltip template is rewritten to match.
    kort = {c: _kort_veld(i) for i, c in enumerate(c for c in velden if c != "klasse")}
    for c, k in kort.items():
        tooltip = tooltip.replace(f"{{{c}}}", f"{{{k}}}")
    records = {code: {kort.get(c, c): v for c, v in r.items()} for code, r in records.items()}
    gekozen = set(geselecteerd)
    features, selectie = [], []
    for f in gemeenten_geojson()["features"]:
        props = dict(f["properties"])
        props.update(records.get(props["gemeentecode"], {"klasse": GEEN_GEGEVENS}))
        klasse = props["klasse"] if "{klasse}" in tooltip else props.pop("klasse")  # the colour says it
        props["kleur"] = [*kleuren.get(klasse, KLEUR_GEEN_GEGEVENS), doorzichtig]
        features.append({"type": "Feature", "geometry": f["geometry"], "properties": props})
        if props["gemeentecode"] in gekozen:
            selectie.append(f["geometry"])
    # The pickable layer is fill only: picking also renders every pickable sublayer, and the border lines
    # made a click take over 0.25 s in software rendering (a VDI desktop, headless Chromium), too slow for
    # deck.gl to count it as a click. The borders are a separate layer that is not picked; no auto-highlight
    # (it redraws on every mouse move; the tooltip shows what the pointer is on).
    # The border lines are the same for every map, session and data version: the browser fetches them once
    # by their address instead of receiving them with every view. They are not pickable. Widths: 0 metres,
    # so the minimum in pixels applies (pydeck would turn a width_units string into an expression).
    lagen = [
        pdk.Layer("GeoJsonLayer", {"type": "FeatureCollection", "features": features}, id=LAAG_GEMEENTEN,
                  pickable=True, stroked=False, filled=True, get_fill_color="properties.kleur"),
        pdk.Layer("PathLayer", static_url(geometrie.GEMEENTEGRENZEN), id=LAAG_GRENZEN, pickable=False,
                  get_path="path", get_color=[255, 255, 255, 220], get_width=0, width_min_pixels=0.6),
        pdk.Layer("PathLayer", static_url(geometrie.PROVINCIEGRENZEN), id=LAAG_PROVINCIES, pickable=False,
                  get_path="path", get_color=[60, 60, 60, 255], get_width=0, width_min_pixels=1.6),
        # The chosen gemeenten's outer outline only (their shared borders cancel out), not their shapes again.
        pdk.Layer("PathLayer", [{"path": p} for p in omtrek(selectie)], id=LAAG_SELECTIE, pickable=False,
                  get_path="path", get_color=[21, 66, 115, 255], get_width=0, width_min_pixels=3.5),
    ]
    return _CompactDeck(
        layers=lagen, initial_view_state=NEDERLAND, map_provider=None,
        tooltip={"html": tooltip, "style": {"backgroundColor": "#ffffff", "color": "#1a1a1a", "fontSize": "13px",
                                            "border": "1px solid #999", "padding": "6px 8px"}},
    )


def _kort_veld(i: int) -> str:
    """A short property name for the i-th tooltip field: a..z, then a0, b0, ..."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    return letters[i % 26] + (str(i // 26 - 1) if i >= 26 else "")


def _ringen(geometry: dict) -> list:
    if geometry["type"] == "Polygon":
        return geometry["coordinates"]
    return [ring for polygon in geometry["coordinates"] for ring in polygon]


def omtrek(geometrieen: Iterable[dict]) -> list[list[list[float]]]:
    """The outline of a set of gemeente shapes as paths: every edge that is not shared by two of them (the
    simplified shapes keep shared borders identical, see herstelmonitor.geometrie, so a border between two
    chosen gemeenten cancels out). Edges are chained into paths where they meet."""
    telling: dict[tuple, int] = {}
    for geometry in geometrieen:
        for ring in _ringen(geometry):
            for a, b in zip(ring, ring[1:]):
                if a != b:
                    rand = (tuple(a), tuple(b)) if tuple(a) <= tuple(b) else (tuple(b), tuple(a))
                    telling[rand] = telling.get(rand, 0) + 1
    buren: dict[tuple, list[tuple]] = {}
    for (a, b), n in telling.items():
        if n == 1:
            buren.setdefault(a, []).append(b)
            buren.setdefault(b, []).append(a)
    paden = []
    # Start at points where paths end or branch (not two neighbours), then walk the closed loops left over.
    starts = [p for p, n in buren.items() if len(n) != 2] + list(buren)
    for start in starts:
        while buren.get(start):
            pad, punt = [start], start
            while buren.get(punt):
                volgende = buren[punt].pop()
                buren[volgende].remove(punt)
                pad.append(volgende)
                punt = volgende
                if punt == start:
                    break
            paden.append([list(p) for p in pad])
    return paden


def tooltip_tekst(tooltip: str, properties: Mapping) -> str:
    """The tooltip as shown for one shape: each `{field}` of the deck's template filled from the shape's
    properties, as Streamlit's map does."""
    import re
    return re.sub(r"\{(\w+)\}", lambda m: str(properties.get(m.group(1), "")), tooltip)


def gekozen_gemeente(event) -> str | None:
    """The gemeentecode clicked on a map drawn with st.pydeck_chart(..., on_select=...), or None."""
    try:
        gekozen = event["selection"]["objects"].get(LAAG_GEMEENTEN) or []
    except (KeyError, TypeError, AttributeError):
        return None
    for obj in gekozen:
        code = (obj.get("properties") or obj).get("gemeentecode") if isinstance(obj, dict) else None
        if code:
            return code
    return None


def legenda(schaal: Schaal, toelichting: str = "") -> str:
    """The legend as HTML: a swatch, the label and the number of gemeenten per class."""
    regels = "".join(
        f'<div style="display:flex;align-items:center;gap:.5rem;margin:.1rem 0">'
        f'<span style="display:inline-block;width:1.1rem;height:1.1rem;flex:none;border:1px solid #8c8c8c;'
        f'background:rgb{k.kleur}"></span><span>{html.escape(k.label)}'
        f' <span style="color:#6b6b6b">({k.aantal} {"gemeente" if k.aantal == 1 else "gemeenten"})</span></span></div>'
        for k in schaal.klassen)
    extra = f'<div style="color:#6b6b6b;font-size:.85rem;margin-top:.3rem">{html.escape(toelichting)}</div>' if toelichting else ""
    return (f'<div class="kaart-legenda" style="font-size:.9rem;line-height:1.3">'
            f'<div style="font-weight:600;margin-bottom:.25rem">{html.escape(schaal.titel)}</div>{regels}{extra}</div>')


def toon_legenda(schaal: Schaal, toelichting: str = "") -> None:
    st.markdown(legenda(schaal, toelichting), unsafe_allow_html=True)
