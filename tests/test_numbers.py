"""The number parser: number forms, ranges, qualifiers, vague quantities and the numbers that are
not counts (ages, percentages, years, durations, money, ordinals, distances, ranks, times, dates).

Every sentence here is made up for the test.
"""
from __future__ import annotations


import pytest
import spacy

from warmonitor.data_files import DataFileError, load_toml
from warmonitor.model import Count
from warmonitor.nlp.numbers import NumberMention, NumberParser


@pytest.fixture(scope="module")
def nlp():
    return spacy.blank("en")


@pytest.fixture(scope="module")
def parser():
    return NumberParser()


@pytest.fixture(scope="module")
def find(nlp, parser):
    def run(text: str) -> list[NumberMention]:
        return parser.find(nlp(text))

    return run


@pytest.fixture(scope="module")
def first(find):
    def run(text: str) -> NumberMention:
        found = find(text)
        assert found, f"no number found in {text!r}"
        return found[0]

    return run


def triple(count: Count) -> tuple:
    return (count.low, count.best, count.high)


# ---- number forms --------------------------------------------------------------------------------

@pytest.mark.parametrize("text, value", [
    ("Rescuers pulled 300 survivors out.", 300),
    ("The camp holds 900,000 residents.", 900_000),
    ("Officials counted 1,200 tents.", 1_200),
    ("The town had 1.2 million inhabitants.", 1_200_000),
    ("Aid reached 1.5 million refugees.", 1_500_000),
    ("A further 2.5m people need food.", 2_500_000),
    ("A column of 10k troops massed.", 10_000),
    ("Seven fishermen vanished.", 7),
    ("twenty-one soldiers deserted", 21),
    ("The region shelters four million people.", 4_000_000),
    ("The region shelters 4 million people.", 4_000_000),
    ("a hundred houses burned", 100),
    ("half a million refugees crossed", 500_000),
    ("a dozen rockets landed", 12),
    ("one hundred and twenty families arrived", 120),
    ("two hundred thousand voters", 200_000),
    ("one and a half million migrants", 1_500_000),
    ("a quarter of a million villagers", 250_000),
    # thousands grouped with a space, as French- and UN-style copy writes them
    ("Officials registered 245 000 people who fled.", 245_000),
    ("The agency counted 1 200 000 displaced.", 1_200_000),
    # South Asian units
    ("Floods displaced 2 lakh people.", 200_000),
    ("The clashes left 1.2 lakh villagers homeless.", 120_000),
    ("The province has 3 crore residents.", 30_000_000),
])
def test_number_forms(first, text, value):
    mention = first(text)
    assert mention.kind == "count"
    assert triple(mention.count) == (value, value, value)
    assert mention.count.qualifier is None


@pytest.mark.parametrize("text, values", [
    ("In 2019 12 000 people fled.", [2019, 12_000]),     # four digits never head a thousands group
    ("Of the 12 1000 were children.", [12, 1000]),        # a group is exactly three digits
    ("Fields 101 102 and 103 were taken.", [101, 102, 103]),  # a list, not a grouped number
    ("Share 0 612 comments", [0, 612]),                   # no grouped number starts with 0
    ("Between 12  000 and more", [12, 0]),                 # two spaces: no grouping
])
def test_space_grouping_is_strict(find, text, values):
    assert [m.count.best if m.count else m.value for m in find(text)][:len(values)] == values


def test_mention_span_and_text(nlp, parser):
    doc = nlp("Officers said roughly 1,500 prisoners escaped.")
    (mention,) = parser.find(doc)
    assert mention.text == "roughly 1,500"
    assert doc[mention.start].text == "roughly"
    assert doc[mention.num_start].text == "1,500"
    assert doc[mention.end].text == "prisoners"


