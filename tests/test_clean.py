"""The text-repair stage: each fixer, the change log, the offset map, idempotence, speed, the data file."""
from __future__ import annotations

import doctest
import random
from pathlib import Path

import pytest

from warmonitor.clean import RepairedText, TextRepairer, load_fixers, repair
from warmonitor.data_files import DataFileError

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEED = SHARED / "corpus" / "seed" / "idlib-2020-02-18.txt"
ARTICLES = sorted((Path(__file__).parent / "articles").glob("*.txt"))

# A made-up dispatch with one of every kind of damage.
MESSY = (
    "\ufeffThe governor was \"dismayed,quot; by the raids.\r\n"
    "Aid groups called it a & # 39; war on wells & # 39; and said Ituri & # 39; s camps were full.\r\n"
    "A spokesman said &amp;quot;we need access&amp;quot; and &quot;soon&quot;.\r\n"
    "Residents didnâ€™t leave; the cafÃ© stayed open.\r\n"
    "About 1\u00a0200\u202fpeople fled\tnorth,\u200b officials said.\r\n"
    "\u201cWe are afraid,\u201d one woman said of the \u2018new\u2019 front, ``for now''.\r\n"
    "R&amp;amp;D funds, Q&amp;A sessions &#8212; and &eacute;lan & quot;gone & quot;.\n"
)


@pytest.fixture(scope="module")
def repairer() -> TextRepairer:
    return TextRepairer()


def fixers_used(result: RepairedText) -> list[str]:
    return [c["fixer"] for c in result.changes]


def check_offsets(result: RepairedText) -> None:
    """The offset map: monotone, exact at the ends and at every segment, identity between segments."""
    text, original = result.text, result.original
    mapped = [result.to_original(i) for i in range(len(text) + 1)]
    assert all(a <= b for a, b in zip(mapped, mapped[1:]))
    # a deletion leaves a zero-length segment; an offset at that point maps past the deleted text
    gaps = {rs: original[os_:oe] for rs, re_, os_, oe in result.segments if rs == re_}
    assert original[:mapped[0]] == gaps.get(0, "") and mapped[-1] == len(original)
    prev_end = 0
    for rs, re_, os_, oe in result.segments + [(len(text), len(text), len(original), len(original))]:
        assert prev_end <= rs <= re_ and os_ <= oe
        if prev_end < rs:  # unchanged stretch between segments
            back = original[result.to_original(prev_end):result.to_original(rs)]
            assert back == text[prev_end:rs] + gaps.get(rs, "")
        if rs < re_:
            assert result.to_original(rs) == os_
            assert original[oe:result.to_original(re_)] == gaps.get(re_, "")
        else:
            assert result.to_original(rs) == oe
        if os_ < oe:  # (an insertion is the mirror image of a deletion)
            assert result.to_repaired(os_) == rs
        assert result.to_repaired(oe) == re_
        prev_end = re_
    for change in result.changes:
        s, e = change["start"], change["end"]
        assert 0 <= s <= e <= len(text)
        # the change's original text lies within what its span (widened to whole segments, where a
        # later repair took in an earlier one) maps back to
        lo, hi = result.to_original(s), result.to_original(e)
        for rs, re_, os_, oe in result.segments:
            if (rs < e and s < re_) if s < e else rs <= s <= re_:
                lo, hi = min(lo, os_), max(hi, oe)
        assert change["was"] in original[lo:hi], change
        if s == e and s in gaps and not any(rs < s < re_ for rs, re_, _, _ in result.segments):
            assert change["was"] in gaps[s], change


# --- the data file -------------------------------------------------------------------------------------

def test_fixers_load_in_order_with_notes():
    fixers = load_fixers()
    steps = [f.step for f in fixers]
    order = ["entities", "mojibake", "spaces", "quotes"]
    assert steps == sorted(steps, key=order.index), "fixers must run entities, mojibake, spaces, quotes"
    assert len({f.id for f in fixers}) == len(fixers)
    assert all(len(f.note) > 20 for f in fixers)
    assert {f.kind for f in fixers} == {"regex", "html_unescape", "ftfy", "join_word"}


@pytest.mark.parametrize("text", [
    "anti- aircraft fire",          # the halves make no word: a real hyphen, kept
    "pre- and post-war figures",
    "two- or three-day truce",
    "the so- called safe zone",
    "Al- Bab",                      # capitals: a name, never joined
])
def test_a_hyphen_that_does_not_split_a_word_is_kept(repairer, text):
    assert repairer.repair(text).text == text


def test_a_word_split_at_a_line_break_is_read_as_the_word(pipeline):
    from conftest import extract

    recs = extract(pipeline, "Seven people were killed and 12 in-\njured in the blast in Quetta on Monday.")
    outcomes = sorted((r["outcome"], r["count"]["best"]) for r in recs if r["type"] == "casualty")
    assert outcomes == [("injured", 12), ("killed", 7)]


