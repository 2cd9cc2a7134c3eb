"""The gemeente map, simplified once so that borders still meet: `python -m herstelmonitor.geometrie`.

The reference polygons (data/reference/gemeenten_2023.geojson) carry every border twice, once in each
neighbour's ring. Simplifying each polygon on its own would move the two copies differently and open
gaps. Here every ring is cut at the junctions (points where a shared border starts or ends),
each piece between junctions is simplified once (Douglas-Peucker, in one canonical direction) and both
neighbours use that same simplified piece. Written (and committed):

- data/reference/gemeenten_2023_kaart.geojson: the simplified polygons (properties gemeentecode,
  gemeentenaam), filled in the colour of each gemeente's class; they travel inline with every map;
- static/gemeentegrenzen_2023.json and static/provinciegrenzen_2023.json: every border piece once, as a
  path (`{"path": [[lon, lat], ...]}`); a piece is a province border where it separates two provinces or
  lies on the outline of the country. The shapes never change, so the maps name these files by their
  address (Streamlit's static serving) and the browser fetches them once instead of with every view; the
  lines meet the filled shapes exactly.

Pure Python (no native geometry library); run again only when the reference polygons change.
"""
import csv
import json
import math
from collections import defaultdict
from pathlib import Path

from herstelmonitor.paths import GEMEENTEN_CSV, REFERENCE, ROOT

SOURCE = REFERENCE / "gemeenten_2023.geojson"
SHAPES = REFERENCE / "gemeenten_2023_kaart.geojson"
STATIC = ROOT / "static"  # served by Streamlit at app/static/ (server.enableStaticServing)
GEMEENTEGRENZEN = "gemeentegrenzen_2023.json"
PROVINCIEGRENZEN = "provinciegrenzen_2023.json"
# Degrees (about 550 m north-south, 340 m east-west here): a third of a pixel on the national map (zoom 6
# to 7: 1 to 2 km per pixel), a pixel or two when zoomed in on a province; the reference polygons are
# already simplified for national maps, so more detail would only make every map view heavier.
TOLERANCE = 0.005
DECIMALS = 3  # about 110 m north-south, 70 m east-west

Point = tuple[float, float]


def rings_of(geometry: dict) -> list[list[list[Point]]]:
    """Polygons of a (Multi)Polygon as lists of rings without the closing point."""
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    return [[[tuple(p) for p in ring[:-1]] for ring in polygon] for polygon in polygons]


def douglas_peucker(points: list[Point], tolerance: float) -> list[Point]:
    """The points of an open path that stay when each dropped point is within `tolerance` of the kept line."""
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        norm = math.hypot(dx, dy)
        best, index = -1.0, -1
        for i in range(first + 1, last):
            x, y = points[i]
            d = abs(dy * (x - x1) - dx * (y - y1)) / norm if norm else math.hypot(x - x1, y - y1)
            if d > best:
                best, index = d, i
        if index > 0 and best > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep) if k]


class Topology:
    """Rings cut at their junctions into pieces that are shared between neighbours."""

    def __init__(self, rings: list[list[Point]]):
        self.rings = rings
        self.members: dict[Point, set[int]] = defaultdict(set)
        for r, ring in enumerate(rings):
            for p in ring:
                self.members[p].add(r)
        self.junctions = self._junctions()

    def _junctions(self) -> set[Point]:
        """Points whose two neighbours are not the same in every ring they are on: where a shared border
        starts or ends. One global set, so every ring sharing a border cuts it at the same points."""
        around: dict[Point, set[frozenset]] = defaultdict(set)
        for ring in self.rings:
            n = len(ring)
            for i, p in enumerate(ring):
                around[p].add(frozenset((ring[i - 1], ring[(i + 1) % n])))
        return {p for p, pairs in around.items() if len(pairs) > 1}

    def pieces(self, ring: list[Point]) -> list[list[Point]]:
        """The ring as consecutive open paths from junction to junction (first and last points shared).
        A ring without junctions (an island, or an enclave inside one neighbour) is cut at its smallest
        point and the point farthest from it, which both copies of such a ring agree on."""
        cuts = [i for i, p in enumerate(ring) if p in self.junctions]
        if len(cuts) < 2:
            start = ring.index(min(ring))
            far = max(range(len(ring)), key=lambda i: (math.dist(ring[i], ring[start]), ring[i]))
            cuts = sorted({start, far})
        n = len(ring)
        return [[ring[k % n] for k in range(a, (b if b > a else b + n) + 1)]
                for a, b in zip(cuts, cuts[1:] + cuts[:1])]

    def sides(self, piece: list[Point]) -> set[int]:
        """The rings a piece belongs to (its interior points, or its ends for a two-point piece)."""
        inner = piece[1:-1] or piece
        return set.intersection(*(self.members[p] for p in inner)) or self.members[inner[0]]


