"""Places read in the article's context: namesakes settled by the region written after the town and by
the other places the article names, names that are not places (organisations, facilities, headline
words, dates), a capital that is a place after "in", and small towns abroad that nothing points to.

Every text here is written for these tests.
"""
from __future__ import annotations

from conftest import extract, facts, summary_of


def place_of(records, type_="casualty"):
    found = facts(records, type_)
    assert found, records
    return found[0]["place"]


def where(place) -> tuple:
    return place["name"], place["admin1"], place["country"]


# --- the region after the town ------------------------------------------------------------------------

def test_town_then_first_level_division_is_the_town_inside_it(pipeline):
    # the largest Alexandria is Egypt's; "Virginia" alone is also a South African town
    records = extract(pipeline, "Police said two men were shot in Alexandria, Virginia, on Tuesday night.",
                      "2024-03-06")
    assert where(place_of(records))[1:] == ("Virginia", "US")
    regions = [p for p in summary_of(records)["places"] if p["name"] == "Virginia"]
    assert [(p["admin1"], p["country"], p["precision"]) for p in regions] == [("Virginia", "US", 3)]


def test_town_then_abbreviated_division(pipeline):
    records = extract(pipeline, "Police said two men were wounded in Alexandria, Va., on Tuesday night.", "2024-03-06")
    place = place_of(records)
    assert (place["toponym"], place["admin1"], place["country"], place["precision"]) == \
        ("Alexandria", "Virginia", "US", 1)


def test_abbreviated_division_elsewhere_in_the_text_places_the_story(pipeline):
    # the headline's "Huntsville, AL" puts the story in Alabama, whose Florence is meant, not Tuscany's
    records = extract(pipeline, "Four hurt in Florence shooting - Channel 9 News, Huntsville, AL\n\n"
                                "Four people were wounded in a shooting in Florence early Friday.", "2024-03-06")
    assert where(place_of(records))[1:] == ("Alabama", "US")


# --- the article's other places ------------------------------------------------------------------------

def test_namesake_near_a_town_named_without_doubt(pipeline):
    # Springfield in Missouri is the largest; Xenia (one namesake) lies next to Ohio's Springfield
    records = extract(pipeline, "A man was shot dead in Springfield on Friday night. The suspect, a 24-year-old "
                                "from Dayton, was arrested in Xenia on Sunday.", "2024-03-06")
    assert where(place_of(records))[1:] == ("Ohio", "US")


def test_conflict_namesake_near_the_other_towns(pipeline):
    # Libya's Tripoli is the larger; Zgharta and Halba are north Lebanese towns
    records = extract(pipeline, "Two people were killed in clashes in Tripoli on Sunday. Reinforcements arrived "
                                "from Zgharta and Halba.", "2024-03-06")
    assert place_of(records)["country"] == "LB"


def test_small_town_abroad_that_nothing_points_to_stays_unresolved(pipeline):
    # a story about Tennessee: England's Whitehaven is not the one meant; the name is kept as written
    records = extract(pipeline, "Police in Tennessee said a man was shot dead in Whitehaven on Sunday.", "2024-03-06")
    place = place_of(records)
    assert (place["name"], place["lat"], place["country"]) == ("Whitehaven", None, "US")
    assert place["admin1"] == "Tennessee"
    # a town abroad next to the story's places is kept: a Turkish border town in a Syrian story
    records = extract(pipeline, "Families fled from Tal Abyad to Akcakale after shelling killed four civilians "
                                "in Raqqa province.", "2024-03-06")
    assert [p["country"] for p in summary_of(records)["places"] if p["name"] == "Akcakale"] == ["TR"]


def test_possessive_inside_a_town_name(pipeline):
    records = extract(pipeline, "A memorial was held in Lee's Summit for the student who was shot dead last week.",
                      "2024-03-06")
    assert [(p["name"], p["admin1"]) for p in summary_of(records)["places"]] == [("Lee's Summit", "Missouri")]


# --- names that are not places ------------------------------------------------------------------------

def test_organisation_name_gives_the_town_inside_it(pipeline):
    records = extract(pipeline, "An officer was wounded outside the Aleppo Health Directorate on Monday.",
                      "2024-03-06")
    assert where(place_of(records)) == ("Aleppo", "Aleppo", "SY")


def test_facility_without_a_known_town_is_no_place(pipeline):
    records = extract(pipeline, "Two people were wounded at the Greene County Detention Center on Monday.",
                      "2024-03-06")
    assert place_of(records) is None
    assert summary_of(records)["places"] == []


def test_headline_event_words_are_not_part_of_the_name(pipeline):
    records = extract(pipeline, "Three Killed In Kramatorsk Missile Strike\n\nRescuers worked through the night "
                                "after the missile hit an apartment block, officials said.", "2024-03-06")
    assert where(place_of(records)) == ("Kramatorsk", "Donetsk", "UA")


def test_a_date_is_no_place(pipeline):
    records = extract(pipeline, "Gunmen killed two men on Aug. 31 in a village, police said.", "2024-03-06")
    assert place_of(records) is None


def test_a_capital_after_in_is_the_place_not_the_government(pipeline):
    records = extract(pipeline, "Three people were killed in Damascus on Monday.", "2024-03-06")
    assert where(place_of(records)) == ("Damascus", "Dimashq", "SY")


