"""Victims counted one by one or described without a numeral (extract/individuals.py).

Every sentence here is invented, in the manner of wire, local and NGO reporting from several
conflicts. Each test names the rule it exercises; it fails without that rule.
"""
from __future__ import annotations

import pytest

from conftest import count_numbers, extract, facts, show, summary_of


def counts(recs, **where) -> list[tuple]:
    """(outcome, victims, low, best, high, rule) of each casualty fact matching `where`."""
    out = []
    for r in facts(recs, "casualty", **where):
        c = r["count"]
        out.append((r["outcome"], r["victims"], c["low"], c["best"], c["high"], r["rule"]))
    return out


ONE = "casualty.individual.one-described"


# ----------------------------------------------------------------- one victim described, no numeral

@pytest.mark.parametrize("text, outcome, victims", [
    ("A 15-year-old boy was killed when a shell hit his home in Avdiivka.", "killed", "children"),
    ("A 45-year-old man was shot and killed at a checkpoint near Jenin on Sunday.", "killed", "civilians"),
    ("A young shepherd was wounded by a landmine outside Kadugli.", "injured", "civilians"),
    ("A paramedic was injured when the ambulance came under fire in Khan Younis.", "injured", "medical workers"),
    ("An elderly woman was killed by a drone in Kherson on Tuesday.", "killed", "women"),
    ("The victim, a 34-year-old farmer, died in hospital in Taiz.", "killed", "civilians"),
    ("An insurgent leader was killed in an airstrike in Helmand.", "killed", "fighters"),
    ("The army said militants killed a pilot they captured after his jet came down.", "killed", "fighters"),
])
def test_one_victim_described(pipeline, text, outcome, victims):
    recs = extract(pipeline, text)
    assert counts(recs) == [(outcome, victims, 1, 1, 1, ONE)], show(recs)


def test_one_victim_told_twice_in_apposition(pipeline):
    recs = extract(pipeline, "A man, a 34-year-old farmer, was killed near Jenin.")
    assert counts(recs) == [("killed", "civilians", 1, 1, 1, ONE)], show(recs)


def test_an_age_is_not_the_count(pipeline):
    recs = extract(pipeline, "A 15-year-old boy was shot and killed on Friday night in Mosul.")
    assert 15 not in count_numbers(recs), show(recs)
    assert summary_of(recs)["killed"]["total"] == 1


def test_an_age_alone_is_one_person(pipeline):
    recs = extract(pipeline, "A 16-year-old was wounded by sniper fire in Bakhmut.")
    assert counts(recs) == [("injured", "children", 1, 1, 1, "casualty.individual.age-as-noun")], show(recs)


@pytest.mark.parametrize("text", [
    "Government forces responded to a major rebel offensive in which 12 people were killed.",
    "A civilian car was hit by a drone but the driver escaped; 3 soldiers were killed nearby.",
    "A local woman whose neighbours were among 12 people killed said the jets came at dawn.",
])
def test_a_victim_word_that_describes_another_noun_is_no_victim(pipeline, text):
    recs = extract(pipeline, text)
    assert [c[3] for c in counts(recs)] in ([12], [3]), show(recs)
    assert not [c for c in counts(recs) if c[5] == ONE], show(recs)


# ------------------------------------------------------------------------- groups joined by "and"

@pytest.mark.parametrize("text, whole, parts", [
    ("A woman and her two children were killed in an airstrike on Saturday.", ("civilians", 3),
     [("women", 1), ("children", 2)]),
    ("A man and his son were killed by a landmine outside the village.", ("civilians", 2), []),
    ("A father and son were killed when a drone struck their car near Sumy.", ("civilians", 2), []),
    ("An elderly couple and their baby were killed when the shell hit.", ("civilians", 3), [("children", 1)]),
    ("A man, his wife and their three children were killed in the strike.", ("civilians", 5),
     [("women", 1), ("children", 3)]),
])
def test_a_group_is_counted_once_with_its_members_as_parts(pipeline, text, whole, parts):
    """Members get facts of their own (parts of the whole) only when their class says more."""
    recs = extract(pipeline, text)
    got = facts(recs, "casualty", outcome="killed")
    assert [(r["victims"], r["count"]["best"], r["rule"], r.get("subset_of_previous")) for r in got] == \
        [(whole[0], whole[1], "casualty.individual.group", None)] + \
        [(v, n, "casualty.individual.group-member", True) for v, n in parts], show(recs)
    assert summary_of(recs)["killed"]["total"] == whole[1]


