"""Counts a monitor publishes: numbers that are no victims, later deaths, and one figure per report.

Every sentence here is invented, in the manner of wire, local and NGO reporting from several
conflicts. Each test fails without the rule it names.
"""
from __future__ import annotations

import pytest

from conftest import count_numbers, extract, facts, show, summary_of


def casualty_bests(recs, outcome: str) -> list:
    return [r["count"]["best"] for r in facts(recs, "casualty", outcome=outcome)]


# ------------------------------------------------------------------ numbers that are not victims

@pytest.mark.parametrize("text, not_counts", [
    # a telephone number dialled (quantities read "911 calls", not "called 911")
    ("Residents dialled 112 as the shelling went on; two people were killed in the market.", {112}),
    ("A neighbour called 911 after the gunman killed a guard at the clinic.", {911}),
    # an age after a name, closing the sentence or a list, or giving a hometown
    ("Killed were Ahmad Saleh, 34, and his cousin Omar Saleh, 29.", {34, 29}),
    ("The dead included Yusuf Adam, 32 of Nyala, who drove an ambulance.", {32}),
    ("The raid killed Hamid Karimi, 41 — a teacher — near the bazaar.", {41}),
    ("The three brothers, all 23, were killed at the checkpoint near Hebron.", {23}),
    # a broadcaster's channel and a gallery's photo numbers
    ("Footage aired on Channel 4 showed the bodies of 12 people in the village.", {4}),
    ("Image 5 of 12 Rescuers search the rubble in Kharkiv, where three people died.", {5, 12}),
])
def test_numbers_that_are_no_victims(pipeline, text, not_counts):
    recs = extract(pipeline, text)
    assert not (count_numbers(recs) & not_counts), show(recs)


@pytest.mark.parametrize("text, killed", [
    ("In Aleppo, 12 people were killed when the market was shelled.", 12),
    ("In Homs, 12 of the dead were children, the monitor said.", 12),
])
def test_counts_after_a_comma_or_a_call_stay_counts(pipeline, text, killed):
    recs = extract(pipeline, text)
    assert killed in casualty_bests(recs, "killed"), show(recs)


# ------------------------------------------------------------------ later deaths, the unharmed

def casualty_rules(recs) -> list[tuple]:
    return [(r["outcome"], r["victims"], r["count"]["best"], r["rule"]) for r in facts(recs, "casualty")]


def totals(recs) -> dict:
    s = summary_of(recs)
    return {k: s[k]["total"] for k in ("killed", "injured") if k in s}


def test_one_of_the_wounded_later_died(pipeline):
    recs = extract(pipeline, "Two people were killed and three wounded when a drone struck a car near Kherson. "
                             "One of the wounded later died in hospital.")
    assert casualty_rules(recs) == [("killed", "people", 2, "casualty.outcome.nearest-trigger"),
                                    ("injured", "people", 2, "casualty.later-died.fewer-wounded"),
                                    ("killed", "people", 3, "casualty.later-died")], show(recs)
    assert totals(recs) == {"killed": 3, "injured": 2}


@pytest.mark.parametrize("text, killed, injured", [
    ("Three soldiers were wounded in the ambush in Helmand. One later died of his wounds.", 1, 2),
    ("Five civilians were injured in the shelling of Idlib, two of whom later succumbed to their injuries.", 2, 3),
    ("Two aid workers were wounded when their convoy was hit near El Fasher. Both later died in hospital.", 2, None),
    ("Two men were shot dead at the checkpoint near Nablus. A third died in hospital the next day.", 3, None),
])
def test_later_deaths_move_the_wounded_to_the_dead(pipeline, text, killed, injured):
    recs = extract(pipeline, text)
    assert totals(recs) == {k: v for k, v in (("killed", killed), ("injured", injured)) if v is not None}, show(recs)
    assert "casualty.later-died" in {r["rule"] for r in facts(recs, "casualty")}


@pytest.mark.parametrize("text", [
    "Two civilians were wounded before a third strike hit the bakery in Taiz.",
    "Two soldiers were wounded; a second patrol was hit later in the day.",
    "Three people were wounded in Mariupol. Dozens have died in the city since the siege began.",
])
def test_no_later_death_without_a_death_of_the_wounded(pipeline, text):
    recs = extract(pipeline, text)
    assert not [r for r in facts(recs, "casualty") if r["rule"].startswith("casualty.later-died")], show(recs)


