"""`warmonitor ingest`, `watch`, `reprocess` and `facts`: the monitor commands over the store.

A thin layer: reading is `read`/`fetch`, extraction `Pipeline`, storage `store.Store`. Every problem
with one input is one line on stderr naming it; the run goes on with the rest.
"""
from __future__ import annotations

import csv
import hashlib
import json
import signal
import sys
import threading
from collections.abc import Iterable, Iterator
from enum import Enum
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

DB_HELP = "Database URL (sqlite:///file.db or postgresql+psycopg://...); default $WARMONITOR_DB or ./warmonitor.db."
FEED_SUFFIXES = (".xml", ".rss", ".atom", "/feed", "/feed/", "/rss", "/rss/", "/atom", "/atom/")


def register(app: typer.Typer) -> None:
    app.command()(ingest)
    app.command()(watch)
    app.command()(reprocess)
    app.command("facts")(facts)
    app.command("query", hidden=True)(facts)


def extractor_version() -> str:
    """The package version plus a digest of the language data, so a lexicon change counts as a new extractor."""
    from importlib import resources

    from . import __version__

    digest = hashlib.sha256()
    data = resources.files("warmonitor") / "data"
    for name in sorted(p.name for p in data.iterdir() if p.is_file()):
        digest.update(name.encode())
        digest.update((data / name).read_bytes())
    return f"{__version__}+{digest.hexdigest()[:10]}"


def open_store(db: Optional[str], err: Console):
    from .store import Store, StoreError

    try:
        store = Store(db)
        store.upgrade()
        return store
    except StoreError as exc:
        err.print(f"warmonitor: {exc}", markup=False)
        raise typer.Exit(2)


def is_feed_url(url: str) -> bool:
    lowered = url.lower().split("?", 1)[0]
    return lowered.endswith(FEED_SUFFIXES) or "/rss" in lowered or "/feed" in lowered or "atom" in lowered


def url_articles(urls: list[str], fetcher, err: Console, force_feed: bool, seen: set[str]) -> Iterator:
    """Articles from web pages and feeds (each feed item's page fetched); errors as ReadErrors."""
    from .fetch import watch_once

    feeds = [u for u in urls if force_feed or is_feed_url(u)]
    for url in urls:
        if url not in feeds:
            yield fetcher.page(url)
    if feeds:
        yield from watch_once(fetcher, feeds, seen)


def ingest(
    inputs: list[str] = typer.Argument(..., help="Files, folders, .jsonl(.gz), page URLs, feed URLs, or - for stdin."),
    db: Optional[str] = typer.Option(None, "--db", envvar="WARMONITOR_DB", help=DB_HELP),
    feed: bool = typer.Option(False, "--feed", help="Treat every URL as an RSS/Atom feed."),
    batch_size: int = typer.Option(500, help="Articles committed together; a crash loses at most one batch "
                                             "(redone on the next run)."),
    published: Optional[str] = typer.Option(None, help="Publication date for inputs that lack one."),
    outlet: Optional[str] = typer.Option(None, help="Outlet for inputs that lack one."),
    progress: bool = typer.Option(None, "--progress/--no-progress", help="Progress bar (default: on a terminal)."),
) -> None:
    """Read, extract and store articles; re-running is safe (unchanged articles are skipped)."""
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    store = open_store(db, err)
    summary = run_ingest(store, inputs, err, feed=feed, batch_size=batch_size, published=published, outlet=outlet,
                         progress=err.is_terminal if progress is None else progress)
    print_summary(summary, err)
    if summary["read"] == 0 and summary["skipped"]:
        raise typer.Exit(1)


