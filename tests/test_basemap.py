"""The dashboard's offline base map (src/warmonitor/serve/static/basemap.json) and its build script.

The file is committed, so these tests check what ships: it loads, stays small, has the countries and
cities the news is about, in the right places, with well-formed rings. Where the project's shared
geodata is present, rebuilding it must give the committed file byte for byte.
"""
from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BASEMAP = REPO / "src" / "warmonitor" / "serve" / "static" / "basemap.json"
SCRIPT = REPO / "scripts" / "build_basemap.py"
GEODATA = Path(__file__).resolve().parents[1].parent / "shared" / "geodata"


@pytest.fixture(scope="module")
def basemap() -> dict:
    return json.loads(BASEMAP.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def countries(basemap) -> dict:
    return {c["iso"]: c for c in basemap["countries"] if c["iso"]}


@pytest.fixture(scope="module")
def build_module():
    spec = importlib.util.spec_from_file_location("build_basemap", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def inside(rings: list, lon: float, lat: float) -> bool:
    """Ray casting with the even-odd rule over all of a country's rings (holes included): a ray going
    east from the point crosses the boundary an odd number of times iff the point is inside."""
    crossings = 0
    for ring in rings:
        for (x0, y0), (x1, y1) in zip(ring, ring[1:]):
            if (y0 > lat) != (y1 > lat) and lon < x0 + (lat - y0) * (x1 - x0) / (y1 - y0):
                crossings += 1
    return crossings % 2 == 1


def test_loads_small_with_credits(basemap):
    assert BASEMAP.stat().st_size < 2_000_000
    assert "Natural Earth" in basemap["source"] and "GeoNames" in basemap["source"]
    assert "CC BY 4.0" in basemap["source"]
    assert len(basemap["countries"]) > 200
    assert len(basemap["cities"]) > 1000


@pytest.mark.parametrize("iso,name", [("SY", "Syria"), ("UA", "Ukraine"), ("SD", "Sudan")])
def test_conflict_countries_present_with_valid_coordinates(countries, iso, name):
    country = countries[iso]
    assert country["name"] == name
    assert country["rings"]
    for ring in country["rings"]:
        for lon, lat in ring:
            assert -180 <= lon <= 180 and -90 <= lat <= 90


def test_points_fall_in_the_right_country(countries):
    assert inside(countries["SY"]["rings"], 36.63, 35.93)       # Idlib
    assert inside(countries["UA"]["rings"], 36.23, 49.99)       # Kharkiv
    assert not inside(countries["SY"]["rings"], 36.23, 49.99)
    assert not inside(countries["UA"]["rings"], 36.63, 35.93)
    assert not inside(countries["SY"]["rings"], 35.5, 35.0)     # the sea off Latakia


def test_cities_include_aleppo_and_kyiv(basemap):
    by_name = {c["name"]: c for c in basemap["cities"]}
    aleppo, kyiv = by_name["Aleppo"], by_name["Kyiv"]
    assert aleppo["cc"] == "SY" and abs(aleppo["lat"] - 36.2) < 0.1 and abs(aleppo["lon"] - 37.16) < 0.1
    assert kyiv["cc"] == "UA" and abs(kyiv["lat"] - 50.45) < 0.1 and abs(kyiv["lon"] - 30.52) < 0.1
    for city in basemap["cities"]:
        assert set(city) == {"name", "lat", "lon", "pop", "cc"}
        assert city["name"] and -90 <= city["lat"] <= 90 and -180 <= city["lon"] <= 180


def test_cities_sorted_by_population_and_small_ones_only_in_conflict_countries(basemap, build_module):
    pops = [c["pop"] for c in basemap["cities"]]
    assert pops == sorted(pops, reverse=True)
    small = {c["cc"] for c in basemap["cities"] if c["pop"] < build_module.WORLD_MIN_POP}
    assert small and small <= build_module.CONFLICT_COUNTRIES
    assert "Idlib" in {c["name"] for c in basemap["cities"]}


def test_rings_closed_with_at_least_four_points(basemap):
    for country in basemap["countries"]:
        assert country["rings"], country["name"]
        for ring in country["rings"]:
            assert len(ring) >= 4, country["name"]
            assert ring[0] == ring[-1], country["name"]


def test_no_ring_jumps_across_the_antimeridian(basemap):
    # A jump from +180 to -180 inside a ring draws a line across the whole map (Chukotka, Fiji).
    # Antarctica is the exception: its ring runs around the pole, along the bottom of the map.
    for country in basemap["countries"]:
        if country["name"] == "Antarctica":
            continue
        for ring in country["rings"]:
            for (x0, _), (x1, _) in zip(ring, ring[1:]):
                assert abs(x1 - x0) <= 180, country["name"]


def test_douglas_peucker_keeps_corners_and_drops_near_straight_points(build_module):
    line = [[0, 0], [1, 0.001], [2, 0], [2, 1], [2.001, 2]]
    assert build_module.douglas_peucker(line, 0.01) == [[0, 0], [2, 0], [2.001, 2]]
    square = [[0, 0], [0.5, 0.001], [1, 0], [1, 1], [0, 1], [0, 0]]
    assert build_module.simplify_ring(square, 0.01) == [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]


def test_split_antimeridian_cuts_a_crossing_ring_in_two(build_module):
    ring = [[179, 0], [-179, 0], [-179, 1], [179, 1], [179, 0]]
    pieces = build_module.split_antimeridian(ring)
    assert len(pieces) == 2
    for piece in pieces:
        assert piece[0] == piece[-1]
        assert all(abs(b[0] - a[0]) <= 180 for a, b in zip(piece, piece[1:]))
    assert {min(p[0] for p in piece) for piece in pieces} == {179, -180}


@pytest.mark.skipif(not GEODATA.is_dir(), reason="shared/geodata is not beside the repository")
def test_build_is_reproducible(tmp_path):
    out = tmp_path / "basemap.json"
    subprocess.run([sys.executable, str(SCRIPT), str(GEODATA), "--out", str(out)], check=True,
                   capture_output=True)
    assert out.read_bytes() == BASEMAP.read_bytes()
