"""Numbers in news text: counts with their uncertainty, and the numbers that are not counts.

`NumberParser.find(doc)` walks a spaCy Doc (from `spacy.blank("en")`) and returns each number
expression as a `NumberMention`: its token span, its `Count` with FORMAT.md semantics ("about 300"
is 300/300/300 "about", "up to seven" is None/7/7, "between 20 and 30" is 20/25/30 "between",
"dozens" is 24/None/99 "dozens") and its `kind`: "count", or why it is not one: "age", "percent",
"share", "year", "duration", "money", "ordinal", "distance", "rank", "time", "date", "label",
"implausible" (a count above `model.MAX_PLAUSIBLE_COUNT`: more than there are people on Earth).
Non-counts are returned too (their count holds the number as written; a share or percent holds
the percent: "93 percent of", "two-thirds of" -> 67) so that extractors can skip them by kind.
"one" as a pronoun ("one of the", "no one"), "a"/"an" alone and roman numerals are not numbers.

Numbers are computed exactly, never through float: whole numbers as int, decimals ("1.5 million") as
Fraction, so that "123456789012345678901" is not rounded and no input overflows. Every value
saturates at `NUMBER_CEILING`, so no text (a 400-digit token, "one hundred and" a thousand times)
makes a number that is slow to compute or too large to store; a number that reaches it holds no
value (its Count is all None), whatever its kind.

Every word list lives in `warmonitor/data/numbers.toml`. `find` runs on every article, so the
candidate tokens are picked on spaCy's hash arrays, and words are read through those hashes
rather than through Token objects (a 700-word article takes well under a millisecond).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any

import numpy as np
from spacy.attrs import LOWER, PREFIX
from spacy.strings import hash_string

from warmonitor.data_files import DataFileError, load_toml, load_words
from warmonitor.model import MAX_PLAUSIBLE_COUNT, Count

# One-token forms: digits ("900,000", "1.2", "~300", "1.5bn", "21st", "1990s"), ranges ("20–30"),
# clock times ("10:30", "3.30pm") and numeric dates ("18/02/2020").
_DIGITS = re.compile(r"^([~≈]?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?([a-z.]*)$")
_RANGE = re.compile(r"^(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)[–—-](\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)$")
_GROUP = re.compile(r"^\d{3}$")  # a thousands group written after a space: "245 000"
_TIME = re.compile(r"^\d{1,2}:\d{2}(?:[ap]\.?m\.?)?$|^\d{1,2}(?:[:.]\d{2})?[ap]\.?m\.?$")
_DATE = re.compile(r"^\d{1,4}[/.]\d{1,2}[/.]\d{2,4}$")
# Telephone numbers as news items print them: "(618) 463-3505", "843-554-1111", "463-3505",
# "1-888-CRIMESC", "+963 11 123 4567". A digit group of a count is never written like these.
_PHONE = re.compile(r"\(\d{2,5}\)[ .-]?\d{2,4}[ .-]\d{3,4}(?!\d)"
                    r"|(?<![\w.,-])\d{3}[.-]\d{3}[.-]\d{4}(?![\w-])"
                    r"|(?<![\w.,-])\d{3}-\d{4}(?![\w-])"
                    r"|(?<![\w.,-])\d{1,4}(?:-[0-9A-Z]{3,}){2,}(?![\w-])"
                    r"|\+\d{1,3}(?:[ .-]?\(?\d{1,4}\)?){2,5}(?!\d)")
_PHONE_HINT = re.compile(r"\d[ .)-]+\d{3}|\+\d|\(\d{3}")  # cheap test before _PHONE's scan
# A number spelled as a word, its digits after it: "text TIPS to CRIMES (274637)" (as many digits as letters).
_VANITY = re.compile(r"\b([A-Z]{3,10}) ?\((\d{3,10})\)")
_ORDINAL_SUFFIXES = frozenset({"st", "nd", "rd", "th"})
_DASHES = frozenset({"-", "–", "—"})
_SHAPES = frozenset({"exact", "upper", "lower"})
_A_WORDS = frozenset({"a", "an", "half"})  # open a number only before one of NumberParser.a_next
_KIND_LISTS = ("age_units", "age_old", "age_before", "percent", "currency_before", "currency_after",
               "time_units", "measure_units", "clock_after", "months", "year_before", "count_next",
               "count_verbs", "unit_skip", "rank_after", "rank_before", "rank_determiners", "rank_not",
               "label_before", "label_after", "label_call", "label_room", "street_after", "one_before",
               "one_after")
# Where exact numbers stop: far above any count (MAX_PLAUSIBLE_COUNT) or sum of money a text names, and
# below 2**63 so that even a number that reached it would fit a 64-bit column.
NUMBER_CEILING = 10**18
_MAX_DIGITS = 19  # a longer digit string is past the ceiling: not converted (Python refuses over 4,300 digits)
_MAX_DECIMALS = 20  # decimals read: the rest, times at most "hundred billion", moves a number by under 1e-8
_HALF = Fraction(1, 2)
_KIND_PHRASES = frozenset({"percent", "currency_after", "clock_after"})  # lists of multi-word phrases


@dataclass
class NumberMention:
    start: int  # first token of the whole expression, qualifier included
    end: int  # token index after the expression
    num_start: int  # first token of the number proper
    count: Count
    kind: str  # "count", or why it is not a count (see the module docstring)
    text: str


Exact = int | Fraction  # a number as the parser computes it (see the module docstring)


@dataclass
class _Num:
    value: Exact
    end: int
    scale: int = 1  # the last multiplier applied ("million" -> 1_000_000)
    plain: bool = False  # one token of bare digits, no separator or decimals ("2012", "18")
    ordinal: bool = False
    years: bool = False  # a span of years ("2011-12", "between 2011 and 2015")


class _Doc:
    """A Doc read through its lower-case hashes: `low(k)` is "" outside the doc."""

    __slots__ = ("doc", "n", "hashes", "strings")

    def __init__(self, doc, hashes: list[int]):
        self.doc, self.n, self.hashes, self.strings = doc, len(doc), hashes, doc.vocab.strings

    def low(self, k: int) -> str:
        return self.strings[self.hashes[k]] if 0 <= k < self.n else ""

    def dash(self, k: int) -> bool:
        """Token k is a hyphen glued to the token before it ("twenty-one", "seven-month-old")."""
        return 0 < k < self.n and self.low(k) in _DASHES and not self.doc[k - 1].whitespace_

    def capital(self, k: int) -> bool:  # "May 5" is a date, "5 may die" is not
        return 0 <= k < self.n and self.doc[k].text[:1].isupper()


class _Phrases:
    """Lower-case phrases of one or more tokens, looked up by their first (or last) word."""

    def __init__(self, phrases):
        self.by_first: dict[str, list[tuple[str, ...]]] = {}
        for words in sorted({tuple(p.lower().split()) for p in phrases if p.strip()}, key=len, reverse=True):
            self.by_first.setdefault(words[0], []).append(words)
        self.all = {p for ps in self.by_first.values() for p in ps}
        self.last_words = {p[-1] for p in self.all}
        self.max_len = max(map(len, self.all), default=0)

    def match(self, d: _Doc, k: int) -> int:
        """Length in tokens of the longest phrase starting at token k (0: none)."""
        for words in self.by_first.get(d.low(k), ()):
            if all(d.low(k + j) == w for j, w in enumerate(words[1:], 1)):
                return len(words)
        return 0

    def ending_at(self, d: _Doc, k: int, floor: int) -> int:
        """Length of the longest phrase that ends just before token k and starts at or after floor."""
        if k <= floor or d.low(k - 1) not in self.last_words:
            return 0
        for size in range(min(self.max_len, k - floor), 0, -1):
            if tuple(d.low(j) for j in range(k - size, k)) in self.all:
                return size
        return 0


def _section(table: dict[str, Any], key: str) -> dict[str, Any]:
    if not isinstance(table.get(key), dict):
        raise DataFileError(f"numbers.toml: [{key}] is required")
    return table[key]


def _ints(table: dict[str, Any], key: str) -> dict[str, int]:
    if not all(isinstance(v, int) for v in _section(table, key).values()):
        raise DataFileError(f"numbers.toml: [{key}] must be a table of whole numbers")
    return {k.lower(): v for k, v in table[key].items()}


def _strs(table: dict[str, Any], key: str, where: str) -> list[str]:
    value = table.get(key)
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise DataFileError(f"numbers.toml: {where} '{key}' must be a list of non-empty strings")
    return [v.lower() for v in value]


def _hashes(words) -> np.ndarray:
    return np.array(sorted({hash_string(w) for w in words}), dtype=np.uint64)


def _half_up(value: Exact) -> int:
    return value if isinstance(value, int) else math.floor(value + _HALF)


def _capped(value: Exact) -> Exact:
    """`value`, or `NUMBER_CEILING` above it: every step of a number saturates there."""
    return value if value < NUMBER_CEILING else NUMBER_CEILING


def _exact(text: str) -> Exact:
    """The number that a digit string ("1,200", "2.5", "007") writes, exactly and capped."""
    whole, _, decimals = text.partition(".")
    digits = whole.replace(",", "").lstrip("0")
    if len(digits) > _MAX_DIGITS:
        return NUMBER_CEILING
    value: Exact = int(digits or "0")
    decimals = decimals[:_MAX_DECIMALS].rstrip("0")
    if decimals:
        value += Fraction(int(decimals), 10 ** len(decimals))
    return _capped(value)


def _member(values, sorted_set):
    """Elementwise `value in sorted_set` for a hash array."""
    at = np.minimum(np.searchsorted(sorted_set, values), len(sorted_set) - 1)
    return sorted_set[at] == values


class NumberParser:
    """Finds number expressions in a Doc; holds the parsed numbers.toml and nothing per call."""

    def __init__(self, table: dict | None = None):
        table = load_toml("numbers.toml") if table is None else table
        self.words, self.scales = _ints(table, "words"), _ints(table, "scales")
        self.suffixes, self.ordinals = _ints(table, "suffixes"), _ints(table, "ordinals")
        self.fractions = _ints(table, "fractions")
        self.qual_shape: dict[tuple[str, ...], str] = {}  # ("at", "least") -> "lower"
        self.after_shape: dict[tuple[str, ...], str] = {}  # ("or", "more") -> "lower"
        for key, target in (("qualifiers", self.qual_shape), ("qualifiers_after", self.after_shape)):
            for shape in _section(table, key):
                if shape not in _SHAPES:
                    raise DataFileError(f"numbers.toml: [{key}] has unknown shape '{shape}'")
                target.update((tuple(p.split()), shape) for p in _strs(table[key], shape, f"[{key}]"))
        self.quals = _Phrases(" ".join(p) for p in self.qual_shape)
        self.quals_after = _Phrases(" ".join(p) for p in self.after_shape)
        self.vague: dict[tuple[str, ...], dict[str, Any]] = {}
        for n, entry in enumerate(table.get("vague") or [], 1):
            if not (isinstance(entry, dict) and isinstance(entry.get("phrase"), str)
                    and all(isinstance(entry.get(f), int) for f in ("low", "high"))):
                raise DataFileError(f"numbers.toml [[vague]] #{n}: needs phrase, low and high")
            self.vague[tuple(entry["phrase"].lower().split())] = entry
        self.vague_phrases = _Phrases(" ".join(p) for p in self.vague)
        # the words around a count that `extract.quantities` reads, loaded once with the parser
        self.noun_stops = frozenset(load_words("count_phrases", "noun_stops"))
        self.triggers_as_nouns = frozenset(load_words("count_phrases", "triggers_as_nouns"))
        self.things = frozenset(load_words("count_phrases", "things"))  # "3 vehicles": no people
        self.thing = frozenset(load_words("count_phrases", "thing"))    # "one vehicle was": no people
        kinds = _section(table, "kinds")
        for key in _KIND_LISTS:  # self.age_units, self.months, ...: sets, or _Phrases for phrases
            words = _strs(kinds, key, "[kinds]")
            setattr(self, key, _Phrases(words) if key in _KIND_PHRASES else set(words))
        # Words right after a number that may change its kind; the rest skip _kind's lookups.
        self.after_words = frozenset(
            set(self.percent.by_first) | set(self.currency_after.by_first) | set(self.clock_after.by_first)
            | self.time_units | self.measure_units | self.age_units | self.months | self.unit_skip
            | self.rank_after | set(self.quals_after.by_first) | _DASHES | {"of"} | self.label_after
        )
        # What can open a number: a leading digit (or "~"), a number word, an ordinal, the first
        # word of a vague phrase; "a"/"an"/"half" only before one of `a_next`.
        openers = set(self.words) | set(self.ordinals) | set(self.vague_phrases.by_first) | _A_WORDS
        self.a_next = frozenset(
            set(self.scales) | set(self.fractions) | {"half", "a", "an", "of"} | _DASHES
            | {p[1] for p in self.vague_phrases.all if p[0] in _A_WORDS and len(p) > 1}
        )
        self._opener_hashes, self._digit_hashes = _hashes(openers), _hashes("0123456789~≈")
        self._a_hashes = set(_hashes(_A_WORDS).tolist())
        self._a_next_hashes = set(_hashes(self.a_next).tolist())
        self._tokenizer = None  # made by the first parse()

    # ---- public -------------------------------------------------------------------------------

    def _house_number(self, d: _Doc, k: int) -> bool:
        """Digits that begin a street address: a few capitalised or numbered name words from
        token k, then a street word ("1215 Ivy Street", "36705 379th Street", "601 W. Main St.")."""
        for j in range(k, k + 6):
            word = d.low(j)
            if word in self.street_after:
                return j > k
            if not (d.capital(j) or word[:1].isdigit() or d.dash(j)):  # "Al-Jalaa Street"
                return False
        return False

    def _bare_address(self, d: _Doc, i: int, end: int) -> bool:
        """An address without its street word, as local news writes it: "on 11700 Robertson, one
        person ...", "at 4500 Linden": four or five digits right after "on" or "at", then one or two
        capitalised words that are no month and no plural (a people: "fired on 1200 Kurds,"), then a
        comma or the sentence's end. Four or five digits: a three-digit crowd is too often a count."""
        if d.low(i - 1) not in ("on", "at") or not 4 <= len(d.low(i)) <= 5 or not d.low(i).isdigit():
            return False
        j = end
        while j < end + 2 and d.capital(j) and d.low(j) not in self.months and not d.low(j).endswith("s"):
            j += 1
        return j > end and d.low(j) in (",", ".", ";")

    def find(self, doc) -> list[NumberMention]:
        """Every number expression in the doc, in order, none overlapping; those inside a telephone
        number ("(618) 463-3505", "843-554-1111", "+963 11 123 4567") are kind "label"."""
        if len(doc) == 0:
            return []
        arr = doc.to_array([LOWER, PREFIX])
        lower = arr[:, 0].tolist()
        d = _Doc(doc, lower)
        a_words, a_next = self._a_hashes, self._a_next_hashes
        found: list[NumberMention] = []
        last = 0
        hits = _member(arr[:, 0], self._opener_hashes) | _member(arr[:, 1], self._digit_hashes)
        for i in np.flatnonzero(hits).tolist():
            if i < last or (lower[i] in a_words and (i + 1 >= d.n or lower[i + 1] not in a_next)):
                continue
            mention = self._at(d, i, last)
            if mention is not None:
                found.append(mention)
                last = mention.end
        if found and _PHONE_HINT.search(doc.text):
            found = _phone_labels(doc, found)
        return found

    def parse(self, text: str, *, any_kind: bool = False) -> Count | None:
        """The count of the first number in a phrase ("about 300" -> 300 "about"); None when the
        phrase holds no count (with any_kind: the first number of whatever kind)."""
        if self._tokenizer is None:
            import spacy  # only here: find() gets its Doc from the caller
            self._tokenizer = spacy.blank("en").tokenizer
        for mention in self.find(self._tokenizer(text)):
            if any_kind or mention.kind == "count":
                return mention.count
        return None

    # ---- one expression -----------------------------------------------------------------------

    def _at(self, d: _Doc, i: int, floor: int) -> NumberMention | None:
        low = d.low(i)
        if low[:1].isdigit():
            if _TIME.match(low) or _DATE.match(low):
                kind = "time" if _TIME.match(low) else "date"
                return self._mention(d, i, i, i + 1, Count(None, None, None), kind)
            if len(low) == 4 and d.dash(i + 1) and d.dash(i + 3) and (d.low(i + 2) + d.low(i + 4)).isdigit():
                return self._mention(d, i, i, i + 5, Count(None, None, None), "date")  # 2020-02-18
            m = _RANGE.match(low)
            if m:  # "20–30" in one token
                lo, hi = (_exact(g) for g in m.groups())
                num = _Num(lo, i + 1)
                if 1900 <= lo <= 2100 and (1900 <= hi <= 2100 or len(m.group(2)) == 2):
                    num.years, hi = True, (hi if hi > 100 else lo // 100 * 100 + hi)
                elif self.scales.get(d.low(i + 1), 0) >= 1000:
                    num.scale, num.end = self.scales[d.low(i + 1)], i + 2
                    lo, hi = _capped(lo * num.scale), _capped(hi * num.scale)
                num.value = lo
                return self._finish(d, i, floor, num, (lo, hi) if lo < hi else None)
        else:
            if size := self.vague_phrases.match(d, i):
                return self._vague(d, i, size)
            if (fraction := self._fraction(d, i, floor)) is not None:
                return fraction
        num = self._number(d, i)
        if num is None:
            return None
        if low == "one" and num.end == i + 1 and (d.low(i - 1) in self.one_before
                                                   or d.low(i + 1) in self.one_after):
            return None  # "no one", "one of the"
        return self._finish(d, i, floor, num, self._range(d, i, num))

    def _number(self, d: _Doc, i: int) -> _Num | None:
        """The number starting at token i: digits or words, with any scales after them."""
        low, words, scales = d.low(i), self.words, self.scales
        num, k = _Num(0, i + 1), i + 1
        m = _DIGITS.match(low)
        if m:
            sign, whole, frac, suffix = m.groups()
            current = _exact(whole + (frac or ""))
            num.plain = not (sign or frac or suffix or "," in whole)
            suffix = suffix.rstrip(".")
            if suffix in _ORDINAL_SUFFIXES:
                return _Num(current, k, ordinal=True)
            if suffix == "s":  # "1990s" is a year, "20s" an age: _kind tells them apart
                ok = len(whole) == 4 or (len(whole) == 2 and current % 10 == 0)
                return _Num(current, k, plain=True) if ok and not frac else None
            if suffix and suffix not in self.suffixes:
                return None
            if not (sign or frac or suffix) and len(whole) <= 3 and whole[0] != "0":
                # "245 000", "1 200 000": thousands grouped with a space, as French- and UN-style copy
                # writes them; a group is exactly three digits after exactly one space, and a list
                # ("the 101 102 and 103 fields") is no grouped number
                grouped, end = current, k
                while d.doc[end - 1].whitespace_ == " " and end < d.n and _GROUP.match(d.low(end)):
                    grouped, end = grouped * 1000 + int(d.low(end)), end + 1
                listed = d.low(end) in (",", "and", "or", "&") and d.low(end + 1).isdigit()
                if end > k and not listed:
                    current, k, num.plain = grouped, end, False
            if suffix:
                num.scale = self.suffixes[suffix]
            elif not d.doc[k - 1].whitespace_ and d.low(k).rstrip(".") in self.suffixes:
                num.scale, k = self.suffixes[d.low(k).rstrip(".")], k + 1  # "2.5" "m" glued
            current = _capped(current * num.scale)
            last, is_words = "digits", False
        elif low in _A_WORDS:  # "a hundred", "half a million", "a half-million"
            current = _HALF if low == "half" else 1
            if low == "half" and d.low(k) in ("a", "an"):
                k += 1
            elif low != "half" and d.low(k) == "half":
                current, k = _HALF, k + 1
            k += d.dash(k)
            if d.low(k) not in scales:
                return None
            last, is_words = "a", True
        elif low in words:
            current = words[low]
            last, is_words = ("tens" if current >= 20 else "unit"), True
        elif low in self.ordinals:
            return _Num(self.ordinals[low], k, ordinal=True)
        else:
            return None
        total: Exact = 0
        big = 0
        while k < d.n:
            w = d.low(k)
            if w in scales:
                mult = scales[w]
                if mult < 1000:  # hundred, dozen
                    if last == "mult":
                        break
                    current = _capped((current or 1) * mult)
                elif big and mult >= big:
                    break
                else:
                    total, current, big = _capped(total + (current or 1) * mult), 0, mult
                num.scale, num.plain, last, k = mult, False, "mult", k + 1
                continue
            nxt = d.low(k + 1)
            if w == "and" and nxt == "a" and d.low(k + 2) == "half" and current:
                current, last, k = _capped(current + _HALF), "half", k + 3  # "one and a half million"
                continue
            if not is_words:
                break
            if w == "and" and last == "mult" and words.get(nxt, 100) < 100:
                k, w = k + 1, nxt  # "one hundred and twenty"
            elif d.dash(k) and last == "tens" and self.ordinals.get(nxt, 10) < 10:
                current += self.ordinals[nxt]  # "twenty-first"
                num.ordinal, k = True, k + 2
                break
            elif d.dash(k) and last == "tens" and 0 < words.get(nxt, 0) < 10:
                k, w = k + 1, nxt  # "twenty-one"
            if w in words and (last == "mult" or (last == "tens" and 0 < words[w] < 10)):
                current = _capped(current + words[w])
                last, k = ("tens" if words[w] >= 20 and words[w] % 10 == 0 else "unit"), k + 1
                continue
            break
        num.value, num.end = _capped(total + current), k
        return num

    def _range(self, d: _Doc, i: int, first: _Num) -> tuple[Exact, Exact] | None:
        """"20-30", "20 to 30", "two or three", "between 20 and 30": the two ends, else None.
        A span of years ("2011-12", "between 2011 and 2015") sets `first.years`."""
        k = first.end
        conn, before, nxt = d.low(k), d.low(i - 1), d.low(k + 1)
        if first.ordinal or not (conn in _DASHES or conn == "or" or (conn == "to" and before != "from")
                                 or (conn == "and" and before == "between")):
            return None  # "from 20 to 30" is a change, not a range
        second = self._number(d, k + 1) if nxt[:1].isdigit() or nxt in self.words else None
        if second is None or second.ordinal:
            return None
        lo, hi = first.value, second.value
        if first.plain and second.plain and 1900 <= lo <= 2100 and (
                1900 <= hi <= 2100 or (len(nxt) == 2 and conn in _DASHES)):
            first.end, first.years = second.end, True
            return (lo, hi if hi > 100 else lo // 100 * 100 + hi)
        if first.scale == 1 and second.scale > 1 and lo * second.scale <= hi:
            lo = _capped(lo * second.scale)  # "20 to 30 million"
        if lo >= hi:
            return None
        first.end, first.scale, first.plain = second.end, second.scale, first.plain and second.plain
        return (lo, hi)

    def _vague(self, d: _Doc, i: int, size: int) -> NumberMention | None:
        entry = self.vague[tuple(d.low(j) for j in range(i, i + size))]
        end = i + size
        after_of = d.low(end) == "of"
        if entry.get("need_of") and not after_of:
            return None
        phrase = " ".join(entry["phrase"].split()).lower()
        count = Count(entry["low"], entry.get("best"), entry["high"], phrase)
        for k in (end + 1, end + 2) if after_of else (end,):  # "hundreds of kilometres", "a few days"
            kind = self._unit(d, k)
            if kind:
                return self._mention(d, i, i, end, count, kind)
        return self._mention(d, i, i, end, count, "count")

    def _unit(self, d: _Doc, k: int) -> str | None:
        """The kind that the unit word at token k gives a number before it, if any."""
        w = d.low(k)
        if w in self.time_units or w in self.measure_units:
            return "duration" if w in self.time_units else "distance"
        if self.currency_after.match(d, k):
            return "money"
        return "percent" if self.percent.match(d, k) else None

    def _fraction(self, d: _Doc, i: int, floor: int) -> NumberMention | None:
        """"two-thirds", "a quarter of", "half of": kind share, best the percent; "a quarter of a
        million": a count."""
        low = d.low(i)
        if low == "half":  # "half of them", not "the first half of 2016"
            if d.low(i + 1) != "of" or d.low(i - 1) in self.ordinals:
                return None
            return self._mention(d, i, i, i + 1, Count(50, 50, 50), "share")
        top = 1 if low in ("a", "an") else self.words.get(low, 0)
        if not 0 < top <= 10:
            return None
        k = i + 1 + d.dash(i + 1)
        word = d.low(k)
        if word not in self.fractions or not (k > i + 1 or word.endswith("s") or d.low(k + 1) == "of"):
            return None
        scale = self.scales.get(d.low(k + 3), 0)
        if d.low(k + 1) == "of" and d.low(k + 2) in ("a", "an") and scale >= 1000:
            return self._finish(d, i, floor, _Num(Fraction(top, self.fractions[word]) * scale, k + 4, scale), None)
        share = _half_up(Fraction(100 * top, self.fractions[word]))
        return self._mention(d, i, i, k + 1, Count(share, share, share), "share")

    def _finish(self, d: _Doc, i: int, floor: int, num: _Num, span: tuple | None) -> NumberMention:
        """Add the qualifiers around a parsed number, shape its Count and decide its kind."""
        money = i > floor and (d.low(i - 1) in self.currency_before or d.low(i - 1).endswith("$"))
        pre = i - money
        qual, shape, start = None, None, pre
        size = self.quals.ending_at(d, pre, floor)
        if size:
            words = tuple(d.low(j) for j in range(pre - size, pre))
            qual, shape, start = " ".join(words), self.qual_shape[words], pre - size
        elif d.low(i)[:1] in "~≈":
            qual, shape = d.low(i)[:1], "exact"
        end = num.end
        k = end + d.dash(end)
        size = self.quals_after.match(d, k)
        if size:  # "300 or more", "20-odd", "30,000+"
            words = tuple(d.low(j) for j in range(k, k + size))
            end = k + size
            if qual is None:
                qual, shape = " ".join(words), self.after_shape[words]
        if span is not None:
            lo, hi = span
            if qual is None and pre > floor and d.low(pre - 1) == "between":
                qual, start = "between", pre - 1
            count = Count(_half_up(lo), _half_up(lo) if num.years else (lo + hi) // 2, _half_up(hi), qual)
            if num.years:
                return self._mention(d, start, i, end, count, "year")
        else:
            v = _half_up(num.value)
            count = Count(None if shape == "upper" else v, v, None if shape == "lower" else v, qual)
        kind, end = ("money", end) if money else self._kind(d, start, i, end, num, count.best or 0, qual)
        return self._mention(d, start, i, end, count, kind)

    def _kind(self, d: _Doc, start: int, i: int, end: int, num: _Num, value: int, qual: str | None):
        """(kind, end): why the number at i..end is not a count, and the end with its unit."""
        before, prev, nxt = d.low(start - 1), d.low(i - 1), d.low(end)
        if before in self.age_before or (before == "of" and d.low(start - 2) == "age"):
            return "age", end
        if prev in self.label_before and d.capital(i - 1):
            return "label", end  # "Resolution 2254", "Channel 4", "Image 5"
        if prev == "of" and d.low(i - 2)[:1].isdigit() and d.low(i - 3) in self.label_before and d.capital(i - 3):
            return "label", end  # "Image 5 of 12": the photo count of a gallery
        if (prev in self.label_call or prev in self.label_room) and num.plain and not self._counts_next(d, end):
            return "label", end  # "called 911", "dialled 999", "apartment 304", "room 12"
        if nxt in self.label_after or (d.dash(end) and d.low(end + 1) in self.label_after):  # "2300-block"
            return "label", end
        if num.plain and (self._house_number(d, end) or self._bare_address(d, i, end)):
            return "label", end
        if nxt in self.after_words:
            if d.dash(end):  # "seven-month-old", "a three-day truce", "a 20-km stretch"
                w = d.low(end + 1)
                if w in self.age_units and d.dash(end + 2) and d.low(end + 3) in self.age_old:
                    return "age", end + 4
                if (w in self.time_units and not num.ordinal) or w in self.measure_units:
                    return self._unit(d, end + 1), end + 2
            if size := self.percent.match(d, end):
                return ("share" if d.low(end + size) == "of" else "percent"), end + size
            if size := self.currency_after.match(d, end):
                return "money", end + size
            if size := self.clock_after.match(d, end):
                return "time", end + size
        if num.plain and len(d.low(i)) == 4 and d.low(i)[0] == "0":
            return "time", end  # "at 0914"
        if num.ordinal or num.plain:
            at = end + (nxt == "of")
            month_after = d.low(at) in self.months and d.capital(at)
            if 1 <= value <= 31 and (month_after or prev in self.months and d.capital(i - 1)
                                     and nxt not in self.count_next):
                return "date", (at + 1 if month_after else end)
        if num.ordinal:
            return "ordinal", end
        if nxt in self.after_words:  # "four days", "two more weeks", "45 years old", "10 km"
            k = end
            while k < end + 2 and d.low(k) in self.unit_skip:
                k += 1
            if d.low(k) in self.age_units and d.low(k + 1) in self.age_old:
                return "age", k + 2
            if d.low(k) in self.time_units or d.low(k) in self.measure_units:
                return self._unit(d, k), k + 1
        if num.plain and d.low(i).endswith("s"):
            return ("year" if value >= 1000 else "age"), end  # "the 1990s", "in their 20s"
        if num.plain and 1900 <= value <= 2100 and (prev in self.year_before or prev in self.months
                                                     or qual is None and not self._counts_next(d, end)):
            return "year", end
        top = nxt in self.rank_after or (len(nxt) > 4 and nxt.endswith("est") and nxt not in self.rank_not)
        if prev in self.rank_before or (before in self.rank_determiners and top):
            return "rank", end  # "the top three", "the four largest cities"
        return "count", end

    def _counts_next(self, d: _Doc, k: int) -> bool:
        """A verb right after the number, or a people noun within three words and no punctuation."""
        for j in range(k, k + 3):
            w = d.low(j)
            if w in self.count_next or (j == k and w in self.count_verbs):
                return True
            if not w[:1].isalpha():
                return False
        return False

    def _mention(self, d: _Doc, start: int, num_start: int, end: int, count: Count, kind: str):
        """The mention, with the two checks every number passes here, whichever path parsed it: a value
        that reached `NUMBER_CEILING` is not held, and a count above `MAX_PLAUSIBLE_COUNT` is "implausible"."""
        values = [v for v in (count.low, count.best, count.high) if v is not None]
        if values and max(values) > MAX_PLAUSIBLE_COUNT:
            if max(values) >= NUMBER_CEILING:
                count = Count(None, None, None, count.qualifier)
            if kind == "count":
                kind = "implausible"
        doc = d.doc  # joining the tokens is much cheaper than Span.text
        text = "".join([doc[k].text_with_ws for k in range(start, end - 1)] + [doc[end - 1].text])
        return NumberMention(start, end, num_start, count, kind, text)


def _phone_labels(doc, found: list[NumberMention]) -> list[NumberMention]:
    """`found`, with the numbers that lie inside a telephone number made kind "label"."""
    spans = [m.span() for m in _PHONE.finditer(doc.text)]
    spans += [m.span(2) for m in _VANITY.finditer(doc.text) if len(m.group(1)) == len(m.group(2))]
    if not spans:
        return found
    out = []
    for mention in found:
        at = doc[mention.num_start].idx
        if mention.kind != "label" and any(a <= at < b for a, b in spans):
            mention = replace(mention, kind="label")
        out.append(mention)
    return out