def test_small_town_in_another_division_than_the_story_stays_unresolved(pipeline):
    # the gazetteer's only Smithfield is Rhode Island's; the story is about North Carolina
    records = extract(pipeline, "A man was killed in Smithfield on Monday, police in North Carolina said.",
                      "2024-03-06")
    place = place_of(records)
    assert (place["name"], place["lat"], place["admin1"], place["country"]) == \
        ("Smithfield", None, "North Carolina", "US")


def test_a_neighbourhood_is_only_a_namesake_near_the_story(pipeline):
    records = extract(pipeline, "A teenager was shot in the Austin neighborhood on the city's West Side, Chicago "
                                "police said.", "2024-03-06")
    place = place_of(records)
    assert (place["name"], place["lat"], place["admin1"]) == ("Austin neighborhood", None, "Illinois")


# --- "the Idlib town of Saraqib" -------------------------------------------------------------------------

def test_region_before_town_of_is_the_region_and_the_town_is_the_place(pipeline):
    records = extract(pipeline, "Shelling killed four civilians in the Idlib town of Saraqib on Monday.", "2024-03-06")
    assert where(place_of(records)) == ("Saraqib", "Idlib", "SY")
    idlib = [p for p in summary_of(records)["places"] if p["name"] == "Idlib town"]
    assert [p["precision"] for p in idlib] == [3]
    records = extract(pipeline, "Two men were shot dead in the Florida town of Lake Butler on Sunday.", "2024-03-06")
    assert where(place_of(records)) == ("Lake Butler", "Florida", "US")


def test_a_weekday_after_the_town_leaves_it_a_town(pipeline):
    records = extract(pipeline, "Shelling killed two civilians in Hama Monday, activists said.", "2024-03-06")
    assert where(place_of(records)) == ("Hama", "Hama", "SY")


def test_a_street_named_like_a_village_is_no_place(pipeline):
    records = extract(pipeline, "Gunmen fired into a home on Mill Road on Monday, killing a man.", "2024-03-06")
    assert summary_of(records)["places"] == []


def test_a_two_word_town_read_as_a_persons_name_is_still_the_town(pipeline):
    records = extract(pipeline, "Two children were killed when shells fell on Deir Hafer late on Monday.", "2024-03-06")
    assert where(place_of(records)) == ("Deir Hafer", "Aleppo", "SY")
    records = extract(pipeline, "Four people were shot at a party on San Antonio's Northeast Side.", "2024-03-06")
    assert where(place_of(records)) == ("San Antonio", "Texas", "US")
    # a one-word town inside a person's name stays the name
    records = extract(pipeline, "Gunmen killed Ahmad Hama, a local council member, in Saraqib on Monday.", "2024-03-06")
    assert [p["name"] for p in summary_of(records)["places"]] == ["Saraqib"]


def test_an_organisation_word_alone_is_no_place(pipeline):
    records = extract(pipeline, "Two children were killed at Crimestoppers on Monday.", "2024-03-06")
    assert place_of(records) is None


def test_district_then_province_is_no_namesake_abroad(pipeline):
    # the gazetteer's only Karjan is in India; the province named after it says the district is Afghan
    records = extract(pipeline, "Three police officers were killed when insurgents attacked a checkpoint in Karjan "
                                "district, Uruzgan province, on Tuesday.", "2024-03-06")
    assert {p["country"] for p in summary_of(records)["places"]} == {"AF"}
    assert place_of(records)["admin1"] == "Oruzgan"


def test_the_storys_own_country_named_does_not_settle_a_namesake(pipeline):
    # "U.S." names every American Springfield; Trotwood, next to Ohio's, decides
    records = extract(pipeline, "A man was shot dead in Springfield on Friday. U.S. Marshals arrested the suspect "
                                "in Trotwood on Sunday.", "2024-03-06")
    assert where(place_of(records))[1:] == ("Ohio", "US")


def test_a_region_before_village_after_a_is_the_region(pipeline):
    records = extract(pipeline, "Rockets hit a Kherson village on Monday, killing two.", "2024-03-06")
    place = place_of(records)
    assert (place["admin1"], place["country"], place["precision"]) == ("Kherson", "UA", 3)
    records = extract(pipeline, "A man was killed in a shooting in a small Florida town on Sunday.", "2024-03-06")
    assert (place_of(records)["admin1"], place_of(records)["country"]) == ("Florida", "US")


def test_division_name_before_city_is_no_foreign_town_of_that_name(pipeline):
    # Colombia's town named Florida is not "Florida City"; without a country to say which Florida, none
    records = extract(pipeline, "Two men were shot dead in Florida City on Sunday.", "2024-03-06")
    place = place_of(records)
    assert (place["name"], place["lat"], place["country"]) == ("Florida City", None, None)


def test_a_capitalised_side_of_town_is_no_small_town_abroad():
    from warmonitor.nlp.pipeline import build_language
    from warmonitor.nlp.tokens import TokenView
    from warmonitor.resolve.gazetteer import Gazetteer
    from warmonitor.resolve.places import PlaceFinder

    finder, nlp = PlaceFinder(Gazetteer(user_dir=False)), build_language()
    view = TokenView(nlp("Two people were shot on the South Side early Sunday, police said."))
    assert finder.find(view, 0, len(view)) == []
    view = TokenView(nlp("Shelling hit western Saraqib on Monday."))  # a direction in lower case stays one
    assert [(m.text, m.place.admin1, m.precision) for m in finder.find(view, 0, len(view))] == \
        [("western Saraqib", "Idlib", 2)]
