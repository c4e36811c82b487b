"""Actor resolution (`warmonitor.resolve.actors`) and the shipped `data/actors.jsonl`.

The sentences and names in these tests are written for them; the rows of the small inline tables are
made up, the shipped-file tests read `actors.jsonl` itself.
"""
from __future__ import annotations

import pytest

from conftest import extract
from warmonitor.data_files import DataFileError, load_jsonl
from warmonitor.resolve.actors import TYPES, Actors, fold


@pytest.fixture(scope="module")
def resolver() -> Actors:
    return Actors()


# --- aliases -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("written, canonical", [
    ("Syrian Observatory for Human Rights", "SOHR"),
    ("Britain-based monitor", "SOHR"),
    ("UN refugee agency", "UNHCR"),
    ("Office for the Coordination of Humanitarian Affairs", "OCHA"),
    ("Doctors Without Borders", "MSF"),
    ("Syria Civil Defence", "White Helmets"),
    ("Ansar Allah", "Houthis"),
    ("Tatmadaw", "Myanmar military"),
    ("RSF", "Rapid Support Forces (RSF)"),
    ("Rapid Support Forces", "Rapid Support Forces (RSF)"),
    ("Fano militia", "Fano"),
    ("Cooperative for the Development of Congo", "CODECO"),
    ("Hurras", "Hurras Network"),
    ("Hurras al-Din", "Hurras al-Din"),
    ("Islamic Jihad", "Palestinian Islamic Jihad"),
    ("Islamic State Khorasan Province", "ISIS-K"),
    ("Hezbollah", "Hezbollah"),
    ("Syrian Arab Army", "Syrian government forces"),
])
def test_alias_gives_canonical_name(resolver, written, canonical):
    assert resolver.canonical(written) == canonical


def test_every_canonical_name_resolves_to_itself(resolver):
    for name, actor in resolver.actors.items():
        if actor.valid_from is None and actor.valid_to is None:
            assert resolver.canonical(name) == name, name


@pytest.mark.parametrize("written, canonical", [
    ("Michelle Bachelet", "Michelle Bachelet"),
    ("Bachelet", "Michelle Bachelet"),
    ("Colville", "Rupert Colville"),
    ("Tedros", "Tedros Adhanom Ghebreyesus"),
    ("de Mistura", "Staffan de Mistura"),
    ("Abdel Rahman", "Rami Abdel Rahman"),
])
def test_person_by_full_name_or_surname(resolver, written, canonical):
    assert resolver.canonical(written) == canonical


# --- folding -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("written, canonical", [
    ("syrian observatory FOR human rights", "SOHR"),
    ("the Syrian Observatory for Human Rights", "SOHR"),
    ("Medecins Sans Frontieres", "MSF"),
    ("Médecins Sans Frontières", "MSF"),
    ("the U.N.", "UN"),
    ("Volker Turk", "Volker Türk"),
    ("Erdogan", "Recep Tayyip Erdoğan"),
    ("Bachelet's", "Michelle Bachelet"),
    ("Hay'at Tahrir al-Sham", "HTS"),
    ("Hayat Tahrir al Sham", "HTS"),
    ("Peoples Protection Units", "YPG"),
    ("Unicef", "UNICEF"),
    ("  Save the Children ", "Save the Children"),
])
def test_case_diacritics_and_punctuation_are_folded(resolver, written, canonical):
    assert resolver.canonical(written) == canonical


def test_fold():
    assert fold("The U.N.'s Office") == "uns office"
    assert fold("Médecins Sans Frontières") == "medecins sans frontieres"
    assert fold("Armed Conflict Location & Event Data") == "armed conflict location and event data"


@pytest.mark.parametrize("written", ["who", "is", "Is", "ap", "un", "elder", "an elder"])
def test_ordinary_words_are_not_acronyms_or_surnames(resolver, written):
    assert resolver.canonical(written) is None


def test_short_acronyms_in_capitals(resolver):
    assert resolver.canonical("WHO") == "WHO"
    assert resolver.canonical("IS") == "ISIS"
    assert resolver.canonical("Elder") == "James Elder"


# --- validity dates ------------------------------------------------------------------------------------------

