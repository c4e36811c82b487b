"""Reading the store back: `Store.facts` filters and `Store.counts` (the SQL; Store adds errors and schema).

The filters themselves are declared in `fact_filters`; `SqlTests` is their SQL, as `serve.snapshot.ArrayTests`
is their in-memory arrays.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, func, literal, or_, select
from sqlalchemy.orm import Session

from .fact_filters import Q_WORDS, as_date, fact_tests
from .schema import ArticleRow, FactRow

__all__ = ["Q_WORDS", "SqlTests", "as_date", "counts", "fact_conditions", "fact_query", "has_name", "like_escape"]


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


def fact_conditions(*, summaries: bool = False, **values: Any) -> list[ColumnElement[bool]]:
    """WHERE clauses over facts (no join needed) for the filters given a value (`fact_filters.FACT_FILTERS`:
    type, since, until, place, admin1, country, actor, claimant, victims, min_confidence, review, q,
    article); an unknown name is a TypeError. Facts exist only for current versions (Store deletes the
    others')."""
    return fact_tests(SqlTests(), values, summaries=summaries)


class SqlTests:
    """`fact_filters.FactTests` as SQL over `FactRow`; every value reaches the database as a bound parameter."""

    def equal(self, column: str, value: Any) -> ColumnElement[bool]:
        return getattr(FactRow, column) == value

    def not_equal(self, column: str, value: Any) -> ColumnElement[bool]:
        return getattr(FactRow, column) != value

    def one_of(self, column: str, values: Sequence[Any], *, or_null: bool = False) -> ColumnElement[bool]:
        found = getattr(FactRow, column)
        clause = found.in_(list(values))
        return or_(clause, found.is_(None)) if or_null else clause

    def equal_folded(self, column: str, folded: str) -> ColumnElement[bool]:
        return func.lower(getattr(FactRow, column)) == folded

    def has_name(self, column: str, name: str) -> ColumnElement[bool]:
        return has_name(getattr(FactRow, column), name)

    def at_least(self, column: str, value: Any) -> ColumnElement[bool]:
        return getattr(FactRow, column) >= value

    def at_most(self, column: str, value: Any) -> ColumnElement[bool]:
        return getattr(FactRow, column) <= value

    def contains(self, column: str, word: str) -> ColumnElement[bool]:
        return getattr(FactRow, column).like("%" + like_escape(word) + "%", escape="\\")


def has_name(column, name: str) -> ColumnElement[bool]:
    """Whether the ";"-joined `column` holds `name` as one of its names (case folded)."""
    pattern = "%;" + like_escape(name.strip().lower()) + ";%"
    return (literal(";") + func.lower(column) + literal(";")).like(pattern, escape="\\")


def like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


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
