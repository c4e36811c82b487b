"""The filters over stored facts, each defined once: its name, how the API reads its value, and its test.

A filter's test is written against `FactTests`, a handful of comparisons on the fact table's columns
(equal, folded equal, one of the ";"-joined names, at least, ...). The SQL (`store.query.SqlTests`) and the
server's in-memory arrays (`serve.snapshot.ArrayTests`) each implement those comparisons once, and every
filter reaches both through `fact_tests`; the API's query parameters and their checks come from the same
declarations (`serve.filters`). A new filter is one more `FactFilter` in `FACT_FILTERS`: it cannot be
added to one path and not the other (tests/test_serve_snapshot.py compares the paths on every filter).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Protocol, TypeVar

from .rows import iso_date

Q_WORDS = 8  # words of a text search `q` that count
MAX_TEXT = 200  # the longest name or text a filter takes
READS = ("types", "day", "text", "states", "number", "id")  # how the API reads a value (serve.filters)

Test = TypeVar("Test")


class FactTests(Protocol[Test]):
    """The comparisons filters are written in, on columns of the fact table (`schema.FactRow` names).
    A NULL value never passes a test, unless `one_of(..., or_null=True)`."""

    def equal(self, column: str, value: Any) -> Test: ...

    def not_equal(self, column: str, value: Any) -> Test: ...

    def one_of(self, column: str, values: Sequence[Any], *, or_null: bool = False) -> Test: ...

    def equal_folded(self, column: str, folded: str) -> Test:
        """The value, lower-cased, is `folded`."""

    def has_name(self, column: str, name: str) -> Test:
        """The ";"-joined names, lower-cased, hold `name` (folded) as one of them."""

    def at_least(self, column: str, value: Any) -> Test: ...

    def at_most(self, column: str, value: Any) -> Test: ...

    def contains(self, column: str, word: str) -> Test:
        """The text holds `word` (folded) anywhere."""


@dataclass(frozen=True)
class FactFilter:
    """One filter. `reads` says how the API reads and checks the value (one of `READS`), `query` holds the
    query parameter's bounds and description (`fastapi.Query`'s keywords); `test` gives the tests a value
    stands for, `when_absent` the tests that apply when no value is given (unless summaries are asked for)."""

    name: str
    reads: str
    test: Callable[[FactTests, Any], list]
    query: Mapping[str, Any] = field(default_factory=dict)
    when_absent: Callable[[FactTests], list] | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "query", MappingProxyType(dict(self.query)))


def as_date(value: Any, name: str) -> dt.date:
    found = iso_date(value)
    if found is None:
        raise ValueError(f"{name}: not a date: {value!r} (expected YYYY-MM-DD)")
    return found


def _listed(value: str | Iterable[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def _place(tests: FactTests, place: str | int) -> list:
    if isinstance(place, int) or place.strip().isdigit():
        return [tests.equal("place_geonameid", int(place))]
    return [tests.equal_folded("place_name", place.strip().lower())]


def _review(tests: FactTests, review: str | Iterable[str]) -> list:
    """"unreviewed" is a fact never reviewed: its state is NULL."""
    states = _listed(review)
    return [tests.one_of("review_state", [s for s in states if s != "unreviewed"], or_null="unreviewed" in states)]


# In the API's order (the order of the query parameters and of their checks). `since`/`until`: the fact's
# span (`day_start` to `day`, rows.fact_derived) overlaps them; an undated fact never passes.
FACT_FILTERS = (
    FactFilter("type", "types", lambda t, v: [t.one_of("type", _listed(v))],
               {"description": "Fact type; repeat for several", "max_length": 20},
               when_absent=lambda t: [t.not_equal("type", "summary")]),
    FactFilter("since", "day", lambda t, v: [t.at_least("day", as_date(v, "since"))],
               {"max_length": 40, "description": "YYYY-MM-DD"}),
    FactFilter("until", "day", lambda t, v: [t.at_most("day_start", as_date(v, "until"))],
               {"max_length": 40, "description": "YYYY-MM-DD"}),
    FactFilter("place", "text", _place, {"max_length": MAX_TEXT, "description": "Place name or GeoNames id"}),
    FactFilter("admin1", "text", lambda t, v: [t.equal_folded("admin1", v.strip().lower())],
               {"max_length": MAX_TEXT}),
    FactFilter("country", "text", lambda t, v: [t.equal("country", v.strip().upper())],
               {"max_length": 3, "description": "ISO 3166-1 alpha-2"}),
    FactFilter("actor", "text", lambda t, v: [t.has_name("actors", v.strip().lower())], {"max_length": MAX_TEXT}),
    FactFilter("claimant", "text", lambda t, v: [t.has_name("claimants", v.strip().lower())],
               {"max_length": MAX_TEXT}),
    FactFilter("victims", "text", lambda t, v: [t.equal_folded("victims", v.strip().lower())], {"max_length": 60}),
    FactFilter("min_confidence", "number", lambda t, v: [t.at_least("confidence", float(v))], {"ge": 0, "le": 1}),
    FactFilter("review", "states", _review, {"description": "Review state; repeat for several"}),
    FactFilter("q", "text", lambda t, v: [t.contains("search_text", word.lower()) for word in v.split()[:Q_WORDS]],
               {"max_length": MAX_TEXT, "description": "Words the evidence contains"}),
    FactFilter("article", "id", lambda t, v: [t.equal("article_id", int(v))], {"ge": 1, "le": 2**62}),
)
FILTER_NAMES = tuple(f.name for f in FACT_FILTERS)


def fact_tests(tests: FactTests[Test], values: Mapping[str, Any], *, summaries: bool = False) -> list[Test]:
    """The tests of every filter given a value in `values` (None: not given), in `tests`' terms; with
    `summaries`, the articles' summary records are not left out when no type is given."""
    unknown = set(values) - set(FILTER_NAMES)
    if unknown:
        raise TypeError(f"unknown fact filter {sorted(unknown)[0]!r}; expected one of {', '.join(FILTER_NAMES)}")
    found: list[Test] = []
    for fact_filter in FACT_FILTERS:
        value = values.get(fact_filter.name)
        if value is not None:
            found += fact_filter.test(tests, value)
        elif fact_filter.when_absent is not None and not summaries:
            found += fact_filter.when_absent(tests)
    return found