def test_lowcock_speaks_for_ocha_in_2020_but_not_in_2023(resolver):
    assert resolver.office("Lowcock", "2020-02-18") == "OCHA"
    assert resolver.office("Mark Lowcock", "2023-03-01") is None
    assert resolver.canonical("Lowcock", "2023-03-01") == "Mark Lowcock"  # still the same person
    assert resolver.claimant("Lowcock", "2023-03-01") == ["Mark Lowcock"]


@pytest.mark.parametrize("when, holder", [
    ("2016-05-01", "Stephen O'Brien"),
    ("2020-02-18", "Mark Lowcock"),
    ("2022-06-01", "Martin Griffiths"),
    ("2024-09-01", "Joyce Msuya"),
    ("2025-03-01", "Tom Fletcher"),
])
def test_office_title_gives_the_holder_at_the_date(resolver, when, holder):
    assert resolver.canonical("UN humanitarian chief", when) == holder
    assert resolver.claimant("the UN humanitarian chief", when) == [holder, "OCHA"]


def test_office_title_without_date_gives_the_office(resolver):
    assert resolver.canonical("UN humanitarian chief") == "OCHA"
    assert resolver.claimant("UN rights chief") == ["OHCHR"]


@pytest.mark.parametrize("written, when, canonical", [
    ("Jabhat al-Nusra", "2014-06-01", "Nusra Front"),
    ("Nusra Front", "2016-10-01", "Jabhat Fateh al-Sham"),
    ("Nusra Front", "2019-05-01", "HTS"),
    ("HTS", "2014-06-01", "Nusra Front"),
    ("AMISOM", "2023-05-01", "ATMIS"),
    ("AMISOM", "2025-05-01", "AUSSOM"),
    ("MONUC", "2015-01-01", "MONUSCO"),
    ("ISGS", "2023-01-01", "Islamic State Sahel Province (ISSP)"),
    ("Wagner", "2024-03-01", "Wagner Group"),
    ("Syrian government forces", "2025-06-01", "Syrian government forces"),
])
def test_renamed_groups_follow_their_chain_to_the_date(resolver, written, when, canonical):
    assert resolver.canonical(written, when) == canonical


@pytest.mark.parametrize("written, when", [
    ("Africa Corps", "2020-01-01"),      # not yet formed
    ("Afghan National Army", "2023-01-01"),  # gone with the republic in Aug 2021
    ("HTS", "2026-01-01"),               # dissolved Jan 2025, no successor row
    ("SDF", "2013-05-01"),               # founded Oct 2015
])
def test_actor_outside_its_dates_resolves_to_nothing(resolver, written, when):
    assert resolver.canonical(written, when) is None
    assert resolver.claimant(written, when) == [written]


def test_dates_without_a_day_compare_as_their_start(resolver):
    assert resolver.office("Lowcock", "2020") == "OCHA"


# --- person -> office ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("person, when, office", [
    ("Bachelet", "2020-02-18", "OHCHR"),
    ("Bachelet", None, "OHCHR"),
    ("Michelle Bachelet", "2023-01-01", None),
    ("Volker Türk", "2024-01-01", "OHCHR"),
    ("Guterres", "2010-01-01", "UNHCR"),
    ("Guterres", "2020-01-01", "UN Secretary-General"),
    ("Guterres", None, "UN Secretary-General"),
    ("Griffiths", "2019-06-01", "UN Special Envoy for Yemen"),
    ("Griffiths", "2022-06-01", "OCHA"),
    ("Grandi", "2020-01-01", "UNHCR"),
    ("Pedersen", "2020-01-01", "UN Special Envoy for Syria"),
    ("Catherine Russell", "2023-01-01", "UNICEF"),
    ("al-Jolani", "2015-01-01", "Nusra Front"),
    ("al-Sharaa", "2020-01-01", "HTS"),
    ("al-Sharaa", "2025-06-01", "Syrian government forces"),
    ("Swanson", "2020-02-18", "OCHA"),
    ("SOHR", None, None),  # an organisation has no office
])
def test_person_speaks_for_an_office(resolver, person, when, office):
    assert resolver.office(person, when) == office


