"""Each extractor on short invented texts: what it must find (positive) and what it must leave alone
(negative). Field values are those of shared/eval/FORMAT.md; actor names are the canonical names of
src/warmonitor/data/actors.jsonl.
"""
from __future__ import annotations

import pytest

from conftest import bests, count_numbers, extract, facts, place_name, show, summary_of


def one(records, type_, **where) -> dict:
    found = facts(records, type_, **where)
    assert len(found) == 1, f"expected one {type_} {where}, got {len(found)}:\n{show(records)}"
    return found[0]


def count_of(record) -> tuple:
    c = record.get("count") or {}
    return c.get("low"), c.get("best"), c.get("high")


# ==================================================================================================
# casualty

def test_killed_and_injured_in_one_sentence(pipeline):
    recs = extract(pipeline, "Russian airstrikes killed six people and injured 32 in the town of Ariha on Tuesday.")
    killed = one(recs, "casualty", outcome="killed")
    injured = one(recs, "casualty", outcome="injured")
    assert killed["count"]["best"] == 6, show(recs)
    assert injured["count"]["best"] == 32, show(recs)
    for rec in (killed, injured):
        assert rec["victims"] == "people"
        assert rec["cause"] == "airstrike"
        assert rec["perpetrators"] == ["Russian forces"]
        assert place_name(rec["place"]) == "Ariha"
    assert count_numbers(recs) == {6, 32}, show(recs)


@pytest.mark.parametrize("text, outcome, best, victims", [
    ("Seven civilians were killed when a shell hit their house in Jisr al-Shughur.", "killed", 7, "civilians"),
    ("Shelling wounded 14 civilians in Donetsk on Sunday.", "injured", 14, "civilians"),
    ("Three aid workers have been missing since their convoy was ambushed near Kadugli.", "missing", 3, "aid workers"),
    ("Security forces detained 45 protesters in Omdurman on Friday.", "detained", 45, "civilians"),
    ("Gunmen abducted 20 schoolchildren from a village in Zamfara state on Monday.", "abducted", 20, "children"),
])
def test_casualty_outcomes(pipeline, text, outcome, best, victims):
    recs = extract(pipeline, text)
    rec = one(recs, "casualty", outcome=outcome)
    assert rec["count"]["best"] == best, show(recs)
    assert rec["victims"] == victims, show(recs)


@pytest.mark.parametrize("text, victims, best", [
    ("Nine children were killed by shelling in Maarat al-Numan.", "children", 9),
    ("Twelve women were killed when a missile struck a bus in Marib.", "women", 12),
    ("At least 40 fighters were killed in clashes near Marib on Saturday.", "fighters", 40),
    ("Four paramedics were killed in an airstrike on their ambulance in Khan Younis.", "medical workers", 4),
    ("Two journalists were killed when a drone hit their car near Kherson.", "journalists", 2),
    ("Eleven people were killed in a car bomb blast in Mogadishu.", "people", 11),
    ("Thirteen civilians were killed in the attack on the village.", "civilians", 13),
])
def test_casualty_victims(pipeline, text, victims, best):
    recs = extract(pipeline, text)
    rec = one(recs, "casualty", outcome="killed")
    assert rec["victims"] == victims, show(recs)
    assert rec["count"]["best"] == best, show(recs)


@pytest.mark.parametrize("text, cause", [
    ("Nine children were killed by shelling in Maarat al-Numan.", "shelling"),
    ("An airstrike killed eight civilians in Saraqib on Wednesday.", "airstrike"),
    ("A drone strike killed five civilians in Kherson on Friday.", "drone strike"),
    ("Eleven people were killed in a car bomb blast in Mogadishu.", "bombing"),
    ("Three children were killed when a landmine exploded near Palmyra.", "landmine"),
    ("At least 40 fighters were killed in clashes near Marib on Saturday.", "clashes"),
])
def test_casualty_cause(pipeline, text, cause):
    recs = extract(pipeline, text)
    rec = one(recs, "casualty", outcome="killed")
    assert rec["cause"] == cause, show(recs)


