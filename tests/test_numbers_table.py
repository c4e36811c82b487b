"""The number parser, pinned case by case where mutation testing (bench/mutation.py) found changes that
every other test let pass: each word set `NumberParser` builds from numbers.toml, the exact messages
for a broken table, and a few boundaries of the kind rules.

The parser here is built inside the tests that need it, not shared: mutmut credits a function only to
the tests during which it ran, so a parser made once for a whole module leaves its construction
credited to one test. Every sentence is made up for the test.
"""
from __future__ import annotations

import copy

import pytest
import spacy

from warmonitor.data_files import DataFileError, load_toml, load_words
from warmonitor.model import Count
from warmonitor.nlp.numbers import NumberMention, NumberParser


@pytest.fixture(scope="module")
def nlp():
    return spacy.blank("en")


def mentions(parser: NumberParser, nlp, text: str) -> list[tuple]:
    return [(m.text, m.kind, (m.count.low, m.count.best, m.count.high, m.count.qualifier), m.num_start)
            for m in parser.find(nlp(text))]


# Each sentence leans on one of the word sets the parser builds when it is made.
BUILT_SETS = [
    ("Some 300 families left.", [("Some 300", "count", (300, 300, 300, "some"), 1)]),
    ("At least 300 families left.", [("At least 300", "count", (300, 300, None, "at least"), 2)]),
    ("just over 300 people", [("just over 300", "count", (300, 300, None, "just over"), 2)]),
    ("300 or more people", [("300 or more", "count", (300, 300, None, "or more"), 0)]),
    ("~300 fled", [("~300", "count", (300, 300, 300, "~"), 0)]),
    ("a few hundred families", [("a few hundred", "count", (200, None, 999, "a few hundred"), 0)]),
    ("a handful of medics", [("a handful", "count", (2, None, 9, "a handful"), 0)]),
    ("a couple of medics", [("a couple", "count", (2, 2, 3, "a couple"), 0)]),
    ("dozens of wounded", [("dozens", "count", (24, None, 99, "dozens"), 0)]),
    ("a hundred and ten", [("a hundred and ten", "count", (110, 110, 110, None), 0)]),
    ("half a million", [("half a million", "count", (500_000, 500_000, 500_000, None), 0)]),
    ("1.05 million people", [("1.05 million", "count", (1_050_000, 1_050_000, 1_050_000, None), 0)]),
    ("0 deaths were reported", [("0", "count", (0, 0, 0, None), 0)]),
    ("93 percent of", [("93 percent", "share", (93, 93, 93, None), 0)]),
    ("500 dollars", [("500 dollars", "money", (500, 500, 500, None), 0)]),
    ("at 10 o'clock", [("10 o'clock", "time", (10, 10, 10, None), 1)]),
    ("45 years old", [("45 years old", "age", (45, 45, 45, None), 0)]),
    ("a 20-km stretch", [("20-km", "distance", (20, 20, 20, None), 1)]),
    ("two more weeks", [("two more weeks", "duration", (2, 2, 2, None), 0)]),
    ("5 May", [("5 May", "date", (5, 5, 5, None), 0)]),
    ("the three main roads", [("three", "rank", (3, 3, 3, None), 1)]),
    ("the 2300-block of Main", [("2300", "label", (2300, 2300, 2300, None), 1)]),
    ("twenty-first", [("twenty-first", "ordinal", (21, 21, 21, None), 0)]),
    ("the fourth day", [("fourth", "ordinal", (4, 4, 4, None), 1)]),
    ("for six hours", [("six hours", "duration", (6, 6, 6, None), 1)]),
    ("a 10 km stretch", [("10 km", "distance", (10, 10, 10, None), 1)]),
    ("half of the residents", [("half", "share", (50, 50, 50, None), 0)]),
    ("a half-million refugees", [("a half-million", "count", (500_000, 500_000, 500_000, None), 0)]),
]


def test_a_parser_built_from_numbers_toml_reads_every_word_set(nlp):
    parser = NumberParser()
    for text, expected in BUILT_SETS:
        assert mentions(parser, nlp, text) == expected, text
    assert parser.noun_stops == frozenset(load_words("count_phrases", "noun_stops"))
    assert parser.triggers_as_nouns == frozenset(load_words("count_phrases", "triggers_as_nouns"))


