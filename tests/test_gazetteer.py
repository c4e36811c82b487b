"""The gazetteer: name normalisation, lookups, disambiguation, the curated file, user imports, the CLI,
and a geocoding test over place names as news prints them (tests/data/geocoding_cases.csv).

All texts and the small GeoNames-format files here are written for these tests. The shipped index
(src/warmonitor/data/gazetteer/) is read; nothing under ../shared is.
"""
from __future__ import annotations

import csv
import gzip
import json
import types
import zipfile
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from warmonitor.data_files import DataFileError, data_path
from warmonitor.resolve import gazetteer as gazetteer_module
from warmonitor.resolve.gazetteer import Gazetteer, distance_km, index_line, normalize, write_index
from warmonitor.resolve.gazetteer_import import GazetteerImportError, import_dump

CASES = Path(__file__).parent / "data" / "geocoding_cases.csv"


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer(user_dir=False)


# --- normalisation ------------------------------------------------------------------------------

@pytest.mark.parametrize("variants", [
    ["Ma'arrat al-Nu'man", "Maarat al-Numan", "Maaret al-Nouman", "Ma`arat an-Nu'man", "MAARRAT AL NUMAN"],
    ["Sheikh Barakat", "Shaykh Barakat", "Sheik Barakat", "Cheikh Barakat", "Shaikh Barakat"],
    ["Deir ez-Zor", "Deir Ezzor", "Dayr az Zawr", "Deir al-Zour", "Deir el-Zor", "Dayr al-Zawr"],
    ["Jabal Sheikh Barakat", "Jebel Sheikh Barakat", "Mount Sheikh Barakat", "Sheikh Barakat Mountain"],
    ["al-Bab", "Al Bab", "el-Bab", "Al-Bāb", "AL-BAB"],
    ["ar-Raqqa", "Ar Raqqah", "al-Raqqa", "Al Rakka"],
    ["As-Suwayda", "as Suwayda", "al-Suwaida", "Al Sweida"],
    ["Khan Sheikhoun", "Khan Shaykhun", "Khān Shaykhūn", "Khan Sheikhun"],
    ["Tell Abyad", "Tal Abyad", "Tall Abyaḑ", "Tel Abyad"],
    ["Idlib", "Idlib province", "Idlib Governorate", "Idleb", "IDLIB"],
    ["Beit Hanoun", "Bayt Ḩānūn", "Beit Hanun"],
    ["Ḩamāh", "Hamah", "Hama", "Hama Governorate"],
    ["Damascus", "Damascus governorate", "Province of Damascus"],
    ["al-Qamishli", "Al Qāmishlī", "el-Qamishly", "Al-Kamishli"],
])
def test_normalize_folds_spelling_variants(variants):
    keys = {normalize(v) for v in variants}
    assert len(keys) == 1, {v: normalize(v) for v in variants}


def test_article_is_kept_in_keys_but_optional_in_lookups(gaz):
    assert normalize("al-Qamishli") == "al " + normalize("Qamishli")
    assert gaz.resolve("Qamishli", "SY") == gaz.resolve("al-Qamishli", "SY") == gaz.resolve("El Qamishly", "SY")


def test_normalize_details():
    assert normalize("Deir ez-Zor") == "dayr al zor"
    assert normalize("Sheikh Barakat Mountain") == "jabal shaykh barakat"  # "X Mountain" is "Jabal X"
    assert normalize("Ma’arrat an‑Nu‘mān") == normalize("Maarrat an-Numan")  # curly quotes, non-breaking hyphen
    assert normalize("The Hague") == normalize("Hague")
    assert normalize("  ") == ""
    assert normalize("Muhafazat Hadramaout") == normalize("Hadramaut")


@pytest.mark.parametrize("a, b", [("Hama", "Homs"), ("Idlib", "Ariha"), ("Raqqa", "Daraa"), ("Gaza", "Giza"),
                                  ("Aleppo", "Alepo Street"), ("Kafr Nabl", "Kafr Nubul")])
def test_normalize_keeps_different_names_apart(a, b):
    assert normalize(a) != normalize(b)


# --- the index ----------------------------------------------------------------------------------

def test_nothing_is_read_before_the_first_lookup(tmp_path):
    gaz = Gazetteer(index_path=tmp_path / "missing.tsv.gz", user_dir=False)  # no error: nothing read yet
    with pytest.raises(DataFileError, match="missing.tsv.gz"):
        gaz.lookup("Idlib")