def test_fighters_and_civilians_are_not_merged_into_one_group(pipeline):
    recs = extract(pipeline, "A soldier and two civilians were killed in the blast in Kidal.")
    assert not facts(recs, "casualty", rule="casualty.individual.group"), show(recs)
    killed = summary_of(recs)["killed"]
    assert (killed["fighters"], killed["civilians"], killed["total"]) == (1, 2, 3)


def test_named_members_of_a_larger_toll_are_not_counted(pipeline):
    recs = extract(pipeline, "A nine-year-old girl and her father were among 11 people killed in the strike.")
    assert [c[3] for c in counts(recs)] == [11], show(recs)


# ------------------------------------------------------------ one more, another, a third

def test_a_third_after_two(pipeline):
    recs = extract(pipeline, "Two men were wounded and a third was killed in the attack on the market.")
    assert counts(recs, outcome="killed") == [("killed", "civilians", 1, 1, 1, "casualty.individual.one-more")], \
        show(recs)
    assert [c[3] for c in counts(recs, outcome="injured")] == [2]


def test_another_after_one(pipeline):
    recs = extract(pipeline, "One soldier died and another was wounded when the patrol hit a mine.")
    assert counts(recs, outcome="injured") == [("injured", "fighters", 1, 1, 1, "casualty.individual.one-more")], \
        show(recs)


def test_the_third_strike_is_no_victim(pipeline):
    recs = extract(pipeline, "Two civilians were wounded before the third strike hit the bakery.")
    assert [c[3] for c in counts(recs)] == [2], show(recs)


# --------------------------------------------------------- the same victim told again, pronouns

def test_a_wounded_victim_who_later_died_is_killed_not_both(pipeline):
    recs = extract(pipeline, "A 12-year-old girl was wounded by shrapnel in Kharkiv on Monday. "
                             "The girl later died of her wounds, her uncle said.")
    assert counts(recs) == [("killed", "children", 1, 1, 1, "casualty.individual.died-of-wounds")], show(recs)
    assert "injured" not in summary_of(recs)


def test_a_definite_victim_dies(pipeline):
    recs = extract(pipeline, "The soldier was killed instantly, the brigade said.")
    assert counts(recs) == [("killed", "fighters", 1, 1, 1, "casualty.individual.definite-victim")], show(recs)


def test_a_pronoun_victim(pipeline):
    recs = extract(pipeline, "He was pronounced dead at the clinic in Gao.")
    assert counts(recs) == [("killed", "people", 1, 1, 1, "casualty.individual.pronoun")], show(recs)


def test_a_pronoun_that_is_not_harmed(pipeline):
    recs = extract(pipeline, "He said the shelling had not stopped for three days.")
    assert counts(recs) == [], show(recs)


# -------------------------------------------------------------------------------- zeros

@pytest.mark.parametrize("text, outcomes", [
    ("No one was hurt in the explosion, the army said.", ["injured"]),
    ("Nobody was killed or injured when the rocket landed near the base.", ["injured", "killed"]),
    ("The blast caused no casualties, police said.", ["injured", "killed"]),
    ("No civilians were killed, the ministry said.", ["killed"]),
])
def test_nobody_harmed_is_a_zero(pipeline, text, outcomes):
    recs = extract(pipeline, text)
    got = counts(recs)
    assert sorted(c[0] for c in got) == outcomes, show(recs)
    assert all(c[2:5] == (0, 0, 0) and c[5] == "casualty.individual.none" for c in got), show(recs)


