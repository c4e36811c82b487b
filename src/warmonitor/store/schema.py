"""The tables: articles (every version of every article), facts (of current versions), places, actors.

Generic column types only, so that one schema runs on SQLite and PostgreSQL; `facts.record` holds the
whole record (docs/format.md) as JSON (JSON text on SQLite, `json` on PostgreSQL, key order kept). The other
fact columns are copies of record fields, there to filter and index on.

Changing a table here needs a new revision in `migrations/versions/` (`tests/test_store.py` checks that
the migrations and these models agree).
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (JSON, BigInteger, Boolean, Date, DateTime, Float, ForeignKey, Index, Integer, MetaData, Text,
                        false, func, text)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# A 64-bit key on PostgreSQL; SQLite's rowid alias must be declared INTEGER to autoincrement.
Key = BigInteger().with_variant(Integer(), "sqlite")

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class ArticleRow(Base):
    """One version of one article: `is_current` marks the latest; older versions keep text, lose facts."""

    __tablename__ = "articles"
    __table_args__ = (
        # One current version per article and per content: two writers storing the same input at once
        # cannot both make it current (Store retries the batch that loses). Migration 0003.
        Index("uq_articles_current_key", "article_key", unique=True, sqlite_where=text("is_current"),
              postgresql_where=text("is_current")),
        Index("uq_articles_current_hash", "content_hash", unique=True, sqlite_where=text("is_current"),
              postgresql_where=text("is_current")),
    )

    id: Mapped[int] = mapped_column(Key, primary_key=True, autoincrement=True)
    article_key: Mapped[str] = mapped_column(Text, index=True)  # Article.id
    content_hash: Mapped[str] = mapped_column(Text, index=True)  # sha256 hex of the repaired text
    canonical_url: Mapped[str | None] = mapped_column(Text, index=True)
    outlet: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    published: Mapped[dt.date | None] = mapped_column(Date)
    language: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)  # repaired: evidence offsets point into it
    first_seen: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    last_seen: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer, default=1)
    is_current: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    source: Mapped[str | None] = mapped_column(Text)  # where the input came from (path, feed, URL)


class FactRow(Base):
    """One record (docs/format.md) of a current article (the article's summary is a row of type "summary")."""

    __tablename__ = "facts"
    __table_args__ = (
        # Covering indexes for the dashboard (bench/api_load.py): a fact row carries its whole record, so
        # every table lookup costs; fact lists filter on type and dates and sort by day, count or confidence,
        # timelines read a measure's figures per day, article and group.
        Index("ix_facts_type_day", "type", "day", "day_start", "count_best", "confidence"),
        Index("ix_facts_day", "day", "day_start", "count_best", "confidence"),
        Index("ix_facts_measure", "type", "outcome", "day", "count_best", "article_id", "span_days", "review_state",
              "admin1", "country"),
        Index("ix_facts_admin1_folded", func.lower(text("admin1"))),
        Index("ix_facts_reviewed", "review_state", sqlite_where=text("review_state IS NOT NULL"),
              postgresql_where=text("review_state IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(Key, primary_key=True, autoincrement=True)
    article_id: Mapped[int] = mapped_column(Key, ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    type: Mapped[str] = mapped_column(Text)
    count_low: Mapped[int | None] = mapped_column(BigInteger)
    count_best: Mapped[int | None] = mapped_column(BigInteger, index=True)
    count_high: Mapped[int | None] = mapped_column(BigInteger)
    qualifier: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(Text)
    victims: Mapped[str | None] = mapped_column(Text)
    date: Mapped[dt.date | None] = mapped_column(Date)
    period_start: Mapped[dt.date | None] = mapped_column(Date)
    period_end: Mapped[dt.date | None] = mapped_column(Date)
    place_name: Mapped[str | None] = mapped_column(Text)
    place_geonameid: Mapped[int | None] = mapped_column(BigInteger)
    admin1: Mapped[str | None] = mapped_column(Text)
    country: Mapped[str | None] = mapped_column(Text, index=True)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    # ";"-joined names, searched as "one of the names" (store.query.has_name), which no B-tree index serves.
    actors: Mapped[str | None] = mapped_column(Text)  # perpetrators / actor / speaker
    claimants: Mapped[str | None] = mapped_column(Text)  # claimed_by
    confidence: Mapped[float | None] = mapped_column(Float, index=True)
    rule: Mapped[str | None] = mapped_column(Text)
    extractor_version: Mapped[str | None] = mapped_column(Text)
    evidence_start: Mapped[int | None] = mapped_column(Integer)
    evidence_end: Mapped[int | None] = mapped_column(Integer)
    record: Mapped[dict[str, Any]] = mapped_column(JSON)  # with any analyst correction applied
    # Which fact this is across re-extractions (rows.fact_keys): reviews attach to it, not to `id`.
    fact_key: Mapped[str | None] = mapped_column(Text)  # found through article_id, needs no index of its own
    review_state: Mapped[str | None] = mapped_column(Text)  # None: unreviewed (partial index: reviewed only)
    # rows.fact_derived: the sort key and timeline bucket, where the fact's span starts, its length, its
    # evidence folded for text search.
    day: Mapped[dt.date | None] = mapped_column(Date)
    day_start: Mapped[dt.date | None] = mapped_column(Date)
    span_days: Mapped[int | None] = mapped_column(Integer)
    search_text: Mapped[str | None] = mapped_column(Text)


class ReviewRow(Base):
    """One analyst decision on one fact (the audit trail: rows are only ever added).

    Tied to the fact's `fact_key` and article key, so that it is applied again when the article is
    re-extracted (`warmonitor reprocess`) or stored again as a new version with the same fact."""

    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(Key, primary_key=True, autoincrement=True)
    fact_key: Mapped[str] = mapped_column(Text, index=True)
    article_key: Mapped[str] = mapped_column(Text, index=True)
    action: Mapped[str] = mapped_column(Text)  # confirm | reject | correct
    changes: Mapped[dict[str, Any]] = mapped_column(JSON)  # field -> new value (normalised; {} unless correct)
    original: Mapped[dict[str, Any]] = mapped_column(JSON)  # field -> value before this review
    reason: Mapped[str] = mapped_column(Text)
    user_name: Mapped[str] = mapped_column(Text, index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    evidence_text: Mapped[str | None] = mapped_column(Text)  # what the analyst saw, should the fact vanish


class UserRow(Base):
    """An account: `role` is viewer (may read), analyst (may also review) or admin; passwords as argon2 hashes."""

    __tablename__ = "users"

    name: Mapped[str] = mapped_column(Text, primary_key=True)
    password_hash: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)


class TokenRow(Base):
    """An API token for scripts: only its sha256 is kept; the token is shown once when made. Every token
    expires (`expires_at`, migration 0004); a revoked token's row is deleted."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Key, primary_key=True, autoincrement=True)
    token_hash: Mapped[str] = mapped_column(Text, unique=True)
    user_name: Mapped[str] = mapped_column(Text, ForeignKey("users.name", ondelete="CASCADE"), index=True)
    label: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class LoginFailureRow(Base):
    """One failed login (`serve/login_limits.py`): by the name tried, whether or not such a user exists (so
    that a lock says nothing of which names are accounts), and by the client's address. In the database so
    that every server process sees the same counts; rows older than the counting window are deleted."""

    __tablename__ = "login_failures"
    __table_args__ = (
        Index("ix_login_failures_name_at", "user_name", "at"),
        Index("ix_login_failures_address_at", "address", "at"),
    )

    id: Mapped[int] = mapped_column(Key, primary_key=True, autoincrement=True)
    user_name: Mapped[str] = mapped_column(Text)
    address: Mapped[str] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class SessionRow(Base):
    """A browser login: the cookie holds the token, the table its sha256 and the session's CSRF token."""

    __tablename__ = "sessions"

    token_hash: Mapped[str] = mapped_column(Text, primary_key=True)
    user_name: Mapped[str] = mapped_column(Text, ForeignKey("users.name", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class StateRow(Base):
    """Counters of the store: `facts` goes up with every transaction that changes facts or reviews, so a
    server can keep computed answers (aggregates, the map) until it moves (`bump_facts_version`)."""

    __tablename__ = "store_state"

    name: Mapped[str] = mapped_column(Text, primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


class PlaceRow(Base):
    """A gazetteer place that some fact names (first seen wins)."""

    __tablename__ = "places"

    geonameid: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    name: Mapped[str | None] = mapped_column(Text)
    admin1: Mapped[str | None] = mapped_column(Text)
    country: Mapped[str | None] = mapped_column(Text)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)


class ActorRow(Base):
    """An actor or claimant name that some fact names, with its type from data/actors.jsonl (None if unknown)."""

    __tablename__ = "actors"

    name: Mapped[str] = mapped_column(Text, primary_key=True)
    type: Mapped[str | None] = mapped_column(Text)


# -- incidents (migration 0005): linking's output, rebuilt from the facts whenever `warmonitor link` runs --


class IncidentRow(Base):
    """One incident (docs/format.md, "Incident records"): one event however many articles report it.

    `record` is the whole record as linking made it; the other columns copy its fields to filter and sort
    on. `day`/`day_start` are the span it is filed under, as for facts (rows.fact_derived): its date, else
    its period, else its earliest report's publication day. Rows are derived data: `warmonitor link
    --rebuild` makes them all again from the facts and the analysts' decisions."""

    __tablename__ = "incidents"
    __table_args__ = (
        Index("ix_incidents_day", "day", "day_start"),
        Index("ix_incidents_kind_day", "kind", "day"),
        Index("ix_incidents_country_admin1", "country", "admin1"),
        Index("ix_incidents_admin1_folded", func.lower(text("admin1"))),
        Index("ix_incidents_place_folded", func.lower(text("place_name"))),
        # the hidden incidents, few: counting the listed ones is all less these (migration 0008)
        Index("ix_incidents_hidden", "id", sqlite_where=text("hidden"), postgresql_where=text("hidden")),
    )

    id: Mapped[str] = mapped_column(Text, primary_key=True)
    kind: Mapped[str | None] = mapped_column(Text)
    date: Mapped[dt.date | None] = mapped_column(Date)
    period_start: Mapped[dt.date | None] = mapped_column(Date)
    period_end: Mapped[dt.date | None] = mapped_column(Date)
    day: Mapped[dt.date | None] = mapped_column(Date)
    day_start: Mapped[dt.date | None] = mapped_column(Date)
    country: Mapped[str | None] = mapped_column(Text)
    admin1: Mapped[str | None] = mapped_column(Text)
    place_name: Mapped[str | None] = mapped_column(Text)
    place_geonameid: Mapped[int | None] = mapped_column(BigInteger)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    status: Mapped[str | None] = mapped_column(Text, index=True)
    killed_low: Mapped[int | None] = mapped_column(BigInteger)
    killed_best: Mapped[int | None] = mapped_column(BigInteger)
    killed_high: Mapped[int | None] = mapped_column(BigInteger)
    injured_best: Mapped[int | None] = mapped_column(BigInteger)
    sources: Mapped[int] = mapped_column(Integer, default=1)
    independent_sources: Mapped[int] = mapped_column(Integer, default=1)
    # no event fact among its reports (fact-less reports, quotes, situation figures): kept so that later
    # reports of the event can join it, never listed, counted or exported (store/incident_filters.py)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    record: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))  # when its record last changed


class IncidentFactRow(Base):
    """One fact of one incident, with why it was linked (`score`, `reasons`: the evidence that agreed).

    Facts are replaced when their article is re-extracted or stored as a new version; the store then
    drops the incidents they were in (store/incidents.py, `forget_links`) so that the next `link` builds
    them again; ON DELETE CASCADE is the safety net for any other deletion. A fact in no incident stays
    reachable from its article (`facts.article_id`): linking never removes a fact."""

    __tablename__ = "incident_facts"

    incident_id: Mapped[str] = mapped_column(Text, ForeignKey("incidents.id", ondelete="CASCADE"), primary_key=True)
    fact_id: Mapped[int] = mapped_column(Key, ForeignKey("facts.id", ondelete="CASCADE"), primary_key=True,
                                         index=True)
    article_id: Mapped[int] = mapped_column(Key, ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    score: Mapped[float | None] = mapped_column(Float)
    reasons: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    opened: Mapped[bool] = mapped_column(Boolean, default=False)  # these facts opened the incident


class IncidentArticleRow(Base):
    """An article of an incident (its record's `articles`), with or without facts in it. Membership is kept
    per article, not only through `incident_facts`, because an article without facts (a headline, a
    short update) is a member too: an incremental run replays an incident's articles from here, so none
    drops out when the incident is linked again."""

    __tablename__ = "incident_articles"

    incident_id: Mapped[str] = mapped_column(Text, ForeignKey("incidents.id", ondelete="CASCADE"), primary_key=True)
    article_id: Mapped[int] = mapped_column(Key, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True,
                                            index=True)


class IncidentKeyRow(Base):
    """A key an incident is filed under in the linker's candidate index (`Linker.keys`: a place, lead term,
    rare word or named person, with the event day it holds for, `ANY_DAY` for keys of any day). An
    incremental run looks the keys of its new articles up here (`Linker.lookup_keys`) and replays only the
    incidents found, as a full run would have compared them, never all the incidents of a window."""

    __tablename__ = "incident_keys"
    __table_args__ = (Index("ix_incident_keys_key_day", "key", "day"),)

    incident_id: Mapped[str] = mapped_column(Text, ForeignKey("incidents.id", ondelete="CASCADE"), primary_key=True)
    key: Mapped[str] = mapped_column(Text, primary_key=True)
    day: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)  # date ordinal, or ANY_DAY


class LinkRefusalRow(Base):
    """A close call linking did not make (an article's facts kept out of an incident), listed by
    `warmonitor link --refusals` so that an analyst can overrule it with a merge."""

    __tablename__ = "link_refusals"

    incident_id: Mapped[str] = mapped_column(Text, ForeignKey("incidents.id", ondelete="CASCADE"), primary_key=True)
    article_id: Mapped[int] = mapped_column(Key, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True,
                                            index=True)
    score: Mapped[float | None] = mapped_column(Float)
    reasons: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class LinkedArticleRow(Base):
    """A current article version linking has seen: incremental `warmonitor link` (and ingest) links the
    others. Gone with the article's facts (new version, reprocess) or an analyst's decision about it,
    so that it is linked again."""

    __tablename__ = "linked_articles"

    article_id: Mapped[int] = mapped_column(Key, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True,
                                            autoincrement=False)
    linked_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class LinkSummaryRow(Base):
    """A linked article's comparison summary (link/summary.py: its mentions as linking compares them, and
    its MinHash values), so that an incremental run replays stored reports without splitting them again.
    Used only while `digest` matches the article, its facts and the linking settings; written when an
    article is linked (and by `link --rebuild` for articles that have none). Migration 0008."""

    __tablename__ = "link_summaries"

    article_id: Mapped[int] = mapped_column(Key, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True,
                                            autoincrement=False)
    digest: Mapped[str] = mapped_column(Text)
    summary: Mapped[dict[str, Any]] = mapped_column(JSON)


class IncidentDecisionRow(Base):
    """An analyst's merge or split (the audit trail: rows are only ever added). Replayed as a
    `link.model.Constraint` on every linking run, so `link --rebuild` and `reprocess` keep it. Tied to
    article keys, which survive new versions and re-extraction, not to incident ids."""

    __tablename__ = "incident_decisions"

    id: Mapped[int] = mapped_column(Key, primary_key=True, autoincrement=True)
    action: Mapped[str] = mapped_column(Text)  # merge | split
    articles: Mapped[list[str]] = mapped_column(JSON)  # article keys
    reason: Mapped[str] = mapped_column(Text)
    user_name: Mapped[str | None] = mapped_column(Text)  # who decided ("by"; named as reviews.user_name)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