def test_perpetrator_killed_by_russian_airstrikes(pipeline):
    recs = extract(pipeline, "At least 12 civilians were killed by Russian airstrikes in Idlib province.")
    rec = one(recs, "casualty", outcome="killed")
    assert rec["count"]["best"] == 12
    assert rec["perpetrators"] == ["Russian forces"], show(recs)
    assert rec["cause"] == "airstrike"


def test_perpetrators_caused_by_two_forces(pipeline):
    recs = extract(pipeline, "The deaths of 30 civilians in Idlib last week were caused by Syrian and Russian forces.")
    rec = one(recs, "casualty", outcome="killed")
    assert rec["count"]["best"] == 30, show(recs)
    assert sorted(rec["perpetrators"]) == ["Russian forces", "Syrian government forces"], show(recs)


def test_perpetrator_from_actor_alias(pipeline):
    recs = extract(pipeline, "Houthi shelling killed five civilians in Taiz on Thursday.")
    rec = one(recs, "casualty", outcome="killed")
    assert rec["count"]["best"] == 5
    assert rec["perpetrators"] == ["Houthis"], show(recs)


def test_no_perpetrator_when_none_is_named(pipeline):
    recs = extract(pipeline, "Five civilians were killed in an explosion in Kabul on Sunday.")
    rec = one(recs, "casualty", outcome="killed")
    assert not rec.get("perpetrators"), show(recs)
    assert rec.get("perpetrator_share") is None


def test_perpetrator_share(pipeline):
    recs = extract(pipeline, "At least 1,500 civilians were killed in Idlib this year, and 93 percent of the "
                             "deaths were caused by Syrian and Russian forces.")
    shared = [r for r in facts(recs, "casualty") if r.get("perpetrator_share") is not None]
    assert len(shared) == 1, show(recs)
    rec = shared[0]
    assert rec["perpetrator_share"] == pytest.approx(0.93, abs=0.005)
    assert rec["count"]["best"] == 1500, show(recs)
    assert rec["outcome"] == "killed"
    assert sorted(rec["perpetrators"]) == ["Russian forces", "Syrian government forces"]
    assert 93 not in count_numbers(recs), show(recs)


@pytest.mark.parametrize("text", [
    "Delegates met in Geneva on Tuesday to discuss a ceasefire.",
    "The hospital treated patients from three provinces last year.",
    "The minister visited the front line and promised more ammunition.",
])
def test_no_casualty_without_a_casualty(pipeline, text):
    recs = extract(pipeline, text)
    assert facts(recs, "casualty") == [], show(recs)


# ==================================================================================================
# displacement

def test_displacement_fled_with_origin_and_destination(pipeline):
    recs = extract(pipeline, "About 300 families fled from Saraqib to Afrin last week.")
    rec = one(recs, "displacement")
    assert count_of(rec)[1] == 300 and rec["count"]["qualifier"] == "about", show(recs)
    assert rec["unit"] == "families"
    assert rec["term"] == "fled"
    assert place_name(rec["origin"]) == "Saraqib", show(recs)
    assert place_name(rec["destination"]) == "Afrin", show(recs)
    assert facts(recs, "casualty") == []


def test_displacement_people_displaced(pipeline):
    recs = extract(pipeline, "More than 900,000 people have been displaced in northwest Syria since December.")
    rec = one(recs, "displacement")
    assert rec["count"]["best"] == 900_000, show(recs)
    assert rec["unit"] == "people"
    assert rec["term"] == "displaced"


def test_displacement_households(pipeline):
    recs = extract(pipeline, "Some 1,200 households were displaced by the fighting in Marib.")
    rec = one(recs, "displacement")
    assert rec["count"]["best"] == 1200, show(recs)
    assert rec["unit"] == "households"
    assert rec["term"] == "displaced"


