"""Near-duplicate detection (issue 11): a reprint is a copy, a separate report of the same event is not."""
from __future__ import annotations

from warmonitor.link.copies import CopyIndex

WIRE = ("Shelling killed six civilians in the village of Kafr Dunya on Monday, the local council said, "
        "adding that rescuers were still searching the rubble of two houses near the market for survivors "
        "late into the night while ambulances took the wounded to the clinic in Tal Hamra.")
REPRINT = "Six killed in Kafr Dunya\n\n" + WIRE.replace("said,", "said;") + " Copyright the wire."
OWN = ("Residents of Kafr Dunya buried six neighbours on Tuesday, a day after shells fell near the market; "
       "a teacher said two houses collapsed and the clinic in Tal Hamra ran out of bandages.")


def test_a_reprint_under_a_new_headline_is_a_copy_of_the_first_filed():
    index = CopyIndex()
    assert index.add("wire-1", WIRE) is None
    assert index.add("site-1", REPRINT) == "wire-1"
    assert index.add("site-2", REPRINT + " More at the site.") == "wire-1"
    assert index.source_of("site-2") == "wire-1" and index.source_of("wire-1") == "wire-1"


def test_a_separate_report_of_the_same_event_is_not_a_copy():
    index = CopyIndex()
    index.add("wire-1", WIRE)
    assert index.add("herald-1", OWN) is None
    assert index.similarity("wire-1", "herald-1") < 0.2


def test_signatures_are_the_same_from_one_index_to_the_next():
    a, b = CopyIndex(), CopyIndex()
    for index in (a, b):
        index.add("wire-1", WIRE)
        index.add("site-1", REPRINT)
    assert a.similarity("wire-1", "site-1") == b.similarity("wire-1", "site-1") > 0.6
    assert a.add("wire-1", WIRE) is None  # filing again changes nothing
