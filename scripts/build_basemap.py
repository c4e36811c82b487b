"""Build the dashboard's offline base map, src/warmonitor/serve/static/basemap.json.

    python scripts/build_basemap.py GEODATA_DIR [--out PATH]

Why: `warmonitor serve` must work with no network at all (no CDN, no tile server), so the map widget
(serve/static/map.js) draws from one small JSON file shipped inside the package. This script makes that
file from the project's shared geodata (see shared/geodata/README.md):

- GEODATA_DIR/naturalearth/ne_50m_admin_0_countries.geojson: country polygons from Natural Earth
  (naturalearthdata.com), public domain. Each country's rings are simplified with Douglas-Peucker
  (implemented here) and rounded to 2 decimals (about 1 km), which keeps the file near 1.3 MB (we aim
  to stay under 1.5 MB: the browser loads it whole on every dashboard visit).
- GEODATA_DIR/geonames/cities15000.zip: GeoNames cities15000.txt (geonames.org), CC BY 4.0, which
  asks for credit; the file's "source" field and the map's attribution line give it. We keep every
  city of 100,000+ people worldwide and every city of 15,000+ in the countries the news we follow is
  mostly about (CONFLICT_COUNTRIES), so the map has landmarks where the facts are; city sections and
  historical or abandoned places are left out (SKIPPED_CODES).

Output: {"source": credits, "countries": [{"iso", "name", "rings": [[[lon, lat], ...], ...]}],
"cities": [{"name", "lat", "lon", "pop", "cc"}]}. Rings are closed (last point == first) and a
country's rings mix outer rings and holes: draw them with the even-odd rule. Countries are sorted by
ISO code, cities by population (largest first) so a reader can label the first ones first.
The output depends only on the inputs: running the script twice gives byte-identical files.
Needs only the standard library.
"""
from __future__ import annotations

import argparse
import io
import json
import sys
import zipfile
from pathlib import Path

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "src" / "warmonitor" / "serve" / "static" / "basemap.json"
SOURCE = ("Boundaries: Natural Earth 1:50m admin-0 countries (naturalearthdata.com), public domain, simplified. "
          "Places: GeoNames cities15000 (geonames.org), CC BY 4.0.")
TOLERANCE = 0.02   # Douglas-Peucker tolerance in degrees (~2 km): borders stay recognisable at country zoom
DECIMALS = 2       # coordinate rounding (~1 km)
MIN_RING_AREA = 0.002  # square degrees; smaller islands are dropped unless they are all a country has
WORLD_MIN_POP = 100_000
CONFLICT_MIN_POP = 15_000
CONFLICT_COUNTRIES = {"AF", "BF", "CD", "CF", "ET", "HT", "IL", "IQ", "LB", "LY", "ML", "MM", "NE", "NG",
                      "PS", "SD", "SO", "SS", "SY", "UA", "YE"}
# GeoNames feature codes left out: sections of a city (PPLX: "Al Mawsil al Jadidah" would stand on the map
# beside Mosul, a second dot on every big city) and places that are historical, abandoned or destroyed.
SKIPPED_CODES = {"PPLX", "PPLH", "PPLQ", "PPLW", "PPLCH"}
# Natural Earth leaves ISO_A2 empty for a few features (a known quirk for France and Norway); these are
# the codes GeoNames uses for them. Features with no code at all (e.g. Somaliland, N. Cyprus) keep "".
ISO_FIXES = {"France": "FR", "Norway": "NO", "Kosovo": "XK"}


def perpendicular_distance(p, a, b) -> float:
    """Distance from point p to the segment a-b (planar, in degrees: good enough for simplification)."""
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    if dx == 0 and dy == 0:
        return ((px - ax) ** 2 + (py - ay) ** 2) ** 0.5
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return ((px - ax - t * dx) ** 2 + (py - ay - t * dy) ** 2) ** 0.5