@pytest.mark.parametrize("written, when, claim", [
    ("Bachelet", "2020-02-18", ["Michelle Bachelet", "OHCHR"]),
    ("Rupert Colville", "2020-02-18", ["Rupert Colville", "OHCHR"]),
    ("Rami Abdel Rahman", "2020-02-18", ["Rami Abdel Rahman", "SOHR"]),
    ("David Swanson", "2020-02-18", ["David Swanson", "OCHA"]),
    ("the Syrian Observatory for Human Rights", None, ["SOHR"]),
    ("Save the Children", None, ["Save the Children"]),
])
def test_claimant(resolver, written, when, claim):
    assert resolver.claimant(written, when) == claim


# --- full name beats a contradicting acronym -----------------------------------------------------------------

def test_full_name_beats_contradicting_acronym(resolver):
    text = 'The United Nations High Commissioner for Human Rights (UNHCR) warned on Tuesday that no shelter was safe.'
    assert resolver.correct_acronym(text) == "OHCHR"
    assert resolver.correct_acronym("a statement by the UN refugee agency (OHCHR) said") == "UNHCR"
    assert resolver.correct_acronym("the UN children's agency (UNHCR) said") == "UNICEF"
    assert resolver.correct_acronym("the UN refugee agency (UNHRC)") == "UNHCR"


@pytest.mark.parametrize("text", [
    "The UN refugee agency (UNHCR) said 300 families had arrived.",
    "according to the Syrian Observatory for Human Rights (SOHR), a Britain-based monitor",
    "fighters of the Somali National Army (SNA) entered the town",
    "fighters of the Syrian National Army (SNA) entered the town",
    "the Rapid Support Forces (RSF) said",
    "a spokesman (AFP) said",
    "no parentheses at all",
])
def test_no_clash_no_correction(resolver, text):
    assert resolver.correct_acronym(text) is None


# --- country settles a shared name ---------------------------------------------------------------------------

def test_sna_by_country(resolver):
    assert resolver.canonical("SNA") == "Syrian National Army (SNA)"
    assert resolver.canonical("SNA", country="SY") == "Syrian National Army (SNA)"
    assert resolver.canonical("SNA", country="SO") == "Somali National Army"
    assert resolver.canonical("Syrian National Army", country="SO") == "Syrian National Army (SNA)"
    assert resolver.canonical("SNA", "2024-05-01", "SO") == "Somali National Army"


def test_other_country_settled_names(resolver):
    assert resolver.canonical("coalition forces") == "US-led coalition"
    assert resolver.canonical("coalition forces", country="YE") == "Saudi-led coalition"
    assert resolver.canonical("junta", country="ML") == "Malian armed forces"
    assert resolver.canonical("junta", country="MM") == "Myanmar military"
    assert resolver.canonical("Red Crescent", country="SY") == "SARC"
    assert resolver.canonical("Red Crescent", country="PS") == "Palestine Red Crescent Society"
    assert resolver.canonical("Red Crescent") is None  # which society is unknown without a country
    assert resolver.canonical("AA", country="MM") == "Arakan Army"
    assert resolver.canonical("AA") is None


def test_generic_forces_are_the_government_of_the_country(resolver):
    assert resolver.canonical("government forces", country="SD") == "Sudanese Armed Forces"
    assert resolver.canonical("the army", country="BF") == "Burkina Faso armed forces"
    assert resolver.canonical("government forces") is None
    assert resolver.canonical("government forces", "2023-01-01", "AF") is None  # the republic's forces are gone


# --- unknown names -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("written", ["Hashem Doe", "a local doctor", "Jebel Ahmar Brigade"])
def test_unknown_names_are_kept_as_written(resolver, written):
    assert resolver.canonical(written) is None
    assert resolver.claimant(written) == [written]
    assert resolver.office(written) is None
    assert resolver.actor_type(written) is None


def test_actor_type(resolver):
    assert resolver.actor_type("OHCHR") == "UN agency"
    assert resolver.actor_type("UN Security Council") == "UN body"
    assert resolver.actor_type("Michelle Bachelet") == "person"
    assert resolver.actor_type("Houthis") == "non-state armed group"
    assert resolver.actor_type("Syrian government forces") == "state forces"
    assert resolver.actor_type("Reuters") == "media"
    assert resolver.actor_type("the UN refugee agency") == "UN agency"


# --- rows given inline, and their validation -----------------------------------------------------------------