# ---- ranges --------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("between 20 and 30 shepherds", (20, 25, 30)),
    ("20-30 shepherds", (20, 25, 30)),
    ("20–30 shepherds", (20, 25, 30)),
    ("20 to 30 shepherds", (20, 25, 30)),
    ("5,000-6,000 evacuees", (5_000, 5_500, 6_000)),
    ("20 to 30 million viewers", (20_000_000, 25_000_000, 30_000_000)),
    ("two or three guards", (2, 2, 3)),
])
def test_ranges(first, text, expected):
    mention = first(text)
    assert mention.kind == "count"
    assert triple(mention.count) == expected


def test_between_is_part_of_the_expression(first):
    mention = first("They found between 20 and 30 shepherds.")
    assert mention.text == "between 20 and 30"
    assert mention.count.qualifier == "between"


def test_from_to_is_a_change_not_a_range(find):
    found = find("The toll rose from 20 to 30.")
    assert [m.count.best for m in found] == [20, 30]


# ---- qualifiers ----------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected, qualifier", [
    ("about 300 herders", (300, 300, 300), "about"),
    ("Around 900,000 settlers", (900_000, 900_000, 900_000), "around"),
    ("some 43,000 pilgrims", (43_000, 43_000, 43_000), "some"),
    ("approximately 600 tents", (600, 600, 600), "approximately"),
    ("roughly 70 homes", (70, 70, 70), "roughly"),
    ("an estimated 5,000 nomads", (5_000, 5_000, 5_000), "an estimated"),
    ("up to seven sailors", (None, 7, 7), "up to"),
    ("as many as 40 porters", (None, 40, 40), "as many as"),
    ("nearly 200 miners", (None, 200, 200), "nearly"),
    ("almost 90 clerks", (None, 90, 90), "almost"),
    ("fewer than ten rangers", (None, 10, 10), "fewer than"),
    ("less than 50 guards", (None, 50, 50), "less than"),
    ("at most 8 bodies", (None, 8, 8), "at most"),
    ("at least 12 farmers", (12, 12, None), "at least"),
    ("more than 1,000 students", (1_000, 1_000, None), "more than"),
    ("over 50 drivers", (50, 50, None), "over"),
    ("more than a dozen medics", (12, 12, None), "more than"),
    ("300 or more tourists", (300, 300, None), "or more"),
    ("30,000+ spectators", (30_000, 30_000, None), "+"),
])
def test_qualifiers(first, text, expected, qualifier):
    mention = first(text)
    assert mention.kind == "count"
    assert triple(mention.count) == expected
    assert mention.count.qualifier == qualifier


# ---- vague quantities ----------------------------------------------------------------------------

@pytest.mark.parametrize("text, low, best, high", [
    ("dozens of porters", 24, None, 99),
    ("Dozens were hurt", 24, None, 99),
    ("scores of pilgrims", 40, None, 99),
    ("hundreds of shepherds", 200, None, 999),
    ("thousands of miners", 2_000, None, 9_999),
    ("tens of thousands of voters", 20_000, None, 99_999),
    ("hundreds of thousands of farmers", 200_000, None, 999_999),
    ("millions of viewers", 2_000_000, None, 9_999_999),
    ("a few guards", 2, None, 9),
    ("several nurses", 3, None, 9),
    ("a handful of rangers", 2, None, 9),
    ("several hundred clerks", 200, None, 999),
    ("a couple of drivers", 2, 2, 3),
])
def test_vague_quantities(first, text, low, best, high):
    mention = first(text)
    assert mention.kind == "count"
    assert triple(mention.count) == (low, best, high)
    assert mention.count.qualifier == mention.text.lower()


def test_longest_vague_phrase_wins(find):
    found = find("hundreds of thousands of farmers")
    assert len(found) == 1 and found[0].text == "hundreds of thousands"


def test_scores_needs_of(find):
    assert find("the scores were close") == []


# ---- numbers that are not counts -----------------------------------------------------------------

