"""Datelines ("KHARKIV, Ukraine (Reuters) —", "SPRINGFIELD, Ill. —"): read, resolved within the region
they name, and given as the place of the facts that name none (resolve/datelines.py, extract/when.py).

Every text here is written for these tests.
"""
from __future__ import annotations

import pytest

from warmonitor.resolve.datelines import DatelineReader
from warmonitor.resolve.gazetteer import Gazetteer

from conftest import extract, facts


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer(user_dir=False)


@pytest.fixture(scope="module")
def read(gazetteer):
    reader = DatelineReader()
    return lambda text, country=None: reader.read(text, gazetteer, country)


@pytest.mark.parametrize("text, town, region, country, admin1", [
    ("KHARKIV, Ukraine (Reuters) — A missile hit a school.", "Kharkiv", "Ukraine", "UA", "Kharkiv"),
    ("GAZA CITY — Strikes hit the camp overnight.", "Gaza City", None, "PS", "Gaza Strip"),
    ("EL FASHER, Sudan, March 3 (AP) — Shelling hit the market.", "El Fasher", "Sudan", "SD", "Northern Darfur"),
    ("Mosul, Iraq: Five bodies were found.", "Mosul", "Iraq", "IQ", "Nineveh"),
    ("Raid on compound\n\nKANDAHAR, Afghanistan (Jan. 4, 2012)\nA patrol was attacked.", "Kandahar", "Afghanistan",
     "AF", "Kandahar"),
    ("DUBBO, N.S.W. — A man was stabbed.", "Dubbo", "N.S.W.", "AU", "New South Wales"),
])
def test_dateline_town_region_and_country(read, text, town, region, country, admin1):
    d = read(text)
    assert (d.town, d.region, d.country, d.admin1) == (town, region, country, admin1)


def test_region_abbreviation_picks_the_namesake_in_that_state(read):
    # the largest Springfield is in Missouri; the dateline says Illinois
    illinois = read("SPRINGFIELD, Ill. — Two men were shot.")
    missouri = read("SPRINGFIELD, Mo. (AP) — Two men were shot.")
    assert (illinois.place.admin1, illinois.place.country) == ("Illinois", "US")
    assert (missouri.place.admin1, missouri.place.country) == ("Missouri", "US")


def test_region_of_several_words_with_of_or_and(read):
    """"Democratic Republic of the Congo", "Bosnia and Herzegovina": a country named with "of" or "and" is a
    region; a dated dateline whose region the gazetteer does not know is still a dateline, its date the day
    of filing."""
    d = read("BENI, Democratic Republic of the Congo, June 9 (GLW) - Rebels attacked Oicha overnight.")
    assert (d.town, d.region, d.country, d.date_text) == ("Beni", "Democratic Republic of the Congo", "CD", "June 9")
    d = read("SREBRENICA, Bosnia and Herzegovina (AP) — Mourners gathered.")
    assert (d.town, d.region, d.country) == ("Srebrenica", "Bosnia and Herzegovina", "BA")
    d = read("BENI, Democratic Republic of Kongo, June 9 (GLW) - Rebels attacked Oicha overnight.")
    assert (d.town, d.region, d.date_text) == ("Beni", None, "June 9")


def test_dateline_date_is_kept_as_written(read):
    assert read("EL FASHER, Sudan, March 3 (AP) — Shelling hit the market.").date_text == "March 3"


@pytest.mark.parametrize("text", [
    "Gunmen killed four people - police said.",
    "UPDATE — the toll has risen.",
    "Update: the toll has risen.",
    "Monday, March 3 — a day of strikes.",
    "Militants attacked the base, officials said.\nNo group claimed it.",
])
def test_openings_that_are_no_dateline(read, text):
    assert read(text) is None


def test_unknown_town_keeps_the_region_of_its_dateline(read):
    d = read("WESTBROOKVILLE, Ill. — A deputy was shot.")
    assert d.place is None
    assert d.record() == {"name": "Westbrookville", "geonameid": None, "admin1": "Illinois", "country": "US",
                          "lat": None, "lon": None, "precision": None, "toponym": "Westbrookville",
                          "qualifier": None, "from_dateline": True}


def test_facts_without_a_place_take_the_dateline_town(pipeline):
    records = extract(pipeline, "SPRINGFIELD, Ill. (AP) — Gunmen opened fire outside a bar. "
                                "Two people were killed and three were wounded.", "2024-03-06")
    places = {(r["outcome"], r["place"]["name"], r["place"]["admin1"], r["place"].get("from_dateline"))
              for r in facts(records, "casualty")}
    assert places == {("killed", "Springfield", "Illinois", True), ("injured", "Springfield", "Illinois", True)}


def test_a_place_named_in_the_sentence_beats_the_dateline(pipeline):
    records = extract(pipeline, "KYIV, Ukraine (Reuters) — A missile killed four civilians in Kharkiv.",
                      "2024-03-06")
    place = facts(records, "casualty")[0]["place"]
    assert (place["name"], place["country"], "from_dateline" in place) == ("Kharkiv", "UA", False)


def test_dateline_country_decides_between_namesakes_in_the_body(pipeline):
    # the larger Tripoli is Libya's; a story filed from Beirut means Lebanon's
    records = extract(pipeline, "BEIRUT, Lebanon (Reuters) — Clashes killed three people in Tripoli.", "2024-03-06")
    assert facts(records, "casualty")[0]["place"]["country"] == "LB"


def test_dateline_region_decides_between_namesakes_in_the_body(pipeline):
    records = extract(pipeline, "SPRINGFIELD, Ill. — Police said two men were killed on Monday at a house in "
                                "Springfield.", "2024-03-06")
    place = facts(records, "casualty")[0]["place"]
    assert (place["country"], place["admin1"], "from_dateline" in place) == ("US", "Illinois", False)


def test_street_names_are_not_towns(pipeline):
    # "Main" is a town in Jordan; "Elm Avenue" is a street: the place is the town
    records = extract(pipeline, "Two people were shot dead on Main Street in Gainesville.", "2024-03-06")
    place = facts(records, "casualty")[0]["place"]
    assert (place["name"], place["admin1"]) == ("Gainesville", "Florida")
    records = extract(pipeline, "GAINESVILLE, Fla. — A man was killed on Elm Avenue on Monday.", "2024-03-06")
    place = facts(records, "casualty")[0]["place"]
    assert (place["name"], place.get("from_dateline")) == ("Gainesville", True)


def test_capitalised_common_words_are_no_places(pipeline):
    for text in ("Two people were killed at the Bank on Monday.",
                 "Two men were wounded outside the Police headquarters."):
        assert facts(extract(pipeline, text, "2024-03-06"), "casualty")[0]["place"] is None, text
