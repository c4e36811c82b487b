"""The day of an event for facts whose sentence does not state it, the report's day kept apart from
the event's, a running toll's update day, and the opening's place and day (extract/when.py).

Every text here is written for these tests. Published Wednesday 6 March 2024 unless said otherwise.
"""
from __future__ import annotations

from conftest import extract, facts, summary_of

WED = "2024-03-06"


def when(record: dict) -> tuple:
    return record["date"], record["period_text"], record.get("date_rule")


def test_day_of_the_sentence_before_carries_to_the_paragraph(pipeline):
    records = extract(pipeline, "Gunmen attacked a checkpoint near Bunia on Sunday night. Four soldiers were "
                                "killed and two were wounded.", WED)
    assert {when(r) for r in facts(records, "casualty")} == {("2024-03-03", "on Sunday night", "date.paragraph")}


def test_day_of_the_next_sentence_when_nothing_came_before(pipeline):
    records = extract(pipeline, "Four people were killed in Goma. The strike happened on Saturday morning.", WED)
    assert when(facts(records, "casualty")[0]) == ("2024-03-02", "on Saturday morning", "date.next-sentence")


def test_day_of_an_earlier_paragraph(pipeline):
    records = extract(pipeline, "Drones struck the market in Sittwe on Monday.\n\nFive traders were killed.", WED)
    assert when(facts(records, "casualty")[0]) == ("2024-03-04", "on Monday", "date.earlier")


def test_said_on_tuesday_is_the_report_day_not_the_event_day(pipeline):
    records = extract(pipeline, "Four soldiers were killed in an ambush near Mopti, the army said on Tuesday.", WED)
    assert when(facts(records, "casualty")[0]) == (None, None, None)


def test_report_day_gives_way_to_the_event_day_in_the_same_sentence(pipeline):
    records = extract(pipeline, "The ministry told reporters on Tuesday that shelling killed six civilians on "
                                "Sunday in Kherson.", WED)
    assert when(facts(records, "casualty")[0]) == ("2024-03-03", "on Sunday", None)


def test_report_day_before_the_verb(pipeline):
    records = extract(pipeline, "Officials on Tuesday said a drone strike killed three civilians in Marib.", WED)
    assert when(facts(records, "casualty")[0]) == (None, None, None)


def test_said_then_event_day_in_an_earlier_sentence(pipeline):
    records = extract(pipeline, "Militants stormed a village near Djibo on Sunday.\n\nAt least 12 villagers were "
                                "killed, a local official said on Tuesday.", WED)
    assert when(facts(records, "casualty")[0]) == ("2024-03-03", "on Sunday", "date.earlier")


def test_the_attack_on_tuesday_is_an_event_day(pipeline):
    records = extract(pipeline, "The ministry said the attack on Tuesday killed six people in Kassala.", WED)
    assert when(facts(records, "casualty")[0]) == ("2024-03-05", "on Tuesday", None)


def test_running_toll_update_takes_the_event_day(pipeline):
    records = extract(pipeline, "A car bomb killed four people in Mogadishu on Saturday.\n\nThe death toll rose "
                                "to 45 on Monday, the health ministry said.", WED)
    tolls = {r["count"]["best"]: when(r) for r in facts(records, "casualty")}
    assert tolls == {4: ("2024-03-02", "on Saturday", None),
                     45: ("2024-03-02", "on Saturday", "date.event-before-update")}


def test_running_toll_without_an_event_day_keeps_its_own(pipeline):
    records = extract(pipeline, "The death toll from the car bomb in Mogadishu rose to 45 on Monday.", WED)
    assert when(facts(records, "casualty")[0]) == ("2024-03-04", "on Monday", None)


def test_a_day_after_publication_is_no_event_day(pipeline):
    records = extract(pipeline, "The funeral will be held tomorrow. Three children were killed in Rafah.", WED)
    assert when(facts(records, "casualty")[0]) == (None, None, None)


def test_the_dateline_date_is_the_filing_day(pipeline):
    records = extract(pipeline, "BAMAKO, March 6 (Reuters) - Gunmen attacked a market in Bandiagara on Sunday, "
                                "killing 21 people. Nine people were wounded.", WED)
    assert {when(r) for r in facts(records, "casualty")} == {("2024-03-03", "on Sunday", None),
                                                             ("2024-03-03", "on Sunday", "date.paragraph")}


def test_dateline_date_stands_for_a_missing_publication_date(pipeline):
    records = extract(pipeline, "KANDAHAR, Afghanistan (Jan. 4, 2012)\nInsurgents attacked a checkpoint yesterday. "
                                "Two policemen were killed.", None)
    assert when(facts(records, "casualty")[0]) == ("2012-01-03", "yesterday", "date.paragraph")


def test_opening_place_outranks_the_dateline_for_facts_without_a_place(pipeline):
    records = extract(pipeline, "Raid in the south\n\nKABUL, Afghanistan (Nov. 20, 2011)\nA patrol came under "
                                "fire during an operation in Nad Ali district, Helmand province, yesterday.\n\nThe patrol "
                                "returned fire. Two insurgents were killed.", "2011-11-20")
    place = facts(records, "casualty")[0]["place"]
    assert (place["admin1"], place.get("from_context"), place.get("from_dateline")) == ("Helmand", True, None)