@pytest.mark.parametrize("text, term, unit, best", [
    ("Authorities evacuated 5,000 residents from Kupiansk on Monday.", "evacuated", "people", 5000),
    ("Some 2,000 people are sheltering in a sports hall in Khan Younis.", "sheltered", "people", 2000),
    ("Around 400 families were relocated to a new site near Baidoa.", "relocated", "families", 400),
    ("The shelling left 3,000 people homeless in Kharkiv.", "homeless", "people", 3000),
    ("Nearly 12,000 people are living in relief camps outside Maiduguri.", "in relief camp", "people", 12_000),
    ("The bombardment destroyed 250 homes in Rafah.", "destroyed housing", "households", 250),
    ("About 1,500 families have returned to their homes in Sake.", "returned", "families", 1500),
    ("An estimated 6,000 people fled across the border into Chad.", "fled", "people", 6000),
])
def test_displacement_terms(pipeline, text, term, unit, best):
    recs = extract(pipeline, text)
    rec = one(recs, "displacement", term=term)
    assert rec["count"]["best"] == best, show(recs)
    assert rec["unit"] == unit, show(recs)


def test_displacement_destination(pipeline):
    recs = extract(pipeline, "Nearly 20,000 people fled from Khartoum to Wad Madani in the past week.")
    rec = one(recs, "displacement")
    assert rec["count"]["best"] == 20_000
    assert place_name(rec["origin"]) == "Khartoum", show(recs)
    assert place_name(rec["destination"]) == "Wad Madani", show(recs)


@pytest.mark.parametrize("text", [
    "Idlib is home to about four million people.",
    "The camp was set up in 2013 on farmland east of the town.",
    "The mayor said the families would be consulted on the new road.",
])
def test_no_displacement(pipeline, text):
    recs = extract(pipeline, text)
    assert facts(recs, "displacement") == [], show(recs)


# ==================================================================================================
# population

def test_population_home_to(pipeline):
    recs = extract(pipeline, "Idlib is home to four million people.")
    rec = one(recs, "population")
    assert count_of(rec)[1] == 4_000_000, show(recs)
    assert place_name(rec["place"]) == "Idlib", show(recs)
    assert facts(recs, "displacement") == [] and facts(recs, "casualty") == [], show(recs)
    summary = summary_of(recs)
    assert not (summary.get("displaced") or {}).get("total"), summary
    assert not (summary.get("killed") or {}).get("total"), summary


def test_population_beside_an_event(pipeline):
    recs = extract(pipeline, "Shelling killed four civilians in Kharkiv, a city that is home to 1.4 million people.")
    assert bests(recs, "casualty", outcome="killed") == [4], show(recs)
    assert bests(recs, "population") == [1_400_000], show(recs)
    assert 1_400_000 not in {(r.get("count") or {}).get("best") for r in facts(recs, "casualty")}
    assert facts(recs, "displacement") == []
    assert summary_of(recs)["killed"]["total"] == 4


def test_population_has_a_population_of(pipeline):
    recs = extract(pipeline, "Before the war, Mariupol had a population of about 430,000.")
    rec = one(recs, "population")
    assert rec["count"]["best"] == 430_000, show(recs)
    assert facts(recs, "displacement") == [] and facts(recs, "casualty") == []


def test_no_population_in_a_casualty_sentence(pipeline):
    recs = extract(pipeline, "Twenty people were killed in the city on Monday.")
    assert facts(recs, "population") == [], show(recs)


# ==================================================================================================
# attack

def test_attack_two_hospitals(pipeline):
    recs = extract(pipeline, "Two hospitals were hit by airstrikes in Idlib on Monday.")
    rec = one(recs, "attack")
    assert rec["targets"] == ["hospital"], show(recs)
    assert rec["target_count"] == {"hospital": 2}, show(recs)
    assert place_name(rec["place"]) == "Idlib"


def test_attack_with_perpetrator(pipeline):
    recs = extract(pipeline, "Russian forces struck two hospitals in Kharkiv overnight.")
    rec = one(recs, "attack")
    assert rec["target_count"] == {"hospital": 2}, show(recs)
    assert rec["perpetrators"] == ["Russian forces"], show(recs)


