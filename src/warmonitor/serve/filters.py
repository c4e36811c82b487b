"""The filters every list, aggregate, map and export endpoint takes, checked before any SQL is built.

Values are bounded (lengths, numbers, dates) and free of control characters, so that hostile input is a
422 with a message, never a database error; all of them reach SQL as bound parameters (`store.query`).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from fastapi import HTTPException, Query
from sqlalchemy import ColumnElement

from .. import facttypes
from ..store.query import fact_conditions

ReviewState = Literal["unreviewed", "confirmed", "corrected", "rejected"]
MAX_TEXT = 200


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


@dataclass
class Filters:
    type: list[str] | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    place: str | None = None
    admin1: str | None = None
    country: str | None = None
    actor: str | None = None
    claimant: str | None = None
    victims: str | None = None
    min_confidence: float | None = None
    review: list[str] | None = None
    q: str | None = None
    article: int | None = None

    def arguments(self, *, default_review: list[str] | None = None) -> dict[str, Any]:
        """The filters as `store.query.fact_conditions` and `FactSnapshot.mask` take them.
        `default_review` applies when no review filter was given."""
        return {**self.__dict__, "review": self.review or default_review}

    def conditions(self, *, default_review: list[str] | None = None) -> list[ColumnElement[bool]]:
        """WHERE clauses over facts (no join needed)."""
        return fact_conditions(**self.arguments(default_review=default_review))

    def query_args(self) -> dict[str, Any]:
        """The filters as query-string arguments (for links)."""
        out: dict[str, Any] = {}
        for key, value in self.__dict__.items():
            if value is not None:
                out[key] = [str(v) for v in value] if isinstance(value, list) else str(value)
        return out


def filters(
    type: list[str] | None = Query(None, description="Fact type; repeat for several", max_length=20),
    since: str | None = Query(None, max_length=40, description="YYYY-MM-DD"),
    until: str | None = Query(None, max_length=40, description="YYYY-MM-DD"),
    place: str | None = Query(None, max_length=MAX_TEXT, description="Place name or GeoNames id"),
    admin1: str | None = Query(None, max_length=MAX_TEXT),
    country: str | None = Query(None, max_length=3, description="ISO 3166-1 alpha-2"),
    actor: str | None = Query(None, max_length=MAX_TEXT),
    claimant: str | None = Query(None, max_length=MAX_TEXT),
    victims: str | None = Query(None, max_length=60),
    min_confidence: float | None = Query(None, ge=0, le=1),
    review: list[ReviewState] | None = Query(None, description="Review state; repeat for several"),
    q: str | None = Query(None, max_length=MAX_TEXT, description="Words the evidence contains"),
    article: int | None = Query(None, ge=1, le=2**62),
) -> Filters:
    types = None
    if type:
        types = [t.strip().lower() for t in type if t and t.strip()]
        known = (*facttypes.fact_type_names(), "summary")
        unknown = [t for t in types if t not in known]
        if unknown:
            raise HTTPException(422, f"type: unknown {unknown[0][:30]!r}; expected one of {', '.join(known)}")
    found = Filters(type=types or None, since=_day("since", since), until=_day("until", until),
                    place=_text("place", place), admin1=_text("admin1", admin1), country=_text("country", country),
                    actor=_text("actor", actor), claimant=_text("claimant", claimant),
                    victims=_text("victims", victims), min_confidence=min_confidence,
                    review=list(review) if review else None, q=_text("q", q), article=article)
    if found.since and found.until and found.since > found.until:
        raise HTTPException(422, "since is after until")
    return found
