"""`Store`: extraction results kept in a database (SQLite or PostgreSQL), versioned by content.

An article is identified by the sha256 of its repaired text (`content_hash`), its key (`Article.id`) and
its canonical URL. Saving content already stored as a current article is "unchanged" (last_seen moves on);
new content under a stored key or canonical URL, or the stored content with corrected metadata
(versions.py), is a new version (the old row stays, no longer current, and loses its facts; the new one
keeps the stored value of each field its input lacks); anything else is "new". Facts belong to current
versions only.

A database found damaged (health.py: the driver says so, or `PRAGMA quick_check` does after an error
it does not explain) is never written again by this `Store`: every later write raises `DatabaseDamaged`.

Several writers may save at once (two `ingest` runs over the same input): the schema allows one current
version per article key and per content hash, and a batch that loses that race is written again.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from concurrent.futures import Future, ThreadPoolExecutor, wait

from sqlalchemy import delete, exists, or_, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session, defer

from ..model import MAX_PLAUSIBLE_COUNT, Article, ArticleResult, ReadError
from . import engine as db
from .bulk import insert_missing, insert_rows
from .engine import StoreError, masked
from .errors import DatabaseDamaged, header_problem
from .health import DatabaseHealth
from .incidents import IncidentStore, forget_links
from .query import counts as count_rows
from .query import fact_query
from .review import bump_facts_version, reapply_reviews
from .rows import (STORED_COLUMNS, canonical_url, content_hash, iso_date, looks_like_url, place_row,
                   record_actor_types, record_places, refused_figures, stored_values)
from .schema import ActorRow, ArticleRow, FactRow, PlaceRow
from .versions import Prior, StoredMetadata, changed_fields, is_same_article, merged, prior_of

log = logging.getLogger(__name__)
WRITE_ATTEMPTS = 5  # concurrent writers storing the same articles: each retry finds more of them stored
SEEN_CHUNK = 500  # content hashes per UPDATE of last_seen (SQLite allows 32,766 parameters, old ones 999)
CURRENT_INDEXES = ("uq_articles_current_key", "uq_articles_current_hash")


def is_current_conflict(exc: IntegrityError) -> bool:
    """Whether a write failed because another writer made one of these articles current first."""
    message = str(getattr(exc, "orig", exc))
    return any(name in message for name in CURRENT_INDEXES) or (
        "UNIQUE constraint failed: articles." in message)  # SQLite names the columns, not the index


@dataclass
class SaveSummary:
    """What `Store.save` did; `facts_stored` counts fact records, the articles' summaries aside."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (source, reason)
    facts_stored: int = 0
    # (source, what): figures stored without their count columns (`rows.refused_figures`), the article kept
    figures_left_out: list[tuple[str, str]] = field(default_factory=list)

    def __str__(self) -> str:
        n = len(self.figures_left_out)
        left_out = f", {n} implausible figure{'s' * (n != 1)} left out of the counts" if n else ""
        return (f"{self.new} new, {self.updated} updated, {self.unchanged} unchanged, {len(self.skipped)} skipped "
                f"articles; {self.facts_stored} facts stored{left_out}")


@dataclass
class _Incoming:
    """One result, checked and turned into rows before the database is touched."""

    result: ArticleResult
    key: str
    hash: str
    url: str | None
    facts: list[tuple]  # rows.FACT_COLUMNS cells and the fact key
    records: list[dict[str, Any]]
    extractor_version: str