def test_attack_several_targets(pipeline):
    recs = extract(pipeline, "Shelling struck a school and a market in Avdiivka on Tuesday.")
    attacks = facts(recs, "attack")
    assert attacks, show(recs)
    targets = {t for r in attacks for t in r["targets"]}
    assert targets == {"school", "market"}, show(recs)


def test_attack_on_camp(pipeline):
    recs = extract(pipeline, "An airstrike hit a displacement camp near Kurkur, killing 14 people.")
    rec = one(recs, "attack")
    assert rec["targets"] == ["camp"], show(recs)
    assert bests(recs, "casualty", outcome="killed") == [14], show(recs)


def test_attack_medical_facilities_counted(pipeline):
    recs = extract(pipeline, "Three medical facilities were damaged by shelling in Kherson last month.")
    rec = one(recs, "attack")
    assert rec["targets"] == ["medical facility"], show(recs)
    assert rec["target_count"] == {"medical facility": 3}, show(recs)


@pytest.mark.parametrize("text", [
    "The town has two hospitals and three schools, the mayor said.",
    "Doctors at the hospital were working around the clock.",
    "The school reopened on Monday after the summer holidays.",
    "The market sells vegetables brought in from the hospitals' gardens.",
])
def test_no_attack_without_an_attack(pipeline, text):
    recs = extract(pipeline, text)
    assert facts(recs, "attack") == [], show(recs)


# ==================================================================================================
# control

@pytest.mark.parametrize("text, actor, change, place", [
    ("Syrian government forces captured the town of Saraqib on Thursday.", "Syrian government forces", "gained",
     "Saraqib"),
    ("The Taliban seized Kunduz on Sunday.", "Taliban", "gained", "Kunduz"),
    ("Rebels lost control of Kafr Nabl after days of heavy fighting.", "Syrian opposition factions", "lost",
     "Kafr Nabl"),
    ("Russian troops withdrew from Kherson in November.", "Russian forces", "withdrew", "Kherson"),
    ("M23 rebels were advancing on Goma on Friday.", "M23", "advancing", "Goma"),
    ("Ukrainian troops still hold the town of Chasiv Yar despite heavy shelling.", "Ukrainian forces", "held",
     "Chasiv Yar"),
    # "under ... control": the place before, the actor inside; "now", "came", "fell" make it a change
    ("The town of Saraqib is now under the control of Syrian government forces, the monitor said.",
     "Syrian government forces", "gained", "Saraqib"),
    ("Most of Bakhmut is under Russian control, the Ukrainian army said.", "Russian forces", "held", "Bakhmut"),
    ("Kyaukme remains under government control, the Myanmar military said on Monday.", "Myanmar military",
     "held", "Kyaukme"),
    ("Fighters repelled attacks on Kyaukme, and the town remains under government control.", "Myanmar military",
     "held", "Kyaukme"),
    ("The district centre of Marib came under Houthi control on Thursday.", "Houthis", "gained", "Marib"),
    # an unnamed armed group is itself outside Syria, the Syrian opposition only in a Syria article
    ("Insurgents overran the town of Ghazni on Friday, officials said.", "insurgents", "gained", "Ghazni"),
    ("Militants took over the town of Mahas in Hiiraan region on Friday.", "militants", "gained", "Mahas"),
    ("Rebel fighters entered the town of Lalibela on Thursday, residents said.", "rebel fighters", "gained",
     "Lalibela"),
    ("Rebel fighters entered the town of Saraqib on Thursday, residents said.", "Syrian opposition factions",
     "gained", "Saraqib"),
])
def test_control_changes(pipeline, text, actor, change, place):
    recs = extract(pipeline, text)
    rec = one(recs, "control")
    assert rec["actor"] == actor, show(recs)
    assert rec["change"] == change, show(recs)
    assert place_name(rec["place"]) == place, show(recs)


