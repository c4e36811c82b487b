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