class Store(IncidentStore):
    """Extraction results in a database. `url`: a SQLAlchemy URL or a SQLite file path; None reads
    $WARMONITOR_DB, else uses sqlite:///warmonitor.db. Connects at once: an unreachable database is a
    `StoreError` here, and so is a SQLite file that does not exist when `create` is False (commands
    that only read: a mistyped path must not become a new, empty database). Run `upgrade()` once before the first save (it is cheap and idempotent).

    A SQLite file that does not start with SQLite's header is refused here (`DatabaseDamaged`): one read;
    its pages are checked only after an error the driver does not explain (health.py says why)."""

    def __init__(self, url: str | None = None, *, create: bool = True) -> None:
        self.url = db.resolve_url(url)
        refused = header_problem(self.url)
        if refused is not None:
            raise refused
        self.engine = db.make_engine(self.url, create=create)
        self._schema_ok = False
        self._health = DatabaseHealth(self.url, self.engine)
        # Place ids and actor names this Store has seen committed: later batches skip them (each batch
        # re-offering every known name cost more than its facts' insert).
        self._known_places: set[Any] = set()
        self._known_names: set[str] = set()
        try:
            with self.engine.connect() as connection:
                connection.exec_driver_sql("SELECT 1")
        except SQLAlchemyError as exc:
            self.engine.dispose()
            raise self.explain(exc, "connect to") from exc

    def __repr__(self) -> str:
        return f"Store({masked(self.url)!r})"

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    def close(self) -> None:
        self.engine.dispose()

    # -- failures ----------------------------------------------------------------------------------

    @property
    def damage(self) -> DatabaseDamaged | None:
        """The error that found the database damaged, or None while it is not known to be."""
        return self._health.damage

    def driver_errors(self) -> tuple[type[BaseException], ...]:
        """What a failing database raises (`DatabaseHealth.driver_errors`)."""
        return self._health.driver_errors()

    def explain(self, exc: BaseException, doing: str = "use") -> StoreError:
        """`exc`, a database failure, as the `StoreError` a user reads; a damaged database is remembered
        and written no more (`DatabaseHealth.explain`)."""
        return self._health.explain(exc, doing)

    def _writable(self) -> None:
        self._health.refuse_writes_if_damaged()

    # -- schema ------------------------------------------------------------------------------------

    def upgrade(self) -> None:
        """Create or migrate the tables to the newest revision (a no-op when they are there)."""
        self._writable()
        with self._errors("upgrade"):
            db.upgrade(self.engine)
        self._schema_ok = True

    def revision(self) -> str | None:
        """The schema revision the database is at (None: no warmonitor tables)."""
        with self._errors("read"), self.engine.connect() as connection:
            return db.current_revision(connection)

    def _ready(self) -> None:
        if self._schema_ok:
            return
        found, head = self.revision(), db.head_revision()
        if found != head:
            state = "has no warmonitor tables" if found is None else f"is at schema revision {found}"
            raise StoreError(f"database {masked(self.url)} {state}, this warmonitor needs {head}: "
                             "upgrade it first (Store.upgrade)")
        self._schema_ok = True

    @contextmanager
    def _errors(self, doing: str, passing: type[Exception] | None = None) -> Iterator[None]:
        """Database errors, SQLAlchemy's and the driver's own, as one-line `StoreError`s (`explain`), but
        for `passing`, which the caller handles."""
        try:
            yield
        except self.driver_errors() as exc:
            if passing is not None and isinstance(exc, passing):
                raise
            raise self.explain(exc, doing) from exc

    # -- writing -----------------------------------------------------------------------------------

    def save(self, results: Iterable[ArticleResult | ReadError], *, extractor_version: str, url: str | None = None,
             batch_size: int = 500, on_saved: Callable[[], None] | None = None) -> SaveSummary:
        """Store results (a `ReadError` among them is listed as skipped); `url` stands in for the URL of
        articles that have none. One transaction per `batch_size` articles: when the input fails midway
        (the exception goes on to the caller) the batches before it are kept. `on_saved()` runs after
        each batch that stored something commits, on the writer thread (ingest links the batch there,
        while the next one is extracted); its exception stops the input as a write error does.

        Each batch is turned into rows in the caller's thread and written by one writer thread, at most
        one batch in flight, committed in order: the database's work and round trips overlap with the
        caller producing the next batch (extraction) instead of adding to it."""
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self._ready()
        self._writable()
        summary = SaveSummary()
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="warmonitor-store") as writer:
            in_flight: Future | None = None
            batch: list[ArticleResult] = []
            try:
                for item in results:
                    if isinstance(item, ReadError):
                        summary.skipped.append((item.source, item.message))
                        continue
                    batch.append(item)
                    if len(batch) >= batch_size:
                        incoming = self._prepare_batch(batch, extractor_version, url, summary)
                        batch = []
                        if in_flight is not None:
                            in_flight.result()  # its error stops the input here
                        in_flight = writer.submit(self._write_batch, incoming, summary, on_saved)
                if batch:
                    incoming = self._prepare_batch(batch, extractor_version, url, summary)
                    if in_flight is not None:
                        in_flight.result()
                    in_flight = writer.submit(self._write_batch, incoming, summary, on_saved)
            except BaseException:
                if in_flight is not None:
                    wait([in_flight])  # the batch in flight commits (or fails) before the error goes on
                raise
            if in_flight is not None:
                in_flight.result()
        if summary.new or summary.updated:
            self.analyze()
        return summary

    def analyze(self) -> None:
        """Refresh the planner's statistics. Without them SQLite walks the wrong index for filtered,
        sorted fact lists (bench/api_load.py: 99 -> 23 ms for a country + type filter sorted by count);
        `analysis_limit` keeps it to a fraction of a second on large files."""
        self._writable()
        with self._errors("analyze"), self.engine.begin() as connection:
            if connection.dialect.name == "sqlite":
                connection.exec_driver_sql("PRAGMA analysis_limit=2000")
                connection.exec_driver_sql("ANALYZE")
            elif connection.dialect.name == "postgresql":
                connection.exec_driver_sql("ANALYZE facts")

    def _prepare_batch(self, batch: list[ArticleResult], extractor_version: str, url: str | None,
                       summary: SaveSummary) -> list[_Incoming]:
        return [p for p in (self._prepare(r, extractor_version, url, summary) for r in batch) if p]

    def _write_batch(self, incoming: list[_Incoming], summary: SaveSummary,
                     on_saved: Callable[[], None] | None = None) -> None:
        """One batch in one transaction. Runs on the writer thread: while it waits for the database
        (COPY, index upkeep, commit), the caller's thread extracts the next batch.

        Another process may store the same article between this batch's look-up and its commit; the
        schema then refuses a second current version (the unique indexes on current rows) and the batch
        is written again, finding that article stored. Counts reach `summary` only once a try commits."""
        if not incoming:
            return
        for attempt in range(1, WRITE_ATTEMPTS + 1):
            self._writable()  # the batch before may have found the database damaged
            done = SaveSummary()
            try:
                offered = self._write_batch_once(incoming, done)
            except IntegrityError as exc:
                if attempt == WRITE_ATTEMPTS or not is_current_conflict(exc):
                    raise self.explain(exc, "write to") from exc
                log.info("another writer stored some of these articles first; writing the batch again")
                continue
            summary.new += done.new
            summary.updated += done.updated
            summary.unchanged += done.unchanged
            summary.facts_stored += done.facts_stored
            self._remember(offered)
            if on_saved is not None and (done.new or done.updated):
                on_saved()
            return

    def _write_batch_once(self, incoming: list[_Incoming], summary: SaveSummary) -> tuple[set, set]:
        now = dt.datetime.now(dt.timezone.utc)
        with self._errors("write to", passing=IntegrityError), Session(self.engine, expire_on_commit=False) as session, \
                session.begin():
            hashes, keys = {p.hash for p in incoming}, {p.key for p in incoming}
            urls = {p.url for p in incoming if p.url}
            match = [ArticleRow.content_hash.in_(hashes), ArticleRow.article_key.in_(keys)]
            if urls:
                match.append(ArticleRow.canonical_url.in_(urls))
            current = session.scalars(select(ArticleRow).options(defer(ArticleRow.text))
                                      .where(ArticleRow.is_current, or_(*match))).all()
            by_hash = {row.content_hash: row for row in current}
            by_key = {row.article_key: row for row in current}
            by_url = {row.canonical_url: row for row in current if row.canonical_url}
            pending: dict[ArticleRow, _Incoming] = {}  # rows added in this batch -> their facts
            stale: list[int] = []  # stored rows whose facts go
            for item in incoming:
                row = by_hash.get(item.hash)
                if row is not None and not self._corrects(row, item):
                    row.last_seen = now
                    summary.unchanged += 1
                    continue
                olds = [r for r in dict.fromkeys((by_key.get(item.key), by_url.get(item.url or ""),
                                                  row)) if r is not None]
                for old in olds:
                    old.is_current = False
                    for index, value in ((by_hash, old.content_hash), (by_key, old.article_key),
                                         (by_url, old.canonical_url)):
                        if index.get(value) is old:
                            del index[value]
                    if pending.pop(old, None) is None:
                        stale.append(old.id)
                self._fill_in(item, olds[0] if olds else None)
                row = self._article_row(item, now, max((o.version for o in olds), default=0) + 1)
                session.add(row)
                pending[row] = item
                by_hash[item.hash], by_key[item.key] = row, row
                if item.url:
                    by_url[item.url] = row
                if olds:
                    summary.updated += 1
                else:
                    summary.new += 1
            if stale:
                forget_links(session, stale)
                session.execute(delete(FactRow).where(FactRow.article_id.in_(stale)),
                                execution_options={"synchronize_session": False})
            session.flush()  # ids for the new rows
            offered = self._insert_facts(session, [(row.id, item.facts, item.records)
                                                   for row, item in pending.items()])
            reapply_reviews(session, [row.id for row in pending])
            if pending or stale:
                bump_facts_version(session)
            summary.facts_stored += sum(len(item.records) - 1 for item in pending.values())  # less the summary
        return offered

    def _prepare(self, result: ArticleResult, extractor_version: str, url: str | None,
                 summary: SaveSummary) -> _Incoming | None:
        article = result.article
        where = article.source or article.id or article.url or url or "?"
        try:
            if not (result.text or "").strip():
                summary.skipped.append((where, "empty text: nothing to store"))
                return None
            found_url = canonical_url(article.url or url)
            hash_ = content_hash(result.text)
            key = article.id or found_url or hash_
            records = result.records()
            facts = stored_values(records, extractor_version, article.published)
            for number, record in enumerate(records, 1):
                if refused := refused_figures(record):
                    what = (f"fact {number}: count {', '.join(refused)} is no plausible count (0 to "
                            f"{MAX_PLAUSIBLE_COUNT:,}): left out of the count columns (the record keeps what JSON holds)")
                    log.warning("%s: %s", where, what)
                    summary.figures_left_out.append((where, what))
            return _Incoming(result, key, hash_, found_url, facts, records, extractor_version)
        except Exception as exc:  # a malformed result costs that article, never the batch
            summary.skipped.append((where, f"could not be stored ({type(exc).__name__}: {exc})"))
            return None

    @staticmethod
    def _corrects(row: ArticleRow, item: _Incoming) -> bool:
        """Whether `item`, whose text `row` holds, is the same article with metadata that corrects row's."""
        stored = StoredMetadata.of(row)
        return (is_same_article(stored, item.key, item.url)
                and bool(changed_fields(item.result.article, stored, item.url)))

    @staticmethod
    def _fill_in(item: _Incoming, old: ArticleRow | None) -> None:
        """A new version keeps the stored value of each metadata field its input lacks (versions.py);
        the facts' days are derived again when the publication day so filled in is another."""
        if old is None:
            return
        article = item.result.article
        filled = merged(article, StoredMetadata.of(old))
        if filled is article:
            return
        item.result = dataclasses.replace(item.result, article=filled)
        if item.url is None and filled.url:
            item.url = filled.url
        if filled.published != article.published:
            item.facts = stored_values(item.records, item.extractor_version, filled.published)

    @staticmethod
    def _article_row(item: _Incoming, now: dt.datetime, version: int) -> ArticleRow:
        article = item.result.article
        return ArticleRow(article_key=item.key, content_hash=item.hash, canonical_url=item.url, outlet=article.outlet,
                          title=article.title, published=iso_date(article.published), language=article.language,
                          text=item.result.text, first_seen=now, last_seen=now, version=version, is_current=True,
                          source=article.source or None)

    def _insert_facts(self, session: Session,
                      articles: list[tuple[int, list[tuple], list[dict[str, Any]]]]) -> None:
        """Facts in bulk, and the places and actor names they mention where not yet known. `articles`:
        (article id, its `fact_values` rows with the fact key, its records). Returns the place ids and
        names offered, to be marked known once the transaction commits (`_remember`)."""
        rows = [(article_id, *values) for article_id, facts, _ in articles for values in facts]
        if not rows:
            return set(), set()
        insert_rows(session.connection(), FactRow.__table__.name, STORED_COLUMNS, rows)
        places = {}
        for _, _, records in articles:
            for record in records:
                for place in record_places(record):
                    if place.get("geonameid") not in self._known_places:
                        found = place_row(place)
                        places.setdefault(found["geonameid"], found)
        actors_at, claimants_at = STORED_COLUMNS.index("actors"), STORED_COLUMNS.index("claimants")
        names = {n for row in rows for column in (actors_at, claimants_at) for n in (row[column] or "").split(";") if n}
        names -= self._known_names
        # Types as extraction wrote them on the facts (a summary's perpetrators are its facts'); a name
        # no record types (unknown to actors.jsonl, or only in records stored before) gets None.
        kinds: dict[str, str | None] = {}
        for _, _, records in articles:
            for record in records:
                for name, kind in record_actor_types(record).items():
                    if kinds.get(name) is None:
                        kinds[name] = kind
        insert_missing(session, PlaceRow, list(places.values()))
        insert_missing(session, ActorRow, [{"name": n, "type": kinds.get(n)} for n in sorted(names)])
        return set(places), names

    def _remember(self, offered: tuple[set, set]) -> None:
        self._known_places |= offered[0]
        self._known_names |= offered[1]

    def reprocess(self, pipeline, *, extractor_version: str, batch_size: int = 50,
                  progress: Callable[[int, int], None] | None = None,
                  on_error: Callable[[ReadError], None] | None = None) -> int:
        """Extract every current article again from its stored text (no refetch), replacing its facts;
        returns how many were re-extracted. `progress(done, total)` after each article; an article that
        fails keeps its facts and goes to `on_error` (default: a logged warning)."""
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self._ready()
        self._writable()
        with self._errors("read"), Session(self.engine) as session:
            total = count_rows(session)["articles"]
        done = stored = 0
        last_id = 0
        while True:
            with self._errors("read"), Session(self.engine, expire_on_commit=False) as session:
                rows = session.scalars(select(ArticleRow).where(ArticleRow.is_current, ArticleRow.id > last_id)
                                       .order_by(ArticleRow.id).limit(batch_size)).all()
            if not rows:
                if stored:
                    self.analyze()
                return stored
            last_id = rows[-1].id
            by_article = {}
            for row in rows:
                article = Article(id=row.article_key, text=row.text, title=row.title, outlet=row.outlet,
                                  published=row.published.isoformat() if row.published else None,
                                  url=row.canonical_url, language=row.language, source=row.source or row.article_key)
                by_article[id(article)] = (article, row)
            redone: list[tuple[ArticleRow, ArticleResult]] = []
            for result in pipeline.extract_many([article for article, _ in by_article.values()]):
                done += 1
                if isinstance(result, ReadError):
                    (on_error or (lambda e: log.warning("%s", e.message)))(result)
                else:
                    redone.append((by_article[id(result.article)][1], result))
                if progress:
                    progress(done, total)
            self._replace_facts(redone, extractor_version)
            stored += len(redone)

    def _replace_facts(self, redone: list[tuple[ArticleRow, ArticleResult]], extractor_version: str) -> None:
        if not redone:
            return
        self._writable()
        with self._errors("write to"), Session(self.engine) as session, session.begin():
            ids = [row.id for row, _ in redone]
            forget_links(session, ids)  # their incidents are built again from the new facts by the next `link`
            session.execute(delete(FactRow).where(FactRow.article_id.in_(ids)),
                            execution_options={"synchronize_session": False})
            for row, result in redone:
                if result.text != row.text:  # the repair changed: the offsets point into the new text
                    stored = session.get(ArticleRow, row.id)
                    stored.text, stored.content_hash = result.text, content_hash(result.text)
            articles = []
            for row, result in redone:
                records = result.records()
                articles.append((row.id, stored_values(records, extractor_version, row.published), records))
            offered = self._insert_facts(session, articles)
            reapply_reviews(session, ids)
            bump_facts_version(session)
        self._remember(offered)

    # -- reading -----------------------------------------------------------------------------------

    def facts(self, *, type: str | Iterable[str] | None = None, place: str | int | None = None,
              admin1: str | None = None, country: str | None = None, actor: str | None = None,
              claimant: str | None = None, since: Any = None, until: Any = None,
              min_confidence: float | None = None, limit: int | None = None,
              summaries: bool = False) -> list[dict[str, Any]]:
        """Records (docs/format.md) of current articles, newest first. The articles' summary records only with
        `summaries=True` or a `type` that names "summary". `type`: one or a list; `place`: a name or a
        geonameid; `actor`/`claimant`: one of the fact's names, case folded; `since`/`until` (ISO dates,
        a bad one is a ValueError): the fact's date or period overlaps them, an undated fact counts as of
        its article's publication day."""
        self._ready()
        stmt = fact_query(type=type, place=place, admin1=admin1, country=country, actor=actor, claimant=claimant,
                          since=since, until=until, min_confidence=min_confidence, limit=limit, summaries=summaries)
        with self._errors("read"), Session(self.engine) as session:
            return list(session.scalars(stmt))

    def counts(self) -> dict[str, int]:
        """articles (current), versions (every stored version), facts (summaries aside), summaries."""
        self._ready()
        with self._errors("read"), Session(self.engine) as session:
            return count_rows(session)

    def known_hashes(self) -> set[str]:
        """The content hashes of every current article: input whose repaired text hashes to one of
        them would be "unchanged", and need not be extracted."""
        self._ready()
        with self._errors("read"), Session(self.engine) as session:
            return set(session.scalars(select(ArticleRow.content_hash).where(ArticleRow.is_current)))

    def prior_version(self, article: Article, content_hash: str) -> Prior:
        """What saving `article` with this content (the hash of its repaired text) would do, asked before
        extracting it: `unchanged`, or the same article's current version whose metadata fills in what
        `article` lacks (`versions.merged`: extraction must see the publication day its dates resolve
        against)."""
        self._ready()
        url = canonical_url(article.url)
        key = article.id or url or content_hash
        match = [ArticleRow.content_hash == content_hash, ArticleRow.article_key == key]
        if url:
            match.append(ArticleRow.canonical_url == url)
        with self._errors("read"), Session(self.engine) as session:
            rows = session.scalars(select(ArticleRow).options(defer(ArticleRow.text))
                                   .where(ArticleRow.is_current, or_(*match))).all()
            found = [StoredMetadata.of(row) for row in rows]
        return prior_of(found, key, url, content_hash, article)

    def mark_seen(self, content_hashes: Iterable[str]) -> None:
        """Move last_seen on for the current articles with these contents: what saving them again does,
        for inputs found unchanged before extraction (`prior_version`)."""
        hashes = sorted(set(content_hashes))
        if not hashes:
            return
        self._ready()
        self._writable()
        now = dt.datetime.now(dt.timezone.utc)
        with self._errors("write to"), self.engine.begin() as connection:
            for start in range(0, len(hashes), SEEN_CHUNK):
                chunk = hashes[start:start + SEEN_CHUNK]
                connection.execute(update(ArticleRow).where(ArticleRow.is_current, ArticleRow.content_hash.in_(chunk))
                                   .values(last_seen=now))

    def is_stored(self, url_or_key: str, content_hash: str | None = None) -> bool:
        """With `content_hash`: whether saving that content would be "unchanged" (a current article has it,
        under whatever key). Without: whether a current article has that key or canonical URL."""
        self._ready()
        if content_hash is not None:
            where = ArticleRow.content_hash == content_hash
        else:
            match = [ArticleRow.article_key == url_or_key]
            found_url = canonical_url(url_or_key) if looks_like_url(url_or_key) else None
            if found_url:
                match.append(ArticleRow.canonical_url == found_url)
            where = or_(*match)
        with self._errors("read"), Session(self.engine) as session:
            return bool(session.scalar(select(exists().where(ArticleRow.is_current, where))))