def canonical(piece: list[Point]) -> tuple[tuple[Point, ...], bool]:
    """A piece in one fixed direction, and whether it was reversed to get there."""
    forward, backward = tuple(piece), tuple(reversed(piece))
    return (forward, False) if forward <= backward else (backward, True)


def simplify(features: list[dict], provincie_of: dict[str, str], tolerance: float = TOLERANCE,
             decimals: int = DECIMALS) -> dict:
    """The simplified map of `features` (GeoJSON features with gemeentecode, gemeentenaam)."""
    index = []  # (feature, polygon, ring) per ring
    rings = []
    for f, feature in enumerate(features):
        for q, polygon in enumerate(rings_of(feature["geometry"])):
            for r, ring in enumerate(polygon):
                index.append((f, q, r))
                rings.append(ring)
    topo = Topology(rings)
    done: dict[tuple[Point, ...], list[Point]] = {}
    owners: dict[tuple[Point, ...], set[int]] = {}

    def rounded(p: Point) -> list[float]:
        return [round(p[0], decimals), round(p[1], decimals)]

    shapes: dict[tuple[int, int], list[list[list[float]]]] = defaultdict(list)
    used: set[tuple[Point, ...]] = set()  # the pieces of the rings that are drawn
    for (f, q, r), ring in zip(index, rings):
        out: list[Point] = []
        keys = []
        for piece in topo.pieces(ring):
            key, reversed_ = canonical(piece)
            keys.append(key)
            if key not in done:
                done[key] = douglas_peucker(list(key), tolerance)
                owners[key] = {index[i][0] for i in topo.sides(piece)}
            simple = done[key][::-1] if reversed_ else done[key]
            out += simple[:-1]
        if len(out) < 3 and r == 0:  # never lose a gemeente's outline: keep the original ring, drawn too
            out = ring
            key, _ = canonical(ring + ring[:1])
            done[key], owners[key] = list(key), {f}
            keys = [key]
        if len(out) >= 3:  # a smaller ring that collapsed is left out, and so are its lines
            shapes[(f, q)].append([rounded(p) for p in out + out[:1]])
            used.update(keys)
    collection = []
    for f, feature in enumerate(features):
        polygons = [shapes[(f, q)] for q in range(len(rings_of(feature["geometry"]))) if (f, q) in shapes]
        geometry = ({"type": "Polygon", "coordinates": polygons[0]} if len(polygons) == 1
                    else {"type": "MultiPolygon", "coordinates": polygons})
        collection.append({"type": "Feature", "properties": dict(feature["properties"]), "geometry": geometry})
    codes = [f["properties"]["gemeentecode"] for f in features]
    grenzen = [{"provincie": len({provincie_of[codes[f]] for f in fs}) > 1 or len(fs) == 1,
                "pad": [rounded(p) for p in path]}
               for key, path in sorted(done.items()) if key in used for fs in [owners[key]] if len(path) >= 2]
    return {"gemeenten": {"type": "FeatureCollection", "features": collection}, "grenzen": grenzen}


def provincies() -> dict[str, str]:
    with open(GEMEENTEN_CSV, encoding="utf-8") as f:
        return {row["gemeentecode"]: row["provinciecode"] for row in csv.DictReader(f)}


def main(source: Path = SOURCE) -> None:
    features = json.loads(source.read_text(encoding="utf-8"))["features"]
    result = simplify(features, provincies())
    compact = {"separators": (",", ":")}
    SHAPES.write_text(json.dumps(result["gemeenten"], **compact), encoding="utf-8")
    STATIC.mkdir(exist_ok=True)
    for name, provincie in ((GEMEENTEGRENZEN, False), (PROVINCIEGRENZEN, True)):
        paths = [{"path": g["pad"]} for g in result["grenzen"] if g["provincie"] == provincie]
        (STATIC / name).write_text(json.dumps(paths, **compact), encoding="utf-8")
    before = sum(len(r) for f in features for poly in rings_of(f["geometry"]) for r in poly)
    after = sum(len(r) - 1 for f in result["gemeenten"]["features"] for poly in rings_of(f["geometry"]) for r in poly)
    print(f"{SHAPES.name}: {before:,} -> {after:,} points, {SHAPES.stat().st_size / 1024:,.0f} KB; borders "
          + ", ".join(f"{n} {(STATIC / n).stat().st_size / 1024:,.0f} KB" for n in (GEMEENTEGRENZEN, PROVINCIEGRENZEN)))


if __name__ == "__main__":
    main()
