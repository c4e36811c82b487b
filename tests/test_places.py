"""Place mentions in token ranges: each recognition rule, qualifiers and precision, and false friends.

Every sentence here is written for these tests.
"""
from __future__ import annotations

import pytest

from warmonitor.nlp.pipeline import build_language
from warmonitor.nlp.tokens import TokenView
from warmonitor.resolve.gazetteer import Gazetteer
from warmonitor.resolve.places import PlaceFinder, PlaceMention


@pytest.fixture(scope="module")
def nlp():
    return build_language()


@pytest.fixture(scope="module")
def finder() -> PlaceFinder:
    return PlaceFinder(Gazetteer(user_dir=False))


@pytest.fixture(scope="module")
def find(nlp, finder):
    def run(text: str, country: str | None = "SY") -> list[PlaceMention]:
        view = TokenView(nlp(text))
        return finder.find(view, 0, len(view), country=country)
    return run


def one(mentions: list[PlaceMention], text: str) -> PlaceMention:
    hits = [m for m in mentions if m.text == text]
    assert len(hits) == 1, [(m.text, m.place.name) for m in mentions]
    return hits[0]


def texts(mentions: list[PlaceMention]) -> list[str]:
    return [m.text for m in mentions]


# --- names and spelling variants ------------------------------------------------------------------

def test_town_names_as_news_spells_them(find):
    found = find("Shelling hit Ma'arrat al-Nu'man, Kafr Nabl, Khan Sheikhoun and Deir Ezzor on Monday.")
    assert texts(found) == ["Ma'arrat al-Nu'man", "Kafr Nabl", "Khan Sheikhoun", "Deir Ezzor"]
    assert [m.place.admin1 for m in found] == ["Idlib", "Idlib", "Idlib", "Deir ez-Zor"]
    assert all(m.precision == 1 and m.qualifier is None for m in found)


def test_token_indices_and_record(nlp, finder):
    view = TokenView(nlp("Two shells fell on al-Bab yesterday."))
    [m] = finder.find(view, 0, len(view), country="SY")
    assert (m.start, m.end, m.text) == (4, 7, "al-Bab")
    assert view[m.start:m.end].text == "al-Bab"
    record = m.to_record()
    assert record["name"] == "Al Bāb" and record["geonameid"] == 174018 and record["precision"] == 1
    assert record["text"] == "al-Bab" and record["qualifier"] is None and record["admin1"] == "Aleppo"


def test_only_the_range_is_read(nlp, finder):
    view = TokenView(nlp("Aleppo was quiet. Strikes hit Saraqib."))
    start = view.sent_starts[1]
    assert texts(finder.find(view, start, len(view), country="SY")) == ["Saraqib"]


def test_curated_places(find):
    found = find("Families fled from Sarmada to the Atmeh camps and to Sheikh Barakat Mountain near Daret Azza.")
    assert texts(found)[:3] == ["Sarmada", "Atmeh camps", "Sheikh Barakat Mountain"]
    assert found[2].place.name == "Jabal Sheikh Barakat" and found[2].place.kind == "curated"


# --- provinces, districts, countryside ------------------------------------------------------------

def test_province_and_governorate_are_the_first_level_division(find):
    found = find("Clashes in Idlib province and in the Aleppo Governorate left 12 dead.")
    assert texts(found) == ["Idlib province", "Aleppo Governorate"]  # "Aleppo" inside it is one mention
    assert all(m.place.kind == "admin1" and m.precision == 3 for m in found)


def test_district_is_the_second_level_division(find):
    m = one(find("Displaced people reached Jisr al-Shughur district."), "Jisr al-Shughur district")
    assert m.place.kind == "admin2" and m.precision == 3


def test_countryside_and_rural(find):
    found = find("Strikes hit the Idlib countryside, rural Hama and the countryside of Homs.")
    assert texts(found) == ["Idlib countryside", "rural Hama", "the countryside of Homs"]
    assert all(m.precision == 2 for m in found)
    assert [m.qualifier for m in found] == ["countryside", "rural", "countryside"]
    assert all(m.place.kind == "admin1" for m in found)


def test_rural_damascus_is_rif_dimashq(find):
    m = one(find("Three civilians were killed in rural Damascus."), "rural Damascus")
    assert m.place.name == "Rif-dimashq" and m.precision == 2


def test_plural_provinces_apply_to_each_name(find):
    found = find("Aid reached Idlib, Hama and Latakia provinces.")
    assert texts(found) == ["Idlib", "Hama", "Latakia provinces"]
    assert all(m.place.kind == "admin1" and m.precision == 3 for m in found)


def test_region_and_oblast(find):
    found = find("Russian forces advanced in Donetsk region and shelled Kharkiv oblast.", country="UA")
    assert [(m.place.kind, m.precision) for m in found] == [("admin1", 3), ("admin1", 3)]


# --- directions and nearness ----------------------------------------------------------------------