def run_ingest(store, inputs: list[str], err: Console, *, feed: bool = False, batch_size: int = 500,
               published: str | None = None, outlet: str | None = None, progress: bool = False,
               fetcher=None, seen: set[str] | None = None, log_each: bool = False) -> dict:
    from .model import ReadError
    from .pipeline import Pipeline
    from .read import iter_articles

    pipeline = Pipeline()
    repairer = pipeline.resources.repairer
    tally = {"read": 0, "new": 0, "updated": 0, "unchanged": 0, "skipped": [], "facts": 0}
    urls = [i for i in inputs if i.startswith(("http://", "https://"))]
    paths = [i for i in inputs if i not in urls]

    def articles() -> Iterator:
        yield from iter_articles(paths, published=published, outlet=outlet, stdin=sys.stdin.buffer) if paths else ()
        if urls:
            from .fetch import Fetcher

            yield from url_articles(urls, fetcher or Fetcher(), err, feed, seen if seen is not None else set())

    def fresh() -> Iterator:
        for item in articles():
            if isinstance(item, ReadError) or hasattr(item, "message"):  # a ReadError or a FetchError
                tally["skipped"].append((getattr(item, "source", None) or getattr(item, "url", "?"), item.message))
                err.print(f"warmonitor: {item.message}", markup=False)
                continue
            tally["read"] += 1
            digest = hashlib.sha256(repairer.repair(item.text).text.encode("utf-8")).hexdigest()
            if store.is_stored(item.url or item.id, digest):
                tally["unchanged"] += 1
                continue
            yield item

    def extracted() -> Iterator:
        for result in pipeline.extract_many(fresh()):
            if isinstance(result, ReadError):
                tally["skipped"].append((result.source, result.message))
                err.print(f"warmonitor: {result.message}", markup=False)
                continue
            if log_each:
                err.print(f"stored {result.article.id}: {len(result.facts)} facts", markup=False)
            yield result

    results: Iterable = extracted()
    if progress:
        from .cli import with_progress

        results = with_progress(results, err)
    saved = store.save(results, extractor_version=extractor_version(), batch_size=batch_size)
    tally["new"] += saved.new
    tally["updated"] += saved.updated
    tally["unchanged"] += saved.unchanged
    tally["facts"] += saved.facts_stored
    tally["skipped"].extend(saved.skipped)
    return tally


def print_summary(tally: dict, err: Console) -> None:
    reasons = {}
    for _, reason in tally["skipped"]:
        key = reason.split(": ", 1)[-1][:70]
        reasons[key] = reasons.get(key, 0) + 1
    err.print(f"read {tally['read']}, new {tally['new']}, updated {tally['updated']}, unchanged {tally['unchanged']}, "
              f"skipped {len(tally['skipped'])}, facts stored {tally['facts']}", markup=False)
    for reason, n in sorted(reasons.items(), key=lambda kv: -kv[1]):
        err.print(f"  skipped {n}: {reason}", markup=False)


def watch(
    feeds: list[str] = typer.Argument(None, help="Feed URLs to watch."),
    feed_list: Optional[Path] = typer.Option(None, "--from", help="A file of feed URLs (one a line) or an OPML file."),
    every: str = typer.Option("10m", help="How often to poll: 90s, 10m, 1h."),
    db: Optional[str] = typer.Option(None, "--db", envvar="WARMONITOR_DB", help=DB_HELP),
    once: bool = typer.Option(False, help="Poll once and stop (for cron and tests)."),
) -> None:
    """Poll feeds, fetch new items' pages, extract and store them, until stopped (Ctrl-C or SIGTERM)."""
    from .fetch import Fetcher, parse_interval, read_feed_list, run_every

    err = Console(stderr=True, highlight=False, soft_wrap=True)
    urls = list(feeds or [])
    if feed_list is not None:
        try:
            urls += read_feed_list(feed_list)
        except (OSError, ValueError) as exc:
            err.print(f"warmonitor: {feed_list}: cannot read the feed list ({exc})", markup=False)
            raise typer.Exit(2)
    if not urls:
        err.print("warmonitor: no feeds to watch; give feed URLs or --from FILE", markup=False)
        raise typer.Exit(2)
    try:
        interval = parse_interval(every)
    except ValueError as exc:
        err.print(f"warmonitor: --every {every}: {exc}", markup=False)
        raise typer.Exit(2)
    store = open_store(db, err)
    fetcher, seen, stop = Fetcher(), set(), threading.Event()

    def poll() -> None:
        try:
            tally = run_ingest(store, urls, err, feed=True, fetcher=fetcher, seen=seen, log_each=True)
            print_summary(tally, err)
        except Exception as exc:  # a bad poll must never end the monitor
            err.print(f"warmonitor: poll failed ({type(exc).__name__}: {exc}); trying again next time", markup=False)

    if once:
        poll()
        return
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    err.print(f"watching {len(urls)} feeds every {every}; Ctrl-C to stop", markup=False)
    run_every(interval, poll, stop)
    err.print("stopped", markup=False)


