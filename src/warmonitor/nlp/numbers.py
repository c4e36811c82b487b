"""Numbers in news text: counts with their uncertainty, and the numbers that are not counts.

`NumberParser.find(doc)` walks a spaCy Doc (from `spacy.blank("en")`) and returns each number
expression as a `NumberMention`: its token span, its `Count` with FORMAT.md semantics ("about 300"
is 300/300/300 "about", "up to seven" is None/7/7, "between 20 and 30" is 20/25/30, "dozens" is
24/None/99) and its `kind`: "count", or why it is not one: "age", "percent", "share", "year",
"duration", "money", "ordinal", "distance", "rank", "time", "date", "label". Non-counts are returned
too (their count holds the number as written, a share its percent) so that extractors can skip them
by kind. "one" as a pronoun ("one of the", "no one"), "a"/"an" alone and roman numerals are not
numbers at all and are not returned.

Every word list lives in `warmonitor/data/numbers.toml`. `find` runs on every token of every
article, so a cheap test (spaCy's `like_num`, a set of trigger words, a leading digit) picks the few
tokens worth a closer look.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np
from spacy.attrs import LOWER, PREFIX

from warmonitor.data_files import DataFileError, load_toml
from warmonitor.model import Count

# One-token forms: digits ("900,000", "1.2", "~300", "1.5bn", "21st", "1990s"), ranges ("20–30"),
# clock times ("10:30", "3.30pm") and numeric dates ("18/02/2020").
_DIGITS = re.compile(r"^([~≈]?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?([a-z.]*)$", re.I)
_RANGE = re.compile(r"^(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)[–—-](\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)$")
_TIME = re.compile(r"^\d{1,2}:\d{2}(?:[ap]\.?m\.?)?$|^\d{1,2}(?:[:.]\d{2})?[ap]\.?m\.?$", re.I)
_DATE = re.compile(r"^\d{1,4}[/.]\d{1,2}[/.]\d{2,4}$")
_ORDINAL_SUFFIXES = frozenset({"st", "nd", "rd", "th"})
_DASHES = frozenset({"-", "–", "—"})
_SHAPES = {"exact": "exact", "upper": "upper", "lower": "lower"}


@dataclass
class NumberMention:
    start: int  # first token of the whole expression, qualifier included
    end: int  # token index after the expression
    num_start: int  # first token of the number proper
    count: Count
    kind: str  # "count", or why it is not a count (see the module docstring)
    text: str


@dataclass
class _Num:
    value: float
    end: int
    scale: int = 1  # the last multiplier applied ("million" -> 1_000_000)
    plain: bool = False  # one token of bare digits, no separator or decimals ("2012", "18")
    ordinal: bool = False


class _Phrases:
    """Lower-case phrases of one or more tokens, looked up by their first word."""

    def __init__(self, phrases: list[str], where: str):
        self.by_first: dict[str, list[tuple[str, ...]]] = {}
        for phrase in phrases:
            if not isinstance(phrase, str) or not phrase.strip():
                raise DataFileError(f"numbers.toml {where}: expected non-empty strings, got {phrase!r}")
            words = tuple(phrase.lower().split())
            self.by_first.setdefault(words[0], []).append(words)
        for options in self.by_first.values():
            options.sort(key=len, reverse=True)
        self.max_len = max((len(p) for ps in self.by_first.values() for p in ps), default=0)
        self.all = {p for ps in self.by_first.values() for p in ps}
        self.last_words = {p[-1] for p in self.all}

    def match(self, doc, k: int) -> int:
        """Length in tokens of the longest phrase starting at token k (0: none)."""
        if k >= len(doc):
            return 0
        for words in self.by_first.get(doc[k].lower_, ()):
            if k + len(words) <= len(doc) and all(doc[k + j].lower_ == w for j, w in enumerate(words)):
                return len(words)
        return 0

    def ending_at(self, doc, k: int, floor: int) -> int:
        """Length of the longest phrase that ends just before token k and starts at or after floor."""
        if k <= floor or doc[k - 1].lower_ not in self.last_words:
            return 0
        for size in range(min(self.max_len, k - floor), 0, -1):
            if tuple(doc[j].lower_ for j in range(k - size, k)) in self.all:
                return size
        return 0


def _ints(table: dict[str, Any], key: str) -> dict[str, int]:
    section = table.get(key)
    if not isinstance(section, dict) or not all(isinstance(v, int) for v in section.values()):
        raise DataFileError(f"numbers.toml: [{key}] must be a table of whole numbers")
    return {k.lower(): v for k, v in section.items()}


def _words(table: dict[str, Any], key: str) -> list[str]:
    value = table.get(key)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise DataFileError(f"numbers.toml: '{key}' must be a list of strings")
    return [v.lower() for v in value]


def _member(values, sorted_set):
    """Elementwise `value in sorted_set` for a hash array."""
    at = np.minimum(np.searchsorted(sorted_set, values), len(sorted_set) - 1)
    return sorted_set[at] == values


def _round(value: float) -> int:
    return int(value + 0.5)


class NumberParser:
    """Finds number expressions in a Doc; holds the parsed numbers.toml and nothing else."""

    def __init__(self, table: dict | None = None):
        table = load_toml("numbers.toml") if table is None else table
        self.words = _ints(table, "words")
        self.scales = _ints(table, "scales")
        self.suffixes = _ints(table, "suffixes")
        self.ordinals = _ints(table, "ordinals")
        self.fractions = _ints(table, "fractions")
        quals, after = table.get("qualifiers"), table.get("qualifiers_after")
        if not isinstance(quals, dict) or not isinstance(after, dict):
            raise DataFileError("numbers.toml: [qualifiers] and [qualifiers_after] are required")
        self.qual_shape: dict[tuple[str, ...], str] = {}
        self.after_shape: dict[tuple[str, ...], str] = {}
        for source, target in ((quals, self.qual_shape), (after, self.after_shape)):
            for shape, phrases in source.items():
                if shape not in _SHAPES:
                    raise DataFileError(f"numbers.toml: unknown qualifier shape '{shape}'")
                for phrase in _words(source, shape):
                    target[tuple(phrase.split())] = shape
        self.quals = _Phrases([" ".join(p) for p in self.qual_shape], "[qualifiers]")
        self.quals_after = _Phrases([" ".join(p) for p in self.after_shape], "[qualifiers_after]")
        self.vague: dict[tuple[str, ...], dict[str, Any]] = {}
        for n, entry in enumerate(table.get("vague") or [], 1):
            if not isinstance(entry, dict) or not isinstance(entry.get("phrase"), str) or not all(
                isinstance(entry.get(f), int) for f in ("low", "high")
            ):
                raise DataFileError(f"numbers.toml [[vague]] #{n}: needs phrase, low and high")
            self.vague[tuple(entry["phrase"].lower().split())] = entry
        self.vague_phrases = _Phrases([" ".join(p) for p in self.vague], "[[vague]]")
        kinds = table.get("kinds")
        if not isinstance(kinds, dict):
            raise DataFileError("numbers.toml: [kinds] is required")
        k = {key: _words(kinds, key) for key in kinds}
        need = ("age_units", "age_old", "age_before", "percent", "currency_before", "currency_after",
                "time_units", "measure_units", "clock_after", "months", "year_before", "count_next",
                "unit_skip", "rank_after", "rank_before", "rank_determiners", "rank_not", "label_before")
        for key in need:
            if key not in k:
                raise DataFileError(f"numbers.toml: [kinds] is missing '{key}'")
        self.age_units, self.age_old = set(k["age_units"]), set(k["age_old"])
        self.age_before = set(k["age_before"])
        self.percent = _Phrases(k["percent"], "percent")
        self.currency_before = set(k["currency_before"])
        self.currency_after = _Phrases(k["currency_after"], "currency_after")
        self.time_units, self.measure_units = set(k["time_units"]), set(k["measure_units"])
        self.clock_after = _Phrases(k["clock_after"], "clock_after")
        self.months, self.year_before = set(k["months"]), set(k["year_before"])
        self.count_next, self.unit_skip = set(k["count_next"]), set(k["unit_skip"])
        self.rank_after, self.rank_before = set(k["rank_after"]), set(k["rank_before"])
        self.rank_determiners, self.rank_not = set(k["rank_determiners"]), set(k["rank_not"])
        self.label_before = set(k["label_before"])
        pronoun = table.get("pronoun_one") or {}
        self.one_before = set(_words(pronoun, "before")) if pronoun else set()
        self.one_after = set(_words(pronoun, "after")) if pronoun else set()
        # What can open a number: a leading digit (or "~"), a number word, an ordinal, the first
        # word of a vague phrase; "a"/"an"/"half" only before one of `a_next`.
        self.openers = frozenset(set(self.words) | set(self.ordinals) | set(self.vague_phrases.by_first)) - {"a", "an"}
        self.a_next = frozenset(
            set(self.scales) | set(self.fractions) | {"half", "a", "an", "of"}
            | {p[1] for p in self.vague_phrases.all if p[0] in ("a", "an") and len(p) > 1}
        )
        self._hashes: tuple | None = None  # string hashes of the above, made on the first find
        self._tokenizer = None

    # ---- public -------------------------------------------------------------------------------

    def find(self, doc) -> list[NumberMention]:
        found: list[NumberMention] = []
        last = 0
        for i in self._candidates(doc):
            if i < last:
                continue
            mention = self._at(doc, i, last)
            if mention is not None:
                found.append(mention)
                last = mention.end
        return found

    def _candidates(self, doc) -> list[int]:
        """Indices of tokens that may open a number, found on hash arrays (no Token objects)."""
        if len(doc) == 0:
            return []
        if self._hashes is None:
            strings = doc.vocab.strings

            def sorted_hashes(words):
                return np.array(sorted({strings[w] for w in words}), dtype=np.uint64)

            self._hashes = (sorted_hashes(self.openers), sorted_hashes("0123456789~≈"),
                            sorted_hashes({"a", "an", "half"}), sorted_hashes(self.a_next))
        opener, digit, a, a_next = self._hashes
        arr = doc.to_array([LOWER, PREFIX])
        lower = arr[:, 0]
        hit = _member(lower, opener) | _member(arr[:, 1], digit)
        hit[:-1] |= _member(lower[:-1], a) & _member(lower[1:], a_next)
        return np.flatnonzero(hit).tolist()

    def parse(self, text: str, *, any_kind: bool = False) -> Count | None:
        """The count of the first number in a phrase ("about 300" -> 300, "about"); None if the
        phrase holds no count (with any_kind, the first number of whatever kind)."""
        if self._tokenizer is None:
            import spacy

            self._tokenizer = spacy.blank("en").tokenizer
        for mention in self.find(self._tokenizer(text)):
            if any_kind or mention.kind == "count":
                return mention.count
        return None

    # ---- one expression -----------------------------------------------------------------------

    def _at(self, doc, i: int, floor: int) -> NumberMention | None:
        tok = doc[i]
        text, low = tok.text, tok.lower_
        if text[:1].isdigit():
            if _TIME.match(text):
                return self._mention(doc, i, i, i + 1, Count(None, None, None), "time")
            if _DATE.match(text):
                return self._mention(doc, i, i, i + 1, Count(None, None, None), "date")
            m = _RANGE.match(text)
            if m:
                lo, hi = (float(g.replace(",", "")) for g in m.groups())
                num = _Num(lo, i + 1)
                if i + 1 < len(doc) and self.scales.get(doc[i + 1].lower_, 0) >= 1000:
                    num.scale = self.scales[doc[i + 1].lower_]
                    lo, hi, num.end = lo * num.scale, hi * num.scale, i + 2
                num.value = lo
                if 1900 <= lo <= 2100 and (1900 <= hi <= 2100 or len(m.group(2)) == 2):
                    return self._mention(doc, i, i, i + 1, Count(int(lo), int(lo), int(lo)), "year")
                return self._finish(doc, i, floor, num, (lo, hi) if lo < hi else None)
        size = self.vague_phrases.match(doc, i)
        if size:
            return self._vague(doc, i, size)
        fraction = self._fraction(doc, i)
        if fraction is not None:
            return fraction
        num = self._number(doc, i)
        if num is None:
            return None
        if low == "one" and num.end == i + 1 and (
            (i > 0 and doc[i - 1].lower_ in self.one_before)
            or (i + 1 < len(doc) and doc[i + 1].lower_ in self.one_after)
        ):
            return None
        return self._finish(doc, i, floor, num, self._range(doc, i, num))

    def _number(self, doc, i: int) -> _Num | None:
        """The number starting at token i: digits or words, with any scales after them."""
        n, tok = len(doc), doc[i]
        low, words, scales = tok.lower_, self.words, self.scales
        num = _Num(0.0, i + 1)
        m = _DIGITS.match(tok.text)
        k = i + 1
        if m:
            sign, whole, frac, suffix = m.groups()
            current = float(whole.replace(",", "") + (frac or ""))
            num.plain = not (sign or frac or suffix or "," in whole)
            suffix = suffix.lower().rstrip(".")
            if suffix in _ORDINAL_SUFFIXES:
                return _Num(current, i + 1, ordinal=True)
            if suffix == "s" and len(whole) == 4:
                return _Num(current, i + 1, plain=True)  # "1990s": read as a year by _kind
            if suffix:
                if suffix not in self.suffixes:
                    return None
                num.scale = self.suffixes[suffix]
                current *= num.scale
            elif k < n and not tok.whitespace_ and doc[k].lower_.rstrip(".") in self.suffixes:
                num.scale = self.suffixes[doc[k].lower_.rstrip(".")]  # "2.5" "m" glued
                current *= num.scale
                k += 1
            last, is_words = "digits", False
        elif low in ("a", "an", "half"):
            current = 1.0
            if low != "half" and k < n and doc[k].lower_ == "half":
                current, k = 0.5, k + 1
            elif low == "half":
                current = 0.5
                if k < n and doc[k].lower_ in ("a", "an"):
                    k += 1
            if k < n and doc[k].text in _DASHES:
                k += 1
            if k >= n or doc[k].lower_ not in scales:
                return None
            last, is_words = "a", True
        elif low in words:
            current = float(words[low])
            last, is_words = ("tens" if current >= 20 else "unit"), True
        elif low in self.ordinals:
            return _Num(float(self.ordinals[low]), i + 1, ordinal=True)
        else:
            return None
        total, big = 0.0, 0
        while k < n:
            w = doc[k].lower_
            if w in scales:
                mult = scales[w]
                if mult < 1000:  # hundred, dozen
                    if last in ("mult", "and"):
                        break
                    current = (current or 1) * mult
                else:
                    if big and mult >= big:
                        break
                    total, current, big = total + (current or 1) * mult, 0.0, mult
                num.scale, num.plain, last, k = mult, False, "mult", k + 1
                continue
            nxt = doc[k + 1].lower_ if k + 1 < n else ""
            if w == "and" and nxt == "a" and k + 2 < n and doc[k + 2].lower_ == "half" and current:
                current, last, k = current + 0.5, "half", k + 3
                continue
            if not is_words:
                break
            if w == "and" and last == "mult" and nxt in words and words[nxt] < 100:
                k, w, last = k + 1, nxt, "and"
            elif tok_is_dash(doc, k) and last == "tens" and nxt in self.ordinals and self.ordinals[nxt] < 10:
                current += self.ordinals[nxt]
                num.ordinal, k = True, k + 2
                break
            elif tok_is_dash(doc, k) and last == "tens" and nxt in words and 0 < words[nxt] < 10:
                k, w = k + 1, nxt
            if w in words and (last in ("mult", "and") or (last == "tens" and 0 < words[w] < 10)):
                v = words[w]
                current += v
                last, k = ("tens" if v >= 20 and v % 10 == 0 else "unit"), k + 1
                continue
            break
        if last == "and":
            return None
        num.value, num.end = total + current, k
        return num

    def _range(self, doc, i: int, first: _Num) -> tuple[float, float] | None:
        """"20-30", "20 to 30", "two or three", "between 20 and 30": the two ends, else None."""
        k, n = first.end, len(doc)
        if first.ordinal or k + 1 >= n:
            return None
        conn = doc[k].lower_
        between = i > 0 and doc[i - 1].lower_ == "between"
        if not (conn in _DASHES or conn == "or" or (conn == "to" and not (i > 0 and doc[i - 1].lower_ == "from"))
                or (conn == "and" and between)):
            return None
        nxt = doc[k + 1]
        if not (nxt.like_num or nxt.text[:1].isdigit() or nxt.lower_ in self.words):
            return None
        second = self._number(doc, k + 1)
        if second is None or second.ordinal:
            return None
        lo, hi = first.value, second.value
        if first.scale == 1 and second.scale > 1 and lo * second.scale <= hi:
            lo *= second.scale
        if first.plain and second.plain and conn in _DASHES and 1900 <= lo <= 2100 and (
            1900 <= hi <= 2100 or len(nxt.text) == 2
        ):
            first.end = second.end
            return (lo, lo)  # "2011-12", "2019-2020": a span of years
        if lo >= hi:
            return None
        first.end, first.scale = second.end, second.scale
        return (lo, hi)

    def _vague(self, doc, i: int, size: int) -> NumberMention | None:
        entry = self.vague[tuple(doc[j].lower_ for j in range(i, i + size))]
        end, n = i + size, len(doc)
        after_of = end + 1 < n and doc[end].lower_ == "of"
        if entry.get("need_of") and not after_of:
            return None
        count = Count(entry["low"], entry.get("best"), entry["high"], " ".join(entry["phrase"].lower().split()))
        kind = "count"
        for k in (end, end + 1, end + 2) if after_of else (end,):
            if k >= n:
                break
            w = doc[k].lower_
            if w in self.time_units:
                kind = "duration"
            elif w in self.measure_units:
                kind = "distance"
            elif self.currency_after.match(doc, k):
                kind = "money"
            elif self.percent.match(doc, k):
                kind = "percent"
            if kind != "count":
                break
        return self._mention(doc, i, i, end, count, kind)

    def _fraction(self, doc, i: int) -> NumberMention | None:
        """"two-thirds", "a quarter of", "half of": kind share, best the percent."""
        low, n = doc[i].lower_, len(doc)
        if low == "half":
            if i + 1 < n and doc[i + 1].lower_ == "of":
                return self._mention(doc, i, i, i + 1, Count(50, 50, 50), "share")
            return None
        top = 1 if low in ("a", "an") else self.words.get(low)
        if not top or top > 10:
            return None
        k = i + 1
        dashed = k < n and tok_is_dash(doc, k)
        k += dashed
        if k >= n or doc[k].lower_ not in self.fractions:
            return None
        word = doc[k].lower_
        if not (dashed or word.endswith("s") or (k + 1 < n and doc[k + 1].lower_ == "of")):
            return None
        share = _round(100 * top / self.fractions[word])
        return self._mention(doc, i, i, k + 1, Count(share, share, share), "share")

    def _finish(self, doc, i: int, floor: int, num: _Num, span: tuple[float, float] | None) -> NumberMention:
        """Add the qualifiers around a parsed number, shape its Count and decide its kind."""
        pre, money = i, False
        if i > floor and (doc[i - 1].lower_ in self.currency_before or doc[i - 1].text.endswith("$")):
            pre, money = i - 1, True
        sign = _DIGITS.match(doc[i].text)
        qual, shape, start = None, None, pre
        size = self.quals.ending_at(doc, pre, floor)
        if size:
            words = tuple(doc[j].lower_ for j in range(pre - size, pre))
            qual, shape, start = " ".join(words), self.qual_shape[words], pre - size
        elif sign and sign.group(1):
            qual, shape = sign.group(1), "exact"
        end = num.end
        k = end + 1 if end + 1 < len(doc) and tok_is_dash(doc, end) else end
        size = self.quals_after.match(doc, k)
        if size:
            words = tuple(doc[j].lower_ for j in range(k, k + size))
            end = k + size
            if qual is None:
                qual, shape = " ".join(words), self.after_shape[words]
        if span is not None:
            lo, hi = span
            if qual is None and pre > floor and doc[pre - 1].lower_ == "between":
                qual, start = "between", pre - 1
            if lo == hi:  # a span of years
                year = _round(lo)
                return self._mention(doc, start, i, end, Count(year, year, year, qual), "year")
            count = Count(_round(lo), int((lo + hi) / 2), _round(hi), qual)
        else:
            v = _round(num.value)
            count = Count(None if shape == "upper" else v, v, None if shape == "lower" else v, qual)
        kind = "money" if money else None
        if kind is None:
            kind, end = self._kind(doc, start, i, end, num, count, qual)
        return self._mention(doc, start, i, end, count, kind)

    def _kind(self, doc, start: int, i: int, end: int, num: _Num, count: Count, qual: str | None) -> tuple[str, int]:
        n = len(doc)
        value = count.best if count.best is not None else 0
        before = doc[start - 1].lower_ if start > 0 else ""
        prev = doc[i - 1] if i > 0 else None
        if before in self.age_before or (before == "of" and start > 1 and doc[start - 2].lower_ == "age"):
            return "age", end
        if prev is not None and prev.text[:1].isupper() and prev.lower_ in self.label_before:
            return "label", end
        # "seven-month-old", "a three-day truce", "a 20-km stretch"
        if end + 1 < n and tok_is_dash(doc, end):
            w = doc[end + 1].lower_
            if w in self.age_units and end + 3 < n and tok_is_dash(doc, end + 2) and doc[end + 3].lower_ in self.age_old:
                return "age", end + 4
            if w in self.time_units:
                return "duration", end + 2
            if w in self.measure_units:
                return "distance", end + 2
        size = self.percent.match(doc, end)
        if size:
            share = end + size < n and doc[end + size].lower_ == "of"
            return ("share" if share else "percent"), end + size
        size = self.currency_after.match(doc, end)
        if size:
            return "money", end + size
        k = end
        while k < n and k < end + 2 and doc[k].lower_ in self.unit_skip:
            k += 1
        w = doc[k].lower_ if k < n else ""
        if w in self.age_units and k + 1 < n and doc[k + 1].lower_ in self.age_old:
            return "age", k + 2
        if w in self.time_units:
            return "duration", k + 1
        if w in self.measure_units:
            return "distance", end + 1
        size = self.clock_after.match(doc, end)
        if size:
            return "time", end + size
        nxt = doc[end].lower_ if end < n else ""
        if num.ordinal or num.plain:
            month_after = doc[end + (nxt == "of")].lower_ in self.months if end + (nxt == "of") < n else False
            month_before = prev is not None and prev.lower_ in self.months and prev.text[:1].isupper()
            if 1 <= value <= 31 and (month_after or (month_before and nxt not in self.count_next)):
                return "date", end + (2 if nxt == "of" and month_after else 1 if month_after else 0)
        if num.ordinal:
            return "ordinal", end
        if num.plain and 1900 <= value <= 2100 and doc[i].text[:1] in "12":
            if doc[i].lower_.endswith("s") or (prev is not None and prev.lower_ in self.year_before):
                return "year", end
            if qual is None:
                ahead = [t.lower_ for t in doc[end:min(n, end + 3)]]
                stop = next((j for j, t in enumerate(doc[end:min(n, end + 3)]) if t.is_punct), len(ahead))
                if not any(t in self.count_next for t in ahead[:stop]):
                    return "year", end
        if num.plain and doc[i].lower_.endswith("s"):
            return "age", end  # "in their 20s"
        if prev is not None and prev.lower_ in self.rank_before:
            return "rank", end
        if before in self.rank_determiners and w and (
            w in self.rank_after or (len(w) > 4 and w.endswith("est") and w not in self.rank_not)
        ):
            return "rank", end
        return "count", end

    def _mention(self, doc, start: int, num_start: int, end: int, count: Count, kind: str) -> NumberMention:
        return NumberMention(start, end, num_start, count, kind, doc[start:end].text)


def tok_is_dash(doc, k: int) -> bool:
    """Token k is a hyphen glued to the token before it ("twenty-one", "seven-month-old")."""
    return doc[k].text in _DASHES and k > 0 and not doc[k - 1].whitespace_