@pytest.mark.parametrize("text", [
    "If they capture Saraqib, the road to Aleppo will be open to them.",
    "Government forces will continue their offensive in the south, the minister said.",
    "The army said it would take Goma within days.",
    "Residents fear the rebels could seize the town before the end of the month.",
    "Children in areas under government control were vaccinated last week.",
    "The fire in Idlib was brought under control by the civil defence on Monday.",
])
def test_no_control_for_hypotheticals(pipeline, text):
    recs = extract(pipeline, text)
    assert facts(recs, "control") == [], show(recs)


# ==================================================================================================
# quote

def quote(recs, text=None) -> dict:
    quotes = facts(recs, "quote")
    if text is not None:
        quotes = [q for q in quotes if (q.get("text") or "").strip(" ,.") == text]
    assert len(quotes) == 1, f"expected one quote {text!r}:\n{show(recs)}"
    return quotes[0]


def test_quote_said_x_with_org(pipeline):
    recs = extract(pipeline, '"The situation in the camps is catastrophic," said Rania Haddad, a spokeswoman '
                             'for UNICEF.')
    q = quote(recs)
    assert q["text"] == "The situation in the camps is catastrophic", show(recs)
    assert q["speaker"] == "Rania Haddad"
    assert q["speaker_org"] == "UNICEF"


def test_quote_x_said(pipeline):
    recs = extract(pipeline, '"We have nowhere left to go," Ahmed Karimi said.')
    q = quote(recs)
    assert q["text"] == "We have nowhere left to go", show(recs)
    assert q["speaker"] == "Ahmed Karimi"


@pytest.mark.parametrize("text, speaker", [
    # witnesses cited by one name, as reporters cite people for their safety
    ('"We were sleeping when the missile hit," said Amina, whose brother was killed in Rafah.', "Amina"),
    ('"There is no bread left in the camp," Yusuf said, sitting outside his tent.', "Yusuf"),
    ('"They burned the houses one by one," said Halima. "My son was taken."', "Halima"),
])
def test_quote_by_a_witness_cited_by_one_name(pipeline, text, speaker):
    recs = extract(pipeline, text)
    quotes = facts(recs, "quote")
    assert quotes and {q["speaker"] for q in quotes} == {speaker}, show(recs)
    assert all(q["rule"].endswith(".first-name") for q in quotes), show(recs)


@pytest.mark.parametrize("text", [
    '"The road to the border is closed," said Tuesday.',       # a weekday is no speaker
    '"Two explosions hit the school," Syrian television reported.',  # a demonym is no speaker
])
def test_no_one_word_speaker_that_is_not_a_name(pipeline, text):
    recs = extract(pipeline, text)
    assert all(q.get("speaker") not in ("Tuesday", "Syrian") for q in facts(recs, "quote")), show(recs)


def test_quote_x_told_afp(pipeline):
    recs = extract(pipeline, '"The bombs fell all night long," Mariam Khalil told AFP.')
    q = quote(recs)
    assert q["text"] == "The bombs fell all night long", show(recs)
    assert q["speaker"] == "Mariam Khalil"


def test_quote_speaker_before(pipeline):
    recs = extract(pipeline, 'Ahmed Karimi said: "We have not had clean water for a week."')
    q = quote(recs)
    assert q["text"].rstrip(".") == "We have not had clean water for a week", show(recs)
    assert q["speaker"] == "Ahmed Karimi"


def test_quote_according_to(pipeline):
    recs = extract(pipeline, 'The shelters are "far beyond their capacity", according to Omar Farouk, an official '
                             'with the Norwegian Refugee Council.')
    q = quote(recs, "far beyond their capacity")
    assert q["speaker"] == "Omar Farouk", show(recs)


def test_partial_quote(pipeline):
    recs = extract(pipeline, 'Lena Novak said the strikes were "an outrage against humanity".')
    q = quote(recs, "an outrage against humanity")
    assert q["speaker"] == "Lena Novak", show(recs)


def test_partial_quote_under_three_words_is_not_a_quote(pipeline):
    recs = extract(pipeline, 'Lena Novak called the strike "cowardly" and left the podium.')
    assert facts(recs, "quote") == [], show(recs)


