"""Incident records from invented reports (issue 11): running tolls, ranges, corrections, contradictions,
situation figures and sources, each asserted exactly."""
from __future__ import annotations

from link_helpers import article, casualty, control, count, displacement, place
from warmonitor.link.linker import link_articles

DUNYA = place("Kafr Dunya")


def only(reports):
    [record] = link_articles(reports).incidents()
    return record


def report(key, published, text, n, day="2025-03-03", cause="airstrike"):
    return article(key, published, text, [casualty(text, n, where=DUNYA, day=day, cause=cause)])


def test_a_later_higher_running_toll_replaces_the_earlier_figure():
    record = only([
        report("valley-1", "2025-03-03", "An airstrike killed 30 people in Kafr Dunya on Monday.", 30),
        report("wire-1", "2025-03-04", "The death toll from Monday's airstrike on Kafr Dunya rose to 50.", 50),
    ])
    assert record["killed"] == {"low": 30, "best": 50, "high": 50}
    assert record["status"] == "corroborated" and record["contradictions"] == []
    assert [h["state"] for h in record["toll_history"]["killed"]] == ["superseded", "counted"]
    assert record["date"] == "2025-03-03" and record["place"]["name"] == "Kafr Dunya"


def test_at_least_six_and_seven_agree():
    at_least = count(6, qualifier="at least")
    record = only([
        article("valley-2", "2025-03-03", "An airstrike killed at least six people in Kafr Dunya on Monday.",
                [casualty("An airstrike killed at least six people in Kafr Dunya on Monday.", at_least, where=DUNYA,
                          day="2025-03-03", cause="airstrike")]),
        report("wire-2", "2025-03-03", "Seven people were killed in the airstrike on Kafr Dunya on Monday.", 7),
    ])
    assert record["killed"] == {"low": 6, "best": 7, "high": 7}
    assert record["status"] == "corroborated"


def test_four_and_seven_on_one_day_are_a_contradiction():
    record = only([
        report("valley-3", "2025-03-03", "An airstrike killed four people in Kafr Dunya on Monday.", 4),
        report("wire-3", "2025-03-03", "An airstrike killed seven people in Kafr Dunya on Monday, medics said.", 7),
        report("herald-3", "2025-03-03", "Seven died in Monday's airstrike on Kafr Dunya.", 7),
    ])
    assert record["status"] == "contested"
    # values in the order the reports came (published, then id): herald-3, valley-3, wire-3
    assert record["contradictions"] == [{"field": "killed", "values": [
        {"value": 7, "articles": ["herald-3", "wire-3"]}, {"value": 4, "articles": ["valley-3"]}]}]
    assert record["killed"] == {"low": 4, "best": 7, "high": 7}


def test_a_corrected_figure_stays_in_the_history_but_not_in_best():
    record = only([
        report("valley-4", "2025-03-03", "An airstrike killed 30 people in Kafr Dunya on Monday.", 30),
        report("wire-4", "2025-03-04", "The council corrected the toll of Monday's airstrike on Kafr Dunya to 25.", 25),
    ])
    assert record["killed"] == {"low": 25, "best": 25, "high": 25}
    assert [(h["value"], h["state"]) for h in record["toll_history"]["killed"]] == [(30, "retracted"), (25, "counted")]
    assert record["contradictions"] == []


def test_a_situation_figure_is_never_added_and_makes_no_incident_alone():
    since = {"start": "2024-12-01", "end": "2025-03-04", "precision": "month"}
    record = only([
        article("valley-5", "2025-03-04", "Shelling displaced 300 people from Kafr Dunya on Monday.",
                [displacement("Shelling displaced 300 people from Kafr Dunya on Monday.", 300, where=DUNYA,
                              day="2025-03-03"),
                 displacement("Some 900,000 people have been displaced since December.", 900000, period=since)]),
    ])
    assert record["displaced"] == {"low": 300, "best": 300, "high": 300}
    alone = article("ocha-5", "2025-03-04", "Some 900,000 people have been displaced since December.",
                    [displacement("Some 900,000 people have been displaced since December.", 900000, period=since)])
    assert link_articles([alone]).incidents() == []