@pytest.mark.parametrize("text", [
    "The driver escaped unhurt when the roadside bomb hit his truck near Kandahar.",
    "A drone hit a house in Kharkiv overnight; the family was unharmed, officials said.",
])
def test_unharmed_is_a_zero(pipeline, text):
    recs = extract(pipeline, text)
    assert totals(recs) == {"killed": 0, "injured": 0}, show(recs)


def test_a_zero_never_outweighs_a_figure(pipeline):
    recs = extract(pipeline, "The driver escaped unhurt. Two passengers were killed when the bomb hit the bus "
                             "near Kandahar.")
    assert totals(recs)["killed"] == 2, show(recs)


# ------------------------------------------------------------------ one figure per report (link/records.py)

def fact(text, n, rule, outcome="killed"):
    from link_helpers import casualty, place
    rec = casualty(text, n, outcome=outcome, where=place("Kafr Dunya"), day="2025-03-03", cause="airstrike")
    return dict(rec, rule=rule)


def record_of(facts_):
    from link_helpers import article
    from warmonitor.link.linker import link_articles
    [record] = link_articles([article("valley-1", "2025-03-03", "An airstrike hit Kafr Dunya.", facts_)]).incidents()
    return record


ONE = "casualty.individual.one-described"
STATED = "casualty.outcome.nearest-trigger"


def test_a_toll_stated_twice_beats_victims_told_one_by_one():
    record = record_of([fact("Airstrike kills three in Kafr Dunya", 3, STATED),
                        fact("An airstrike killed three people in Kafr Dunya on Monday.", 3, STATED),
                        fact("A 20-year-old man was killed on his way to the bakery.", 1, ONE),
                        fact("A woman was killed in her kitchen.", 1, ONE),
                        fact("A boy was killed near the mosque.", 1, ONE)])
    assert record["killed"]["best"] == 3


def test_a_figure_above_zero_beats_stated_zeros():
    record = record_of([fact("An airstrike killed two people in Kafr Dunya.", 2, STATED),
                        fact("No one was hurt in the second strike.", 0, "casualty.individual.none"),
                        fact("The driver escaped unhurt.", 0, "casualty.individual.unharmed")])
    assert record["killed"]["best"] == 2


def test_a_precise_figure_beats_a_vague_one():
    from link_helpers import count
    dozens = count(None, low=24, high=99, qualifier="dozens")
    record = record_of([fact("Dozens killed in Kafr Dunya airstrike", dozens, STATED),
                        fact("Dozens of people were killed, medics said.", dozens, STATED),
                        fact("The health ministry said 27 people were killed.", 27, STATED)])
    assert record["killed"]["best"] == 27


def test_later_deaths_are_the_latest_state_of_a_report():
    record = record_of([fact("Two people were killed and three wounded.", 2, STATED),
                        fact("Two people were killed and three wounded.", 3, STATED, outcome="injured"),
                        fact("One of the wounded later died in hospital.", 2, "casualty.later-died.fewer-wounded",
                             outcome="injured"),
                        fact("One of the wounded later died in hospital.", 3, "casualty.later-died")])
    assert (record["killed"]["best"], record["injured"]["best"]) == (3, 2)


def test_one_person_unharmed_does_not_contradict_another_reports_toll():
    from link_helpers import article
    from warmonitor.link.linker import link_articles
    [record] = link_articles([
        article("valley-1", "2025-03-03", "An airstrike killed two people in Kafr Dunya.",
                [fact("An airstrike killed two people in Kafr Dunya.", 2, STATED)]),
        article("herald-1", "2025-03-04", "A woman escaped the airstrike on Kafr Dunya unharmed.",
                [fact("A woman escaped the airstrike on Kafr Dunya unharmed.", 0, "casualty.individual.unharmed")]),
    ]).incidents()
    assert record["killed"]["best"] == 2 and record["status"] != "contested", record


# ------------------------------------------------------------------ totals and their parts in one article

