"""Trap classes: numbers that are not counts (ages, percentages, years, durations, money, ordinals,
distances, ranks), events that did not happen (fears, hypotheticals, projections), and a figure the
headline and the body both give (counted once in the summary). Texts are invented for the tests.
"""
from __future__ import annotations

import pytest

from conftest import bests, count_numbers, extract, facts, show, summary_of

EVENT_TYPES = ("casualty", "displacement", "attack", "control")


def killed_total(recs) -> int:
    return (summary_of(recs).get("killed") or {}).get("total") or 0


# ==================================================================================================
# numbers that are never counts

@pytest.mark.parametrize("text, not_counts", [
    # ages
    ("A seven-month-old boy was among those killed in the strike on Ariha.", {7}),
    ("A 12-year-old was injured by a sniper in Taiz on Sunday.", {12}),
    ("The victims, aged 9 and 14, were playing outside when the shell landed.", {9, 14}),
    ("Ahmed Karimi, 34, was wounded in the leg by shrapnel.", {34}),
    # percentages
    ("Around 70 percent of the city's residents have fled.", {70}),
    ("Food prices rose by 40% after the siege began.", {40}),
    ("Nearly 60 per cent of the homes in the district were damaged.", {60}),
    # years
    ("The camp has sheltered displaced families since 2013.", {2013}),
    ("The war that began in 2011 has killed hundreds of thousands.", {2011}),
    # durations
    ("The siege of the town began nine years ago.", {9}),
    ("After five days of fighting, the town fell silent.", {5}),
    ("Families have been sheltering in the school for three months.", {3}),
    # money
    ("Donors pledged $500 million for the displaced families of the region.", {500, 500_000_000}),
    ("The UN appealed for 3.4 billion dollars to help people displaced by the war.", {3, 4, 3_400_000_000}),
    # ordinals
    ("It was the third attack on the market this month.", {3}),
    ("The 25th Brigade shelled the village for a second day.", {25, 2}),
    # distances
    ("The camp lies 15 kilometres from the border.", {15}),
    ("Thousands of families fled to a camp 30 km north of the city.", {30}),
    # frequencies
    ("\"The planes came back three times,\" said Omar Farouk, a rescuer in the town.", {3}),
    ("Families in the camp receive food twice a month and water four times a week.", {2, 4}),
    # rooms and dwellings, speeds
    ("Gunmen kicked open the door of apartment 304 and shot two residents.", {304}),
    ("The wounded were moved to room 12 of the hospital in Sumy.", {12}),
    ("The truck was doing 60 mph when the drone hit it.", {60}),
    # names with their ages in a list
    ("Karim Haddad, 66 and Leila Haddad, 64 were found dead in their home in Jenin.", {66, 64}),
    # ranks
    ("Fighting has now reached two of the four largest cities in the country.", {2, 4}),
    ("Aleppo is one of the three biggest cities hit by the airstrikes.", {1, 3}),
])
def test_not_a_count(pipeline, text, not_counts):
    recs = extract(pipeline, text)
    assert not (count_numbers(recs) & not_counts), show(recs)


@pytest.mark.parametrize("text, people", [
    # things counted beside people: vehicles, weapons, convoys, areas, groups
    ("Militants torched 14 houses and 3 vehicles in the village, killing two people.", [2]),
    ("A convoy of 40 trucks carrying 300 troops was ambushed near Gao; four soldiers died.", [4]),
    ("The army said it fired 20 rockets at the positions, killing nine fighters.", [9]),
    ("The floods and clashes displaced 1,200 families across three districts.", [1200]),
    ("Four groups claimed the attack in which eleven police officers were killed.", [11]),
    ("One armoured vehicle was destroyed and two soldiers were killed in Marib.", [2]),
    ("30 shots were fired and one man was killed in the raid.", [1]),
    # a singular noun before a noun of people modifies it: they are people
    ("Two truck drivers were killed when the bridge was shelled.", [2]),
    ("Three village elders were killed in the raid on Kandahar.", [3]),
])
def test_counts_of_things_are_no_people(pipeline, text, people):
    recs = extract(pipeline, text)
    assert sorted(bests(recs, "casualty") + bests(recs, "displacement")) == people, show(recs)


def test_age_beside_a_real_count(pipeline):
    recs = extract(pipeline, "Five people, including a 12-year-old girl, were killed by shelling in Kherson.")
    assert bests(recs, "casualty", outcome="killed") == [5], show(recs)
    assert 12 not in count_numbers(recs), show(recs)
    assert killed_total(recs) == 5


def test_age_of_a_single_victim_is_not_the_count(pipeline):
    recs = extract(pipeline, "A seven-month-old boy was killed in the strike on Ariha.")
    assert 7 not in count_numbers(recs), show(recs)
    assert killed_total(recs) in (0, 1), summary_of(recs)