ROWS = [
    {"name": "Ministry of Examples", "type": "UN agency", "aliases": ["MoE"],
     "people": [{"name": "Ada Sample", "type": "person", "office": "Ministry of Examples", "role": "head",
                 "valid_from": "2001-01-01", "valid_to": "2004-12-31", "aliases": ["Sample"]}]},
    {"name": "Old Front", "type": "non-state armed group", "aliases": ["Front"], "valid_to": "2009-12-31",
     "successor": "New Front"},
    {"name": "New Front", "type": "non-state armed group", "aliases": [], "valid_from": "2010-01-01"},
    {"name": "Bo Flat", "type": "person", "office": "New Front", "valid_from": "2010-01-01", "valid_to": None,
     "aliases": ["Flat"], "unknown_field": "ignored"},
]


def test_inline_rows_nested_and_flat_persons():
    r = Actors(ROWS)
    assert r.claimant("Sample", "2003-01-01") == ["Ada Sample", "Ministry of Examples"]
    assert r.claimant("Flat", "2012-01-01") == ["Bo Flat", "New Front"]
    assert r.canonical("Front", "2015-01-01") == "New Front"
    assert r.canonical("Front", "2005-01-01") == "Old Front"


def test_row_missing_name_raises_naming_the_row():
    rows = [ROWS[0], {"type": "NGO", "aliases": ["Nameless"]}]
    with pytest.raises(DataFileError, match=r"entry 2: missing field 'name'"):
        Actors(rows)


@pytest.mark.parametrize("bad, message", [
    ({"name": "X", "type": "charity", "aliases": []}, r"entry 1 \('X'\): unknown type 'charity'"),
    ({"name": "X", "type": "NGO"}, r"entry 1 \('X'\): missing field 'aliases'"),
    ({"name": "X", "type": "NGO", "aliases": [], "valid_from": "2020"}, r"entry 1 \('X'\): valid_from should be"),
    ({"name": "X", "type": "NGO", "aliases": [], "valid_from": "2020-01-02", "valid_to": "2019-01-01"},
     r"valid_to 2019-01-01 is before"),
    ({"name": "X", "type": "NGO", "aliases": [], "country": "Syria"}, r"country should be an ISO"),
    ({"name": "X", "type": "NGO", "aliases": [], "successor": "Y"}, r"successor 'Y' is not an actor"),
    ({"name": "X", "type": "person", "office": "Y", "aliases": []}, r"office 'Y' is not an actor"),
    ({"name": "X", "type": "NGO", "aliases": [], "people": [{"name": "P", "aliases": [], "office": "Z"}]},
     r"entry 1 \('X'\) people #1: office 'Z' is not the row"),
])
def test_invalid_rows_raise(bad, message):
    with pytest.raises(DataFileError, match=message):
        Actors([bad])


def test_two_governments_for_one_country_raise():
    rows = [{"name": "A", "type": "state forces", "country": "SY", "government": True, "aliases": []},
            {"name": "B", "type": "state forces", "country": "SY", "government": True, "aliases": []}]
    with pytest.raises(DataFileError, match=r"entry 2 \('B'\).*already the government of SY"):
        Actors(rows)


# --- the shipped file ----------------------------------------------------------------------------------------

def test_shipped_rows_are_complete():
    rows = load_jsonl("actors.jsonl")
    for row in rows:
        assert row["type"] in TYPES - {"person"}, row["name"]  # persons are nested, see below
        assert isinstance(row.get("source"), str) and row["source"].strip(), row["name"]
        for person in row.get("people", []):
            assert person["type"] == "person" and person["office"] == row["name"], person["name"]
            assert person.get("source") and "valid_from" in person and "valid_to" in person, person["name"]
            assert person["aliases"], person["name"]


def test_shipped_names_are_not_shared(resolver):
    # The extractor matches every alias of every row: a name on two rows would be two actors at once.
    assert resolver.clashes() == []


def test_shipped_demonyms_are_not_shared():
    seen: dict[str, str] = {}
    for row in load_jsonl("actors.jsonl"):
        for adjective in row.get("adjectives", []):
            assert adjective.lower() not in seen, (adjective, row["name"], seen.get(adjective.lower()))
            seen[adjective.lower()] = row["name"]


def test_extractor_does_not_see_persons(pipeline):
    # Persons are nested in their office's row so that the phrase matcher never makes one an actor
    # (a perpetrator) or an organisation name.
    actors = pipeline.resources.actors
    assert actors.get("Michelle Bachelet") is None
    assert actors.get("OHCHR") is not None