def test_an_empty_after_qualifier_table_is_allowed(nlp):
    table = copy.deepcopy(load_toml("numbers.toml"))
    table["qualifiers_after"] = {}
    parser = NumberParser(table)
    assert mentions(parser, nlp, "300 or more people") == [("300", "count", (300, 300, 300, None), 0)]


def broken(change) -> dict:
    table = copy.deepcopy(load_toml("numbers.toml"))
    change(table)
    return table


@pytest.mark.parametrize("change, message", [
    (lambda t: t.pop("scales"), "numbers.toml: [scales] is required"),
    (lambda t: t["words"].update(one="1"), "numbers.toml: [words] must be a table of whole numbers"),
    (lambda t: t["qualifiers"].update(vague=["some"]), "numbers.toml: [qualifiers] has unknown shape 'vague'"),
    (lambda t: t["qualifiers"].update(exact="about"),
     "numbers.toml: [qualifiers] 'exact' must be a list of non-empty strings"),
    (lambda t: t["kinds"].update(months=["May", ""]),
     "numbers.toml: [kinds] 'months' must be a list of non-empty strings"),
    (lambda t: t["kinds"].update(months=["May", 5]),
     "numbers.toml: [kinds] 'months' must be a list of non-empty strings"),
    (lambda t: t["vague"].insert(1, {"low": 2, "high": 9}),
     "numbers.toml [[vague]] #2: needs phrase, low and high"),
    (lambda t: t["vague"].insert(0, {"phrase": "loads", "low": 2}),
     "numbers.toml [[vague]] #1: needs phrase, low and high"),
])
def test_a_broken_table_fails_with_the_exact_message(change, message):
    with pytest.raises(DataFileError) as err:
        NumberParser(broken(change))
    assert str(err.value) == message


# ---- boundaries of the kind rules (a parser shared by these tests is fine: none is in its making) ----

@pytest.fixture(scope="module")
def parser():
    return NumberParser()


@pytest.mark.parametrize("text, expected", [
    # a vague quantity's unit may come one word after "of"; its number starts where it does
    ("dozens of extra days", [("dozens", "duration", (24, None, 99, "dozens"), 0)]),
    ("hundreds of kilometres of road", [("hundreds", "distance", (200, None, 999, "hundreds"), 0)]),
    ("prices rose by hundreds of percent", [("hundreds", "percent", (200, None, 999, "hundreds"), 3)]),
    # a year-like number is a count only with a people word within three words after it
    ("For Aleppo, 2016 brought hunger to children and the old.", [("2016", "year", (2016, 2016, 2016, None), 3)]),
    ("Washington sent 2000 U.S. troops", [("2000", "count", (2000, 2000, 2000, None), 2)]),
    # an address needs a street word; a title-case headline is not an address
    ("1200 5th Avenue", [("1200", "label", (1200, 1200, 1200, None), 0), ("5th", "ordinal", (5, 5, 5, None), 1)]),
    ("Rebels Release 300 Government Soldiers Held Since Last Year", [("300", "count", (300, 300, 300, None), 2)]),
    # a telephone number makes the numbers inside it labels, and only those
    ("Call 463-3505 after 300 people fled", [("463-3505", "label", (463, 1984, 3505, None), 1),
                                             ("300", "count", (300, 300, 300, None), 5)]),
])
def test_kind_boundaries(parser, nlp, text, expected):
    assert mentions(parser, nlp, text) == expected