@pytest.mark.parametrize("fixer", load_fixers(), ids=lambda f: f.id)
def test_every_fixer_repairs_its_examples(repairer, fixer):
    assert fixer.examples, f"{fixer.id}: give at least one example"
    for before, after in fixer.examples:
        result = repairer.repair(before)
        assert result.text == after
        assert fixer.id in fixers_used(result), f"{fixer.id} did not fire on {before!r}"
        check_offsets(result)


@pytest.mark.parametrize("fixer", [f for f in load_fixers() if f.non_ascii], ids=lambda f: f.id)
def test_non_ascii_fixers_never_match_ascii(fixer):
    probe = "".join(map(chr, range(128))) * 2 + " ''``&#39; quot; don`t \t\r\n"
    assert fixer.pattern.search(probe) is None


def write_fixers(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "fixers.toml"
    path.write_text(body, encoding="utf-8")
    return path


@pytest.mark.parametrize("body, message", [
    ('[[fixer]]\nid = "a"\nstep = "quotes"\npattern = "x"\nnote = "n"\n', "missing field 'replacement'"),
    ('[[fixer]]\nid = "a"\nstep = "quotes"\npattern = "("\nreplacement = ""\nnote = "n"\n', "not a valid regex"),
    ('[[fixer]]\nid = "a"\nstep = "quotes"\npattern = "x"\nreplacement = "y"\nnote = "n"\n'
     '[[fixer]]\nid = "a"\nstep = "quotes"\npattern = "x"\nreplacement = "y"\nnote = "n"\n', "duplicate"),
    ('[[fixer]]\nid = "a"\nstep = "quotes"\nkind = "magic"\npattern = "x"\nnote = "n"\n', "kind should be"),
    ('[[fixer]]\nid = "a"\nstep = "later"\npattern = "x"\nreplacement = "y"\nnote = "n"\n', "step should be"),
    ("[[fixer]]\nid = \"a\"\nstep = \"quotes\"\npattern = 'x'\nreplacement = '\\2'\nnote = \"n\"\n", "does not fit"),
    ('[[fixer]]\nid = "a"\nstep = "mojibake"\nkind = "ftfy"\npattern = "x"\nnote = "n"\noptions = {bogus = 1}\n',
     "unknown ftfy option"),
    ('[[fixer]]\nid = "a"\nstep = "quotes"\npattern = "x"\nreplacement = "y"\nnote = "n"\nexamples = ["x"]\n',
     "examples"),
    ("[[fixer]]\nid = \"a\"\nstep = \"quotes\"\npattern = 'x'\nreplacement = '\\q'\nnote = \"n\"\n", "does not fit"),
    ('[fixer]\nid = "a"\n', "expected a list"),
    ('[[fixer]\n', "cannot load"),
])
def test_bad_fixer_files_fail_with_the_entry_named(tmp_path, body, message):
    path = write_fixers(tmp_path, body)
    with pytest.raises(DataFileError, match=message) as err:
        load_fixers(path)
    assert str(path) in str(err.value)


def test_a_preloaded_fixer_list_is_used_as_given(tmp_path):
    path = write_fixers(tmp_path, '[[fixer]]\nid = "dash"\nstep = "quotes"\npattern = "--"\n'
                                  'replacement = "-"\nnote = "double hyphen"\n')
    fixers = load_fixers(path)
    result = repair("a -- b &quot;", fixers)
    assert result.text == "a - b &quot;"
    assert fixers_used(result) == ["dash"]
    assert repair("&quot;x&quot;", []).text == "&quot;x&quot;"
    assert TextRepairer(fixers).repair("c -- d").text == "c - d"


# --- each kind of damage -------------------------------------------------------------------------------

def test_comma_quot(repairer):
    result = repairer.repair('The mayor was "shocked,quot; by the blast.')
    assert result.text == 'The mayor was "shocked" by the blast.'
    [change] = result.changes
    assert change["fixer"] == "comma_quot" and change["was"] == ",quot;"
    assert result.text[change["start"]:change["end"]] == '"'
    assert "quot;" not in result.text


def test_bare_quot(repairer):
    assert repairer.repair("quot;Stay home,quot; they said").text == '"Stay home" they said'
    assert repairer.repair("the &quot;x&quot;").text == 'the "x"'


def test_spaced_apostrophe_entities_hug_the_word(repairer):
    result = repairer.repair("the & # 39; word & # 39; stays")
    assert result.text == "the 'word' stays"
    assert fixers_used(result) == ["spaced_apostrophe_pair", "spaced_apostrophe_pair"]
    assert [c["was"] for c in result.changes] == ["& # 39; ", " & # 39;"]
    # the word inside maps back exactly, not into the entity
    start = result.text.index("word")
    assert result.original[result.to_original(start):result.to_original(start + 4)] == "word"
    check_offsets(result)


@pytest.mark.parametrize("broken, fixed", [
    ("a & # 39; b", "a ' b"),
    ("a &# 39;b", "a 'b"),
    ("a &#39 ;b", "a 'b"),
    ("Kabul & # 39; s airport", "Kabul's airport"),
    ("we can& # 39;t", "we can't"),
    ("& # 34;fine & # 34;", '"fine"'),
    ("x & #x2019; y", "x ' y"),
])
def test_spaced_numeric_entities(repairer, broken, fixed):
    result = repairer.repair(broken)
    assert result.text == fixed
    assert "& #" not in result.text and "&#" not in result.text
    check_offsets(result)


@pytest.mark.parametrize("broken, fixed", [
    ("&amp;quot;no&amp;quot;", '"no"'),
    ("it&amp;#39;s", "it's"),
    ("AT&amp;amp;T", "AT&T"),
    ("&amp;amp;quot;x", '"x'),
    ("&amp;nbsp;y", " y"),
])
def test_double_escaped_entities(repairer, broken, fixed):
    result = repairer.repair(broken)
    assert result.text == fixed
    assert result.changes[0]["fixer"] == "double_escaped_entity"
    check_offsets(result)


def test_real_entities_are_unescaped(repairer):
    result = repairer.repair("Smith &amp; Sons &lt;ltd&gt; na&iuml;ve &#8212; &#x41; &bogus; AT&T & co")
    assert result.text == "Smith & Sons <ltd> naïve \u2014 A &bogus; AT&T & co"
    assert set(fixers_used(result)) == {"html_entity"}
    check_offsets(result)


def test_entities_decode_then_get_normalised(repairer):
    result = repairer.repair("&#8220;Go&#8221; she said&nbsp;loudly, don&rsquo;t")
    assert result.text == "\"Go\" she said loudly, don't"
    first = [c for c in result.changes if c["start"] == 0]
    assert [c["fixer"] for c in first] == ["html_entity", "curly_double_quote"]
    assert all(c["was"] == "&#8220;" for c in first)
    check_offsets(result)


def test_mojibake(repairer):
    result = repairer.repair("Officials didnâ€™t confirm it. CafÃ© owners stayed.")
    assert result.text == "Officials didn't confirm it. Café owners stayed."
    assert fixers_used(result) == ["mojibake", "curly_single_quote", "mojibake"]
    assert [c["was"] for c in result.changes] == ["â€™", "â€™", "Ã©"]
    check_offsets(result)


def test_mojibake_leaves_real_accents_alone(repairer):
    text = "Erdoğan met Aliyev in Bakı; São Paulo and Zürich sent notes; naïve café."
    result = repairer.repair(text)
    assert result.text == text and result.changes == []


def test_ftfy_is_not_called_on_ascii_text(repairer, monkeypatch):
    import ftfy

    def boom(*args, **kwargs):
        raise AssertionError("ftfy called on ASCII text")

    monkeypatch.setattr(ftfy, "fix_text", boom)
    assert repairer.repair("plain text &quot;quoted&quot; with `ticks'").text == "plain text \"quoted\" with 'ticks'"


def test_nbsp_and_odd_spaces(repairer):
    result = repairer.repair("1\u00a0200 people\u2009fled,\u200b\ufeff\tthen\u3000more")
    assert result.text == "1 200 people fled, then more"
    assert [c["fixer"] for c in result.changes] == ["odd_space", "odd_space", "zero_width", "zero_width",
                                                    "tab", "odd_space"]
    deleted = [c for c in result.changes if c["fixer"] == "zero_width"]
    assert [c["was"] for c in deleted] == ["\u200b", "\ufeff"] and all(c["start"] == c["end"] for c in deleted)
    check_offsets(result)


def test_zero_width_joiners_kept_between_non_ascii_letters(repairer):
    persian = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"
    assert repairer.repair(persian).text == persian


def test_line_endings(repairer):
    result = repairer.repair("one\r\ntwo\rthree\u2029four")
    assert result.text == "one\ntwo\nthree\nfour"
    assert [c["was"] for c in result.changes] == ["\r\n", "\r", "\u2029"]
    check_offsets(result)


def test_curly_quotes(repairer):
    result = repairer.repair("\u201eYes\u201c, \u00abno\u00bb, \u201chm\u201d, "
                             "the army\u2019s \u2018plan\u2019, \u201aok\u201b")
    assert result.text == "\"Yes\", \"no\", \"hm\", the army's 'plan', 'ok'"
    check_offsets(result)


def test_doubled_single_quotes_and_backticks(repairer):
    result = repairer.repair("``Enough,'' he said; they won`t; \u2018\u2018so\u2019\u2019")
    assert result.text == "\"Enough,\" he said; they won't; \"so\""
    check_offsets(result)


def test_ellipsis_stays(repairer):
    assert repairer.repair("and then\u2026").text == "and then\u2026"


# --- the whole -----------------------------------------------------------------------------------------

def test_clean_text_is_unchanged_with_identity_map(repairer):
    text = "Some 40 families fled on Monday.\n\nThe agency said it would \"keep going\", it's sure."
    result = repairer.repair(text)
    assert result.text == text and result.original == text
    assert result.changes == [] and result.segments == [] and not result.changed
    assert [result.to_original(i) for i in range(len(text) + 1)] == list(range(len(text) + 1))
    assert result.to_original(-5) == 0 and result.to_original(10**6) == len(text)


def test_messy_dispatch(repairer):
    result = repairer.repair(MESSY)
    text = result.text
    for leftover in ("quot;", "& #", "&amp;", "&#", "\r", "\u00a0", "\u200b", "\ufeff", "\t",
                     "â€", "Ã", "\u201c", "\u2019", "``", "''"):
        assert leftover not in text, leftover
    assert 'was "dismayed" by' in text
    assert "a 'war on wells' and said Ituri's camps" in text
    assert 'said "we need access" and "soon".' in text
    assert "didn't leave; the café" in text
    assert "About 1 200 people fled north, officials" in text
    assert "R&D funds, Q&A sessions \u2014 and élan \"gone\"." in text
    check_offsets(result)
    assert result.changes == sorted(result.changes, key=lambda c: c["start"])


def test_change_spans_point_into_the_repaired_text(repairer):
    result = repairer.repair(MESSY)
    for change in result.changes:
        assert set(change) == {"fixer", "start", "end", "was", "note"}
        assert change["note"]
        assert result.text[change["start"]:change["end"]] != change["was"]


def test_idempotent(repairer):
    texts = [MESSY, "&amp;amp;amp;x", "a\u200b&quot;b", "quot;quot;", "\u2018\u2018\u2019", "&#38;quot;"]
    texts += [before for f in repairer.fixers for before, _ in f.examples]
    texts += [p.read_text(encoding="utf-8") for p in ARTICLES]
    for text in texts:
        once = repairer.repair(text).text
        assert repairer.repair(once).text == once, text


def test_random_damage_keeps_offsets_and_idempotence(repairer):
    """Seeded random mixes of every kind of damage (and of clean bits) next to each other."""
    pieces = ["a", "word", "s", "t", " ", "\n", ",", ";", "#", "39", "&", "quot", "'", "`", "x",
              "&amp;", "&quot;", "&#39;", "& # 39;", ",quot;", "quot;", "& quot;", "&nbsp;", "&eacute;",
              "&#8217;", "\u00a0", "\u200b", "\u200d", "\ufeff", "\r\n", "\r", "\t", "\u2018", "\u2019",
              "\u201c", "\u201d", "``", "''", "â€™", "Ã©", "Ã", "Â", "\x85", "é", "ğ", "\u0645", "\u2026"]
    rng = random.Random(2020)
    for _ in range(1500):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 24)))
        result = repairer.repair(text)
        check_offsets(result)
        assert repairer.repair(result.text).text == result.text, text