@pytest.mark.parametrize("sentence, text, qualifier, precision, kind", [
    ("Fighting raged in western Aleppo on Sunday.", "western Aleppo", "western", 2, "city"),
    ("Aid is scarce in northwestern Syria.", "northwestern Syria", "northwestern", 3, "country"),
    ("Drones struck south of Idlib overnight.", "south of Idlib", "south of", 2, "city"),
    ("A village 10 km north-west of Saraqib was hit.", "north-west of Saraqib", "north-west of", 2, "city"),
    ("Troops massed near Saraqib.", "near Saraqib", "near", 2, "city"),
    ("Shells fell on the outskirts of Damascus.", "the outskirts of Damascus", "outskirts of", 2, "city"),
    ("Rebels attacked positions outside Hama.", "outside Hama", "outside", 2, "city"),
    ("They fought close to Manbij.", "close to Manbij", "close to", 2, "city"),
    ("Clashes spread in southern Idlib province.", "southern Idlib province", "southern", 3, "admin1"),
    ("A convoy was hit near the town of Saraqib.", "near the town of Saraqib", "near", 2, "city"),
    ("Civilians fled the northern Aleppo countryside.", "northern Aleppo countryside", "northern countryside", 2,
     "admin1"),
])
def test_directional_phrases(find, sentence, text, qualifier, precision, kind):
    m = one(find(sentence), text)
    assert (m.qualifier, m.precision, m.place.kind) == (qualifier, precision, kind)


def test_descriptor_without_qualifier_keeps_the_town(find):
    m = one(find("Residents of the rebel-held town of Saraqib fled."), "Saraqib")
    assert m.precision == 1 and m.qualifier is None


# --- roads ----------------------------------------------------------------------------------------

def test_highways(find):
    found = find("Traffic on the M4 highway stopped; the M5 was cut near Maarat al-Numan.")
    assert texts(found)[:2] == ["M4 highway", "M5"]
    assert all(m.place.feature_code == "RD" and m.precision == 2 for m in found[:2])
    assert found[0].place.note


def test_a_rifle_is_not_a_road(find):
    assert find("He carried an M4 rifle and an M16.") == []


# --- false friends --------------------------------------------------------------------------------

@pytest.mark.parametrize("sentence", [
    "The reporter told Al Jazeera about it.",
    "Al-Jazeera aired the footage.",
    "Mr Hama told reporters he would stay.",
    "Hama said the talks had failed.",
    "Ahmad Hama, a teacher, was detained.",
    "The Aleppo Media Center published photos.",
    "Police said the man was arrested in March.",
    "Mark was not at the meeting on Sunday.",
    "It was nice to see them; the bar was full.",
    "Of the 40 people, 12 were children.",
    "The price of aleppo soap rose, and hama was lower case.",
    "The strike happened in May, not June.",
    "Northern and Southern commanders met.",
    "A US-led coalition and a UK-based monitor disagree.",
])
def test_false_friends_are_not_places(find, sentence):
    assert find(sentence) == [], [(m.text, m.place.name) for m in find(sentence)]


def test_person_named_hama_but_the_city_still_found(find):
    found = find("Mr Hama said the shelling of Hama had stopped.")
    assert texts(found) == ["Hama"]
    assert found[0].start == 6  # the second "Hama"


def test_common_word_town_needs_a_place_preposition(find):
    [m] = find("Police in Nice arrested a man.", country="FR")
    assert m.text == "Nice" and m.place.country == "FR"
    assert find("Police in Nice arrested a man.", country="SY") == []  # a Syrian story: not that Nice
    assert find("Nice weather returned.", country="FR") == []


def test_country_abbreviations_and_all_caps_datelines(find):
    found = find("ALEPPO, Syria (AP) - US and UK envoys met in Damascus.")
    assert texts(found) == ["ALEPPO", "Syria", "US", "UK", "Damascus"]
    assert find("The UN and the WHO said so.") == []


# --- disambiguation -------------------------------------------------------------------------------

def test_country_context_and_trailing_country(find):
    assert find("Protests in Tripoli.", country="LB")[0].place.country == "LB"
    assert find("Protests in Tripoli.", country="LY")[0].place.country == "LY"
    found = find("Protests in Tripoli, Lebanon, spread.", country="LY")
    assert found[0].place.country == "LB" and found[1].place.kind == "country"


def test_population_decides_without_context(find):
    assert find("Strikes on Aleppo.", country=None)[0].place.country == "SY"
    assert find("Floods in Paris.", country=None)[0].place.country == "FR"


def test_title_case_headline(find):
    found = find("Airstrikes Kill 12 In Idlib Province As Fighting Rages Near Saraqib")
    assert [(m.text, m.precision) for m in found] == [("Idlib Province", 3), ("Near Saraqib", 2)]


def test_gaza_and_ukraine(find):
    found = find("Strikes hit Jabalia camp, Khan Younis and the Rafah crossing.", country="PS")
    assert texts(found) == ["Jabalia camp", "Khan Younis", "Rafah crossing"]
    found = find("Russian troops shelled Chasiv Yar, west of Bakhmut.", country="UA")
    assert texts(found) == ["Chasiv Yar", "west of Bakhmut"]
    assert found[1].qualifier == "west of" and found[1].precision == 2