def douglas_peucker(points: list, tolerance: float) -> list:
    """Simplify an open polyline, keeping both ends. Iterative (an explicit stack) so long coastlines
    cannot hit Python's recursion limit."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        best, best_i = -1.0, -1
        for i in range(first + 1, last):
            d = perpendicular_distance(points[i], points[first], points[last])
            if d > best:
                best, best_i = d, i
        if best > tolerance:
            keep[best_i] = True
            stack.append((first, best_i))
            stack.append((best_i, last))
    return [p for p, k in zip(points, keep) if k]


def simplify_ring(ring: list, tolerance: float) -> list:
    """Simplify a closed ring. Douglas-Peucker needs two distinct ends, so the ring is cut at its first
    point and at the point farthest from it, and each half is simplified on its own."""
    pts = ring[:-1] if len(ring) > 1 and ring[0] == ring[-1] else list(ring)
    if len(pts) < 4:
        return pts + pts[:1]
    far = max(range(len(pts)), key=lambda i: (pts[i][0] - pts[0][0]) ** 2 + (pts[i][1] - pts[0][1]) ** 2)
    first_half = douglas_peucker(pts[:far + 1], tolerance)
    second_half = douglas_peucker(pts[far:] + pts[:1], tolerance)
    return first_half[:-1] + second_half


def rnd(value: float, decimals: int) -> float:
    """Round, writing 0.0 rather than -0.0."""
    return round(value, decimals) + 0.0


def round_ring(ring: list, decimals: int) -> list:
    """Round coordinates and drop points that rounding made equal to their predecessor."""
    out = []
    for lon, lat in ring:
        p = [rnd(lon, decimals), rnd(lat, decimals)]
        if not out or p != out[-1]:
            out.append(p)
    if out and out[0] != out[-1]:
        out.append(list(out[0]))
    return out


def ring_area(ring: list) -> float:
    """Unsigned shoelace area in square degrees."""
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:]))) / 2


def clip_half_plane(pts: list, x: float, keep_left: bool) -> list:
    """Sutherland-Hodgman against one vertical line: the part of an open ring with lon <= x (or >= x)."""
    def inside(p):
        return p[0] <= x if keep_left else p[0] >= x

    def cross(a, b):
        t = (x - a[0]) / (b[0] - a[0])
        return [x, a[1] + t * (b[1] - a[1])]

    out = []
    for prev, cur in zip(pts[-1:] + pts[:-1], pts):
        if inside(cur):
            if not inside(prev):
                out.append(cross(prev, cur))
            out.append(cur)
        elif inside(prev):
            out.append(cross(prev, cur))
    return out


def split_antimeridian(ring: list) -> list:
    """A ring that crosses the 180th meridian (Chukotka, Fiji) comes with a jump from +180 to -180, which
    a flat map draws as a line across the whole world. Unwrap its longitudes into one continuous run,
    then cut it at +-180 and shift the pieces back into [-180, 180]. A ring around the pole (Antarctica)
    does not close when unwrapped: its jumps are real edges along the map's bottom, and it stays as is."""
    if all(abs(b[0] - a[0]) <= 180 for a, b in zip(ring, ring[1:])):
        return [ring]
    unwrapped = [list(ring[0])]
    for lon, lat in ring[1:]:
        prev = unwrapped[-1][0]
        unwrapped.append([lon + 360 * round((prev - lon) / 360), lat])
    if abs(unwrapped[-1][0] - unwrapped[0][0]) > 180:
        return [ring]
    pts = unwrapped[:-1]
    pieces = []
    for offset in (-360, 0, 360):
        piece = clip_half_plane(clip_half_plane(pts, offset - 180, False), offset + 180, True)
        if len(piece) >= 3:
            pieces.append([[lon - offset, lat] for lon, lat in piece] + [[piece[0][0] - offset, piece[0][1]]])
    return pieces


def country_rings(geometry: dict) -> list:
    polys = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    return [piece for poly in polys for ring in poly for piece in split_antimeridian(ring)]


def build_country(rings: list) -> list:
    """Simplified, rounded rings of one country: closed, each with >= 4 points. Tiny islands are
    dropped, but a country always keeps at least its largest ring (kept at finer precision when the
    usual tolerance would flatten it, so that Monaco or Tuvalu still shows as a dot)."""
    out = []
    for ring in rings:
        r = round_ring(simplify_ring(ring, TOLERANCE), DECIMALS)
        if len(r) >= 4 and ring_area(ring) >= MIN_RING_AREA:
            out.append(r)
    if not out and rings:
        largest = max(rings, key=ring_area)
        for decimals in (DECIMALS, DECIMALS + 1, DECIMALS + 2, 6):
            r = round_ring(simplify_ring(largest, TOLERANCE / 10 ** (decimals - DECIMALS)), decimals)
            if len(r) >= 4:
                out.append(r)
                break
    return out


def load_countries(path: Path) -> list[dict]:
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    groups: dict[str, list] = {}
    for f in features:
        p = f["properties"]
        name = p.get("NAME") or p.get("name") or ""
        iso = p.get("ISO_A2") if p.get("ISO_A2") not in (None, "-99") else p.get("WB_A2")
        if iso in (None, "-99"):
            iso = ISO_FIXES.get(name, "")
        rings = country_rings(f["geometry"])
        # Features sharing a code (Australia and Ashmore and Cartier Is.) become one country so the
        # widget can look countries up by code; an uncoded feature stays on its own, keyed by name.
        groups.setdefault(iso or "name:" + name, []).append((sum(ring_area(r) for r in rings), name, iso, rings))
    countries = []
    for members in groups.values():
        members.sort(key=lambda m: (-m[0], m[1]))
        _, name, iso, _ = members[0]
        rings = build_country([r for m in members for r in m[3]])
        if rings:
            countries.append({"iso": iso, "name": name, "rings": rings})
    countries.sort(key=lambda c: (c["iso"] == "", c["iso"], c["name"]))
    return countries


def load_cities(path: Path) -> list[dict]:
    with zipfile.ZipFile(path) as z, z.open("cities15000.txt") as raw:
        lines = io.TextIOWrapper(raw, encoding="utf-8").read().splitlines()
    rows = []
    for line in lines:
        f = line.split("\t")
        if len(f) < 19 or f[6] != "P" or f[7] in SKIPPED_CODES:
            continue
        pop, cc = int(f[14] or 0), f[8]
        if pop >= WORLD_MIN_POP or (cc in CONFLICT_COUNTRIES and pop >= CONFLICT_MIN_POP):
            rows.append((-pop, int(f[0]), {"name": f[1], "lat": rnd(float(f[4]), DECIMALS),
                                           "lon": rnd(float(f[5]), DECIMALS), "pop": pop, "cc": cc}))
    rows.sort(key=lambda r: (r[0], r[1]))
    return [r[2] for r in rows]


def build(geodata: Path) -> bytes:
    doc = {"source": SOURCE,
           "countries": load_countries(geodata / "naturalearth" / "ne_50m_admin_0_countries.geojson"),
           "cities": load_cities(geodata / "geonames" / "cities15000.zip")}
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("geodata", type=Path, help="folder with naturalearth/ and geonames/ (shared/geodata)")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args(argv)
    data = build(args.geodata)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(data)
    doc = json.loads(data)
    print(f"{args.out}: {len(data):,} bytes, {len(doc['countries'])} countries, "
          f"{sum(len(r) for c in doc['countries'] for r in c['rings']):,} points, {len(doc['cities'])} cities",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