def test_no_one_claiming_is_no_zero(pipeline):
    recs = extract(pipeline, "No one has claimed the attack that killed three soldiers in Menaka.")
    assert [c[3] for c in counts(recs)] == [3], show(recs)


# ---------------------------------------------------------------------------------- shot

def test_shot_is_a_wound(pipeline):
    recs = extract(pipeline, "A young man was shot in the leg at a checkpoint near Hebron.")
    assert counts(recs) == [("injured", "civilians", 1, 1, 1, ONE)], show(recs)


def test_shot_in_the_body_is_not_a_death(pipeline):
    recs = extract(pipeline, "A guard was shot in the body near the gate of the compound.")
    assert [c[0] for c in counts(recs)] == ["injured"], show(recs)


@pytest.mark.parametrize("text", [
    "A teacher was shot dead outside the school in Kirkuk.",
    "A teacher was shot and killed outside the school in Kirkuk.",
    "A teacher was fatally shot outside the school in Kirkuk.",
])
def test_shot_dead_is_a_death(pipeline, text):
    recs = extract(pipeline, text)
    assert [c[0] for c in counts(recs)] == ["killed"], show(recs)


def test_shot_one_fatally(pipeline):
    recs = extract(pipeline, "Three people were shot, one fatally, in Kirkuk on Sunday.")
    assert counts(recs, outcome="injured") == [("injured", "people", 2, 2, 2, "casualty.individual.shot-less-fatal")], \
        show(recs)
    assert [c[3] for c in counts(recs, outcome="killed")] == [1]


def test_shot_at_is_no_casualty(pipeline):
    recs = extract(pipeline, "Soldiers shot at them from the rooftop but missed.")
    assert counts(recs) == [], show(recs)


# ---------------------------------------------------------------------------------- traps

@pytest.mark.parametrize("text, not_counts", [
    ("Two people were killed on the 3200 block of Main Street.", {3200}),
    ("A man was killed near the crossing, and 911 calls came in minutes later.", {911}),
    ("The man, 34, was killed when his house was shelled.", {34}),
    ("Two children, aged 8 and 11, were killed in the shelling.", {8, 11}),
    ("A soldier from Brigade 93 was killed by artillery fire.", {93}),
])
def test_numbers_that_are_not_counts(pipeline, text, not_counts):
    recs = extract(pipeline, text)
    assert not (count_numbers(recs) & not_counts), show(recs)


def test_an_arrest_is_detention_not_a_casualty_of_violence(pipeline):
    recs = extract(pipeline, "Police said a man was arrested after the blast in Kano.")
    assert counts(recs) == [("detained", "civilians", 1, 1, 1, ONE)], show(recs)


def test_a_gunman_killed_is_a_fighter(pipeline):
    recs = extract(pipeline, "A gunman was shot dead by police after he opened fire on worshippers.")
    assert counts(recs) == [("killed", "fighters", 1, 1, 1, ONE)], show(recs)


def test_singles_do_not_replace_the_total(pipeline):
    recs = extract(pipeline, "Troops killed five militants in a raid near Kunduz on Monday. "
                             "A militant was killed as he tried to flee. He was killed near the river.")
    assert summary_of(recs)["killed"]["total"] == 5, show(recs)


def test_a_witness_is_not_a_victim_and_her_family_is_one_group(pipeline):
    recs = extract(pipeline, "One woman told us that her brother and two nephews had been shot near the well.")
    assert counts(recs) == [("injured", "civilians", 3, 3, 3, "casualty.individual.group")], show(recs)


def test_counted_speakers_are_not_victims(pipeline):
    recs = extract(pipeline, "Two witnesses said four people were killed at the checkpoint.")
    assert [c[3] for c in counts(recs)] == [4], show(recs)


@pytest.mark.parametrize("text", [
    "Government forces caused 80 per cent of the civilian deaths recorded in May, the mission said.",
    "He was the third aid worker killed in the district this year.",
])
def test_no_single_victim_in_a_rate_or_a_rank(pipeline, text):
    recs = extract(pipeline, text)
    assert not [c for c in counts(recs) if c[5].startswith("casualty.individual.")], show(recs)