def test_year_beside_a_real_count(pipeline):
    recs = extract(pipeline, "In 2019, 400 civilians were killed in the province.")
    assert bests(recs, "casualty", outcome="killed") == [400], show(recs)
    assert 2019 not in count_numbers(recs)


def test_date_beside_a_real_count(pipeline):
    recs = extract(pipeline, "On 12 March, shelling killed three civilians in Kupiansk.")
    assert bests(recs, "casualty", outcome="killed") == [3], show(recs)
    assert 12 not in count_numbers(recs)


def test_ages_beside_a_real_count(pipeline):
    recs = extract(pipeline, "A 10-year-old girl and her 45-year-old mother were among 14 people killed in the strike.")
    assert bests(recs, "casualty", outcome="killed") == [14], show(recs)
    assert not (count_numbers(recs) & {10, 45}), show(recs)


def test_distance_beside_a_real_count(pipeline):
    recs = extract(pipeline, "Shelling hit a village 20 km south of Idlib, killing four civilians.")
    assert bests(recs, "casualty", outcome="killed") == [4], show(recs)
    assert 20 not in count_numbers(recs)


def test_percentage_beside_a_real_count(pipeline):
    recs = extract(pipeline, "Shelling killed 40 civilians last month, 25 percent more than in June.")
    assert bests(recs, "casualty", outcome="killed") == [40], show(recs)
    assert 25 not in count_numbers(recs)


def test_money_beside_a_real_count(pipeline):
    recs = extract(pipeline, "The $2 million appeal will help 3,000 families who fled the fighting in Marib.")
    assert 2 not in count_numbers(recs) and 2_000_000 not in count_numbers(recs), show(recs)


def test_ordinal_beside_a_real_count(pipeline):
    recs = extract(pipeline, "For the second time this week, an airstrike killed eight civilians in Saraqib.")
    assert bests(recs, "casualty", outcome="killed") == [8], show(recs)
    assert 2 not in count_numbers(recs)


# ==================================================================================================
# fears, hypotheticals, projections

@pytest.mark.parametrize("text, type_", [
    ("Aid workers fear more people will be killed if the fighting continues.", "casualty"),
    ("A ground offensive could kill thousands of civilians, the UN warned.", "casualty"),
    ("Doctors warned that hundreds of patients may die without fuel.", "casualty"),
    ("Up to 500,000 people could be displaced if the offensive goes ahead.", "displacement"),
    ("More than a million people may be forced to flee in the coming weeks.", "displacement"),
    ("The agency is preparing for up to 100,000 new arrivals by the end of the year.", "displacement"),
    ("The strikes could have killed dozens if the school had been full.", "casualty"),
])
def test_hypotheticals_are_not_events(pipeline, text, type_):
    recs = extract(pipeline, text)
    assert facts(recs, type_) == [], show(recs)
    summary = summary_of(recs)
    assert not (summary.get("killed") or {}).get("total"), summary
    assert not (summary.get("displaced") or {}).get("total"), summary


def test_toll_expected_to_rise(pipeline):
    recs = extract(pipeline, "At least 30 people were killed in the blast, and the toll is expected to rise.")
    assert bests(recs, "casualty", outcome="killed") == [30], show(recs)
    assert killed_total(recs) == 30


def test_fear_beside_a_real_event(pipeline):
    recs = extract(pipeline, "Shelling killed eight civilians in Kherson on Monday. Officials fear many more "
                             "people will be killed in the coming days.")
    assert bests(recs, "casualty", outcome="killed") == [8], show(recs)
    assert killed_total(recs) == 8


# ==================================================================================================
# headline and body repeating one figure

@pytest.mark.parametrize("text, total", [
    ("Airstrike kills 15 at market in Idlib\n\n"
     "An airstrike killed 15 people at a crowded market in Idlib on Monday, rescuers said.", 15),
    ("15 civilians killed in Idlib airstrike\n\n"
     "At least 15 civilians were killed when an airstrike hit a market in Idlib on Monday. "
     "\"We counted 15 bodies,\" said Omar Farouk, a rescuer at the scene.", 15),
    ("Shelling kills nine in Kherson\n\n"
     "Russian shelling killed nine people in Kherson on Sunday, the regional governor said. "
     "The nine victims were waiting at a bus stop.", 9),
])
def test_headline_and_body_counted_once(pipeline, text, total):
    recs = extract(pipeline, text)
    assert killed_total(recs) == total, f"{summary_of(recs)}\n{show(recs)}"


def test_repeated_displacement_figure_counted_once(pipeline):
    recs = extract(pipeline, "12,000 flee fighting in Sake\n\n"
                             "About 12,000 people fled Sake this week as fighting moved closer to the town, "
                             "officials said.")
    displaced = summary_of(recs).get("displaced") or {}
    assert displaced.get("total") == 12_000, show(recs)