@pytest.mark.parametrize("text, killed", [
    # separate groups are added
    ("Four adults and two children were killed when the shell hit the shelter in Kramatorsk.", 6),
    ("Troops killed 20 soldiers and 10 militants in the fighting near Marib.", 30),
    # "another N" adds to the toll told before it, once
    ("Eleven people were killed in the bombing in Mogadishu, and another four died in hospital.", 15),
    ("Fifteen killed in Mogadishu bombing. Eleven people were killed in the bombing in Mogadishu, and another "
     "four died in hospital.", 15),
    # another sentence's "another N" is most often another place of a daily report
    ("Thirty people were killed in Aleppo province. Another 39 were killed in airstrikes in Idlib.", 30),
    ("Strikes killed at least 39 people, more than half of them civilians, in Idlib.", 39),
    # the whole after "among" is the toll, the figure before it a part
    ("Seven children were among the 31 dead in the strike on Saraqib.", 31),
    # a partitive is a part, never another group
    ("The group documented the deaths of 12 civilians, three of them children, in the strike on Ariha.", 12),
])
def test_totals_and_parts(pipeline, text, killed):
    recs = extract(pipeline, text)
    assert summary_of(recs)["killed"]["total"] == killed, show(recs)


def test_another_n_adds_in_the_incident_figure_within_its_sentence():
    told = "Eleven people were killed in the bombing, and another four died in hospital."
    record = record_of([fact(told, 11, STATED), fact(told, 4, "casualty.more")])
    assert record["killed"]["best"] == 15
    record = record_of([fact("Eleven people were killed in the bombing.", 11, STATED),
                        fact("Another four died in a separate raid on the outskirts.", 4, "casualty.more")])
    assert record["killed"]["best"] == 11


def test_a_toll_that_rose_within_a_report_is_its_figure():
    record = record_of([fact("Airstrike kills two in Kafr Dunya", 2, STATED),
                        fact("Two people were killed in the airstrike on Monday.", 2, STATED),
                        fact("The death toll rose to five on Tuesday as rescuers searched the rubble.", 5, STATED)])
    assert record["killed"]["best"] == 5


@pytest.mark.parametrize("text, killed", [
    ("Drunk drivers kill thousands of people every year in the region.", None),
    ("On average, 12 civilians are wounded each day in the besieged city.", None),
    ("Two people were killed a day after the truce began in Taiz.", 2),
    ("The monitor's daily report said four civilians were killed in Sarmin.", 4),
])
def test_a_rate_is_no_toll(pipeline, text, killed):
    recs = extract(pipeline, text)
    assert (summary_of(recs).get("killed") or {}).get("total") == killed, show(recs)
    assert "injured" not in summary_of(recs), show(recs)


# ------------------------------------------------------------------ victims told by name

@pytest.mark.parametrize("text, outcome", [
    ("Ali Hassan Omar, 26, was pronounced dead at the scene, the health office said.", "killed"),
    ("Fatima Abdallah Idris, 18, of Nyala, died on Tuesday afternoon at the hospital.", "killed"),
    ("The militia is accused of killing 34-year-old Yusuf Adam Musa at the market.", "killed"),
    ("Hamid Karimi Zadeh was wounded by shrapnel near the bazaar in Lashkar Gah.", "injured"),
])
def test_a_named_victim_is_one(pipeline, text, outcome):
    recs = extract(pipeline, text)
    assert [(r["outcome"], r["count"]["best"], r["rule"]) for r in facts(recs, "casualty")] == \
        [(outcome, 1, "casualty.individual.named")], show(recs)


@pytest.mark.parametrize("text", [
    "Ahmad Saleh Darwish shot and killed two guards at the gate.",       # a name that acts
    "Spokesman Omar Haddad said no one was killed in the raid.",         # a name that speaks
])
def test_a_name_that_acts_or_speaks_is_no_victim(pipeline, text):
    recs = extract(pipeline, text)
    assert not [r for r in facts(recs, "casualty") if r["rule"] == "casualty.individual.named"], show(recs)


@pytest.mark.parametrize("text, outcome, victims", [
    ("Soldier wounded in Kandahar roadside blast", "injured", "fighters"),
    ("Teenager killed as shell hits Kharkiv school", "killed", "children"),
    ("Man, 66, killed while sitting on a bench in Aleppo", "killed", "civilians"),
])
def test_a_headline_victim_is_one(pipeline, text, outcome, victims):
    recs = extract(pipeline, text)
    assert [(r["outcome"], r["victims"], r["count"]["best"], r["rule"]) for r in facts(recs, "casualty")] == \
        [(outcome, victims, 1, "casualty.individual.headline")], show(recs)


def test_a_plural_headline_noun_is_no_single_victim(pipeline):
    recs = extract(pipeline, "Civilians killed in Idlib strike")
    assert not [r for r in facts(recs, "casualty") if r["rule"] == "casualty.individual.headline"], show(recs)