def test_docstring_example():
    import warmonitor.clean

    assert doctest.testmod(warmonitor.clean).failed == 0


def test_module_repair_matches_repairer(repairer):
    assert repair(MESSY).text == repairer.repair(MESSY).text


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.stem)
def test_test_articles_keep_their_offsets(repairer, path):
    check_offsets(repairer.repair(path.read_text(encoding="utf-8")))


@pytest.mark.skipif(not SEED.is_file(), reason="../shared/corpus/seed not present")
def test_seed_article_has_no_broken_entities_left(repairer):
    result = repairer.repair(SEED.read_text(encoding="utf-8"))
    assert "quot;" not in result.text and "& #" not in result.text
    assert {"comma_quot", "spaced_apostrophe_pair"} <= set(fixers_used(result))
    check_offsets(result)


def test_clean_article_is_left_alone(repairer):
    # speed is measured by bench/extract_speed.py, never asserted here
    words = ("Some 300 civilians have died in attacks this year, the agency said on Tuesday, "
             "and about 900,000 people have fled their homes since December. ").split()
    ascii_article = " ".join(words[i % len(words)] for i in range(700))
    accented = ascii_article.replace("agency", "agéncy", 3) + " \u2026"
    for article in (ascii_article, accented):
        result = repairer.repair(article)
        assert result.changes == []
        assert result.text == article
