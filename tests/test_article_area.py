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