def test_multi_sentence_quote(pipeline):
    recs = extract(pipeline, '"We lost everything. Our house is gone and our children are hungry," said Ali Mansour.')
    q = quote(recs)
    assert q["text"] == "We lost everything. Our house is gone and our children are hungry", show(recs)
    assert q["speaker"] == "Ali Mansour"


def test_spaced_quote_marks(pipeline):
    recs = extract(pipeline, '" We have no food left for the children , " said Ali Mansour .')
    q = quote(recs, "We have no food left for the children")
    assert q["speaker"] == "Ali Mansour", show(recs)


def test_unbalanced_quote_stops_at_the_paragraph(pipeline):
    text = ('Ali Mansour said: "We have no food left for the children.\n\n'
            'Aid agencies said 40 trucks were waiting at the crossing on Monday.')
    recs = extract(pipeline, text)
    q = quote(recs, "We have no food left for the children")
    assert q["speaker"] == "Ali Mansour", show(recs)
    assert not any("trucks" in (r.get("text") or "") for r in facts(recs, "quote")), show(recs)


def test_pronoun_she_said(pipeline):
    recs = extract(pipeline, 'Rania Haddad, a spokeswoman for UNICEF, visited the camp on Monday. '
                             '"Children are dying of cold every night," she said.')
    q = quote(recs, "Children are dying of cold every night")
    assert q["speaker"] == "Rania Haddad", show(recs)


@pytest.mark.parametrize("text, speaker", [
    ('Ahmed Karimi runs the only clinic in the town. "We have run out of bandages and painkillers," she said.',
     "Ahmed Karimi"),
    ('Mariam Khalil runs the only clinic in the town. "We have run out of bandages and painkillers," he said.',
     "Mariam Khalil"),
    ('Ahmed Karimi spoke first, then Rania Haddad took the microphone. '
     '"We have run out of bandages and painkillers," he said.', "Rania Haddad"),
])
def test_pronoun_resolves_to_last_named_person_whatever_the_gender(pipeline, text, speaker):
    recs = extract(pipeline, text)
    q = quote(recs, "We have run out of bandages and painkillers")
    assert q["speaker"] == speaker, show(recs)


# --- claimed_by ------------------------------------------------------------------------------------

def test_claimed_by_according_to_org(pipeline):
    recs = extract(pipeline, "At least 12 civilians were killed in the strike, according to the Syrian Observatory "
                             "for Human Rights.")
    rec = one(recs, "casualty", outcome="killed")
    assert rec["count"]["best"] == 12
    assert rec["claimed_by"] == ["SOHR"], show(recs)


def test_claimed_by_from_surrounding_quote(pipeline):
    recs = extract(pipeline, '"At least 20 people were killed in the raid," said Ali Mansour, the mayor of Sarmin.')
    rec = one(recs, "casualty", outcome="killed")
    assert rec["count"]["best"] == 20
    assert "Ali Mansour" in rec["claimed_by"], show(recs)


def test_claimed_by_he_said(pipeline):
    recs = extract(pipeline, "Ali Mansour is the mayor of Sarmin. Twenty people were killed in the raid, he said.")
    rec = one(recs, "casualty", outcome="killed")
    assert rec["count"]["best"] == 20
    assert "Ali Mansour" in rec["claimed_by"], show(recs)


def test_claimed_by_empty_when_the_outlet_states_it(pipeline):
    recs = extract(pipeline, "Twenty people were killed in the raid on Sarmin on Monday.")
    rec = one(recs, "casualty", outcome="killed")
    assert rec["claimed_by"] == [], show(recs)


def test_claimed_by_on_displacement(pipeline):
    recs = extract(pipeline, "Some 40,000 people have fled the fighting in Sudan, according to UNHCR.")
    rec = one(recs, "displacement")
    assert rec["count"]["best"] == 40_000
    assert rec["claimed_by"] == ["UNHCR"], show(recs)


