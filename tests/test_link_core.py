"""An incident keeps to its core day and place (issue 11): neighbouring towns struck the same day are
separate incidents, a report cannot drag an incident from town to town by chaining, and a camp named
with its town is one place. Invented reports."""
from __future__ import annotations

from link_helpers import article, attack, casualty, place
from warmonitor.link.evidence import title_places
from warmonitor.link.linker import link_articles

# three villages of one district, 9-10 km apart
AIN = place("Kafr Ain", geonameid=9001, lat=35.00, lon=36.00, admin1="North", country="XX", precision=1)
BISA = place("Tal Bisa", geonameid=9002, lat=35.00, lon=36.10, admin1="North", country="XX", precision=1)
SHARQI = place("Deir Sharqi", geonameid=9003, lat=35.08, lon=36.05, admin1="North", country="XX", precision=1)
# a town 40 km east of Kafr Ain
RAHBA = place("Rahba", geonameid=9004, lat=35.00, lon=36.44, admin1="North", country="XX", precision=1)
# a camp and the town it lies beside, 6 km apart
NUR = place("Nur camp", geonameid=9010, lat=31.400, lon=34.300, admin1="South", country="XX", precision=1)
SAHIL = place("Wadi Sahil", geonameid=9011, lat=31.454, lon=34.300, admin1="South", country="XX", precision=1)


def test_a_monitors_daily_report_of_three_neighbouring_towns_gives_three_incidents():
    lines = ["1. Kafr Ain: An airstrike killed four civilians on Tuesday.",
             "2. Tal Bisa: Shelling killed two men on Tuesday.",
             "3. Deir Sharqi: A drone strike killed a farmer on Tuesday."]
    report = article("monitor-0311", "2025-03-12", "\n".join(lines), [
        casualty(lines[0], 4, where=AIN, day="2025-03-11", cause="airstrike"),
        casualty(lines[1], 2, where=BISA, day="2025-03-11", cause="shelling"),
        casualty(lines[2], 1, where=SHARQI, day="2025-03-11", cause="drone strike"),
    ])
    linker = link_articles([report])
    assert len(linker.incidents()) == 3
    assert sorted(r["killed"]["best"] for r in linker.incidents()) == [1, 2, 4]
    assert len(linker.incident_of("monitor-0311")) == 3


def test_a_report_naming_a_camp_and_its_town_joins_the_camps_incident():
    first = article("wire-0803", "2025-08-03", "An air strike on Nur camp killed nine people on Sunday.", [
        casualty("An air strike on Nur camp killed nine people on Sunday.", 9, where=NUR, day="2025-08-03",
                 cause="airstrike")])
    text = "An air strike on Nur camp in Wadi Sahil killed nine people on Sunday, medics said."
    second = article("radio-0803", "2025-08-03", text, [
        attack(text, ["camp"], where=NUR, day="2025-08-03"),
        casualty(text, 9, where=SAHIL, day="2025-08-03", cause="airstrike")])
    linker = link_articles([first, second])
    assert linker.incident_of("radio-0803") == linker.incident_of("wire-0803")
    assert len(linker.incidents()) == 1
    assert linker.incidents()[0]["killed"]["best"] == 9


def test_a_chain_of_reports_does_not_carry_an_incident_40_km_and_3_days_away():
    a = article("valley-0310", "2025-03-10", "Shelling killed five people in Kafr Ain on Monday.", [
        casualty("Shelling killed five people in Kafr Ain on Monday.", 5, where=AIN, day="2025-03-10",
                 cause="shelling")])
    both = "Shelling hit Kafr Ain and Rahba on Tuesday, killing five people, the council said."
    b = article("herald-0311", "2025-03-11", both, [
        casualty(both, 5, where=AIN, day="2025-03-11", cause="shelling"),
        attack(both, [], where=RAHBA, day="2025-03-11")])
    c = article("post-0313", "2025-03-13", "Five people were killed by shelling in Rahba on Thursday.", [
        casualty("Five people were killed by shelling in Rahba on Thursday.", 5, where=RAHBA, day="2025-03-13",
                 cause="shelling")])
    linker = link_articles([a, b, c])
    assert linker.incident_of("herald-0311") == linker.incident_of("valley-0310")
    assert linker.incident_of("post-0313") != linker.incident_of("valley-0310")
    assert len(linker.incidents()) == 2


def test_headline_places_in_any_script():
    names = [p["name"] for p in title_places("Airstrike kills 12 in Al Jīb and near Ḩarastā", frozenset())]
    assert names == ["Al Jīb", "Ḩarastā"]


def test_a_title_case_headline_place_ends_at_its_event_or_organisation_word():
    from warmonitor.link.resources import headline_cuts

    cuts = headline_cuts()
    names = [p["name"] for p in title_places("Three dead in Kramatorsk Missile Strike", frozenset(), cuts)]
    assert names == ["Kramatorsk"]
    names = [p["name"] for p in title_places("Man dies in Ridgeway Police custody", frozenset(), cuts)]
    assert names == ["Ridgeway"]
    assert title_places("Two hurt in Shooting That Injured a guard", frozenset(), cuts) == []
