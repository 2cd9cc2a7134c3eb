"""The simplified gemeente map (herstelmonitor.geometrie): smaller, and neighbours still meet exactly."""
import json
from collections import Counter

from herstelmonitor import geometrie
from herstelmonitor.paths import ROOT


def edges(feature: dict) -> list[tuple]:
    return [(tuple(a), tuple(b)) for polygon in geometrie.rings_of(feature["geometry"]) for ring in polygon
            for a, b in zip(ring, ring[1:] + ring[:1])]


def committed() -> dict:
    return json.loads(geometrie.SHAPES.read_text(encoding="utf-8"))


def test_the_committed_files_are_what_the_simplification_makes():
    source = json.loads(geometrie.SOURCE.read_text(encoding="utf-8"))["features"]
    made = geometrie.simplify(source, geometrie.provincies())
    assert made["gemeenten"] == committed()
    lines = [json.loads((geometrie.STATIC / n).read_text(encoding="utf-8"))
             for n in (geometrie.GEMEENTEGRENZEN, geometrie.PROVINCIEGRENZEN)]
    assert sorted(map(str, lines[0] + lines[1])) == sorted(str({"path": g["pad"]}) for g in made["grenzen"])


def test_every_gemeente_is_kept_with_fewer_points():
    source = json.loads(geometrie.SOURCE.read_text(encoding="utf-8"))["features"]
    shapes = committed()["features"]
    assert [f["properties"] for f in shapes] == [f["properties"] for f in source]
    assert sum(map(len, map(edges, shapes))) < 0.6 * sum(map(len, map(edges, source)))


def test_borders_still_meet():
    # Every edge between two gemeenten is in both of them (once each way round): no gaps, no overlaps.
    # The source has the same property; an edge found once is on the outline of the country.
    def inner_share(features):
        count = Counter(frozenset(e) for f in features for e in edges(f) if e[0] != e[1])
        return sum(n == 2 for n in count.values()), sum(n > 2 for n in count.values())

    shared, more = inner_share(committed()["features"])
    assert more == 0 and shared > 1000
    outline = Counter(frozenset(e) for f in committed()["features"] for e in edges(f))
    lines = [tuple(map(tuple, g["path"])) for n in (geometrie.GEMEENTEGRENZEN, geometrie.PROVINCIEGRENZEN)
             for g in json.loads((geometrie.STATIC / n).read_text(encoding="utf-8"))]
    drawn = Counter(frozenset(e) for path in lines for e in zip(path, path[1:]) if e[0] != e[1])
    assert set(drawn) == {e for e in outline if len(e) == 2}  # the lines are exactly the shapes' edges


def test_a_shared_piece_is_simplified_once_for_both_neighbours():
    # Two squares sharing a wavy border: both keep the same simplified border, reversed.
    wave = [(1.0 + (0.0001 if i % 2 else 0), i / 10) for i in range(11)]
    left = [(0.0, 0.0), *wave, (0.0, 1.0)]
    right = [wave[-1], (2.0, 1.0), (2.0, 0.0), *wave[:-1]]
    features = [{"properties": {"gemeentecode": c}, "geometry": {"type": "Polygon", "coordinates": [[*r, r[0]]]}}
                for c, r in (("GM0001", left), ("GM0002", right))]
    out = geometrie.simplify(features, {"GM0001": "PV1", "GM0002": "PV1"}, tolerance=0.001, decimals=4)
    a, b = ({frozenset(e) for e in edges(f)} for f in out["gemeenten"]["features"])
    assert a & b == {frozenset({wave[0], wave[-1]})}  # the wave became one straight edge, in both
    assert [g["provincie"] for g in out["grenzen"]].count(False) == 1


def test_static_files_are_served_by_the_app():
    config = (ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8")
    assert "enableStaticServing = true" in config