# ==================================================================================================
# number forms in counts

@pytest.mark.parametrize("text, best", [
    ("More than 900,000 people have fled their homes since December.", 900_000),
    ("Some 1.2 million people have been displaced by the war.", 1_200_000),
    ("Half a million people have been displaced by the fighting.", 500_000),
])
def test_count_forms_large_numbers(pipeline, text, best):
    recs = extract(pipeline, text)
    rec = one(recs, "displacement")
    assert rec["count"]["best"] == best, show(recs)


@pytest.mark.parametrize("text, expected", [
    ("Between 20 and 30 civilians were killed in the attack.", (20, 25, 30)),
    ("Up to seven people were killed in the attack.", (None, 7, 7)),
    ("Dozens of civilians were killed in the attack.", (24, None, 99)),
])
def test_count_forms_ranges(pipeline, text, expected):
    recs = extract(pipeline, text)
    rec = one(recs, "casualty")
    assert count_of(rec) == expected, show(recs)


def test_count_at_least(pipeline):
    recs = extract(pipeline, "At least 12 civilians were killed in the attack.")
    c = one(recs, "casualty")["count"]
    assert (c["low"], c["best"], c["qualifier"]) == (12, 12, "at least"), c


def test_count_about(pipeline):
    recs = extract(pipeline, "About 300 civilians were killed in the attack.")
    c = one(recs, "casualty")["count"]
    assert (c["best"], c["qualifier"]) == (300, "about"), c


def test_count_dozens_qualifier(pipeline):
    recs = extract(pipeline, "Dozens of civilians were killed in the attack.")
    c = one(recs, "casualty")["count"]
    assert c["qualifier"] == "dozens", c


# ==================================================================================================
# summary

def test_summary_splits_civilians_and_fighters(pipeline):
    recs = extract(pipeline, "Clashes killed 10 civilians and 25 fighters near Marib on Sunday.")
    killed = summary_of(recs)["killed"]
    assert killed["total"] == 35, killed
    assert killed["civilians"] == 10, killed
    assert killed["fighters"] == 25, killed


def test_summary_adds_separate_events(pipeline):
    recs = extract(pipeline, "Shelling killed four people in Ariha on Monday. On Tuesday, an airstrike killed six "
                             "people in Sarmin.")
    summary = summary_of(recs)
    assert summary["killed"]["total"] == 10, summary
    assert "shelling" in summary["causes"] and "airstrike" in summary["causes"], summary


def test_summary_people_count_as_civilians(pipeline):
    recs = extract(pipeline, "An airstrike killed six people in Sarmin.")
    killed = summary_of(recs)["killed"]
    assert killed["total"] == 6 and killed["civilians"] == 6, killed


def test_summary_children_are_a_subset(pipeline):
    recs = extract(pipeline, "Shelling killed 15 civilians, including six children, in Idlib on Monday.")
    killed = summary_of(recs)["killed"]
    assert killed["total"] == 15, killed
    assert killed["civilians"] == 15, killed
    assert killed["children"] == 6, killed


def test_summary_displaced(pipeline):
    recs = extract(pipeline, "About 5,000 people fled Saraqib on Tuesday.")
    displaced = summary_of(recs)["displaced"]
    assert displaced["total"] == 5000, displaced


# ==================================================================================================
# evidence, repair, rules

ENTITY_TEXT = ("Ali Mansour, the mayor of Sarmin, said ,quot;We have lost everything in this war,quot; after the strike. "
               "The town& # 39;s hospital was hit by shelling on Monday, and 12 civilians were killed.")


def test_broken_entities_repaired_before_extraction(pipeline):
    from warmonitor.model import Article

    result = pipeline.extract(Article(id="t", text=ENTITY_TEXT))
    assert ",quot;" not in result.text and "& # 39;" not in result.text and "&#" not in result.text
    assert '"We have lost everything in this war"' in result.text
    assert "town's hospital" in result.text
    recs = result.records()
    assert quote(recs, "We have lost everything in this war")["speaker"] == "Ali Mansour", show(recs)
    assert bests(recs, "casualty", outcome="killed") == [12], show(recs)
    assert {t for r in facts(recs, "attack") for t in r["targets"]} == {"hospital"}, show(recs)