def test_modules_hold_no_mutable_state():
    from warmonitor.resolve import gazetteer_import, places

    for module in (gazetteer_module, places, gazetteer_import):
        for name, value in vars(module).items():
            if name.startswith("__") or isinstance(value, (types.ModuleType, type, types.FunctionType)):
                continue
            assert not isinstance(value, (dict, list, set, bytearray)), f"{module.__name__}.{name} is mutable"


def test_shipped_index_is_compact_and_credited():
    folder = data_path("gazetteer")
    size = sum(p.stat().st_size for p in folder.iterdir())
    assert size < 40_000_000
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert "Place data: GeoNames (geonames.org), CC BY 4.0. Boundaries: Natural Earth, public domain." in readme
    assert "scripts/build_gazetteer.py" in readme


def test_index_covers_countries_divisions_and_towns(gaz):
    kinds = {p.kind for p in gaz.lookup("Idlib")}
    assert {"city", "admin1", "admin2"} <= kinds
    syria = gaz.resolve("Syria")
    assert syria.kind == "country" and syria.country == "SY" and syria.admin1 is None
    assert 32 < syria.lat < 37.5 and 35.5 < syria.lon < 42.5
    assert gaz.resolve("Idlib", prefer="admin1").admin1 == "Idlib"
    assert gaz.resolve("Maarat al-Numan District").kind == "admin2"
    assert len(gaz) > 80_000


def test_lookup_returns_every_entry_most_populous_first(gaz):
    places = gaz.lookup("Tripoli")
    assert {p.country for p in places} >= {"LY", "LB"}
    pops = [p.population or 0 for p in places]
    assert pops == sorted(pops, reverse=True)
    assert gaz.lookup("Nowhere-on-Earth-ville") == []


def test_resolve_by_country_kind_and_population(gaz):
    assert gaz.resolve("Tripoli").country == "LY"  # the larger
    assert gaz.resolve("Tripoli", country="LB").country == "LB"
    assert gaz.resolve("Aleppo").country == "SY"
    assert gaz.resolve("Idlib province").kind == "admin1"  # the suffix says which kind
    assert gaz.resolve("Idlib").kind == "city"
    assert gaz.resolve("Idlib", prefer="admin2").kind == "admin2"
    assert gaz.resolve("Georgia").kind == "country"
    assert gaz.resolve("Georgia state", country="US").kind == "admin1"
    assert gaz.resolve("Congo").country == "CD" and gaz.resolve("Congo", country="CG").country == "CG"
    assert gaz.resolve("Pokrovsk", country="UA").country == "UA"
    assert gaz.resolve("Bab", country="SY").name == "Al Bāb"  # the article may be left out
    assert gaz.resolve("Rural Damascus").kind == "admin1"


def test_place_record_has_the_format_fields(gaz):
    record = gaz.resolve("Saraqib", "SY").to_record(2, qualifier="near", text="near Saraqib")
    assert set(record) == {"name", "geonameid", "admin1", "country", "lat", "lon", "precision", "qualifier", "text",
                           "pcode"}
    assert record["geonameid"] == 164816 and record["admin1"] == "Idlib" and record["country"] == "SY"
    assert record["precision"] == 2 and record["qualifier"] == "near" and record["text"] == "near Saraqib"


# --- the curated places -------------------------------------------------------------------------

@pytest.mark.parametrize("name, country, lat, lon", [
    ("Sarmada", "SY", 36.18, 36.72), ("Jabal Sheikh Barakat", "SY", 36.28, 36.85), ("Atmeh camps", "SY", 36.3, 36.68),
    ("al-Hol camp", "SY", 36.38, 41.15), ("Rukban camp", "SY", 33.31, 38.70), ("Bab al-Hawa", "SY", 36.23, 36.69),
    ("Bab al-Salama crossing", "SY", 36.63, 37.09), ("M4", "SY", 35.81, 36.61), ("M5 highway", "SY", 35.65, 36.68),
    ("Zaatari camp", "JO", 32.30, 36.32), ("Dadaab", "KE", 0.05, 40.31), ("Kakuma camp", "KE", 3.71, 34.86),
    ("Zamzam camp", "SD", 13.49, 25.31), ("Jabalia camp", "PS", 31.53, 34.48), ("Rafah crossing", "PS", 31.25, 34.26),
    ("Chasiv Yar", "UA", 48.58, 37.83), ("Kutupalong", "BD", 21.21, 92.16),
])
def test_curated_places_resolve(gaz, name, country, lat, lon):
    place = gaz.resolve(name, country)
    assert place is not None and place.country in (country, "JO")
    assert distance_km(place.lat, place.lon, lat, lon) < 3


