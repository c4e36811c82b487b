"""warmonitor from Python, for analysts in notebooks: facts from a text, a database of them, queries.

    import warmonitor
    records = warmonitor.extract(text, published="2024-03-05", outlet="AFP")
    with warmonitor.open("sqlite:///facts.db") as db:
        db.ingest(["articles/"])
        frame = db.facts(type="casualty", admin1="Idlib", as_frame=True)

The records are those docs/format.md describes, exactly what `warmonitor extract --format jsonl` and `warmonitor facts
--format jsonl` write. docs/python.md is the guide. SQLAlchemy and pandas load when a database is
opened or a frame asked for, not before: `warmonitor.extract` in a notebook does without them.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from os import PathLike, fspath
from typing import TYPE_CHECKING, Any

from warmonitor.export.flat import FLAT_FIELDS, flat_record
from warmonitor.model import Article
from warmonitor.pipeline import Pipeline
from warmonitor.read import normalise_date

if TYPE_CHECKING:
    import pandas

    from warmonitor.store import Store
    from warmonitor.usecases.ingest import IngestSummary
    from warmonitor.usecases.link import LinkSummary

PANDAS_MISSING = "as_frame=True needs pandas: pip install 'warmonitor[pandas]'"


def extract(text: str, *, published: str | None = None, outlet: str | None = None, title: str | None = None,
            id: str | None = None, pipeline: Pipeline | None = None) -> list[dict[str, Any]]:
    """The fact records of one article's text, then its summary record.

    `published` (a date, e.g. "2024-03-05") anchors "on Monday" and "last week"; `id` names the article
    in the records (default "article"). Building a pipeline loads the language data (seconds): for many
    texts make one, `pipeline = warmonitor.Pipeline()`, and pass it each time. A text is read as a
    `.txt` file of it would be (newlines made `\\n`, a byte-order mark dropped), so the records equal
    what `warmonitor extract --format jsonl` writes for that file. An empty text or a `published` that
    is not a date is a ValueError.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ValueError("the text is empty; give an article with text")
    day = None
    if published is not None and str(published).strip():
        day = normalise_date(published)
        if day is None:
            raise ValueError(f"published: {published!r} is not a date; give it as YYYY-MM-DD")
    name = str(id) if id else "article"
    article = Article(id=name, text=text, title=title or None, published=day, outlet=(outlet or "").strip() or None,
                      source=name)
    return (pipeline or Pipeline()).extract(article).records()


def open(db_url: str | None = None) -> Database:  # noqa: A001 - `warmonitor.open`, as `sqlite3.connect`
    """The database at `db_url` (sqlite:///file.db, postgresql+psycopg://..., or a SQLite file path;
    None: $WARMONITOR_DB, else ./warmonitor.db), its tables created or brought up to date first, as
    every `warmonitor` command does. A database that cannot be opened is a `warmonitor.store.StoreError`."""
    from warmonitor.store import Store  # SQLAlchemy: half a second

    store = Store(db_url)
    try:
        store.upgrade()
    except Exception:
        store.close()
        raise
    return Database(store)


class Database:
    """Stored articles, their facts and incidents: ingest more, query them. Close it when done (or use `with`)."""

    def __init__(self, store: Store) -> None:
        self.store = store  # the full `warmonitor.store.Store`, for what this class does not offer

    def __repr__(self) -> str:
        return f"Database({self.store!r})"

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    def close(self) -> None:
        self.store.close()

    def ingest(self, inputs: str | PathLike | Sequence[str | PathLike], *, published: str | None = None, outlet: str | None = None,
               feed: bool = False, pipeline: Pipeline | None = None, allow_networks: Sequence[str] = ()) -> IngestSummary:
        """Read, extract and store articles, as `warmonitor ingest` does: files (.txt, .html, .jsonl,
        .jsonl.gz), folders, page and feed URLs. Unchanged articles are skipped, so running it again is
        safe. What could not be read is listed in the summary's `skipped` as (input, reason). Loopback,
        private and link-local addresses are not fetched unless in `allow_networks` (CIDR ranges such as
        "10.20.0.0/16"; a bad one is a ValueError)."""
        from warmonitor.usecases.ingest import ingest_inputs

        listed = [inputs] if isinstance(inputs, (str, PathLike)) else inputs
        return ingest_inputs(self.store, [fspath(i) for i in listed], feed=feed, published=published, outlet=outlet,
                             pipeline=pipeline, allow_networks=allow_networks)

    def facts(self, *, type: str | Iterable[str] | None = None, place: str | int | None = None,
              admin1: str | None = None, country: str | None = None, actor: str | None = None,
              claimant: str | None = None, since: str | None = None, until: str | None = None,
              min_confidence: float | None = None, limit: int | None = None,
              as_frame: bool = False) -> list[dict[str, Any]] | pandas.DataFrame:
        """Stored facts, newest first, filtered as by `warmonitor facts`: `type` (one or a list), `place`
        (a name or a geonameid), `admin1`, `country` (ISO code), `actor`, `claimant`, `since`/`until`
        (YYYY-MM-DD; the fact's date or period overlaps them), `min_confidence`, `limit`.

        records (docs/format.md); with `as_frame=True` a pandas DataFrame of the columns of `warmonitor facts
        --format csv` (one row a fact; needs the `pandas` extra). A date that cannot be read is a ValueError."""
        records = self.store.facts(type=type, place=place, admin1=admin1, country=country, actor=actor,
                                   claimant=claimant, since=since, until=until, min_confidence=min_confidence,
                                   limit=limit)
        return facts_frame(records) if as_frame else records


    def incidents(self, *, type: str | Iterable[str] | None = None, place: str | int | None = None,
                  admin1: str | None = None, country: str | None = None, since: str | None = None,
                  until: str | None = None, status: str | Iterable[str] | None = None,
                  limit: int | None = None) -> list[dict[str, Any]]:
        """Incidents, newest first, filtered as by `warmonitor incidents`: `type` (the incident's kind:
        casualty, attack, displacement, control), `place` (a name or a geonameid), `admin1`, `country`,
        `since`/`until` (YYYY-MM-DD: the incident's day or period overlaps them), `status`
        (single-source, corroborated, contested), `limit`.

        Incident records (docs/format.md, "Incident records"): each event once, with its articles and
        facts, sources, tolls as low/best/high, status and contradictions. `ingest` links what it stores;
        `link()` links what is left. A date that cannot be read is a ValueError."""
        return self.store.incidents(type=type, place=place, admin1=admin1, country=country, since=since,
                                    until=until, status=status, limit=limit)

    def link(self, *, rebuild: bool = False) -> LinkSummary:
        """Link stored facts into incidents, as `warmonitor link [--rebuild]` does."""
        from warmonitor.usecases.link import link_incidents

        return link_incidents(self.store, rebuild=rebuild)


def facts_frame(records: list[dict[str, Any]]) -> pandas.DataFrame:
    """Fact records as a DataFrame of flat rows (`warmonitor.export.flat`), the columns always there."""
    try:
        import pandas
    except ImportError:
        raise ImportError(PANDAS_MISSING) from None
    return pandas.DataFrame([flat_record(record) for record in records], columns=FLAT_FIELDS)
