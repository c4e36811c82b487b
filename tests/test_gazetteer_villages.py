"""Village-level places: the shipped index's villages with their p-codes, how the build merges and
filters them (scripts/gazetteer_villages.py), and that a village counts only in the article's country.

Every sentence and name list here is written for these tests.
"""
from __future__ import annotations

import gzip
import importlib.util
import sys
from pathlib import Path

import pytest

from warmonitor.nlp.pipeline import build_language
from warmonitor.nlp.tokens import TokenView
from warmonitor.resolve.gazetteer import (NORMALIZER_VERSION, Gazetteer, Place, index_line, normalize, read_index,
                                          write_index)
from warmonitor.resolve.places import PlaceFinder

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer(user_dir=False)


@pytest.fixture(scope="module")
def villages():
    """scripts/gazetteer_villages.py, imported as the build script imports it."""
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        spec = importlib.util.spec_from_file_location("gazetteer_villages", ROOT / "scripts" / "gazetteer_villages.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(ROOT / "scripts"))


@pytest.fixture(scope="module")
def find(gaz):
    nlp = build_language()
    finder = PlaceFinder(gaz)

    def run(text: str, country: str | None):
        view = TokenView(nlp(text))
        return finder.find(view, 0, len(view), country=country)
    return run


# --- the shipped index -------------------------------------------------------------------------

def test_syrian_community_below_geonames_size_has_its_pcode(gaz):
    place = gaz.resolve("Mastumeh", "SY")
    assert (place.kind, place.admin1, place.pcode) == ("village", "Idlib", "C3872")
    assert abs(place.lat - 35.873) < 0.01 and abs(place.lon - 36.631) < 0.01
    assert place.to_record(1)["pcode"] == "C3872"


def test_ocha_and_news_spellings_are_one_place(gaz):
    # OCHA writes "Kafr Nobol", GeoNames "Kafranbel", the news (UCDP) "Kafr Nabl": one place, one p-code
    places = {gaz.resolve(name, "SY") for name in ("Kafr Nobol", "Kafranbel", "Kafr Nabl")}
    assert len(places) == 1
    assert places.pop().pcode == "C4068"


def test_geonames_divisions_get_pcodes_and_aliases(gaz):
    assert gaz.resolve("Idlib province", "SY").pcode == "SY07"
    assert gaz.resolve("Idleb Governorate", "SY").pcode == "SY07"


def test_afghan_district_missing_from_geonames(gaz):
    place = gaz.resolve("Chamkani district", "AF")
    assert (place.kind, place.country, place.admin1) == ("admin2", "AF", "Paktia")
    assert place.geonameid is None
    assert place.lat is not None


def test_ukrainian_settlement_at_hromada_centroid_is_precision_2(gaz):
    place = gaz.resolve("Malovydne", "UA")
    assert place.feature_code == "PPLZ" and place.pcode == "UA0102003003" and place.admin1 == "Crimea"
    assert place.to_record(1)["precision"] == 2


def test_village_counts_only_in_the_articles_country(gaz):
    assert gaz.resolve("Mastumeh", "SY").pcode == "C3872"
    assert gaz.resolve("Mastumeh", "IQ") is None
    assert gaz.resolve("Mastumeh") is None
    assert gaz.resolve("Mastumeh district", "SY") is None  # a village is no division
    assert gaz.best(gaz.candidates(normalize("Mastumeh")), "SY", region="Idlib").pcode == "C3872"
    assert gaz.best(gaz.candidates(normalize("Mastumeh")), "SY", region="Hama") is None  # the article's region's only


def test_village_found_in_a_sentence_with_its_pcode(find):
    text = "Shelling hit the village of Mastumeh south of Idlib on Tuesday, killing two farmers."
    hit = [m for m in find(text, "SY") if m.place.name == "Mastumeh"]
    assert len(hit) == 1 and hit[0].to_record()["pcode"] == "C3872" and hit[0].precision == 1
    assert not [m for m in find(text, "UA") if m.place.name == "Mastumeh"]


def test_common_word_village_is_no_place(find, gaz):
    # "Band" and "Chat" are villages' names in Afghanistan's lists; capitalised they are still words
    assert not [p for name in ("Band", "Chat") for p in gaz.lookup(name) if p.country == "AF"]
    mentions = find("Fighters in Band uniforms attacked a checkpoint in Kandahar during Chat hours.", "AF")
    assert [m.place.name for m in mentions] == ["Kandahār"]


# --- the build ---------------------------------------------------------------------------------

def city(gid, name, lat, lon, cc="SY", a1="12", pop=1000, alts=()):
    return {"gid": gid, "name": name, "alts": list(alts), "lat": lat, "lon": lon, "fcode": "PPL", "cc": cc,
            "a1": a1, "pop": pop}


@pytest.fixture()
def builder(villages):
    cities = {1: city(1, "Kafranbel", 35.614, 36.564), 2: city(2, "Springfield", 39.8, -89.6, "US", "IL", 116_000)}
    admin1 = {"SY.12": ["SY.12", "Idlib", "Idlib", "169387"], "US.IL": ["US.IL", "Illinois", "Illinois", "4896861"]}
    countries = {"SY": ["Syria"], "US": ["United States"]}
    return villages.Builder(cities, admin1, [], countries, frozenset({"market", "bridge"}))


def test_build_merges_a_village_into_the_geonames_place_nearby(builder):
    builder.add("village", "PPL", "SY", "SY.12", 35.6147, 36.5603, "Kafr Nobol", [], "C4068")
    assert builder.rows == [] and builder.extra[("city", "1")] == {"pcode": "C4068", "alts": ["Kafr Nobol"]}


def test_build_keeps_a_village_far_from_its_namesake(builder):
    builder.add("village", "PPL", "SY", "SY.12", 36.5, 37.5, "Kafr Nobol", [], "C9999")
    assert [(r["name"], r["pcode"]) for r in builder.rows] == [("Kafr Nobol", "C9999")]


def test_build_leaves_out_common_words_short_names_and_big_names_abroad(builder):
    for name in ("Market", "Bridge", "Tal", "Springfield", "Syria", "Illinois"):
        assert builder.add("village", "PPL", "SY", "SY.12", 35.0, 37.0, name, []) is None, name
    assert builder.rows == []
    line = builder.add("village", "PPL", "US", "US.IL", 41.0, -88.0, "Springfield Mills", [])
    assert line is not None


def test_index_rows_carry_the_pcode_and_old_indexes_still_load(tmp_path):
    new = tmp_path / "new.tsv.gz"
    write_index(new, [index_line(None, "village", "PPL", "SY", "Idlib", "SY.12", 35.6, 36.5, None, "Kafr Testa",
                                 ["Kafr Testeh"], "C0001")], "source=test")
    g = Gazetteer(new, user_dir=False, curated_path=False)
    assert g.resolve("Kafr Testeh", "SY").pcode == "C0001"
    old = tmp_path / "old.tsv.gz"
    line = "7\tcity\tPPL\tSY\tIdlib\tSY.12\t35.6\t36.5\t2000\tOld Town\t\told town\n"
    with gzip.open(old, "wt", encoding="utf-8") as f:
        f.write(f"#warmonitor-gazetteer\t1\tnormalizer={NORMALIZER_VERSION}\tsource=test\n#header\n" + line)
    assert read_index(old)[0] == [line.rstrip("\n") + "\t"]
    place = Gazetteer(old, user_dir=False, curated_path=False).resolve("Old Town")
    assert isinstance(place, Place) and place.geonameid == 7 and place.pcode is None


def test_cli_lookup_shows_the_pcode(tmp_path):
    import typer
    from typer.testing import CliRunner

    from warmonitor.cli.gazetteer import gazetteer_app

    app = typer.Typer()
    app.add_typer(gazetteer_app, name="gazetteer")

    @app.callback()
    def main() -> None:
        pass

    result = CliRunner().invoke(app, ["gazetteer", "lookup", "Mastumeh", "--data-dir", str(tmp_path)])
    assert result.exit_code == 0  # listed although no article country is given to choose it by
    assert result.output.splitlines()[0] == ("Mastumeh (village PPL, Idlib, SY): 35.8727, 36.6313; no geonameid, "
                                             "p-code C3872")