@pytest.mark.parametrize("text, kind, best", [
    ("a seven-month-old girl", "age", 7),
    ("a 12-year-old pupil", "age", 12),
    ("a two-week-old calf", "age", 2),
    ("a farmer aged 45 said", "age", 45),
    ("the driver, 45 years old, said", "age", 45),
    ("at the age of 60", "age", 60),
    ("93 percent agreed", "percent", 93),
    ("93% agreed", "percent", 93),
    ("93 per cent agreed", "percent", 93),
    ("93 percent of the ballots", "share", 93),
    ("two-thirds of the voters", "share", 67),
    ("half of the harvest", "share", 50),
    ("in 2012 the bridge opened", "year", 2012),
    ("since 2011 it has grown", "year", 2011),
    ("The 2012 elections were calm.", "year", 2012),
    ("four days later", "duration", 4),
    ("three months of talks", "duration", 3),
    ("nine years ago", "duration", 9),
    ("two hours", "duration", 2),
    ("a three-day festival", "duration", 3),
    ("$5 million in loans", "money", 5_000_000),
    ("5 million dollars in loans", "money", 5_000_000),
    ("2 billion euros", "money", 2_000_000_000),
    ("the 21st century", "ordinal", 21),
    ("the first ferry", "ordinal", 1),
    ("the second round", "ordinal", 2),
    ("10 km from the coast", "distance", 10),
    ("five miles inland", "distance", 5),
    ("the four largest ports", "rank", 4),
    ("the two biggest", "rank", 2),
    ("the top three", "rank", 3),
    ("at 3 pm", "time", 3),
    ("18 February", "date", 18),
    ("on February 18 the train left", "date", 18),
    ("Resolution 2254 passed", "label", 2254),
    ("the 2011-12 season", "year", 2011),
    ("between 2014 and 2016", "year", 2014),
    ("music of the 1990s", "year", 1990),
    ("nurses in their 20s", "age", 20),
    ("a 20-km stretch", "distance", 20),
    ("between 1 and 8 October", "date", 4),
    ("at 0300 GMT", "time", 300),
])
def test_not_counts(first, text, kind, best):
    mention = first(text)
    assert mention.kind == kind
    assert mention.count.best == best


def test_clock_time(first):
    mention = first("The market opened at 10:30.")
    assert mention.kind == "time" and mention.text == "10:30"


def test_year_before_people_noun_is_a_count(first):
    mention = first("That night 2020 people crossed the pass.")
    assert mention.kind == "count" and mention.count.best == 2020


def test_year_after_month_is_a_year(find):
    found = find("On 4 March 2015 two ferries sank.")
    assert [(m.kind, m.count.best) for m in found] == [("date", 4), ("year", 2015), ("count", 2)]


def test_vague_duration_and_money(find):
    assert find("several weeks ago")[0].kind == "duration"
    assert find("thousands of dollars")[0].kind == "money"


def test_qualified_duration(first):
    mention = first("in less than three months")
    assert mention.kind == "duration"
    assert mention.count == Count(None, 3, 3, "less than")


# ---- not numbers at all --------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "one of the climbers",
    "no one was hurt",
    "a man was arrested",
    "an officer spoke",
    "since World War II",
])
def test_not_numbers(find, text):
    assert find(text) == []


def test_one_as_a_count(first):
    mention = first("One fisherman drowned.")
    assert mention.kind == "count" and triple(mention.count) == (1, 1, 1)


def test_first_half_is_not_a_share(find):
    assert [m.kind for m in find("the first half of 2016")] == ["ordinal", "year"]


def test_numeric_dates(first):
    assert first("Filed 2020-02-18 in Geneva").kind == "date"
    assert first("Filed 18/02/2020 in Geneva").kind == "date"


def test_a_third_attack_is_an_ordinal(first):
    assert first("a third attack").kind == "ordinal"


# ---- a whole paragraph ---------------------------------------------------------------------------