def test_copies_count_once_and_articles_list_the_most_informative_first():
    text = "An airstrike killed six people in Kafr Dunya on Monday, the Valley Council said in a statement."
    record = only([
        article("wire-6", "2025-03-03", text, [casualty(text, 6, where=DUNYA, day="2025-03-03", cause="airstrike")]),
        article("site-6", "2025-03-03", text, [casualty(text, 6, where=DUNYA, day="2025-03-03", cause="airstrike")]),
        article("herald-6", "2025-03-04", "Funerals for six killed in Kafr Dunya. An airstrike killed six on Monday.",
                [casualty("An airstrike killed six on Monday.", 6, where=DUNYA, day="2025-03-03", cause="airstrike"),
                 casualty("Funerals for six killed in Kafr Dunya.", 6, where=DUNYA, day="2025-03-03")]),
    ])
    assert record["sources"] == 3 and record["independent_sources"] == 2
    assert record["articles"] == ["herald-6", "site-6", "wire-6"]
    assert record["outlets"] == ["herald", "site", "wire"]
    assert record["status"] == "corroborated"


def test_one_source_and_its_copy_are_single_source():
    text = "An airstrike killed six people in Kafr Dunya on Monday, the Valley Council said in a statement."
    record = only([
        article("wire-7", "2025-03-03", text, [casualty(text, 6, where=DUNYA, day="2025-03-03")]),
        article("site-7", "2025-03-04", "UPDATED\n" + text, [casualty(text, 6, where=DUNYA, day="2025-03-03")]),
    ])
    assert (record["sources"], record["independent_sources"], record["status"]) == (2, 1, "single-source")


def test_a_capture_and_its_denial_are_a_control_contradiction():
    town = place("Nam Hpai", 1, 22.5, 97.0, "Shan", "MM", 1)
    record = only([
        article("hills-9", "2025-10-05", "Resistance forces captured Nam Hpai on Sunday; 12 soldiers were killed.",
                [control("Resistance forces captured Nam Hpai on Sunday.", "resistance forces", "gained", town,
                         "2025-10-05"),
                 casualty("12 soldiers were killed.", 12, where=town, day="2025-10-05", victims="fighters")]),
        article("capital-9", "2025-10-05", "Nam Hpai remains under government control, the army said on Sunday; "
                "12 attackers were killed.",
                [control("Nam Hpai remains under government control.", "Myanmar military", "held", town,
                         "2025-10-05"),
                 casualty("12 attackers were killed.", 12, where=town, day="2025-10-05", victims="fighters")]),
    ])
    assert record["status"] == "contested"
    # values in the order the reports came (published, then id): capital-9, hills-9
    assert record["contradictions"] == [{"field": "control", "values": [
        {"value": ["Myanmar military", "held"], "articles": ["capital-9"]},
        {"value": ["resistance forces", "gained"], "articles": ["hills-9"]}]}]
    # a battle for a town is a violent event: its reports count deaths and no wounded, so injured is 0
    assert record["kind"] == "control" and record["injured"] == {"low": 0, "best": 0, "high": 0}


def test_one_actor_taking_and_then_holding_a_town_is_no_contradiction():
    town = place("Nam Hpai", 1, 22.5, 97.0, "Shan", "MM", 1)
    record = only([
        article("hills-8", "2025-10-05", "Resistance forces captured Nam Hpai on Sunday.",
                [control("Resistance forces captured Nam Hpai on Sunday.", "resistance forces", "gained", town,
                         "2025-10-05")]),
        article("valley-8", "2025-10-06", "Resistance forces still hold Nam Hpai, residents said on Monday.",
                [control("Resistance forces still hold Nam Hpai.", "resistance forces", "held", town,
                         "2025-10-05")]),
    ])
    assert record["contradictions"] == [] and record["status"] == "corroborated"
