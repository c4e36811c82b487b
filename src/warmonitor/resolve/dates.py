"""Time phrases in news text, resolved against the article's publication date.

`find_times(text, published)` returns every time phrase of a sentence (or clause) as a `TimeRef`, in
text order, with its character offsets; `resolve_phrase(phrase, published)` reads one phrase. A
phrase resolves to `date` (one ISO day: "on Tuesday", "yesterday", "on 3 March", "nine years ago")
or to `period` ({"start", "end", "precision"}, ISO days: "this year", "in the last four days",
"since the beginning of February", "between 19 February and 23 March"), as shared/eval/FORMAT.md
defines them. Without a publication date nothing is invented: a phrase that needs one ("on
Tuesday", "in January", "since 2011") is still found, with `date` and `period` None; fully written
dates ("3 March 2017", "in 2016", "from January to March 2017") resolve either way.

Conventions (all against the publication day P):

- A weekday is the latest such day not after P (P itself counts); "last Tuesday" is the latest one
  before P, "next Tuesday" the first after it. A day and month without a year ("on 3 March", "as of
  23 March") is the latest such day not after P; a month without a year ("in January", "since
  December") the latest such month that has begun by P. In a range without a year ("between 19
  February and 23 March") the end is resolved first, then the start as the latest not after the end.
- "yesterday" and "last night" are P - 1; "overnight" is P - 1 too (the night that began the day
  before; the scorer's one-day tolerance covers either reading); today/tonight/"this morning" are P.
- "this year/month/week" run from the start of the unit (weeks start on Monday) to P; "last
  year/month/week" are the whole previous unit; "earlier this month" ends the day before P.
- "in the last four days", "over the past two weeks", "in the past 24 hours", "in less than three
  months": start = P - N units, end = P (hours round up to whole days). Vague counts ("in recent
  weeks", "the past few days", "several months", "the last days") use `RECENT`: 24 hours, 4 days,
  3 weeks, 3 months, 3 years.
- "since X": X's start to P. "N years ago" is a `date` (P - N units) with the unit as `precision`.
- "early/mid/late X", "the beginning/middle/end of X" take a third of X: days 1-10, 11-20, 21-end
  of a month; January-April, May-August, September-December of a year; Mon-Tue, Wed-Thu, Fri-Sun
  of a week.
- A calendar span that contains P ends at P ("in February" in an article of 18 February 2020 is
  2020-02-01..2020-02-18).
- `precision` is the unit of the phrase ("day", "week", "month", "year"): how far its bounds are
  known.

`kind` says what the phrase is: "day" (one day), "span" (a closed period), "ongoing" (a period
running up to P: since, this year, in the last N days, in recent weeks), "ago" (a point N units
back), "as_of" (the cut-off of a cumulative figure), or the bounding preposition ("until", "by",
"before", "after", "from") when the phrase only bounds the event.

Not times: ages and durations written as adjectives ("a seven-month-old", "a three-day truce",
"the nine-year war"), counts that look like years ("2000 people"), holiday names ("Good Friday").
Numeric dates other than ISO ("3/4/2017") are left alone: day-month order is ambiguous.

The grammar is a set of compact regexes (each with a comment saying why it exists) built from a
few pieces; no dateparser: every form here is cheaper and more predictable by rule, and dateparser
misses the relative spans anyway. A sentence's words are read once: one with no month, weekday, year
or time word returns [] at once, and each rule runs only when the words it needs are there; one scan
for anchors serves single dates, "since", "as of" and ranges.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from types import MappingProxyType
from typing import Callable, NamedTuple
from .calendar_math import (_add_months, _coarser, _count, _md, _month_end, _month_number, _month_span,
                            _parse_published, _shift, _unit)

__all__ = ["TimeRef", "find_times", "resolve_phrase", "RECENT"]


@dataclass(frozen=True)
class TimeRef:
    start: int  # character offsets of the phrase in the text given
    end: int
    phrase: str  # as written
    date: str | None  # ISO day, for a single day
    period: dict | None  # {"start", "end", "precision"} for spans
    kind: str  # "day", "span", "ongoing", "ago", "as_of", "until", "by", "before", "after", "from"
    precision: str | None = None  # "day", "week", "month" or "year": the unit of the phrase


# Vague counts ("in recent weeks", "the past few days", "a few years ago"): how many units they mean.
RECENT = MappingProxyType({"hour": 24, "day": 4, "night": 4, "week": 3, "fortnight": 2, "month": 3,
                           "year": 3, "decade": 2})

_PRECISION = MappingProxyType({"hour": "day", "day": "day", "night": "day", "week": "week",
                               "fortnight": "week", "month": "month", "year": "year", "decade": "year"})
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# Words before a weekday that make it a name, not a day ("Good Friday", "Bloody Sunday", "Super Tuesday").
_NOT_WEEKDAY_BEFORE = frozenset({"good", "black", "bloody", "ash", "super", "holy", "palm", "easter", "maundy",
                                 "cyber", "fat", "shrove", "great"})
# Days before P that a day word names ("overnight": the night that began the day before).
_DAYS_BACK = MappingProxyType({"today": 0, "tonight": 0, "tomorrow": -1, "yesterday": 1, "overnight": 1,
                               "last night": 1, "the day before yesterday": 2})
# Parts of a unit: "early", "the beginning of" ... -> which third.
_PARTS = MappingProxyType({"early": 0, "beginning": 0, "start": 0, "mid": 1, "middle": 1, "late": 2, "end": 2})

# ---------------------------------------------------------------------------------------------
# Pieces. Months are matched case-sensitively ("March", "MARCH", "Mar."): lower-case "march" and
# "may" are a verb and a modal; everything else is case-insensitive.
_MONTH = (r"(?-i:(?:January|February|March|April|May|June|July|August|September|October|November|December"
          r"|JANUARY|FEBRUARY|MARCH|APRIL|MAY|JUNE|JULY|AUGUST|SEPTEMBER|OCTOBER|NOVEMBER|DECEMBER)\b"
          r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\b\.?)")
# A bare month (no day or year beside it) is written in full: "in Jan Egeland's words", "Mar Elias".
_MONTH_FULL = (r"(?-i:(?:January|February|March|April|May|June|July|August|September|October|November|December"
               r"|JANUARY|FEBRUARY|MARCH|APRIL|MAY|JUNE|JULY|AUGUST|SEPTEMBER|OCTOBER|NOVEMBER|DECEMBER)\b)")
# Names made of a date ("the March 14 alliance", "the February 17 revolution") are no times.
_NOT_DATE_NAME = r"(?!\s+(?:alliance|movement|coalition|bloc|brigades?|revolution|party|square|street)\b)"
_WD = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)(?!\w)"
# Nouns after a number that make it a count, not a year or a day ("in 2000 people", "March 30 people").
_COUNT_NOUN = (r"(?!\s+(?:people|persons|civilians|children|kids|women|men|families|households|homes|houses"
               r"|fighters|soldiers|troops|militants|rebels|refugees|migrants|dead|deaths|bodies|killed|injured"
               r"|wounded|casualties|residents|students|patients|protesters|detainees|prisoners|displaced"
               r"|of\s+(?:them|whom|those|these|the))\b)")
_YEAR = r"(?<![\d,.£$€])(?:19|20)\d\d(?!\d|,\d|\.\d|s\b|-(?:year|old))" + _COUNT_NOUN
_DAY = r"(?<![\d,.:])(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?\b(?![.:,]\d)"
_NUM = (r"(?:\d{1,3}(?!,\d)(?:\.5)?|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
        r"(?:[-\s](?:one|two|three|four|five|six|seven|eight|nine))?"
        r"|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
        r"|one|two|three|four|five|six|seven|eight|nine|ten)\b")
_VAGUE_NUM = r"(?:a\s+few|few|several|many|a\s+couple\s+of|couple\s+of)"
# Units of a span; the lookahead keeps adjectives out: "seven-month-old", "a three-day truce".
_UNIT = r"(?:hours?|days?|nights?|weeks?|fortnights?|months?|years?|decades?)(?![\w-])"

# Anchors: the phrases that name a point or a span of the calendar. Each exists for one written form.
_CORES = (
    # "2017-03-03": ISO dates, as datelines and reports write them.
    ("iso", r"(?<![\d-])(?P<y>(?:19|20)\d\d)-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])(?![\d-])"),
    # "3 March 2017", "on the 3rd of March", "Tuesday, 18 February": British/UN order.
    ("dmy", rf"(?:(?P<wd>{_WD}),?\s+)?(?:the\s+)?(?P<d>{_DAY})\s+(?:of\s+)?(?P<m>{_MONTH})(?:,?\s+(?P<y>{_YEAR}))?"),
    # "March 3, 2017", "Feb. 18": US order; "In March 30 people ..." is a month and a count.
    ("mdy", rf"(?:(?P<wd>{_WD}),?\s+)?(?P<m>{_MONTH})\s+(?P<d>{_DAY}){_COUNT_NOUN}{_NOT_DATE_NAME}"
            rf"(?:,?\s+(?P<y>{_YEAR}))?"),
    # "August 2013", "March of 2017".
    ("my", rf"(?P<m>{_MONTH}),?\s+(?:of\s+)?(?P<y>{_YEAR})"),
    # "yesterday", "last night", "this morning", "earlier today": days named from P.
    ("relday", r"(?:(?:early|late|earlier|later)\s+)?(?P<w>today|tonight|tomorrow|yesterday|overnight"
               r"|last\s+night|the\s+day\s+before\s+yesterday|this\s+(?:morning|afternoon|evening))"
               r"(?:\s+(?:morning|afternoon|evening|night))?(?!\w)"),
    # "Tuesday", "late on Thursday", "last Friday", "Monday night".
    ("weekday", rf"(?:(?:early|late|overnight)\s+(?:on\s+)?)?(?:(?P<q>last|this|next|past)\s+)?(?P<wd>{_WD})"
                r"(?:\s+(?:morning|afternoon|evening|night))?"),
    # A weak anchor, before "cal" so that "the year 2012" is a year, not "the year".
    ("year", rf"(?:the\s+year\s+)?(?P<y>{_YEAR})"),
    # "this year", "last month", "earlier this week", "the weekend"; "the year" only after a part
    # ("since the start of the year").
    ("cal", r"(?P<q>so\s+far\s+this|earlier\s+this|earlier\s+in\s+the|later\s+this|later\s+in\s+the|this|last|next"
            r"|the\s+current|the)\s+(?P<u>week|month|year|weekend)(?!\w)"),
    # "last March", "next June".
    ("qmonth", rf"(?P<q>last|this|next)\s+(?P<m>{_MONTH})"),
    # Weak anchors (with "year" above): a bare month or year counts only after a preposition or in a range.
    ("month", rf"(?P<m>{_MONTH_FULL})"),
)
_WEAK = frozenset({"month", "year"})
_PART = r"(?:(?:the\s+)?(?:beginning|start|end|middle)\s+of\s+|(?:early|late)\s+|mid-?\s*)"


def _nogroups(pattern: str) -> str:
    return re.sub(r"\(\?P<\w+>", "(?:", pattern)


_MONTH_LOW = (r"(?:(?:january|february|march|april|may|june|july|august|september|october|november|december)\b"
              r"|(?:jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\b\.?)")
_CORE_ANY = "(?:" + "|".join(_nogroups(p) for _, p in _CORES) + ")"
_ANCHOR = rf"(?:{_PART}{_CORE_ANY}|{_CORE_ANY})"
_FLAGS = re.IGNORECASE


class _Scan(NamedTuple):
    """A rule's regex twice: `fast` (case-sensitive, on the lower-cased text: sre rejects a branch on
    its first letter only when matching case-sensitively) finds where a phrase may start; `exact`
    (case-insensitive but for month names) confirms it there on the text as written."""
    fast: re.Pattern
    exact: re.Pattern

    def finditer(self, text: str, lowered: str):
        for m in self.fast.finditer(lowered):
            exact = self.exact.match(text, m.start())
            if exact is not None:
                yield exact


def _scan(pattern: str) -> _Scan:
    fast = pattern.replace(_MONTH, _MONTH_LOW).replace(_MONTH_FULL, _MONTH_LOW)
    return _Scan(re.compile(fast), re.compile(pattern, _FLAGS))


_CORE_RES = tuple((name, re.compile(p, _FLAGS)) for name, p in _CORES)
_WEEKDAY_RE = dict(_CORE_RES)["weekday"]
_PART_RE = re.compile(rf"(?P<part>{_PART})(?P<rest>.+)", _FLAGS | re.DOTALL)

# Pre-check and rule gates, read on the lower-cased sentence: a sentence with no anchor word (month,
# weekday, year, today/yesterday..., week/month/year) and no unit word has no time phrase; each
# rule runs only if the words it needs are there.
_MONTH_WORDS = frozenset(("january february march april may june july august september october november december "
                          "jan feb mar apr jun jul aug sep sept oct nov dec").split())
_UNIT_STEMS = ("hour", "day", "night", "week", "fortnight", "month", "year", "decade")
_ANCHOR_WORDS = _MONTH_WORDS | frozenset(_WEEKDAYS) | frozenset(
    "today tonight tomorrow yesterday overnight night morning afternoon evening week month year weekend".split())
_KEYWORD = re.compile(r"\b(?:" + "|".join(sorted(_ANCHOR_WORDS, key=len, reverse=True)) + r"|(?:19|20)\d\d)\b")


class _Res(NamedTuple):
    start: date | None
    end: date | None
    precision: str
    single: bool  # one day
    need: str  # "none" (fully written), "partial" (year or week inferred from a reference), "deictic" (from P)
    kind: str  # "day", "span" or "ongoing"


# ---------------------------------------------------------------------------------------------
# Anchors.

def _anchor(s: str, pub: date | None, ref: date | None = None, after: bool = False) -> _Res | None:
    """Read one anchor; partial dates are inferred from `ref` (default P), deictic ones from P."""
    ref = pub if ref is None else ref
    m = _PART_RE.fullmatch(s)
    if m:
        core = _core(m.group("rest"), pub, ref, after, part=True)
        if core is not None:
            return _clip(_apply_part(core, m.group("part")), pub)
    core = _core(s, pub, ref, after, part=False)
    return None if core is None else _clip(core, pub)


def _clip(res: _Res, pub: date | None) -> _Res:
    if pub and res.start and res.end and not res.single and res.start <= pub < res.end:
        return res._replace(end=pub)
    return res


def _apply_part(res: _Res, part: str) -> _Res:
    third = _PARTS[re.sub(r"^the\s+|\s+of\s*$|[-\s]+$", "", part.lower()).split()[0]]
    if res.single:
        return res
    if res.start is None:
        return res._replace(kind="span")
    s, e = res.start, res.end
    if res.precision == "year":
        s = date(s.year, (1, 5, 9)[third], 1)
        e = _month_end(s.year, (4, 8, 12)[third])
    elif res.precision == "month":
        s = date(s.year, s.month, (1, 11, 21)[third])
        e = date(s.year, s.month, 10) if third == 0 else date(s.year, s.month, 20) if third == 1 else \
            _month_end(s.year, s.month)
    elif res.precision == "week":
        s, e = s + timedelta(days=(0, 2, 4)[third]), s + timedelta(days=(1, 3, 6)[third])
    return res._replace(start=s, end=e, kind="span")


def _core(s: str, pub: date | None, ref: date | None, after: bool, part: bool) -> _Res | None:
    for name, rx in _CORE_RES:
        m = rx.fullmatch(s)
        if m:
            return _READERS[name](m, pub, ref, after, part)
    return None


def _read_date(m: re.Match, pub, ref, after, part) -> _Res:
    month = int(m.group("m")) if m.group("m").isdigit() else _month_number(m.group("m"))
    day = int(re.match(r"\d+", m.group("d")).group())
    year = m.groupdict().get("y")
    if year:
        try:
            d = date(int(year), month, day)
        except ValueError:
            return _Res(None, None, "day", True, "none", "day")
        return _Res(d, d, "day", True, "none", "day")
    d = _md(month, day, ref, after) if ref else None
    return _Res(d, d, "day", True, "partial", "day")


def _read_month_year(m, pub, ref, after, part) -> _Res:
    y, mo = int(m.group("y")), _month_number(m.group("m"))
    return _Res(date(y, mo, 1), _month_end(y, mo), "month", False, "none", "span")


def _read_relday(m, pub, ref, after, part) -> _Res:
    back = _DAYS_BACK.get(re.sub(r"\s+", " ", m.group("w").lower()), 0)  # "this morning/afternoon/evening": 0
    d = pub - timedelta(days=back) if pub else None
    return _Res(d, d, "day", True, "deictic", "day")


def _read_weekday(m, pub, ref, after, part) -> _Res:
    wd = _WEEKDAYS.index(m.group("wd").lower())
    q = (m.group("q") or "").lower()
    if q in ("last", "past"):
        base = pub
        d = base - timedelta(days=(base.weekday() - wd) % 7 or 7) if base else None
        return _Res(d, d, "day", True, "deictic", "day")
    if q == "next":
        d = pub + timedelta(days=(wd - pub.weekday()) % 7 or 7) if pub else None
        return _Res(d, d, "day", True, "deictic", "day")
    if ref is None:
        return _Res(None, None, "day", True, "partial", "day")
    d = ref + timedelta(days=(wd - ref.weekday()) % 7) if after else ref - timedelta(days=(ref.weekday() - wd) % 7)
    return _Res(d, d, "day", True, "partial", "day")


def _read_cal(m, pub, ref, after, part) -> _Res | None:
    q = re.sub(r"\s+", " ", m.group("q").lower())
    u = m.group("u").lower()
    if q == "the" and not (part or u == "weekend"):
        return None  # "the year" alone is no time
    kind = "ongoing" if q in ("this", "so far this", "the current", "the") and u != "weekend" else "span"
    if pub is None:
        return _Res(None, None, _PRECISION.get(u, "day"), False, "deictic", kind)
    shift = -1 if q == "last" else 1 if q == "next" else 0
    if u == "weekend":
        sat = pub - timedelta(days=(pub.weekday() - 5) % 7)
        if q == "last" and pub.weekday() >= 5:
            sat -= timedelta(days=7)
        if q == "next":
            sat = pub + timedelta(days=(5 - pub.weekday()) % 7 or 7)
        return _Res(sat, sat + timedelta(days=1), "day", False, "deictic", "span")
    if u == "week":
        s = pub - timedelta(days=pub.weekday()) + timedelta(weeks=shift)
        e = s + timedelta(days=6)
    elif u == "month":
        s = _add_months(date(pub.year, pub.month, 1), shift)
        e = _month_end(s.year, s.month)
    else:
        s, e = date(pub.year + shift, 1, 1), date(pub.year + shift, 12, 31)
    if q.startswith("earlier"):
        e = max(s, pub - timedelta(days=1))
    elif q.startswith("later"):
        s = min(e, pub + timedelta(days=1))
    return _Res(s, e, _PRECISION[u], False, "deictic", kind)


def _read_qmonth(m, pub, ref, after, part) -> _Res:
    q, mo = m.group("q").lower(), _month_number(m.group("m"))
    if pub is None:
        return _Res(None, None, "month", False, "deictic", "span")
    if q == "next":
        s, e = _month_span(mo, _add_months(date(pub.year, pub.month, 1), 1), True)
    elif q == "last":
        s, e = _month_span(mo, _add_months(date(pub.year, pub.month, 1), -1), False)
    else:
        s, e = _month_span(mo, pub, False)
    return _Res(s, e, "month", False, "deictic", "span")


def _read_month(m, pub, ref, after, part) -> _Res:
    mo = _month_number(m.group("m"))
    if ref is None:
        return _Res(None, None, "month", False, "partial", "span")
    s, e = _month_span(mo, ref, after)
    return _Res(s, e, "month", False, "partial", "span")


def _read_year(m, pub, ref, after, part) -> _Res:
    y = int(m.group("y"))
    return _Res(date(y, 1, 1), date(y, 12, 31), "year", False, "none", "span")


_READERS: MappingProxyType = MappingProxyType({
    "iso": _read_date, "dmy": _read_date, "mdy": _read_date, "my": _read_month_year, "relday": _read_relday,
    "weekday": _read_weekday, "cal": _read_cal, "qmonth": _read_qmonth, "month": _read_month, "year": _read_year})


def _is_weak(s: str) -> bool:
    return any(rx.fullmatch(s) for name, rx in _CORE_RES if name in _WEAK)


# ---------------------------------------------------------------------------------------------
# Rules: each turns a match into a TimeRef, or None to let other rules have the words.

def _make(text: str, s: int, e: int, kind: str, start: date | None, end: date | None, precision: str,
          single: bool) -> TimeRef:
    day = period = None
    if start is not None and end is not None:
        if single:
            day = start.isoformat()
        elif start <= end:
            period = {"start": start.isoformat(), "end": end.isoformat(), "precision": precision}
    return TimeRef(s, e, text[s:e], day, period, kind, precision)


def _word_before(text: str, pos: int) -> str:
    m = re.search(r"(\w+)\W*$", text[max(0, pos - 30):pos])
    return m.group(1).lower() if m else ""


# "on Tuesday", "in January", "3 March 2017", "this year", "since December", "as of 23 March",
# "until 5 May": one anchor with the word that introduces it. This one scan also feeds the ranges
# ("between 19 February and 23 March", "from January to March 2017", "2011-2015"): two anchors
# joined by "and", "to", "until" or a dash. A bare month or year needs a preposition (or a range).
_RX_ANCHOR = re.compile(rf"(?<!\w)(?:(?P<p>on|in|during|throughout|over|at|until|till|by|before|after|from|between"
                        rf"|since|ever\s+since|as\s+(?:of|at))\s+)?(?P<a>{_ANCHOR})", _FLAGS)
# Where an anchor phrase can start: one of these words, or a number (on the lower-cased text).
_FIRST_WORDS = _MONTH_WORDS | frozenset(_WEEKDAYS) | frozenset((
    "on in during throughout over at until till by before after from between since ever as the early late mid "
    "beginning start end middle so earlier later this last next today tonight tomorrow yesterday overnight").split())
_FIRST_AT = re.compile(r"\b(?:" + "|".join(sorted(_FIRST_WORDS, key=len, reverse=True)) + r")\b|(?<![\w,.])\d")
_INCLUDED = frozenset({"on", "in", "during", "throughout", "over", "at"})
_WEAK_OK = frozenset({"in", "during", "throughout", "until", "till", "by", "before", "after", "since",
                      "ever since", "as of", "as at"})
_JOIN = re.compile(r"\s*(?:and|to|until|till|through|thru|[-–—])\s*", _FLAGS)


def _prep(m: re.Match) -> str:
    return re.sub(r"\s+", " ", (m.group("p") or "").lower())


def _from_anchor(m: re.Match, text: str, pub: date | None) -> TimeRef | None:
    """One anchor match on its own: a date or span, "since" X, "as of" X, or a bound ("until X")."""
    a, p = m.group("a"), _prep(m)
    if p == "between":
        return None  # only in a range
    if _is_weak(a) and p not in _WEAK_OK:
        return None
    if _WEEKDAY_RE.fullmatch(a) and _word_before(text, m.start("a")) in _NOT_WEEKDAY_BEFORE:
        return None
    res = _anchor(a, pub)
    if res is None:
        return None
    if p.endswith("since"):
        start = res.start if pub and res.start and res.start <= pub else None
        return _make(text, m.start(), m.end(), "ongoing", start, pub, res.precision, False)
    if p.startswith("as "):
        return _make(text, m.start(), m.end(), "as_of", res.start, res.end, res.precision, res.single)
    kind = res.kind if p in _INCLUDED or not p else p
    return _make(text, m.start(), m.end(), kind, res.start, res.end, res.precision, res.single)


def _range(m1: re.Match, m2: re.Match, text: str, pub: date | None) -> TimeRef | None:
    """Two anchor matches that make a range, or None. The end is resolved first; a start without a
    year is the latest such date not after the end (or the year written on the start serves the end)."""
    p1, p2 = _prep(m1), _prep(m2)
    gap = text[m1.end():m2.start()]
    if p2:
        if gap.strip() or p2 not in ("until", "till"):
            return None
        join = p2
    else:
        j = _JOIN.fullmatch(gap)
        if not j:
            return None
        join = gap.strip().lower()
    if p1 not in ("", "between", "from") or (join == "and") != (p1 == "between"):
        return None
    a, b = m1.group("a"), m2.group("a")
    if not p1 and _is_weak(a) and _is_weak(b) and join not in ("-", "–", "—"):
        return None
    ra0, rb0 = _anchor(a, None), _anchor(b, None)
    if ra0 is None or rb0 is None:
        return None
    if rb0.need == "none":
        rb = rb0
        ra = _anchor(a, pub, ref=rb.end) if ra0.need == "partial" and rb.end else _anchor(a, pub)
    elif ra0.need == "none":
        ra = ra0
        rb = _anchor(b, pub, ref=ra.start, after=True) if rb0.need == "partial" else _anchor(b, pub)
    else:
        rb = _anchor(b, pub)
        ra = _anchor(a, pub, ref=rb.end) if ra0.need == "partial" and rb.end else _anchor(a, pub)
    precision = _coarser(ra.precision, rb.precision)
    ok = ra.start is not None and rb.end is not None and ra.start <= rb.end
    return _make(text, m1.start(), m2.end(), "span", ra.start if ok else None, rb.end if ok else None,
                 precision, False)


# "19-23 March", "between 20 and 25 May 2017", "March 3-5": days of one month.
_RX_DAYS_MONTH = _scan(rf"(?<!\w)(?:(?P<p>between|from)\s+)?(?P<d1>{_DAY})\s*(?P<c>and|to|until|till|through|[-–—])"
                       rf"\s*(?P<d2>{_DAY})\s+(?:of\s+)?(?P<m>{_MONTH})(?:,?\s+(?P<y>{_YEAR}))?")
_RX_MONTH_DAYS = _scan(rf"(?<!\w)(?:(?P<p>between|from)\s+)?(?P<m>{_MONTH})\s+(?P<d1>{_DAY})\s*"
                       rf"(?P<c>and|to|until|till|through|[-–—])\s*(?P<d2>{_DAY})(?:,?\s+(?P<y>{_YEAR}))?")


def _rule_day_range(m: re.Match, text: str, pub: date | None) -> TimeRef | None:
    if m.group("c").lower() == "and" and (m.group("p") or "").lower() != "between":
        return None
    d1, d2 = (int(re.match(r"\d+", m.group(g)).group()) for g in ("d1", "d2"))
    if d1 >= d2:
        return None
    end_text = f"{d2} {m.group('m')}" + (f" {m.group('y')}" if m.group("y") else "")
    res = _anchor(end_text, pub)
    start = end = None
    if res is not None and res.start is not None:
        end = res.start
        start = end.replace(day=d1)
    return _make(text, m.start(), m.end(), "span", start, end, "day", False)


# "in the last four days", "over the past two weeks", "in the past 24 hours", "the past year",
# "in the last few days": start = P - N units. "last week" without "the" or a number is the
# calendar week (the anchor rule).
_RX_ROLLING = _scan(rf"(?<!\w)(?:(?:in|over|during|within|for|throughout|across)\s+)?(?P<the>(?:the|this)\s+)?"
                    rf"(?P<w>last|past|previous|preceding)\s+(?:(?P<n>{_NUM}|{_VAGUE_NUM})\s+)?(?P<u>{_UNIT})"
                    r"(?!\s+of\b)")


def _rule_rolling(m: re.Match, text: str, pub: date | None) -> TimeRef | None:
    n_text, unit_word, w = m.group("n"), m.group("u"), m.group("w").lower()
    if w == "last" and not m.group("the") and not n_text:
        return None  # "last week": the calendar week (an anchor)
    if w in ("previous", "preceding") and not n_text and not unit_word.lower().endswith("s"):
        return None  # "the previous day": the day before some other event, not before P
    unit = _unit(unit_word)
    if n_text is None and unit_word.lower().endswith("s"):
        n = None  # "the past weeks": vague
    else:
        n = _count(n_text)
    return _span_back(m, text, pub, n, unit, "ongoing")


def _span_back(m: re.Match, text: str, pub: date | None, n: float | None, unit: str, kind: str) -> TimeRef:
    n = RECENT[unit] if n is None else n
    start = _shift(pub, -n, unit) if pub else None
    return _make(text, m.start(), m.end(), kind, start, pub, _PRECISION[unit], False)


# "in recent weeks", "over recent days": the vague spans of RECENT.
_RX_RECENT = _scan(r"(?<!\w)(?:(?:in|over|during|throughout)\s+)?(?:the\s+)?(?:most\s+)?recent\s+"
                   r"(?P<u>hours|days|weeks|months|years)(?!\w)")


def _rule_recent(m: re.Match, text: str, pub: date | None) -> TimeRef | None:
    return _span_back(m, text, pub, None, _unit(m.group("u")), "ongoing")


# "in less than three months", "in just four days", "in under 24 hours": a span that ends at P
# (a bare "in three months" is as often the future, so it is left alone).
_RX_WITHIN = _scan(rf"(?<!\w)in\s+(?:(?:less|fewer)\s+than|under|just|only|barely|little\s+more\s+than"
                   rf"|a\s+little\s+(?:more\s+than|over)|a\s+matter\s+of)\s+(?P<n>{_NUM}|an?|{_VAGUE_NUM})\s+"
                   rf"(?P<u>{_UNIT})")


def _rule_within(m: re.Match, text: str, pub: date | None) -> TimeRef | None:
    return _span_back(m, text, pub, _count(m.group("n")), _unit(m.group("u")), "ongoing")


# "nine years ago", "almost two weeks ago", "a year ago": a point N units before P.
_RX_AGO = _scan(rf"(?<!\w)(?:(?P<q>almost|nearly|about|around|some|roughly|approximately|more\s+than|over"
                rf"|less\s+than|just|only|exactly|at\s+least|barely)\s+)?(?P<n>{_NUM}|an?|{_VAGUE_NUM})\s+"
                rf"(?P<u>{_UNIT})\s+ago(?!\w)")


def _rule_ago(m: re.Match, text: str, pub: date | None) -> TimeRef | None:
    unit = _unit(m.group("u"))
    n = _count(m.group("n"))
    n = RECENT[unit] if n is None else n
    d = _shift(pub, -n, unit) if pub else None
    return _make(text, m.start(), m.end(), "ago", d, d, _PRECISION[unit], True)


_Rule = Callable[[re.Match, str, "date | None"], "TimeRef | None"]
_Gate = Callable[[str, bool, bool], bool]
# (regex, rule, gate) besides the anchor scan: the gate reads the lower-cased sentence, whether it
# names a month and whether it holds a unit word. Order breaks ties between matches of the same
# length: the first rule wins.
_RULES: tuple[tuple[_Scan, _Rule, _Gate], ...] = (
    (_RX_DAYS_MONTH, _rule_day_range, lambda low, month, unit: month),
    (_RX_MONTH_DAYS, _rule_day_range, lambda low, month, unit: month),
    (_RX_ROLLING, _rule_rolling, lambda low, month, unit: unit and (
        "last" in low or "past" in low or "previous" in low or "preceding" in low)),
    (_RX_RECENT, _rule_recent, lambda low, month, unit: unit and "recent" in low),
    (_RX_WITHIN, _rule_within, lambda low, month, unit: unit and any(w in low for w in (
        "than", "under", "just", "only", "barely", "little", "matter"))),
    (_RX_AGO, _rule_ago, lambda low, month, unit: unit and "ago" in low),
)


def find_times(text: str, published: str | None) -> list[TimeRef]:
    """Every time phrase in `text` (a sentence or clause), in order, resolved against `published`."""
    if not text:
        return []
    lowered = text.lower()
    if len(lowered) != len(text):  # a letter whose lower case is longer ("İ"): keep offsets aligned
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    keys = list(_KEYWORD.finditer(lowered))
    has_unit = any(u in lowered for u in _UNIT_STEMS)
    if not keys and not has_unit:
        return []
    pub = _parse_published(published)
    found: list[tuple[int, TimeRef]] = []
    if keys:
        raw = _anchor_matches(text, lowered, keys)
        for k, m in enumerate(raw):
            if k + 1 < len(raw):
                _add(found, 0, _range, m, raw[k + 1], text, pub)
            _add(found, len(_RULES) + 1, _from_anchor, m, text, pub)
    has_month = any(k.group() in _MONTH_WORDS for k in keys)
    for order, (rx, rule, gate) in enumerate(_RULES, 1):
        if gate(lowered, has_month, has_unit):
            for m in rx.finditer(text, lowered):
                _add(found, order, rule, m, text, pub)
    found.sort(key=lambda item: (item[1].start - item[1].end, item[0], item[1].start))
    chosen: list[TimeRef] = []
    for _, ref in found:
        if all(ref.end <= c.start or c.end <= ref.start for c in chosen):
            chosen.append(ref)
    chosen.sort(key=lambda r: r.start)
    return chosen


def _add(found: list, order: int, rule: Callable, *args) -> None:
    """Run one rule; a date off the calendar ("999 decades ago", a publication date in year 1) is no time."""
    try:
        ref = rule(*args)
    except (ValueError, OverflowError):
        return
    if ref is not None:
        found.append((order, ref))


def _anchor_matches(text: str, lowered: str, keys: list[re.Match]) -> list[re.Match]:
    """_RX_ANCHOR's matches, left to right and not overlapping (as finditer gives them), tried only
    where an anchor phrase can start (_FIRST_AT, up to 40 characters before a keyword): far
    cheaper than trying every position."""
    starts: set[int] = set()
    for key in keys:
        starts.add(key.start())
        starts.update(m.start() for m in _FIRST_AT.finditer(lowered, max(0, key.start() - 40), key.start()))
    out: list[re.Match] = []
    last = -1
    for pos in sorted(starts):
        if pos >= last:
            m = _RX_ANCHOR.match(text, pos)
            if m is not None:
                out.append(m)
                last = m.end()
    return out


def resolve_phrase(phrase: str, published: str | None) -> TimeRef | None:
    """The time phrase that `phrase` holds (the longest, if it holds several), or None."""
    refs = find_times(phrase, published)
    if not refs:
        return None
    return max(refs, key=lambda r: r.end - r.start)