def test_paragraph(find):
    text = ("About 250 herders lost their flocks in the 2019 floods, and up to nine villages were "
            "cut off for almost two weeks. A six-year-old boy was rescued. Officials said 80 percent "
            "of the wells were ruined and dozens of families moved to the three largest towns.")
    got = [(m.kind, m.text) for m in find(text)]
    assert got == [
        ("count", "About 250"), ("year", "2019"), ("count", "up to nine"),
        ("duration", "almost two weeks"), ("age", "six-year-old"), ("share", "80 percent"),
        ("count", "dozens"), ("rank", "three"),
    ]


# ---- parse(), data file, speed -------------------------------------------------------------------

def test_parse(parser):
    assert parser.parse("about 300") == Count(300, 300, 300, "about")
    assert parser.parse("half a million") == Count(500_000, 500_000, 500_000, None)
    assert parser.parse("up to seven") == Count(None, 7, 7, "up to")
    assert parser.parse("93 percent") is None
    assert parser.parse("93 percent", any_kind=True).best == 93
    assert parser.parse("nothing here") is None


def test_table_argument_and_bad_table():
    table = load_toml("numbers.toml")
    assert NumberParser(table).parse("twelve") == Count(12, 12, 12, None)
    broken = dict(table, words={"one": "1"})
    with pytest.raises(DataFileError):
        NumberParser(broken)


def test_find_on_a_long_article(nlp, parser):
    # speed is measured by bench/extract_speed.py, never asserted here
    sentence = ("On Tuesday about 300 people fled the village after shelling that killed seven "
                "civilians, including a 12-year-old boy, the local council said in a statement. ")
    doc = nlp(sentence * 30)  # about 700 words
    mentions = parser.find(doc)
    assert [m.kind for m in mentions] == ["count", "count", "age"] * 30
    assert [m.count.best for m in mentions if m.kind == "count"] == [300, 7] * 30


@pytest.mark.parametrize("text", [
    "A shell struck the clinic at 14 Al-Quds Street in the old town.",
    "The car was found at 2210 W. Lake Ave. early on Friday.",
    "Gunmen stormed a house at 36705 112th Street.",
    "Rescuers searched the 4100-block of Harbour Road.",
    "A drone hit the warehouse at 9 Shevchenko Boulevard on Monday.",
    # an address without its street word
    "On 11700 Robertson, one person was shot and killed.",
    "Police were called to a home at 4500 Linden Hill, where a woman was found dead.",
    "The bombardment began at 1400 GMT.",
])
def test_house_numbers_are_labels(find, text):
    assert [(m.text, m.kind) for m in find(text) if m.text[:1].isdigit() and m.kind != "ordinal"][0][1] == "label"


@pytest.mark.parametrize("text", [
    "Anyone with information should call the hotline at 555-203-4411.",
    "Witnesses can reach the unit on (0312) 442-9087 or 1-800-TIPLINE.",
    "The office number is +380 44 256 7788, the spokesman said.",
    "Call 203-4411 to report missing relatives.",
    "Tips can be sent by text to CRIMES (274637) or by calling 555-201-TIPS.",
])
def test_telephone_numbers_are_labels(find, text):
    found = [m for m in find(text) if m.text[:1].isdigit() or m.text[:1] == "("]
    assert found and {m.kind for m in found} == {"label"}


@pytest.mark.parametrize("text, best", [
    ("Fighters killed 12 Hamas members near the crossing.", 12),          # a capitalised noun, no street word
    ("5 St. Louis officers were hurt in the blast.", 5),                   # a street word right after: no name
    ("Between 20-30 people fled and 1,200-1,500 homes were damaged.", 20),  # ranges are not telephone numbers
    ("About 300 residents of Main Street fled.", 300),                      # the street is named after the count
    ("The names of the DEAD (12) were read out.", 12),                      # not as many digits as letters
    ("Troops fired on 1200 Kurds, killing 12.", 1200),                      # a people after "on", no address
])
def test_counts_near_streets_and_dashes_stay_counts(first, text, best):
    mention = first(text)
    assert mention.kind == "count" and best in (mention.count.low, mention.count.best)
