"""Reading the store back: `Store.facts` filters and `Store.counts` (the SQL; Store adds errors and schema)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, Select, func, literal, or_, select
from sqlalchemy.orm import Session

from .rows import iso_date
from .schema import ArticleRow, FactRow

Q_WORDS = 8  # words of a text search `q` that count


def fact_query(*, type: str | Iterable[str] | None = None, place: str | int | None = None, admin1: str | None = None,
               country: str | None = None, actor: str | None = None, claimant: str | None = None,
               since: Any = None, until: Any = None, min_confidence: float | None = None,
               limit: int | None = None, summaries: bool = False) -> Select:
    """The records of current articles that pass every given filter, newest first (see `Store.facts`)."""
    stmt = select(FactRow.record).where(*fact_conditions(
        type=type, place=place, admin1=admin1, country=country, actor=actor, claimant=claimant, since=since,
        until=until, min_confidence=min_confidence, summaries=summaries))
    stmt = stmt.order_by(FactRow.day.desc().nulls_last(), FactRow.article_id.desc(), FactRow.id)
    if limit is not None:
        stmt = stmt.limit(int(limit))
    return stmt


def fact_conditions(*, type: str | Iterable[str] | None = None, place: str | int | None = None,
                    admin1: str | None = None, country: str | None = None, actor: str | None = None,
                    claimant: str | None = None, since: Any = None, until: Any = None,
                    min_confidence: float | None = None, victims: str | None = None,
                    review: str | Iterable[str] | None = None, q: str | None = None, article: int | None = None,
                    summaries: bool = False) -> list[ColumnElement[bool]]:
    """WHERE clauses over facts (no join needed), one per given filter.
    `review`: states ("unreviewed" matches facts never reviewed); `q`: words the evidence contains."""
    where: list[ColumnElement[bool]] = []  # facts exist only for current versions (Store deletes the others')
    if type is not None:
        types = [type] if isinstance(type, str) else list(type)
        where.append(FactRow.type.in_(types))
    elif not summaries:
        where.append(FactRow.type != "summary")
    if place is not None:
        if isinstance(place, int) or (isinstance(place, str) and place.strip().isdigit()):
            where.append(FactRow.place_geonameid == int(place))
        else:
            where.append(func.lower(FactRow.place_name) == place.strip().lower())
    if admin1 is not None:
        where.append(func.lower(FactRow.admin1) == admin1.strip().lower())
    if country is not None:
        where.append(FactRow.country == country.strip().upper())
    if actor is not None:
        where.append(has_name(FactRow.actors, actor))
    if claimant is not None:
        where.append(has_name(FactRow.claimants, claimant))
    if since is not None:  # FactRow.day is `fact_end`, day_start `fact_start`, stored (rows.fact_derived)
        where.append(FactRow.day >= as_date(since, "since"))
    if until is not None:
        where.append(FactRow.day_start <= as_date(until, "until"))
    if min_confidence is not None:
        where.append(FactRow.confidence >= float(min_confidence))
    if victims is not None:
        where.append(func.lower(FactRow.victims) == victims.strip().lower())
    if review is not None:
        states = [review] if isinstance(review, str) else list(review)
        clause = FactRow.review_state.in_([s for s in states if s != "unreviewed"])
        where.append(or_(clause, FactRow.review_state.is_(None)) if "unreviewed" in states else clause)
    if q is not None:
        for word in q.split()[:Q_WORDS]:
            where.append(FactRow.search_text.like("%" + like_escape(word.lower()) + "%", escape="\\"))
    if article is not None:
        where.append(FactRow.article_id == int(article))
    return where


def has_name(column, name: str) -> ColumnElement[bool]:
    """Whether the ";"-joined `column` holds `name` as one of its names (case folded)."""
    pattern = "%;" + like_escape(name.strip().lower()) + ";%"
    return (literal(";") + func.lower(column) + literal(";")).like(pattern, escape="\\")


def like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def as_date(value: Any, name: str) -> dt.date:
    found = iso_date(value)
    if found is None:
        raise ValueError(f"{name}: not a date: {value!r} (expected YYYY-MM-DD)")
    return found


def counts(session: Session) -> dict[str, int]:
    """Current articles, article versions (all rows), facts (summaries aside) and article summaries."""
    def count(*where) -> int:
        return session.scalar(select(func.count()).select_from(where[0]).where(*where[1:])) or 0

    return {
        "articles": count(ArticleRow, ArticleRow.is_current),
        "versions": count(ArticleRow),
        "facts": count(FactRow, FactRow.type != "summary"),
        "summaries": count(FactRow, FactRow.type == "summary"),
    }
