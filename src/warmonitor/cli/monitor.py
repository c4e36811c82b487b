"""`warmonitor ingest`, `watch`, `reprocess` and `facts`: the monitor commands over the store.

Each parses its arguments, calls a use case (`warmonitor.usecases`) or the store, and prints. Every
problem with one input is one line on stderr naming it; the run goes on with the rest. A database that
fails (damaged, full, read-only, gone) ends the command with one line and exit status 2 (`store_errors`).
The use cases, the store and the fetcher are imported inside the commands: they load SQLAlchemy and
httpx (over half a second), which `warmonitor extract` and `--help` do without.
"""
from __future__ import annotations

import csv
import json
import signal
import sys
import threading
from enum import Enum
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from warmonitor.cli.cluster import DASK_HELP, OUT_HELP, ingest_on_cluster
from warmonitor.cli.options import (ALLOW_HELP, DB_HELP, allowed_networks, article_timeout_option, error_console,
                                    jobs_option, open_store, store_errors)
from warmonitor.cli.output import (extraction_progress, output_stream, print_summary, skipped_printer,
                                   write_parquet_file)
from warmonitor.export.flat import FLAT_FIELDS, flat_record, spreadsheet_row
from warmonitor.model import ArticleResult
from warmonitor.pipeline import Pipeline


def register(app: typer.Typer) -> None:
    app.command()(ingest)
    app.command()(watch)
    app.command()(reprocess)
    app.command("facts")(facts)
    app.command("query", hidden=True)(facts)


def ingest(
    inputs: list[str] = typer.Argument(..., help="Files, folders, .jsonl(.gz), page URLs, feed URLs, or - for stdin."),
    db: Optional[str] = typer.Option(None, "--db", envvar="WARMONITOR_DB", help=DB_HELP),
    feed: bool = typer.Option(False, "--feed", help="Treat every URL as an RSS/Atom feed."),
    batch_size: int = typer.Option(500, help="Articles committed together; a crash loses at most one batch "
                                             "(redone on the next run)."),
    published: Optional[str] = typer.Option(None, help="Publication date for inputs that lack one."),
    outlet: Optional[str] = typer.Option(None, help="Outlet for inputs that lack one."),
    progress: bool = typer.Option(None, "--progress/--no-progress", help="Progress bar (default: on a terminal)."),
    allow_network: Optional[list[str]] = typer.Option(None, "--allow-network", metavar="CIDR", help=ALLOW_HELP,
                                                      envvar="WARMONITOR_ALLOW_NETWORKS"),
    article_timeout: float = article_timeout_option(),
    jobs: Optional[int] = jobs_option(),
    dask: Optional[str] = typer.Option(None, "--dask", metavar="ADDRESS|local:N", help=DASK_HELP),
    out: Path = typer.Option(Path("warmonitor-parquet"), "--out", help=OUT_HELP),
) -> None:
    """Read, extract and store articles; re-running is safe (unchanged articles are skipped)."""
    from warmonitor.pipeline_pool import pipeline_for
    from warmonitor.usecases.ingest import ingest_inputs

    err = error_console()
    allow = allowed_networks(allow_network, err)
    store = open_store(db, err)
    if dask:
        with store_errors(err):
            ingest_on_cluster(store, inputs, scheduler=dask, out=out, err=err, batch_size=batch_size,
                              published=published, outlet=outlet, time_budget=article_timeout)
        return
    shown = err.is_terminal if progress is None else progress
    with store_errors(err), pipeline_for(jobs, time_budget=article_timeout) as pipeline, \
            extraction_progress(err, shown) as advance:
        summary = ingest_inputs(store, inputs, feed=feed, batch_size=batch_size, published=published, outlet=outlet,
                                pipeline=pipeline, stdin=sys.stdin.buffer,
                                on_result=advance, on_skip=skipped_printer(err), allow_networks=allow)
    print_summary(summary, err)
    if summary.read == 0 and summary.skipped:
        raise typer.Exit(1)