def test_curated_file_entries_carry_a_source():
    rows = [json.loads(line) for line in data_path("places_curated.jsonl").read_text(encoding="utf-8").splitlines()
            if line.startswith("{")]
    places = [r for r in rows if "name" in r]
    assert len(places) >= 45
    assert all(r["source"].strip() for r in rows)
    assert {r["country"] for r in places} >= {"SY", "JO", "KE", "SD", "PS", "UA", "LB", "YE", "BD"}
    roads = [r for r in places if r["kind"] == "road"]
    assert {r["name"] for r in roads} == {"M4 highway", "M5 highway"} and all(r.get("note") for r in roads)


def test_bad_curated_file_names_file_and_entry(tmp_path):
    bad = tmp_path / "places_curated.jsonl"
    bad.write_text('{"name": "Somewhere", "lat": 95, "lon": 36, "country": "SY", "kind": "town", "source": "x"}\n')
    with pytest.raises(DataFileError, match=r"places_curated.jsonl entry #1: lat/lon out of range"):
        Gazetteer(user_dir=False, curated_path=bad).lookup("Somewhere")
    bad.write_text('{"name": "Somewhere", "lat": 35, "lon": 36, "country": "SY", "kind": "castle", "source": "x"}\n')
    with pytest.raises(DataFileError, match="kind 'castle'"):
        Gazetteer(user_dir=False, curated_path=bad).lookup("Somewhere")
    bad.write_text('{"alias": ["Elsewhere"], "of": 1, "source": "x"}\n')
    with pytest.raises(DataFileError, match="alias 'of' 1 is not in the gazetteer index"):
        Gazetteer(user_dir=False, curated_path=bad).lookup("Elsewhere")
    bad.write_text('{"name": "Somewhere", "lat": 35, "lon": 36, "country": "SY", "kind": "town"}\n')
    with pytest.raises(DataFileError, match="missing field 'source'"):
        Gazetteer(user_dir=False, curated_path=bad).lookup("Somewhere")


def test_an_index_from_another_normalizer_is_rekeyed(tmp_path):
    path = tmp_path / "places.tsv.gz"
    write_index(path, [index_line(1, "city", "PPL", "SY", "Idlib", "SY.12", 35.5, 36.5, 900, "Kafr Testin",
                                  ["Kfar Testeen"])], "source=test")
    raw = gzip.decompress(path.read_bytes()).decode().replace(
        f"normalizer={gazetteer_module.NORMALIZER_VERSION}", "normalizer=0").replace("kafr testin", "stale key")
    path.write_bytes(gzip.compress(raw.encode()))
    gaz = Gazetteer(index_path=path, user_dir=False, curated_path=False)
    assert [p.geonameid for p in gaz.lookup("Kafr Testeen")] == [1]


# --- user imports -------------------------------------------------------------------------------

def dump_line(gid, name, alts, lat, lon, fclass, fcode, cc="SY", admin1="12", population=0):
    return "\t".join([str(gid), name, name, alts, str(lat), str(lon), fclass, fcode, cc, "", admin1, "", "", "",
                      str(population), "", "350", "Asia/Damascus", "2024-01-01"]) + "\n"


@pytest.fixture()
def dump(tmp_path) -> Path:
    path = tmp_path / "SY.txt"
    path.write_text(
        dump_line(9100001, "Kafr Testin", "Kfar Testeen,كفر", 35.91, 36.41, "P", "PPL", population=740)
        + dump_line(9100002, "Jabal al-Testiyah", "Jebel Testiyeh,Mount Testiyah", 35.80, 36.55, "T", "MT")
        + dump_line(9100003, "Bir Testa", "", 35.70, 36.50, "H", "WLL")
        + dump_line(9100004, "Mukhayyam Testaba", "Testaba camp", 36.25, 36.70, "S", "CMPRF"),
        encoding="utf-8")
    return path


