"""Linking invented multi-source conflict reports into incidents (issue 11): what joins, what stays apart."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

import warmonitor
from link_helpers import article, attack, casualty, control, place
from warmonitor.link.linker import Linker, link_articles
from warmonitor.link.model import Constraint

DUNYA = place("Kafr Dunya")
TALHA = place("Tal Hamra")


def groups(linker):
    return sorted(sorted(r["articles"]) for r in linker.incidents())


def strike_reports():
    return [
        article("valley-1", "2025-03-03", "Shelling killed six civilians in Kafr Dunya on Monday, the council said.",
                [casualty("Shelling killed six civilians in Kafr Dunya on Monday.", 6, where=DUNYA,
                          day="2025-03-03", cause="shelling")]),
        article("wire-1", "2025-03-04", "Six civilians died when shells hit Kafr Dunya on Monday, residents said.",
                [casualty("Six civilians died when shells hit Kafr Dunya on Monday.", 6, where=DUNYA,
                          day="2025-03-03", cause="shelling")]),
        article("herald-1", "2025-03-04", "Funerals were held in Kafr Dunya for the six people killed by shelling.",
                [casualty("the six people killed by shelling", 6, where=DUNYA, cause="shelling")]),
    ]


def test_reports_of_one_strike_make_one_incident_with_a_stable_id():
    linker = link_articles(strike_reports())
    assert groups(linker) == [["herald-1", "valley-1", "wire-1"]]
    first = "inc-" + hashlib.sha1(b"valley-1#0").hexdigest()[:12]
    assert [r["id"] for r in linker.incidents()] == [first]
    joined = [link for link in linker.links() if not link.opened]
    assert {link.article for link in joined} == {"wire-1", "herald-1"}
    assert all(link.reasons.get("place") == "kafr dunya" for link in joined)


def test_rebuild_order_is_published_then_id_whatever_the_input_order():
    a = link_articles(strike_reports()).incidents()
    b = link_articles(list(reversed(strike_reports()))).incidents()
    assert a == b


def test_two_strikes_on_one_town_on_one_day_stay_apart():
    reports = [
        article("valley-2", "2025-03-03", "An airstrike on the market of Tal Hamra killed five people on Monday.",
                [casualty("An airstrike on the market killed five people on Monday.", 5, where=TALHA,
                          day="2025-03-03", cause="airstrike")]),
        article("wire-2", "2025-03-03", "Artillery shells hit a school in Tal Hamra on Monday, killing three pupils.",
                [casualty("Artillery shells hit a school, killing three pupils on Monday.", 3, where=TALHA,
                          day="2025-03-03", cause="shelling", victims="children")]),
        article("herald-2", "2025-03-04", "The airstrike on Tal Hamra's market on Monday killed five, medics said.",
                [casualty("The airstrike on the market on Monday killed five.", 5, where=TALHA,
                          day="2025-03-03", cause="airstrike")]),
    ]
    linker = link_articles(reports)
    assert groups(linker) == [["herald-2", "valley-2"], ["wire-2"]]


def test_an_article_reporting_two_incidents_gives_facts_to_both():
    ariha, sarmin = place("Ariha"), place("Sarmin")
    roundup = article("roundup-1", "2025-03-06", "Strikes hit Ariha on Monday and Sarmin on Wednesday.", [
        casualty("Four people were killed in Ariha on Monday.", 4, where=ariha, day="2025-03-03", cause="airstrike"),
        casualty("Six were killed in Sarmin on Wednesday.", 6, where=sarmin, day="2025-03-05", cause="shelling"),
    ])
    a = article("local-a", "2025-03-03", "Four people died in an airstrike on Ariha on Monday.",
                [casualty("Four people died in an airstrike on Ariha.", 4, where=ariha, day="2025-03-03",
                          cause="airstrike")])
    s = article("local-s", "2025-03-05", "Shelling killed six in Sarmin on Wednesday.",
                [casualty("Shelling killed six in Sarmin.", 6, where=sarmin, day="2025-03-05", cause="shelling")])
    linker = link_articles([roundup, a, s])
    assert groups(linker) == [["local-a", "roundup-1"], ["local-s", "roundup-1"]]
    facts = {r["articles"][0] if r["articles"][0] != "roundup-1" else r["articles"][1]: r["facts"]
             for r in linker.incidents()}
    assert {"article": "roundup-1", "fact": 0} in facts["local-a"]
    assert {"article": "roundup-1", "fact": 1} in facts["local-s"]


def test_a_fact_without_a_count_still_links():
    reports = strike_reports()[:1] + [
        article("ngo-1", "2025-03-03", "A clinic in Kafr Dunya was shelled on Monday.",
                [attack("A clinic in Kafr Dunya was shelled on Monday.", ["medical facility"], where=DUNYA,
                        day="2025-03-03")]),
    ]
    assert groups(link_articles(reports)) == [["ngo-1", "valley-1"]]


def test_no_date_and_no_place_links_only_on_strong_evidence():
    text = "Shelling killed six civilians in the village, the council said, and rescuers searched the rubble."
    bare = article("blog-1", None, "Six civilians were killed by shelling, a monitor said.",
                   [casualty("Six civilians were killed by shelling.", 6, cause="shelling")])
    assert groups(link_articles(strike_reports()[:1] + [bare])) == [["blog-1"], ["valley-1"]]
    original = article("wire-9", "2025-03-03", text, [casualty(text, 6, where=DUNYA, day="2025-03-03",
                                                               cause="shelling")])
    reprint = article("site-9", None, text + " ", [casualty(text, 6, cause="shelling")])
    linker = link_articles([original, reprint])
    assert groups(linker) == [["site-9", "wire-9"]]
    # the undated reprint sorts first (rebuild order), so the dated original is filed as its copy
    assert linker.links()[-1].reasons["copy_of"] == "site-9"


def test_far_apart_days_in_one_place_stay_apart():
    later = article("valley-3", "2025-03-20", "Shelling killed six civilians in Kafr Dunya on Thursday.",
                    [casualty("Shelling killed six civilians in Kafr Dunya.", 6, where=DUNYA, day="2025-03-20",
                              cause="shelling")])
    assert groups(link_articles(strike_reports()[:1] + [later])) == [["valley-1"], ["valley-3"]]


def test_an_analysts_split_and_merge_survive_a_rebuild():
    split = Constraint("split", ("valley-1", "wire-1"), "different shelling episodes", by="amira")
    assert groups(link_articles(strike_reports(), constraints=[split])) == [["herald-1", "valley-1"], ["wire-1"]]
    other = article("far-1", "2025-03-03", "Two fighters died in clashes near Tal Hamra.",
                    [casualty("Two fighters died in clashes.", 2, where=TALHA, day="2025-03-03", cause="clashes",
                              victims="fighters")])
    merge = Constraint("merge", ("valley-1", "far-1"), "one offensive", by="amira")
    linker = link_articles(strike_reports()[:1] + [other], constraints=[merge])
    assert groups(linker) == [["far-1", "valley-1"]]
    assert linker.links()[-1].reasons["constraint"] == "merge"


def test_close_calls_are_kept_as_refusals_with_their_reasons():
    reports = strike_reports()[:1] + [
        article("wire-4", "2025-03-03", "Shelling killed four civilians in Kafr Dunya on Monday.",
                [casualty("Shelling killed four civilians in Kafr Dunya.", 4, where=DUNYA, day="2025-03-03",
                          cause="airstrike")]),
    ]
    linker = link_articles(reports)
    assert groups(linker) == [["valley-1"], ["wire-4"]]
    [refusal] = linker.refusals()
    assert refusal.article == "wire-4" and refusal.reasons["counts"] == {"killed": "disagree"}


def test_incremental_add_equals_rebuild_in_the_same_order():
    linker = Linker()
    for a in sorted(strike_reports(), key=lambda a: (a.published, a.id)):
        linker.add(a)
    assert linker.incidents() == link_articles(strike_reports()).incidents()


def test_every_incident_record_validates_against_the_schema():
    schema = json.loads((Path(warmonitor.__file__).parent / "schemas" / "incident.schema.json").read_text())
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    reports = strike_reports() + [
        article("roundup-1", "2025-03-06", "Strikes hit Ariha on Monday.", [
            casualty("Four killed in Ariha on Monday.", 4, where=place("Ariha", 170000, 35.8, 36.6, "Idlib", "SY", 1),
                     day="2025-03-03")]),
        article("empty-1", "2025-03-06", "A statement.", []),
    ]
    records = link_articles(reports).incidents()
    assert records
    for record in records:
        validator.validate(record)


def test_reports_of_who_holds_one_town_on_one_day_join_whoever_they_name():
    """A capture and its denial, with no figure in common: both speak of who holds the town that day."""
    town = place("Nam Hpai", 1, 22.5, 97.0, "Shan", "MM", 1)
    linker = link_articles([
        article("hills-7", "2025-10-05", "Resistance forces captured Nam Hpai on Sunday, a spokesman said.",
                [control("Resistance forces captured Nam Hpai on Sunday.", "resistance forces", "gained", town,
                         "2025-10-05")]),
        article("capital-7", "2025-10-05", "Nam Hpai remains under government control, the army said on Sunday.",
                [control("Nam Hpai remains under government control.", "Myanmar military", "held", town)]),
    ])
    assert groups(linker) == [["capital-7", "hills-7"]]
    joined = next(link for link in linker.links() if not link.opened)
    assert joined.reasons["control_of"] == "1"  # the town's gazetteer id