def reprocess(
    db: Optional[str] = typer.Option(None, "--db", envvar="WARMONITOR_DB", help=DB_HELP),
) -> None:
    """Re-run extraction over every stored article (no refetching), recording the extractor version."""
    from .pipeline import Pipeline

    err = Console(stderr=True, highlight=False, soft_wrap=True)
    store = open_store(db, err)
    version = extractor_version()
    n = store.reprocess(Pipeline(), extractor_version=version)
    err.print(f"reprocessed {n} articles with extractor {version}", markup=False)


class FactFormat(str, Enum):
    table = "table"
    jsonl = "jsonl"
    csv = "csv"


CSV_FIELDS = ["article", "type", "count", "outcome", "victims", "unit", "term", "place", "admin1", "country",
              "date", "period_start", "period_end", "actors", "claimed_by", "confidence", "rule", "evidence"]


def facts(
    type: Optional[str] = typer.Option(None, "--type", help="Fact type, e.g. casualty (warmonitor.facttypes lists them)."),
    place: Optional[str] = typer.Option(None, help="Place name as written or resolved."),
    admin1: Optional[str] = typer.Option(None, help="First-level division, e.g. Idlib."),
    country: Optional[str] = typer.Option(None, help="ISO country code, e.g. SY."),
    actor: Optional[str] = typer.Option(None, help="Perpetrator or control actor."),
    claimant: Optional[str] = typer.Option(None, help="Who the fact is claimed by."),
    since: Optional[str] = typer.Option(None, help="Events on or after this date (YYYY-MM-DD)."),
    until: Optional[str] = typer.Option(None, help="Events on or before this date (YYYY-MM-DD)."),
    min_confidence: Optional[float] = typer.Option(None, help="Only facts at least this confident."),
    limit: Optional[int] = typer.Option(None, help="At most this many facts."),
    format: FactFormat = typer.Option(FactFormat.table, "--format", "-f"),
    db: Optional[str] = typer.Option(None, "--db", envvar="WARMONITOR_DB", help=DB_HELP),
) -> None:
    """Stored facts with filters, as a table, JSON Lines (FORMAT.md records) or CSV."""
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    store = open_store(db, err)
    try:
        records = store.facts(type=type, place=place, admin1=admin1, country=country, actor=actor, claimant=claimant,
                              since=since, until=until, min_confidence=min_confidence, limit=limit)
    except ValueError as exc:
        err.print(f"warmonitor: {exc}; give dates as YYYY-MM-DD", markup=False)
        raise typer.Exit(2)
    if format is FactFormat.jsonl:
        for record in records:
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    elif format is FactFormat.csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=CSV_FIELDS)
        writer.writeheader()
        for record in records:
            writer.writerow(flat(record))
    else:
        table = Table(title=f"{len(records)} facts", title_justify="left")
        for column in ("type", "count", "what", "where", "when", "claimed by", "conf", "article"):
            table.add_column(column)
        for record in records:
            row = flat(record)
            what = row["outcome"] or row["term"] or row["actors"] or ""
            table.add_row(row["type"], str(row["count"] or ""), f"{what} {row['victims'] or row['unit'] or ''}".strip(),
                          row["place"] or "", row["date"] or row["period_start"] or "", row["claimed_by"],
                          f"{record.get('confidence', 0):.2f}", row["article"])
        Console(highlight=False).print(table)


def flat(record: dict) -> dict:
    """One CSV row: the fields analysts filter and sort on, lists joined with ';'."""
    place = record.get("place") or record.get("origin") or record.get("destination") or {}
    count = record.get("count") or {}
    period = record.get("period") or {}
    actors = list(record.get("perpetrators") or []) + [a for a in (record.get("actor"), record.get("speaker")) if a]
    return {
        "article": record.get("article"), "type": record.get("type"), "count": count.get("best"),
        "outcome": record.get("outcome"), "victims": record.get("victims"), "unit": record.get("unit"),
        "term": record.get("term"), "place": place.get("name"), "admin1": place.get("admin1"),
        "country": place.get("country"), "date": record.get("date"), "period_start": period.get("start"),
        "period_end": period.get("end"), "actors": ";".join(actors), "claimed_by": ";".join(record.get("claimed_by") or []),
        "confidence": record.get("confidence"), "rule": record.get("rule"),
        "evidence": (record.get("evidence") or {}).get("text"),
    }
