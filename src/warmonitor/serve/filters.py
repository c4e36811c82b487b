"""The filters every list, aggregate, map and export endpoint takes, checked before any SQL is built.

The query parameters, their checks and the `Filters` they give come from the filters' one definition
(`store.fact_filters.FACT_FILTERS`): each filter's `reads` picks how its value is read here. Values are
bounded (lengths, numbers, dates) and free of control characters, so that hostile input is a 422 with a
message, never a database error; all of them reach SQL as bound parameters (`store.query`).
"""
from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType
from typing import Any, Literal

from fastapi import HTTPException, Query
from sqlalchemy import ColumnElement

from .. import facttypes
from ..store.fact_filters import FACT_FILTERS, FILTER_NAMES, MAX_TEXT
from ..store.query import fact_conditions

__all__ = ["MAX_TEXT", "READERS", "Filters", "ReviewState", "filters"]

ReviewState = Literal["unreviewed", "confirmed", "corrected", "rejected"]


def _text(name: str, value: str | None) -> str | None:
    if value is None:
        return None
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise HTTPException(422, f"{name}: control characters are not allowed")
    value = value.strip()
    return value or None


def _day(name: str, value: str | None) -> dt.date | None:
    value = _text(name, value)
    if value is None:
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise HTTPException(422, f"{name}: not a date: {value[:40]!r} (expected YYYY-MM-DD)") from None
    return day


def _types(name: str, value: list[str] | None) -> list[str] | None:
    if not value:
        return None
    types = [t.strip().lower() for t in value if t and t.strip()]
    known = (*facttypes.fact_type_names(), "summary")
    unknown = [t for t in types if t not in known]
    if unknown:
        raise HTTPException(422, f"{name}: unknown {unknown[0][:30]!r}; expected one of {', '.join(known)}")
    return types or None


def _states(_name: str, value: list[str] | None) -> list[str] | None:
    return list(value) if value else None


def _as_given(_name: str, value: Any) -> Any:
    return value  # a number FastAPI has checked against the filter's bounds


# Per `FactFilter.reads`: the query parameter's type, and how its value is read and checked.
READERS: Mapping[str, tuple[Any, Callable[[str, Any], Any]]] = MappingProxyType({
    "types": (list[str] | None, _types),
    "day": (str | None, _day),
    "text": (str | None, _text),
    "states": (list[ReviewState] | None, _states),
    "number": (float | None, _as_given),
    "id": (int | None, _as_given),
})


class Filters:
    """One request's filter values, None where not given: an attribute per `FACT_FILTERS` entry."""

    __slots__ = FILTER_NAMES

    def __init__(self, **values: Any) -> None:
        unknown = set(values) - set(FILTER_NAMES)
        if unknown:
            raise TypeError(f"unknown filter {sorted(unknown)[0]!r}")
        for name in FILTER_NAMES:
            setattr(self, name, values.get(name))

    def __repr__(self) -> str:
        given = ", ".join(f"{name}={getattr(self, name)!r}" for name in FILTER_NAMES if getattr(self, name) is not None)
        return f"Filters({given})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Filters) and self.arguments() == other.arguments()

    def arguments(self, *, default_review: Sequence[str] | None = None) -> dict[str, Any]:
        """The filters as `store.query.fact_conditions` and `FactSnapshot.mask` take them.
        `default_review` applies when no review filter was given."""
        values = {name: getattr(self, name) for name in FILTER_NAMES}
        return {**values, "review": values["review"] or default_review}

    def conditions(self, *, default_review: Sequence[str] | None = None) -> list[ColumnElement[bool]]:
        """WHERE clauses over facts (no join needed)."""
        return fact_conditions(**self.arguments(default_review=default_review))

    def query_args(self) -> dict[str, Any]:
        """The filters as query-string arguments (for links)."""
        out: dict[str, Any] = {}
        for name in FILTER_NAMES:
            value = getattr(self, name)
            if value is not None:
                out[name] = [str(v) for v in value] if isinstance(value, list) else str(value)
        return out


def _filters_dependency() -> Callable[..., Filters]:
    """The FastAPI dependency that reads `Filters` from the query string: one query parameter per filter,
    declared by `FACT_FILTERS` and typed and read by `READERS`."""

    def filters(**given: Any) -> Filters:
        found = Filters(**{f.name: READERS[f.reads][1](f.name, given[f.name]) for f in FACT_FILTERS})
        if found.since and found.until and found.since > found.until:
            raise HTTPException(422, "since is after until")
        return found

    filters.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [inspect.Parameter(f.name, inspect.Parameter.KEYWORD_ONLY, default=Query(None, **f.query),
                           annotation=READERS[f.reads][0]) for f in FACT_FILTERS],
        return_annotation=Filters)
    return filters


filters = _filters_dependency()
