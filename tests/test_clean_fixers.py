"""A fixers file written by a user: what loading it accepts and refuses (the exact message naming the
entry), and the exact edits each kind of fixer makes, down to the span and the trimmed text.

The edits matter beyond the repaired text: they make the change log and the offset map that carries
every fact's evidence span back to the article as published, so a wider or shifted edit moves
evidence. Each case here was found by mutation testing (bench/mutation.py): a change to the code that
every other test let pass.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from warmonitor.clean import repair
from warmonitor.clean.fixers import Fixer, find_edits, ftfy_config, load_fixers
from warmonitor.clean.offsets import Edit
from warmonitor.data_files import DataFileError


def fixers_file(tmp_path: Path, *entries: str) -> Path:
    path = tmp_path / "fixers.toml"
    path.write_text("".join(f"[[fixer]]\n{body}\n" for body in entries), encoding="utf-8")
    return path


def regex_fixer(tmp_path: Path, pattern: str, replacement: str, extra: str = "") -> Fixer:
    """One regex fixer loaded from a file (TOML literal strings, so regex escapes stay as written)."""
    body = (f"id = 'mine'\nstep = 'quotes'\npattern = '''{pattern}'''\n"
            f"replacement = '''{replacement}'''\nnote = 'my repair'\n{extra}")
    return load_fixers(fixers_file(tmp_path, body))[0]


def edit(start: int, end: int, new: str) -> Edit:
    return Edit(start, end, new, "mine", "my repair")


# --- loading ----------------------------------------------------------------------------------------------

def test_a_loaded_fixer_has_every_field_with_its_default(tmp_path):
    fixer = regex_fixer(tmp_path, r"(\w+) ,(\w+)", r"\1, \2")
    assert fixer == Fixer(id="mine", step="quotes", kind="regex", pattern=fixer.pattern, note="my repair",
                          replacement=r"\1, \2", unescape=False, non_ascii=False,
                          split=(("", ", ", ""), (1, 2)), options={}, examples=())
    assert fixer.pattern.pattern == r"(\w+) ,(\w+)"


def test_loaded_flags_and_examples_are_kept(tmp_path):
    fixer = regex_fixer(tmp_path, "&#(39);", "&#\\1;",
                        "unescape = true\nexamples = [['it&#39;s', \"it's\"]]")
    assert (fixer.unescape, fixer.non_ascii, fixer.split) == (True, False, None)
    assert regex_fixer(tmp_path, "\u00a0", " ", "non_ascii = true").non_ascii is True
    assert fixer.examples == (("it&#39;s", "it's"),)


@pytest.mark.parametrize("template, split", [
    (r"\1, \2", (("", ", ", ""), (1, 2))),
    (r"x\1", (("x", ""), (1,))),
    (r"\g<town>, \g<region>", (("", ", ", ""), ("town", "region"))),
    (r"\1 and \1", None),        # a group copied twice: no split
    ("plain", None),             # no group at all
    (r"\1\\\\", None),           # an escaped backslash: no split
])
def test_templates_split_into_literals_and_groups(tmp_path, template, split):
    pattern = r"(?P<town>\w+) ,(?P<region>\w+)" if "town" in template else r"(\w+) ,(\w+)"
    assert regex_fixer(tmp_path, pattern, template).split == split


def test_named_group_references_load(tmp_path):
    fixer = regex_fixer(tmp_path, r"(?P<town>\w+) ,(?P<region>\w+)", r"\g<town>, \g<region>")
    assert find_edits(fixer, "Kharkiv ,Ukraine") == [edit(7, 9, ", ")]


def entry(extra: str, kind: str = "", step: str = "quotes", fid: str = "bad") -> str:
    return f"id = '{fid}'\nstep = '{step}'\npattern = 'x'\nnote = 'n'\n{kind}{extra}"


@pytest.mark.parametrize("body, message", [
    (entry("replacement = 'y'", kind="kind = 'magic'\n"), "kind should be one of regex, html_unescape, ftfy, join_word"),
    (entry("replacement = 'y'", step="later"), "step should be one of entities, mojibake, spaces, quotes"),
    (entry("replacement = 'y'", kind="kind = 'ftfy'\n"), "a 'ftfy' fixer takes no replacement"),
    (entry("replacement = 'y'\nunescape = 'yes'"), "field 'unescape' should be bool"),
    (entry("replacement = 'y'\nnon_ascii = 1"), "field 'non_ascii' should be bool"),
    (entry("options = 'fast'", kind="kind = 'ftfy'\n"), "field 'options' should be dict"),
    (entry("replacement = 'y'\noptions = {fix_encoding = true}"), "only an ftfy fixer takes options"),
    (entry("options = {fix_encoding = true, bogus = 1, also = 2}", kind="kind = 'ftfy'\n"),
     "unknown ftfy option(s) also, bogus"),
    (entry(r"replacement = '\2'"), "replacement does not fit the pattern: invalid group reference 2"),
    (entry(r"replacement = '\g<town>'"), "replacement does not fit the pattern: invalid group reference town"),
    (entry("replacement = 'y'\nexamples = [['only the before']]"),
     "examples should be a list of [before, after] string pairs"),
    (entry("", kind="kind = 'join_word'\n"), "missing field 'words'"),
    (entry("words = 'common_words'", kind="kind = 'join_word'\n"),
     "a join_word pattern has two groups, the halves of the word"),
    (entry("replacement = 'y'\nwords = 'common_words'"), "only a join_word fixer takes words"),
])
def test_bad_entries_fail_with_the_exact_message(tmp_path, body, message):
    path = fixers_file(tmp_path, body)
    with pytest.raises(DataFileError) as err:
        load_fixers(path)
    assert str(err.value) == f"{path} [[fixer]] #1 (bad): {message}"


def test_the_entry_is_numbered_from_one_in_file_order(tmp_path):
    first = "id = 'dash'\nstep = 'quotes'\npattern = '--'\nreplacement = '-'\nnote = 'n'\n"
    path = fixers_file(tmp_path, first, first)
    with pytest.raises(DataFileError) as err:
        load_fixers(path)
    assert str(err.value) == f"{path} [[fixer]] #2 (dash): duplicate fixer id"


def test_an_ftfy_fixer_needs_no_options(tmp_path):
    path = fixers_file(tmp_path, "id = 'moji'\nstep = 'mojibake'\nkind = 'ftfy'\npattern = 'Ã.'\nnote = 'n'\n")
    (fixer,) = load_fixers(path)
    assert (fixer.kind, fixer.options, fixer.replacement) == ("ftfy", {}, None)


def test_ftfy_options_reach_ftfy(tmp_path):
    import ftfy

    path = fixers_file(tmp_path, "id = 'moji'\nstep = 'mojibake'\nkind = 'ftfy'\npattern = 'Ã.'\nnote = 'n'\n"
                                 "options = { uncurl_quotes = false, normalization = 'none' }\n")
    assert ftfy_config(load_fixers(path)[0]) == ftfy.TextFixerConfig(
        explain=False, uncurl_quotes=False, normalization=None)


# --- regex fixers: the exact edits ------------------------------------------------------------------------

@pytest.mark.parametrize("pattern, template, text, edits", [
    # a two-letter template is trimmed to what changes: the apostrophe, not the "s" after it
    (r"`s\b", "'s", "Turkey`s army", [edit(6, 7, "'")]),
    (r" +'s\b", "'s", "Turkey 's army", [edit(6, 8, "'")]),
    # four dots or more become three: one dot replaced, not a bare deletion of the last one
    (r"\.{4,}", "...", "they waited.... then", [edit(13, 15, ".")]),
    # a match that is already what the template says is not an edit
    ("[\u00a0 ]", " ", "a b\u00a0c", [edit(3, 4, " ")]),
    # a pattern that matches nothing at all (an insertion point) makes no edit
    (r"(?<=,)(?=\w)", " ", "Kyiv,Kharkiv", []),
    # text copied by groups is not changed: one edit per stretch between them
    (r"(\w+) ,(\w+) ,(\w+)", r"\1, \2, \3", "Kyiv ,Kharkiv ,Odesa", [edit(4, 6, ", "), edit(13, 15, ", ")]),
    (r"(\w+) *, *(\w+)", r"\1, \2", "Kyiv , Kharkiv", [edit(4, 6, ",")]),
    (r"(\w+) ,(\w+)", r"\1, \2", "Kyiv ,Kharkiv and Odesa ,Lviv", [edit(4, 6, ", "), edit(23, 25, ", ")]),
    (r"(\w) +([,.;])", r"\1\2", "fled , officials said .", [edit(4, 5, ""), edit(21, 22, "")]),
    ("``(\\w[^`']*)''", r'"\1"', "a ``new start'' for", [edit(2, 4, '"'), edit(13, 15, '"')]),
    # escapes in the template's literal pieces are expanded
    (r"(\w)\s*<br\s*/?>\s*(\w)", r"\1\n\2", "first<br/>second", [edit(5, 10, "\n")]),
])
def test_regex_fixers_make_exact_edits(tmp_path, pattern, template, text, edits):
    fixer = regex_fixer(tmp_path, pattern, template)
    assert find_edits(fixer, text) == edits


def test_a_pattern_that_can_match_nothing_still_repairs_later_matches(tmp_path):
    # "*" where "+" was meant: the pattern matches empty text everywhere; those matches must not stop
    # the scan before the real one
    fixer = regex_fixer(tmp_path, "(?:&amp;)*", "&amp;", "unescape = true")
    assert find_edits(fixer, "Q&amp;A sessions") == [edit(1, 6, "&")]


def test_unescape_fixers_decode_their_output_and_others_do_not(tmp_path):
    decoding = regex_fixer(tmp_path, r"& #(\d+);", r"&#\1;", "unescape = true")
    assert find_edits(decoding, "5 & #8364; each") == [edit(2, 10, "\u20ac")]
    plain = regex_fixer(tmp_path, r"\band\b", "&amp;")
    assert find_edits(plain, "R and D") == [edit(2, 5, "&amp;")]


# --- ftfy fixers ------------------------------------------------------------------------------------------

MOJIBAKE = ("id = 'moji'\nstep = 'mojibake'\nkind = 'ftfy'\nnon_ascii = true\n"
            "pattern = '[\\u00c2-\\u00f4][\\u0080-\\u00bf\\u2018-\\u201e\\u20ac]'\nnote = 'my repair'\n")


def test_ftfy_fixers_are_not_run_on_ascii_text(tmp_path, monkeypatch):
    import ftfy

    # even one whose pattern matches ASCII letters: ftfy's repairs are for text that is not ASCII
    fixer = load_fixers(fixers_file(tmp_path, MOJIBAKE.replace("non_ascii = true\n", "").replace(
        "pattern = '", "pattern = '[a-z]+|")))[0]

    def boom(*args, **kwargs):
        raise AssertionError("ftfy called on ASCII text")

    monkeypatch.setattr(ftfy, "fix_text", boom)
    assert find_edits(fixer, "Residents didn't leave") == []


def test_neighbouring_mojibake_words_are_one_edit(tmp_path):
    fixer = load_fixers(fixers_file(tmp_path, MOJIBAKE))[0]
    moji = Edit(0, 0, "", "moji", "my repair")
    # words one space apart go to ftfy together (one edit); two spaces apart, one by one
    assert find_edits(fixer, "cafÃ© dÃ©cor") == [moji._replace(start=3, end=9, new="é dé")]
    assert find_edits(fixer, "cafÃ©  dÃ©cor") == [moji._replace(start=3, end=5, new="é"),
                                                  moji._replace(start=8, end=10, new="é")]


def test_ftfy_edits_use_the_fixer_options_when_no_config_is_given(tmp_path):
    fixer = load_fixers(fixers_file(tmp_path, MOJIBAKE + "options = { uncurl_quotes = false }\n"))[0]
    # donâ€™t: the curly apostrophe ftfy recovers stays curly (ftfy's default would straighten it)
    assert find_edits(fixer, "donâ€™t") == [Edit(3, 6, "\u2019", "moji", "my repair")]
    assert repair("donâ€™t", [fixer]).text == "don\u2019t"