def test_import_a_country_dump(tmp_path, dump):
    data_dir = tmp_path / "data"
    result = import_dump(dump, data_dir)
    assert result.places == 3 and result.skipped == 1 and result.countries == ("SY",)
    assert result.path == data_dir / "SY.tsv.gz"
    gaz = Gazetteer(user_dir=data_dir)
    village = gaz.resolve("Kfar Testeen", "SY")
    assert (village.geonameid, village.kind, village.admin1, village.population) == (9100001, "city", "Idlib", 740)
    mountain = gaz.resolve("Testiyah Mountain")
    assert mountain.kind == "feature" and mountain.feature_code == "MT"
    assert gaz.resolve("Testaba camp").feature_code == "CMPRF"
    assert gaz.lookup("Bir Testa") == []  # wells are left out
    assert gaz.resolve("Aleppo").country == "SY"  # the shipped index still loads
    assert Gazetteer(user_dir=False).lookup("Kfar Testeen") == []


def test_import_from_zip_and_reimport_replaces(tmp_path, dump, monkeypatch):
    archive = tmp_path / "SY.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(dump, "SY.txt")
        z.writestr("readme.txt", "GeoNames readme")
    monkeypatch.setenv("WARMONITOR_DATA", str(tmp_path / "wm"))
    first = import_dump(archive)
    assert first.path == tmp_path / "wm" / "gazetteer" / "SY.tsv.gz"
    dump.write_text(dump_line(9100005, "Tall Testun", "", 35.1, 36.1, "P", "PPL"), encoding="utf-8")
    import_dump(dump)
    gaz = Gazetteer()  # the default user dir follows $WARMONITOR_DATA
    assert gaz.resolve("Tall Testun") is not None and gaz.lookup("Kafr Testin") == []


@pytest.mark.parametrize("content, message", [
    ("just some text\n", r"SY.txt:1: not a GeoNames dump line \(expected 19 tab-separated columns, got 1\)"),
    ("x\t" * 18 + "x\n", r"SY.txt:1: not a GeoNames dump line \(geonameid, latitude"),
    ("", r"SY.txt: no places found"),
])
def test_import_rejects_a_bad_file_in_one_line(tmp_path, content, message):
    bad = tmp_path / "SY.txt"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(GazetteerImportError, match=message) as info:
        import_dump(bad, tmp_path / "data")
    assert "\n" not in str(info.value)
    with pytest.raises(GazetteerImportError, match="no such file"):
        import_dump(tmp_path / "nope.txt", tmp_path / "data")
    binary = tmp_path / "XX.txt"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(GazetteerImportError, match="XX.txt: not UTF-8"):
        import_dump(binary, tmp_path / "data")


def test_cli_import_and_lookup(tmp_path, dump):
    from warmonitor.cli.gazetteer import gazetteer_app

    app = typer.Typer()
    app.add_typer(gazetteer_app, name="gazetteer")

    @app.callback()
    def main() -> None:
        pass

    runner = CliRunner()
    data_dir = str(tmp_path / "data")
    result = runner.invoke(app, ["gazetteer", "import", str(dump), "--data-dir", data_dir])
    assert result.exit_code == 0 and "3 places of SY imported" in result.output
    result = runner.invoke(app, ["gazetteer", "lookup", "Kfar Testeen", "--country", "sy", "--data-dir", data_dir])
    assert result.exit_code == 0 and result.output.startswith("Kafr Testin (city PPL, Idlib, SY): 35.9100, 36.4100")
    result = runner.invoke(app, ["gazetteer", "lookup", "Maarat al-Numan", "-c", "SY", "--data-dir", data_dir])
    assert result.output.splitlines()[0].startswith("Ma‘arrat an Nu‘mān (city PPL, Idlib, SY)")
    bad = tmp_path / "notes.txt"
    bad.write_text("hello\n")
    result = runner.invoke(app, ["gazetteer", "import", str(bad), "--data-dir", data_dir])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [f"warmonitor: {bad}:1: not a GeoNames dump line (expected 19 "
                                                  "tab-separated columns, got 1)"]


# --- geocoding ----------------------------------------------------------------------------------

def test_geocoding_cases_within_10_km(gaz):
    """Place names as news prints them, with the article's country: >= 95 % within 10 km."""
    rows = list(csv.DictReader(CASES.open(encoding="utf-8")))
    assert len(rows) >= 300
    misses = []
    for row in rows:
        place = gaz.resolve(row["text"], country=row["country"])
        if place is None or place.lat is None or \
                distance_km(place.lat, place.lon, float(row["lat"]), float(row["lon"])) > 10:
            misses.append((row["text"], row["country"], place and place.name))
    share = 1 - len(misses) / len(rows)
    print(f"geocoding: {len(rows) - len(misses)}/{len(rows)} = {share:.1%} within 10 km")
    assert share >= 0.95, misses