RICH_TEXT = ("Airstrikes kill 12 in Idlib\n\n"
             "IDLIB, Syria \u2014 Russian airstrikes killed 12 civilians, including five children, and injured 30 in "
             "Ma\u2019arat al-Numan on Tuesday, the Syrian Observatory for Human Rights said.\n\n"
             "\u201cThe planes came back three times,\u201d said Omar Farouk, a rescuer with the White Helmets. "
             "\u201cWe are still pulling bodies from the rubble.\u201d\n\n"
             "About 3,000 families fled from the town to Atmeh, where a hospital was hit by shelling last week. "
             "Syrian government forces captured the village of Kafr Rouma on Monday.\n\n"
             "The province is home to about four million people.")


@pytest.mark.parametrize("text", [RICH_TEXT, ENTITY_TEXT, "  \n\n" + RICH_TEXT.replace("\n\n", "\r\n\r\n")])
def test_evidence_offsets_point_into_the_repaired_text(pipeline, text):
    from warmonitor.model import Article

    result = pipeline.extract(Article(id="t", text=text))
    recs = result.records()
    assert len([r for r in recs if r["type"] != "summary"]) >= 3, show(recs)
    for rec in recs:
        if rec["type"] == "summary":
            continue
        ev = rec["evidence"]
        assert ev["text"], rec
        assert 0 <= ev["start"] < ev["end"] <= len(result.text), rec
        assert result.text[ev["start"]:ev["end"]] == ev["text"], rec


def test_every_fact_has_rule_confidence_and_claims(pipeline):
    recs = extract(pipeline, RICH_TEXT)
    kinds = {r["type"] for r in recs}
    assert {"casualty", "displacement", "population", "attack", "control", "quote", "summary"} <= kinds, show(recs)
    summary_of(recs)
    for rec in recs:
        assert rec["article"] == "t"
        if rec["type"] == "summary":
            continue
        assert isinstance(rec["rule"], str) and rec["rule"].strip(), rec
        assert isinstance(rec["confidence"], (int, float)) and 0 <= rec["confidence"] <= 1, rec
        assert isinstance(rec["claimed_by"], list), rec


def test_rich_text_killed_with_children_subset(pipeline):
    recs = extract(pipeline, RICH_TEXT)
    killed = summary_of(recs).get("killed") or {}
    assert killed.get("total") == 12 and killed.get("civilians") == 12, killed
    assert killed.get("children") == 5, summary_of(recs)
    assert 5 not in bests(recs, "casualty", outcome="injured"), show(recs)


def test_rich_text_injured_and_claims(pipeline):
    recs = extract(pipeline, RICH_TEXT)
    assert bests(recs, "casualty", outcome="injured") == [30], show(recs)
    assert (summary_of(recs).get("injured") or {}).get("total") == 30, summary_of(recs)
    body = [r for r in facts(recs, "casualty", outcome="killed") if "Observatory" in r["evidence"]["text"]]
    assert body and body[0]["claimed_by"] == ["SOHR"], show(recs)
    assert body[0]["perpetrators"] == ["Russian forces"]


def test_rich_text_quote_control_displacement_population(pipeline):
    recs = extract(pipeline, RICH_TEXT)
    q = quote(recs, "The planes came back three times")
    assert q["speaker"] == "Omar Farouk"
    control = one(recs, "control")
    assert (control["actor"], control["change"], place_name(control["place"])) == (
        "Syrian government forces", "gained", "Kafr Rouma")
    assert bests(recs, "population") == [4_000_000], show(recs)
    disp = one(recs, "displacement")
    assert (disp["count"]["best"], disp["unit"], disp["term"]) == (3000, "families", "fled"), show(recs)
    assert place_name(disp["destination"]) == "Atmeh", show(recs)