@pytest.mark.parametrize("text, expected", [
    # fractions: a share of something, or a count when they take a scale of a thousand or more
    ("a quarter of a million people", [("a quarter of a million", "count", (250_000, 250_000, 250_000, None), 0)]),
    ("three-quarters of a million", [("three-quarters of a million", "count", (750_000, 750_000, 750_000, None), 0)]),
    ("a quarter of a thousand", [("a quarter of a thousand", "count", (250, 250, 250, None), 0)]),
    ("nearly a quarter of a million", [("nearly a quarter of a million", "count", (None, 250_000, 250_000, "nearly"), 1)]),
    ("half of the residents", [("half", "share", (50, 50, 50, None), 0)]),
    ("two-thirds of the camp", [("two-thirds", "share", (67, 67, 67, None), 0)]),
    ("two thirds of the camp", [("two thirds", "share", (67, 67, 67, None), 0)]),
    ("one third of the camp", [("one third", "share", (33, 33, 33, None), 0)]),
    # number words
    ("a half-million refugees", [("a half-million", "count", (500_000, 500_000, 500_000, None), 0)]),
    ("two hundred thousand", [("two hundred thousand", "count", (200_000, 200_000, 200_000, None), 0)]),
    ("one and a half million", [("one and a half million", "count", (1_500_000, 1_500_000, 1_500_000, None), 0)]),
    ("twenty-one soldiers", [("twenty-one", "count", (21, 21, 21, None), 0)]),
    ("ninety-nine wounded", [("ninety-nine", "count", (99, 99, 99, None), 0)]),
    ("twenty five trucks", [("twenty five", "count", (25, 25, 25, None), 0)]),
    ("two hundred and five homes", [("two hundred and five", "count", (205, 205, 205, None), 0)]),
    ("a hundred thousand", [("a hundred thousand", "count", (100_000, 100_000, 100_000, None), 0)]),
    ("two thousand three hundred", [("two thousand three hundred", "count", (2300, 2300, 2300, None), 0)]),
    ("three million two hundred thousand",
     [("three million two hundred thousand", "count", (3_200_000, 3_200_000, 3_200_000, None), 0)]),
    ("half a dozen", [("half a dozen", "count", (6, 6, 6, None), 0)]),
    ("a dozen", [("a dozen", "count", (12, 12, 12, None), 0)]),
    ("a two-third majority", [("two-third", "share", (67, 67, 67, None), 1)]),
    ("two thirds were destroyed", [("two thirds", "share", (67, 67, 67, None), 0)]),
    ("a third of a village", [("a third", "share", (33, 33, 33, None), 0)]),
    ("displaced 2.5m. Aid", [("2.5m.", "count", (2_500_000, 2_500_000, 2_500_000, None), 1)]),
    # a number with a thousands comma or a "~" is never a year, even after "in"
    ("Shells fell in 2,000 homes", [("2,000", "count", (2000, 2000, 2000, None), 3)]),
    ("Shells fell on ~2000 homes", [("~2000", "count", (2000, 2000, 2000, "~"), 3)]),
    # ranges: spans of years (a two-digit end takes the century of the start), scaled ends
    ("the 1914-18 war", [("1914-18", "year", (1914, 1914, 1918, None), 1)]),
    ("the 2011-12 season", [("2011-12", "year", (2011, 2011, 2012, None), 1)]),
    ("between 2011 and 2015", [("between 2011 and 2015", "year", (2011, 2011, 2015, "between"), 1)]),
    ("20 to 30 million people", [("20 to 30 million", "count", (20_000_000, 25_000_000, 30_000_000, None), 0)]),
    ("2 to 3 million people", [("2 to 3 million", "count", (2_000_000, 2_500_000, 3_000_000, None), 0)]),
    ("1,000-1,500 people", [("1,000-1,500", "count", (1000, 1250, 1500, None), 0)]),
    # days of the month: 1 to 31, before a capitalised month or after one ("May 1"), with "of"
    ("on 1 May", [("1 May", "date", (1, 1, 1, None), 1)]),
    ("31 March", [("31 March", "date", (31, 31, 31, None), 0)]),
    ("on 32 March", [("32", "count", (32, 32, 32, None), 1)]),
    ("killed on May 1", [("1", "date", (1, 1, 1, None), 3)]),
    ("the 12th of March", [("12th of March", "date", (12, 12, 12, None), 1)]),
    # clock times, units glued with a hyphen, unit words a few words on
    ("the curfew began at 0914 today", [("0914", "time", (914, 914, 914, None), 4)]),
    ("at 10 pm", [("10 pm", "time", (10, 10, 10, None), 1)]),
    ("a seven-month-old girl", [("seven-month-old", "age", (7, 7, 7, None), 1)]),
    ("a three-day truce", [("three-day", "duration", (3, 3, 3, None), 1)]),
    ("two more full days", [("two more full days", "duration", (2, 2, 2, None), 0)]),
    # "and" joins a range only after "between"
    ("Some 300 and 400 more fled", [("Some 300", "count", (300, 300, 300, "some"), 1),
                                    ("400", "count", (400, 400, 400, None), 3)]),
])
def test_fractions_words_and_ranges(parser, nlp, text, expected):
    assert mentions(parser, nlp, text) == expected


def test_a_vague_mention_is_whole(parser, nlp):
    assert parser.find(nlp("scores of homes")) == [
        NumberMention(0, 1, 0, Count(40, None, 99, "scores"), "count", "scores")]