def watch(
    feeds: list[str] = typer.Argument(None, help="Feed URLs to watch."),
    feed_list: Optional[Path] = typer.Option(None, "--from", help="A file of feed URLs (one a line) or an OPML file."),
    every: str = typer.Option("10m", help="How often to poll: 90s, 10m, 1h."),
    db: Optional[str] = typer.Option(None, "--db", envvar="WARMONITOR_DB", help=DB_HELP),
    once: bool = typer.Option(False, help="Poll once and stop (for cron and tests)."),
    allow_network: Optional[list[str]] = typer.Option(None, "--allow-network", metavar="CIDR", help=ALLOW_HELP,
                                                      envvar="WARMONITOR_ALLOW_NETWORKS"),
    article_timeout: float = article_timeout_option(),
) -> None:
    """Poll feeds, fetch new items' pages, extract and store them, until stopped (Ctrl-C or SIGTERM) or the
    database is found damaged (exit status 2)."""
    from warmonitor.fetch import Fetcher, parse_interval, read_feed_list, run_every
    from warmonitor.usecases.ingest import ingest_inputs

    err = error_console()
    allow = allowed_networks(allow_network, err)
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
    from warmonitor.store import StoreError

    store = open_store(db, err)
    pipeline, fetcher = Pipeline(time_budget=article_timeout), Fetcher(allow_networks=allow)
    seen, stop, damaged = set(), threading.Event(), threading.Event()

    def print_stored(result: ArticleResult) -> None:
        err.print(f"stored {result.article.id}: {len(result.facts)} facts", markup=False)

    def poll() -> None:
        try:
            summary = ingest_inputs(store, urls, feed=True, pipeline=pipeline, fetcher=fetcher, seen=seen,
                                    on_result=print_stored, on_skip=skipped_printer(err))
            print_summary(summary, err)
        except StoreError as exc:  # a full disk may be freed before the next poll; a damaged database not
            err.print(f"warmonitor: {exc}", markup=False)
            if store.damage is not None:
                stop.set()
                damaged.set()
        except Exception as exc:  # a bad poll must never end the monitor
            err.print(f"warmonitor: poll failed ({type(exc).__name__}: {exc}); trying again next time", markup=False)

    if once:
        poll()
    else:
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())
        err.print(f"watching {len(urls)} feeds every {every}; Ctrl-C to stop", markup=False)
        run_every(interval, poll, stop)
        err.print("stopped", markup=False)
    if damaged.is_set():
        raise typer.Exit(2)


def reprocess(
    db: Optional[str] = typer.Option(None, "--db", envvar="WARMONITOR_DB", help=DB_HELP),
    jobs: Optional[int] = jobs_option(),
) -> None:
    """Re-run extraction over every stored article (no refetching), recording the extractor version; the
    incidents are then linked again from the new facts (analysts' merges and splits kept)."""
    from warmonitor.pipeline_pool import pipeline_for
    from warmonitor.usecases.reprocess import reprocess_articles

    err = error_console()
    store = open_store(db, err, create=False)
    with store_errors(err), pipeline_for(jobs) as pipeline:
        summary = reprocess_articles(store, pipeline=pipeline)
    linked = f"; {summary.incidents} incidents linked again" if summary.incidents is not None else ""
    err.print(f"reprocessed {summary.reprocessed} articles with extractor {summary.extractor_version}{linked}",
              markup=False)


class FactFormat(str, Enum):
    table = "table"
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"


def facts(
    type: Optional[str] = typer.Option(None, "--type", help="Fact type, e.g. casualty or displacement (GET /api/fact-types and docs/format.md list them)."),
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
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write here instead of stdout (parquet: required)."),
    db: Optional[str] = typer.Option(None, "--db", envvar="WARMONITOR_DB", help=DB_HELP),
) -> None:
    """Stored facts with filters, as a table, JSON Lines (records as docs/format.md describes), CSV or
    Parquet (the CSV's columns, typed, plus each whole record as JSON; needs warmonitor[parquet])."""
    err = error_console()
    store = open_store(db, err, create=False)
    with store_errors(err):
        try:
            records = store.facts(type=type, place=place, admin1=admin1, country=country, actor=actor,
                                  claimant=claimant, since=since, until=until, min_confidence=min_confidence,
                                  limit=limit)
        except ValueError as exc:
            err.print(f"warmonitor: {exc}; give dates as YYYY-MM-DD", markup=False)
            raise typer.Exit(2)
    if format is FactFormat.parquet:
        from warmonitor.export.parquet import write_fact_parquet

        write_parquet_file(lambda path: write_fact_parquet(records, path), output, err)
        return
    if format is FactFormat.table:
        if output is not None:
            err.print("warmonitor: --output needs a file format (-f jsonl, csv or parquet), not table", markup=False)
            raise typer.Exit(2)
        print_fact_table(records)
        return
    with output_stream(output, err) as stream:
        if format is FactFormat.jsonl:
            for record in records:
                stream.write(json.dumps(record, ensure_ascii=False) + "\n")
        else:
            writer = csv.DictWriter(stream, fieldnames=FLAT_FIELDS)
            writer.writeheader()
            for record in records:
                writer.writerow(spreadsheet_row(flat_record(record)))


def print_fact_table(records: list[dict]) -> None:
    table = Table(title=f"{len(records)} facts", title_justify="left")
    for column in ("type", "count", "what", "where", "when", "claimed by", "conf", "article"):
        table.add_column(column)
    for record in records:
        row = flat_record(record)
        what = row["outcome"] or row["term"] or row["actors"] or ""
        table.add_row(row["type"], str(row["count"] or ""), f"{what} {row['victims'] or row['unit'] or ''}".strip(),
                      row["place"] or "", row["date"] or row["period_start"] or "", row["claimed_by"],
                      f"{record.get('confidence', 0):.2f}", row["article"])
    Console(highlight=False).print(table)
