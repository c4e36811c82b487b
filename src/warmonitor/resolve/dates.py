"""Time phrases in news text, resolved against the article's publication date.

`TimeFinder().find(text, published)` (or `find_times(text, published)`) returns every time phrase of a
sentence (or clause) as a `TimeRef`, in text order, with its character offsets; `resolve_phrase(phrase,
published)` reads one phrase. The finder holds the words of the grammar (data/words/calendar.toml and
time_words.toml); build one and keep it.

A phrase resolves to `date` (one ISO day: "on Tuesday", "yesterday", "on 3 March", "nine years ago")
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
"the nine-year war"), counts that look like years ("2000 people"), holiday names ("Good Friday") but those
of a fixed day (time_words.toml [fixed_holidays]: "on New Year's Eve", "on Christmas Day").
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
from ..data_files import load_toml, load_word_table, load_words
from .calendar_math import (_add_months, _coarser, _count, _md, _month_end, _month_number, _month_span,
                            _parse_published, _shift, _unit)

__all__ = ["TimeRef", "TimeFinder", "find_times", "resolve_phrase", "RECENT"]


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
# A sentence holding none of these (nor an anchor word) holds no time phrase.
_UNIT_STEMS = tuple(RECENT)
# Words a span's count may be besides the cardinals of numbers.toml ("a year ago", "a couple of weeks").
_COUNT_WORDS = MappingProxyType({"a": 1, "an": 1, "couple": 2, "dozen": 12})

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


class _Res(NamedTuple):
    start: date | None
    end: date | None
    precision: str
    single: bool  # one day
    need: str  # "none" (fully written), "partial" (year or week inferred from a reference), "deictic" (from P)
    kind: str  # "day", "span" or "ongoing"


def _clip(res: _Res, pub: date | None) -> _Res:
    if pub and res.start and res.end and not res.single and res.start <= pub < res.end:
        return res._replace(end=pub)
    return res


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
_JOIN = re.compile(r"\s*(?:and|to|until|till|through|thru|[-–—])\s*", _FLAGS)


def _prep(m: re.Match) -> str:
    return re.sub(r"\s+", " ", (m.group("p") or "").lower())


# "19-23 March", "between 20 and 25 May 2017", "March 3-5": days of one month.
_RX_DAYS_MONTH = _scan(rf"(?<!\w)(?:(?P<p>between|from)\s+)?(?P<d1>{_DAY})\s*(?P<c>and|to|until|till|through|[-–—])"
                       rf"\s*(?P<d2>{_DAY})\s+(?:of\s+)?(?P<m>{_MONTH})(?:,?\s+(?P<y>{_YEAR}))?")
_RX_MONTH_DAYS = _scan(rf"(?<!\w)(?:(?P<p>between|from)\s+)?(?P<m>{_MONTH})\s+(?P<d1>{_DAY})\s*"
                       rf"(?P<c>and|to|until|till|through|[-–—])\s*(?P<d2>{_DAY})(?:,?\s+(?P<y>{_YEAR}))?")


# "in the last four days", "over the past two weeks", "in the past 24 hours", "the past year",
# "in the last few days": start = P - N units. "last week" without "the" or a number is the
# calendar week (the anchor rule).
_RX_ROLLING = _scan(rf"(?<!\w)(?:(?:in|over|during|within|for|throughout|across)\s+)?(?P<the>(?:the|this)\s+)?"
                    rf"(?P<w>last|past|previous|preceding)\s+(?:(?P<n>{_NUM}|{_VAGUE_NUM})\s+)?(?P<u>{_UNIT})"
                    r"(?!\s+of\b)")


# "in recent weeks", "over recent days": the vague spans of RECENT.
_RX_RECENT = _scan(r"(?<!\w)(?:(?:in|over|during|throughout)\s+)?(?:the\s+)?(?:most\s+)?recent\s+"
                   r"(?P<u>hours|days|weeks|months|years)(?!\w)")


# "in less than three months", "in just four days", "in under 24 hours": a span that ends at P
# (a bare "in three months" is as often the future, so it is left alone).
_RX_WITHIN = _scan(rf"(?<!\w)in\s+(?:(?:less|fewer)\s+than|under|just|only|barely|little\s+more\s+than"
                   rf"|a\s+little\s+(?:more\s+than|over)|a\s+matter\s+of)\s+(?P<n>{_NUM}|an?|{_VAGUE_NUM})\s+"
                   rf"(?P<u>{_UNIT})")


# "nine years ago", "almost two weeks ago", "a year ago": a point N units before P.
_RX_AGO = _scan(rf"(?<!\w)(?:(?P<q>almost|nearly|about|around|some|roughly|approximately|more\s+than|over"
                rf"|less\s+than|just|only|exactly|at\s+least|barely)\s+)?(?P<n>{_NUM}|an?|{_VAGUE_NUM})\s+"
                rf"(?P<u>{_UNIT})\s+ago(?!\w)")


_Rule = Callable[[re.Match, str, "date | None"], "TimeRef | None"]
_Gate = Callable[[str, bool, bool], bool]


def _add(found: list, order: int, rule: Callable, *args) -> None:
    """Run one rule; a date off the calendar ("999 decades ago", a publication date in year 1) is no time."""
    try:
        ref = rule(*args)
    except (ValueError, OverflowError):
        return
    if ref is not None:
        found.append((order, ref))


class TimeFinder:
    """The time-phrase grammar with its words (data/words/calendar.toml and time_words.toml): built
    once per pipeline, it holds the word sets and the two scans made from them; nothing per call."""

    def __init__(self) -> None:
        words = load_words
        months, weekdays = words("calendar", "months"), words("calendar", "weekdays")
        self._weekdays = weekdays  # a weekday's place in the list is its date.weekday()
        self._month_keys = tuple(month[:3] for month in months)  # "Sept.", "september" -> "sep"
        self._month_words = frozenset(months) | frozenset(words("calendar", "month_abbreviations"))
        # the cardinals of numbers.toml, and the words a span's count may be besides ("a year", "a couple of")
        self._number_words = MappingProxyType({**load_toml("numbers.toml")["words"], **_COUNT_WORDS})
        self._not_weekday_before = frozenset(words("time_words", "not_weekday_before"))
        self._days_back = MappingProxyType(load_word_table("time_words", "days_back"))
        self._parts = MappingProxyType(load_word_table("time_words", "parts"))
        self._inside = frozenset(words("time_words", "inside"))
        self._before_bare = frozenset(words("time_words", "before_bare_month_or_year"))
        calendar_words = self._month_words | frozenset(weekdays)
        # Pre-check: a sentence with no anchor word (month, weekday, year, today/yesterday...,
        # week/month/year) and no unit word has no time phrase.
        anchor_words = calendar_words | frozenset(words("time_words", "anchor_words"))
        self._keyword = re.compile(r"\b(?:" + "|".join(sorted(anchor_words, key=len, reverse=True))
                                   + r"|(?:19|20)\d\d)\b")
        # Where an anchor phrase can start: one of these words, or a number (on the lower-cased text).
        first_words = calendar_words | frozenset(words("time_words", "phrase_starts"))
        self._first_at = re.compile(r"\b(?:" + "|".join(sorted(first_words, key=len, reverse=True))
                                    + r")\b|(?<![\w,.])\d")
        self._readers: MappingProxyType = MappingProxyType({
            "iso": self._read_date, "dmy": self._read_date, "mdy": self._read_date, "my": self._read_month_year,
            "relday": self._read_relday, "weekday": self._read_weekday, "cal": self._read_cal,
            "qmonth": self._read_qmonth, "month": self._read_month, "year": self._read_year})
        holidays = load_word_table("time_words", "fixed_holidays")
        self._holidays = MappingProxyType({_fold_apostrophe(k): (int(v[0]), int(v[1])) for k, v in holidays.items()})
        names = "|".join(re.escape(k).replace("'", "['’]?") for k in sorted(holidays, key=len, reverse=True))
        rx_holiday = _scan(rf"(?<!\w)(?:(?:on|during|over)\s+)?(?:the\s+)?(?P<h>{names})(?!\w)")
        holiday_words = tuple({k.split()[0].split("'")[0] for k in holidays})
        within = tuple(words("time_words", "within"))
        # (regex, rule, gate) besides the anchor scan: the gate reads the lower-cased sentence, whether it
        # names a month and whether it holds a unit word. Order breaks ties between matches of the same
        # length: the first rule wins.
        self._rules: tuple[tuple[_Scan, _Rule, _Gate], ...] = (
            (_RX_DAYS_MONTH, self._rule_day_range, lambda low, month, unit: month),
            (_RX_MONTH_DAYS, self._rule_day_range, lambda low, month, unit: month),
            (_RX_ROLLING, self._rule_rolling, lambda low, month, unit: unit and (
                "last" in low or "past" in low or "previous" in low or "preceding" in low)),
            (_RX_RECENT, self._rule_recent, lambda low, month, unit: unit and "recent" in low),
            (_RX_WITHIN, self._rule_within, lambda low, month, unit: unit and any(w in low for w in within)),
            (_RX_AGO, self._rule_ago, lambda low, month, unit: unit and "ago" in low),
            (rx_holiday, self._rule_holiday, lambda low, month, unit: any(w in low for w in holiday_words)),
        )
        self._holiday_words = holiday_words

    # ---------------------------------------------------------------------------------------------
    # Anchors.

    def _anchor(self, s: str, pub: date | None, ref: date | None = None, after: bool = False) -> _Res | None:
        """Read one anchor; partial dates are inferred from `ref` (default P), deictic ones from P."""
        ref = pub if ref is None else ref
        m = _PART_RE.fullmatch(s)
        if m:
            core = self._core(m.group("rest"), pub, ref, after, part=True)
            if core is not None:
                return _clip(self._apply_part(core, m.group("part")), pub)
        core = self._core(s, pub, ref, after, part=False)
        return None if core is None else _clip(core, pub)

    def _apply_part(self, res: _Res, part: str) -> _Res:
        third = self._parts[re.sub(r"^the\s+|\s+of\s*$|[-\s]+$", "", part.lower()).split()[0]]
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

    def _core(self, s: str, pub: date | None, ref: date | None, after: bool, part: bool) -> _Res | None:
        for name, rx in _CORE_RES:
            m = rx.fullmatch(s)
            if m:
                return self._readers[name](m, pub, ref, after, part)
        return None

    def _read_date(self, m: re.Match, pub, ref, after, part) -> _Res:
        month = int(m.group("m")) if m.group("m").isdigit() else _month_number(m.group("m"), self._month_keys)
        day = int(re.match(r"\d+", m.group("d")).group())
        year = m.groupdict().get("y")
        if year:
            try:
                d = date(int(year), month, day)
            except ValueError:
                return _Res(None, None, "day", True, "none", "day")
            return _Res(d, d, "day", True, "none", "day")
        d = _md(month, day, ref, after) if ref else None
        wd = m.groupdict().get("wd")
        if d is not None and wd:
            d = self._weekday_year(d, self._weekdays.index(wd.lower()), after)
        return _Res(d, d, "day", True, "partial", "day")

    @staticmethod
    def _weekday_year(d: date, weekday: int, after: bool) -> date:
        """A day and month written with its weekday but no year ("Saturday, 12 September") is in the
        nearest year, going away from the reference, whose calendar agrees with the weekday: a report
        in January 2017 recalling "Saturday, Sept. 12" means 2015. Looked for up to two years further,
        as reports give the year for anything older; else the nearest year as without the weekday."""
        step = 1 if after else -1
        for k in range(3):
            try:
                c = d.replace(year=d.year + step * k)
            except ValueError:
                continue
            if c.weekday() == weekday:
                return c
        return d

    def _read_month_year(self, m, pub, ref, after, part) -> _Res:
        y, mo = int(m.group("y")), _month_number(m.group("m"), self._month_keys)
        return _Res(date(y, mo, 1), _month_end(y, mo), "month", False, "none", "span")

    def _read_relday(self, m, pub, ref, after, part) -> _Res:
        back = self._days_back.get(re.sub(r"\s+", " ", m.group("w").lower()), 0)  # "this morning/afternoon/evening": 0
        d = pub - timedelta(days=back) if pub else None
        return _Res(d, d, "day", True, "deictic", "day")

    def _read_weekday(self, m, pub, ref, after, part) -> _Res:
        wd = self._weekdays.index(m.group("wd").lower())
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

    def _read_cal(self, m, pub, ref, after, part) -> _Res | None:
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

    def _read_qmonth(self, m, pub, ref, after, part) -> _Res:
        q, mo = m.group("q").lower(), _month_number(m.group("m"), self._month_keys)
        if pub is None:
            return _Res(None, None, "month", False, "deictic", "span")
        if q == "next":
            s, e = _month_span(mo, _add_months(date(pub.year, pub.month, 1), 1), True)
        elif q == "last":
            s, e = _month_span(mo, _add_months(date(pub.year, pub.month, 1), -1), False)
        else:
            s, e = _month_span(mo, pub, False)
        return _Res(s, e, "month", False, "deictic", "span")

    def _read_month(self, m, pub, ref, after, part) -> _Res:
        mo = _month_number(m.group("m"), self._month_keys)
        if ref is None:
            return _Res(None, None, "month", False, "partial", "span")
        s, e = _month_span(mo, ref, after)
        return _Res(s, e, "month", False, "partial", "span")

    def _read_year(self, m, pub, ref, after, part) -> _Res:
        y = int(m.group("y"))
        return _Res(date(y, 1, 1), date(y, 12, 31), "year", False, "none", "span")

    def _from_anchor(self, m: re.Match, text: str, pub: date | None) -> TimeRef | None:
        """One anchor match on its own: a date or span, "since" X, "as of" X, or a bound ("until X")."""
        a, p = m.group("a"), _prep(m)
        if p == "between":
            return None  # only in a range
        if _is_weak(a) and p not in self._before_bare:
            return None
        if _WEEKDAY_RE.fullmatch(a) and _word_before(text, m.start("a")) in self._not_weekday_before:
            return None
        res = self._anchor(a, pub)
        if res is None:
            return None
        if p.endswith("since"):
            start = res.start if pub and res.start and res.start <= pub else None
            return _make(text, m.start(), m.end(), "ongoing", start, pub, res.precision, False)
        if p.startswith("as "):
            return _make(text, m.start(), m.end(), "as_of", res.start, res.end, res.precision, res.single)
        kind = res.kind if p in self._inside or not p else p
        return _make(text, m.start(), m.end(), kind, res.start, res.end, res.precision, res.single)

    def _range(self, m1: re.Match, m2: re.Match, text: str, pub: date | None) -> TimeRef | None:
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
        ra0, rb0 = self._anchor(a, None), self._anchor(b, None)
        if ra0 is None or rb0 is None:
            return None
        if rb0.need == "none":
            rb = rb0
            ra = self._anchor(a, pub, ref=rb.end) if ra0.need == "partial" and rb.end else self._anchor(a, pub)
        elif ra0.need == "none":
            ra = ra0
            rb = self._anchor(b, pub, ref=ra.start, after=True) if rb0.need == "partial" else self._anchor(b, pub)
        else:
            rb = self._anchor(b, pub)
            ra = self._anchor(a, pub, ref=rb.end) if ra0.need == "partial" and rb.end else self._anchor(a, pub)
        precision = _coarser(ra.precision, rb.precision)
        ok = ra.start is not None and rb.end is not None and ra.start <= rb.end
        return _make(text, m1.start(), m2.end(), "span", ra.start if ok else None, rb.end if ok else None,
                     precision, False)

    def _rule_day_range(self, m: re.Match, text: str, pub: date | None) -> TimeRef | None:
        if m.group("c").lower() == "and" and (m.group("p") or "").lower() != "between":
            return None
        d1, d2 = (int(re.match(r"\d+", m.group(g)).group()) for g in ("d1", "d2"))
        if d1 >= d2:
            return None
        end_text = f"{d2} {m.group('m')}" + (f" {m.group('y')}" if m.group("y") else "")
        res = self._anchor(end_text, pub)
        start = end = None
        if res is not None and res.start is not None:
            end = res.start
            start = end.replace(day=d1)
        return _make(text, m.start(), m.end(), "span", start, end, "day", False)

    def _rule_rolling(self, m: re.Match, text: str, pub: date | None) -> TimeRef | None:
        n_text, unit_word, w = m.group("n"), m.group("u"), m.group("w").lower()
        if w == "last" and not m.group("the") and not n_text:
            return None  # "last week": the calendar week (an anchor)
        if w in ("previous", "preceding") and not n_text and not unit_word.lower().endswith("s"):
            return None  # "the previous day": the day before some other event, not before P
        unit = _unit(unit_word)
        if n_text is None and unit_word.lower().endswith("s"):
            n = None  # "the past weeks": vague
        else:
            n = _count(n_text, self._number_words)
        return self._span_back(m, text, pub, n, unit, "ongoing")

    def _span_back(self, m: re.Match, text: str, pub: date | None, n: float | None, unit: str, kind: str) -> TimeRef:
        n = RECENT[unit] if n is None else n
        start = _shift(pub, -n, unit) if pub else None
        return _make(text, m.start(), m.end(), kind, start, pub, _PRECISION[unit], False)

    def _rule_recent(self, m: re.Match, text: str, pub: date | None) -> TimeRef | None:
        return self._span_back(m, text, pub, None, _unit(m.group("u")), "ongoing")

    def _rule_within(self, m: re.Match, text: str, pub: date | None) -> TimeRef | None:
        return self._span_back(m, text, pub, _count(m.group("n"), self._number_words), _unit(m.group("u")), "ongoing")

    def _rule_holiday(self, m: re.Match, text: str, pub: date | None) -> TimeRef | None:
        """"on New Year's Eve", "on Christmas Day": the latest such day not after P."""
        month, day = self._holidays[_fold_apostrophe(m.group("h").lower())]
        d = _md(month, day, pub, False) if pub else None
        return _make(text, m.start(), m.end(), "day", d, d, "day", True)

    def _rule_ago(self, m: re.Match, text: str, pub: date | None) -> TimeRef | None:
        unit = _unit(m.group("u"))
        n = _count(m.group("n"), self._number_words)
        n = RECENT[unit] if n is None else n
        d = _shift(pub, -n, unit) if pub else None
        return _make(text, m.start(), m.end(), "ago", d, d, _PRECISION[unit], True)

    def find(self, text: str, published: str | None) -> list[TimeRef]:
        """Every time phrase in `text` (a sentence or clause), in order, resolved against `published`."""
        if not text:
            return []
        lowered = text.lower()
        if len(lowered) != len(text):  # a letter whose lower case is longer ("İ"): keep offsets aligned
            lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
        keys = list(self._keyword.finditer(lowered))
        has_unit = any(u in lowered for u in _UNIT_STEMS)
        if not keys and not has_unit and not any(w in lowered for w in self._holiday_words):
            return []
        pub = _parse_published(published)
        found: list[tuple[int, TimeRef]] = []
        if keys:
            raw = self._anchor_matches(text, lowered, keys)
            for k, m in enumerate(raw):
                if k + 1 < len(raw):
                    _add(found, 0, self._range, m, raw[k + 1], text, pub)
                _add(found, len(self._rules) + 1, self._from_anchor, m, text, pub)
        has_month = any(k.group() in self._month_words for k in keys)
        for order, (rx, rule, gate) in enumerate(self._rules, 1):
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

    def _anchor_matches(self, text: str, lowered: str, keys: list[re.Match]) -> list[re.Match]:
        """_RX_ANCHOR's matches, left to right and not overlapping (as finditer gives them), tried only
        where an anchor phrase can start (`_first_at`, up to 40 characters before a keyword): far
        cheaper than trying every position."""
        starts: set[int] = set()
        for key in keys:
            starts.add(key.start())
            starts.update(m.start() for m in self._first_at.finditer(lowered, max(0, key.start() - 40), key.start()))
        out: list[re.Match] = []
        last = -1
        for pos in sorted(starts):
            if pos >= last:
                m = _RX_ANCHOR.match(text, pos)
                if m is not None:
                    out.append(m)
                    last = m.end()
        return out

    def resolve(self, phrase: str, published: str | None) -> TimeRef | None:
        """The time phrase that `phrase` holds (the longest, if it holds several), or None."""
        refs = self.find(phrase, published)
        if not refs:
            return None
        return max(refs, key=lambda r: r.end - r.start)


def _fold_apostrophe(name: str) -> str:
    """"new year’s eve", "new years eve" -> "new year's eve": the key of the holiday table."""
    return re.sub(r"(\w)['’]?s\b", r"\1's", name) if re.search(r"years?['’]?s?\b", name) else name


def find_times(text: str, published: str | None, finder: TimeFinder | None = None) -> list[TimeRef]:
    """Every time phrase in `text` (a sentence or clause), in order, resolved against `published`.
    Without a `finder` one is built for the call (about 10 ms): hold one to read many texts, as the
    pipeline's `Resources` does."""
    return (finder or TimeFinder()).find(text, published)


def resolve_phrase(phrase: str, published: str | None, finder: TimeFinder | None = None) -> TimeRef | None:
    """The time phrase that `phrase` holds (the longest, if it holds several), or None."""
    return (finder or TimeFinder()).resolve(phrase, published)
