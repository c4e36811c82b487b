"""Calendar arithmetic for `dates.py`: shifting dates by units, month spans, counts.

Kept apart so the phrase rules in `dates.py` read as rules; nothing here knows about text.
"""
from __future__ import annotations

import calendar
import re
from collections.abc import Mapping
from datetime import date, timedelta

_PRECISION_ORDER = ("day", "week", "month", "year")
_VAGUE = frozenset({"few", "several", "many"})


def _parse_published(published: str | None) -> date | None:
    if not published:
        return None
    try:
        return date.fromisoformat(str(published).strip()[:10])
    except ValueError:
        return None


def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _add_months(d: date, n: int) -> date:
    k = d.year * 12 + d.month - 1 + n
    y, m = divmod(k, 12)
    return date(y, m + 1, min(d.day, calendar.monthrange(y, m + 1)[1]))


def _shift(d: date, n: float, unit: str) -> date:
    """d moved by n units (n < 0: back); hours round up to whole days."""
    sign = -1 if n < 0 else 1
    n = abs(n)
    if unit == "hour":
        return d + timedelta(days=sign * -(-n // 24))
    if unit in ("day", "night"):
        return d + timedelta(days=sign * round(n))
    if unit in ("week", "fortnight"):
        return d + timedelta(days=sign * round(n * (14 if unit == "fortnight" else 7)))
    months = round(n * {"month": 1, "year": 12, "decade": 120}[unit])
    return _add_months(d, sign * months)


def _month_number(word: str, month_keys: tuple[str, ...]) -> int:
    """A month's number from its name or abbreviation; `month_keys` are the months' first three letters."""
    return month_keys.index(word.lower().rstrip(".")[:3]) + 1


def _md(month: int, day: int, ref: date, after: bool) -> date | None:
    """The latest (month, day) not after ref, or with `after` the first not before it."""
    step = 1 if after else -1
    for k in range(9):
        try:
            d = date(ref.year + step * k, month, day)
        except ValueError:
            continue
        if (d >= ref) if after else (d <= ref):
            return d
    return None


def _month_span(month: int, ref: date, after: bool) -> tuple[date, date]:
    """The latest month that has begun by ref, or with `after` the first that ends on or after it."""
    if after:
        y = ref.year if month >= ref.month else ref.year + 1
    else:
        y = ref.year if month <= ref.month else ref.year - 1
    return date(y, month, 1), _month_end(y, month)


def _coarser(a: str, b: str) -> str:
    return a if _PRECISION_ORDER.index(a) >= _PRECISION_ORDER.index(b) else b


def _unit(word: str) -> str:
    word = word.lower()
    return word[:-1] if word.endswith("s") else word


def _count(words: str | None, number_words: Mapping[str, int]) -> float | None:
    """"four" -> 4, "24" -> 24, "twenty-four" -> 24, "a" -> 1, "a couple of" -> 2; vague -> None."""
    if words is None:
        return 1
    parts = [w for w in re.split(r"[-\s]+", words.lower()) if w not in ("of",)]
    if any(w in _VAGUE for w in parts):
        return None
    if parts and parts[0] == "a" and len(parts) > 1:
        parts = parts[1:]
    total = 0.0
    for w in parts:
        if w.replace(".", "", 1).isdigit():
            total += float(w)
        elif w in number_words:
            total += number_words[w]
        else:
            return None
    return total


