"""`warmonitor link` and `warmonitor incidents`: facts linked into incidents, and the incidents listed or exported
(analysts' `merge` and `split`: cli/decisions.py).

Thin, as the other commands: linking is `usecases.link`, the query `Store.incidents`, the file formats
`export.incidents.write_incidents` (the `table` format is this module's). Both commands only read or
derive from a database that exists: a mistyped --db is reported, never made into an empty database.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from warmonitor.cli.options import DB_HELP, error_console, open_store, store_errors
from warmonitor.cli.output import output_stream, write_parquet_file
from warmonitor.export.incidents import INCIDENT_FORMATS

# `table` for reading in a terminal, then every export format (docs/export.md).
IncidentFormat = Enum("IncidentFormat", {name: name for name in ("table", *INCIDENT_FORMATS, "parquet")}, type=str)
FORMAT_HELP = ("table; jsonl (incident records as docs/format.md describes); csv (flat); acled (ACLED's columns); "
               "ged (UCDP GED-style); hxl (HXL-tagged CSV); geojson; parquet (the csv's columns, typed, with each "
               "record as JSON; needs -o and warmonitor[parquet]). docs/export.md describes each.")


def register(app: typer.Typer) -> None:
    from warmonitor.cli.decisions import register as register_decisions

    app.command()(link)
    app.command()(incidents)
    register_decisions(app)


def link(
    db: Optional[str] = typer.Option(None, "--db", envvar="WARMONITOR_DB", help=DB_HELP),
    rebuild: bool = typer.Option(False, "--rebuild", help="Link every article again, in publication order, and "
                                                          "replace all incidents (after an upgrade or with other "
                                                          "settings); analysts' merges and splits are kept."),
    refusals: bool = typer.Option(False, "--refusals", help="Then list the close calls that were not linked, "
                                                            "closest first."),
    progress: bool = typer.Option(None, "--progress/--no-progress", help="Progress bar (default: on a terminal)."),
) -> None:
    """Link stored facts into incidents: one record per event across all its reports (ingest does it as it
    stores; this links what is left, or everything with --rebuild)."""
    from warmonitor.usecases.link import link_incidents

    err = error_console()
    store = open_store(db, err, create=False)
    with store_errors(err), link_progress(err, err.is_terminal if progress is None else progress) as advance:
        summary = link_incidents(store, rebuild=rebuild, progress=advance)
    err.print(str(summary), markup=False)
    if refusals:
        with store_errors(err):
            found = store.link_refusals()
        print_refusals(found)


@contextmanager
def link_progress(console: Console, shown: bool) -> Iterator[Callable[[int, int], None] | None]:
    """A `progress(done, total)` callback drawing a bar (None when not `shown`)."""
    if not shown:
        yield None
        return
    columns = (SpinnerColumn(), TextColumn("linking"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("link", total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


def print_refusals(found: list[dict]) -> None:
    table = Table(title=f"{len(found)} close calls not linked", title_justify="left")
    for column in ("incident", "article", "score", "evidence"):
        table.add_column(column)
    for refusal in found:
        reasons = ", ".join(f"{k}={v}" for k, v in sorted(refusal["reasons"].items()))
        table.add_row(refusal["incident"], refusal["article"], f"{refusal['score']:.2f}", reasons)
    Console(highlight=False).print(table)


def incidents(
    type: Optional[str] = typer.Option(None, "--type", help="Kind of incident: casualty, attack, displacement or control."),
    place: Optional[str] = typer.Option(None, help="Place name (as the incident gives it) or GeoNames id."),
    admin1: Optional[str] = typer.Option(None, help="First-level division, e.g. Idlib."),
    country: Optional[str] = typer.Option(None, help="ISO country code, e.g. SY."),
    since: Optional[str] = typer.Option(None, help="Incidents on or after this date (YYYY-MM-DD)."),
    until: Optional[str] = typer.Option(None, help="Incidents on or before this date (YYYY-MM-DD)."),
    status: Optional[str] = typer.Option(None, help="single-source, corroborated or contested."),
    limit: Optional[int] = typer.Option(None, help="At most this many incidents."),
    format: IncidentFormat = typer.Option("table", "--format", "-f", help=FORMAT_HELP),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write here instead of stdout."),
    db: Optional[str] = typer.Option(None, "--db", envvar="WARMONITOR_DB", help=DB_HELP),
) -> None:
    """Stored incidents, newest first, with filters: each event once, with its sources, tolls
    (low/best/high), status and contradictions."""
    err = error_console()
    store = open_store(db, err, create=False)
    with store_errors(err):
        try:
            records = store.incidents(type=type, place=place, admin1=admin1, country=country, since=since,
                                      until=until, status=status, limit=limit)
        except ValueError as exc:
            err.print(f"warmonitor: {exc}", markup=False)
            raise typer.Exit(2)
    fmt = IncidentFormat(format).value
    if fmt == "table":
        if output is not None:
            err.print("warmonitor: --output needs a file format (-f jsonl, csv, acled, ged, hxl, geojson or parquet), "
                      "not table", markup=False)
            raise typer.Exit(2)
        print_incident_table(records)
        return
    if fmt == "parquet":
        from warmonitor.export.parquet import write_incident_parquet

        write_parquet_file(lambda path: write_incident_parquet(records, path), output, err)
        return
    from warmonitor.export.incidents import write_incidents

    with output_stream(output, err) as stream:
        write_incidents(records, fmt, stream)


def print_incident_table(records: list[dict]) -> None:
    table = Table(title=f"{len(records)} incidents", title_justify="left")
    for column in ("id", "kind", "when", "where", "killed", "injured", "status", "sources", "articles"):
        table.add_column(column)
    for record in records:
        period = record.get("period") or {}
        when = record.get("date") or "/".join(d for d in (period.get("start"), period.get("end")) if d) or ""
        place = record.get("place") or {}
        where = ", ".join(p for p in (place.get("name"), place.get("admin1"), place.get("country")) if p)
        table.add_row(record["id"], record.get("kind") or "", when, where, figure(record.get("killed")),
                      figure(record.get("injured")), record.get("status") or "",
                      f"{record.get('independent_sources')}/{record.get('sources')}",
                      ", ".join(record.get("articles") or ()))
    Console(highlight=False).print(table)


def figure(value: dict | None) -> str:
    """best, with the range the sources span when they differ: "9 (6-9)"."""
    if not isinstance(value, dict) or value.get("best") is None:
        return ""
    low, best, high = value.get("low"), value.get("best"), value.get("high")
    span = f" ({low}-{high})" if low is not None and high is not None and low != high else ""
    return f"{best}{span}"