@pytest.mark.parametrize("name", [
    # Syria
    "Syrian government forces", "Russian forces", "Turkish forces", "Iranian forces", "Hezbollah", "HTS",
    "Syrian opposition factions", "Syrian National Army (SNA)", "SDF", "YPG", "ISIS", "US-led coalition",
    # UN
    "OHCHR", "UNHCR", "OCHA", "UNICEF", "WHO", "WFP", "IOM", "UNRWA", "UNAMA", "UNMISS", "MONUSCO",
    "UN Security Council", "UN Secretary-General", "UN Special Envoy for Syria",
    # monitors, NGOs, media
    "SOHR", "SNHR", "Save the Children", "MSF", "White Helmets", "Hurras Network", "ICRC", "IFRC", "SARC", "NRC",
    "IRC", "Amnesty International", "Human Rights Watch", "Airwars", "ACLED", "IDMC", "Al Jazeera", "AFP",
    "Reuters", "AP", "BBC", "SANA", "Anadolu Agency",
    # other conflicts
    "Houthis", "Yemeni government forces", "Southern Transitional Council (STC)", "Saudi-led coalition",
    "Sudanese Armed Forces", "Rapid Support Forces (RSF)", "Myanmar military", "People's Defence Force (PDF)",
    "Arakan Army", "Kachin Independence Army (KIA)", "Ta'ang National Liberation Army (TNLA)",
    "Myanmar National Democratic Alliance Army (MNDAA)", "Ukrainian forces", "Taliban", "ISIS-K",
    "Afghan government forces", "Malian armed forces", "JNIM", "Islamic State Sahel Province (ISSP)",
    "Wagner Group", "Africa Corps", "Burkina Faso armed forces", "Volunteers for the Defence of the Homeland (VDP)",
    "Congolese armed forces", "M23", "Allied Democratic Forces (ADF)", "CODECO",
    "Ethiopian National Defence Force (ENDF)", "Fano", "TPLF", "Israeli forces", "Hamas", "Palestinian Islamic Jihad",
    "Al-Shabaab", "Somali National Army", "Boko Haram", "ISWAP",
    # persons
    "Michelle Bachelet", "Rupert Colville", "Mark Lowcock", "Martin Griffiths", "Tom Fletcher", "Volker Türk",
    "Filippo Grandi", "António Guterres", "Rami Abdel Rahman", "David Swanson", "Geir Pedersen",
    "Staffan de Mistura", "Tedros Adhanom Ghebreyesus", "Catherine Russell",
])
def test_shipped_file_covers(resolver, name):
    assert name in resolver.actors


def test_facts_carry_the_types_of_the_actors_they_name(pipeline):
    # The type is written at extraction (`actor_types`), for the actors and claimants actors.jsonl knows.
    text = ("Heavy fighting in Idlib\n\nSyrian government forces shelled a market in Idlib on Monday, killing "
            "eight civilians, according to a local doctor. \"We counted the bodies one by one,\" said "
            "Michelle Bachelet, the UN human rights chief.")
    records = extract(pipeline, text, "2020-02-18")
    casualty = next(r for r in records if r["type"] == "casualty")
    assert casualty["actor_types"] == {"Syrian government forces": "state forces"}
    quote = next(r for r in records if r["type"] == "quote")
    assert quote["speaker_org"] == "UN"
    assert quote["actor_types"] == {"Michelle Bachelet": "person", "UN": "UN body", "OHCHR": "UN agency"}
    assert list(quote).index("actor_types") == list(quote).index("claimed_by") + 1
    assert all("actor_types" not in r for r in records if r["type"] == "summary")


def test_unnamed_armed_groups_are_non_state_armed_groups(resolver):
    """"Insurgents" in a report from anywhere but Syria names no group the list knows, yet it is an armed
    non-state party: exports (ACLED's "Non-state actor overtakes territory") need that type."""
    assert resolver.types_of(["insurgents", "resistance forces", "Taliban", "the neighbours"]) == {
        "insurgents": "non-state armed group", "resistance forces": "non-state armed group",
        "Taliban": "non-state armed group"}
    assert resolver.canonical("rebels", country="SY") == "Syrian opposition factions"
    assert resolver.canonical("rebels", country="ET") is None
