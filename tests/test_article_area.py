"""The country and first-level division an article's place names point to decide between towns of
one name when no dateline does (extract/context.py `named_area`).

Every text here is written for these tests.
"""
from __future__ import annotations

from conftest import extract, facts


def test_country_named_most_decides_the_namesake(pipeline):
    records = extract(pipeline, "Clashes killed three people in Tripoli, security sources in Lebanon said. "
                                "The army of Lebanon deployed in the north.", "2024-03-06")
    assert facts(records, "casualty")[0]["place"]["country"] == "LB"


def test_division_named_decides_the_namesake_within_the_country(pipeline):
    # the largest Springfield is in Missouri; the article is about Illinois
    records = extract(pipeline, "Two people were killed in Springfield, state police in Illinois said.",
                      "2024-03-06")
    place = facts(records, "casualty")[0]["place"]
    assert (place["country"], place["admin1"]) == ("US", "Illinois")


def test_a_tie_between_countries_decides_nothing(pipeline):
    records = extract(pipeline, "Clashes killed three people in Tripoli, according to officials in Lebanon and in Libya.",
                      "2024-03-06")
    assert facts(records, "casualty")[0]["place"]["country"] == "LY"


def test_a_town_found_in_one_country_only_points_to_it(pipeline):
    # only Lebanon has a Beirut, so the story's Tripoli is Lebanon's, not Libya's larger one
    records = extract(pipeline, "Clashes killed three people in Tripoli on Monday. The army sent reinforcements "
                                "from Beirut.", "2024-03-06")
    assert facts(records, "casualty")[0]["place"]["country"] == "LB"


def test_a_town_known_elsewhere_only_by_an_old_name_still_points_to_its_country(pipeline):
    # GeoNames lists "Philadelphia" as an old name of Amman; the story's York is Pennsylvania's
    records = extract(pipeline, "Two men were wounded in York on Monday night. It was the third shooting near "
                                "Philadelphia this month.", "2024-03-06")
    place = facts(records, "casualty")[0]["place"]
    assert (place["country"], place["admin1"]) == ("US", "Pennsylvania")