def test_summary_of_a_report_without_figures_keeps_its_place_and_day(pipeline):
    records = extract(pipeline, "KABUL, Afghanistan (Nov. 20, 2011)\nA coalition force detained numerous "
                                "suspected insurgents during an operation in Nad Ali district, Helmand province, "
                                "yesterday.", "2011-11-20")
    summary = summary_of(records)
    assert summary["date"] == "2011-11-19"
    assert [(p["admin1"], p["country"]) for p in summary["places"]][-2:] == [("Helmand", "AF"), ("Kabul", "AF")]


# ----------------------------------------------------------------- the article's day, follow-ups, nights

MON = "2024-03-04"


def test_opening_day_stated_after_the_fact_belongs_to_it(pipeline):
    """The article's own date belongs to an event the opening tells before saying when."""
    records = extract(pipeline, "Four soldiers were killed in an ambush near Kidal.\n\nThe convoy was attacked "
                                "on Sunday night on the road to Anefis.", WED)
    assert when(facts(records, "casualty", outcome="killed")[0]) == ("2024-03-03", "on Sunday night", "date.article")


def test_the_day_of_a_charge_is_not_the_day_of_the_killing(pipeline):
    records = extract(pipeline, "Police in Kabul charged two men on Tuesday with the killing of a radio "
                                "journalist. The journalist was shot dead outside his home on Saturday.", WED)
    assert {when(r) for r in facts(records, "casualty", outcome="killed")} == {
        ("2024-03-02", "on Saturday", "date.before-follow-up"), ("2024-03-02", "on Saturday", None)}
    # killed and detained on one day: with no other day stated, the day is the killing's too
    records = extract(pipeline, "Two protesters were killed and 40 were detained on Friday in Khartoum.", WED)
    assert when(facts(records, "casualty", outcome="killed")[0]) == ("2024-03-01", "on Friday", None)
    # a detention keeps its own day (the arrest is the event)
    records = extract(pipeline, "Troops shelled the village of Kani on Sunday.\n\nSecurity forces arrested 12 "
                                "men on Tuesday in Mandalay.", WED)
    assert when(facts(records, "casualty", outcome="detained")[0]) == ("2024-03-05", "on Tuesday", None)
    # "no one was hurt" tells of the detention operation itself: its day is carried
    records = extract(pipeline, "Soldiers apprehended 12 suspects on Sunday in Khakrez district. No civilians "
                                "were killed during the operation.", WED)
    assert when(facts(records, "casualty", outcome="killed")[0]) == ("2024-03-03", "on Sunday", "date.paragraph")


def test_an_arrest_day_is_not_carried_to_the_killing(pipeline):
    records = extract(pipeline, "A suspect was arrested on Tuesday. Gunmen killed two tribal elders in Kandahar, "
                                "police said.", WED)
    assert when(facts(records, "casualty", outcome="killed")[0]) == (None, None, None)


def test_overnight_takes_the_day_the_article_names(pipeline):
    """Published Monday: "overnight" is Sunday night or the small hours of Monday; the article says which."""
    records = extract(pipeline, "Russian drones struck Odesa overnight, killing three people. The attack began "
                                "in the early hours of Monday, the governor's office said.", MON)
    assert when(facts(records, "casualty", outcome="killed")[0]) == ("2024-03-04", "Monday", "date.night-named")
    # alone, "overnight" is the night before; a day of another week is not its day
    records = extract(pipeline, "Russian drones struck Odesa overnight, killing three people.", MON)
    assert when(facts(records, "casualty", outcome="killed")[0]) == ("2024-03-03", "overnight", None)
    records = extract(pipeline, "Israeli strikes overnight killed nine people in Rafah. An earlier strike on "
                                "Wednesday hit a school.", MON)
    assert when(facts(records, "casualty", outcome="killed")[0]) == ("2024-03-03", "overnight", None)


def test_article_day_stated_only_late_in_the_text(pipeline):
    """An opening that says what happened but not when: the day a later paragraph gives, not the
    follow-up's day ("arraigned on Thursday")."""
    records = extract(pipeline, "A soldier has been charged with manslaughter over the killing of two shepherds "
                                "near Jalalabad.\n\nHe was arraigned on Thursday.\n\nThe incident took place on "
                                "21 February near the border.", WED)
    assert when(facts(records, "casualty", outcome="killed")[0]) == ("2024-02-21", "on 21 February", "date.article")


def test_a_page_time_stamp_is_the_report_day(pipeline):
    """"Posted: Tuesday, March 5, 2024": when the page was put up, not when the strike happened."""
    records = extract(pipeline, "Five killed in Idlib market strike Posted: Tuesday, March 5, 2024 10:21 AM\n\n"
                                "An air strike on a market in Idlib killed five people on Monday.", WED)
    assert {when(r)[0] for r in facts(records, "casualty", outcome="killed")} == {"2024-03-04"}


def test_a_charge_day_gives_way_to_an_event_day_stated_later(pipeline):
    records = extract(pipeline, "A court in Herat charged a police officer on Tuesday in the shooting death of a "
                                "student.\n\nWitnesses said the officer fired on a protest outside the university "
                                "on 18 February.", WED)
    assert when(facts(records, "casualty", outcome="killed")[0]) == (
        "2024-02-18", "on 18 February", "date.before-follow-up")
