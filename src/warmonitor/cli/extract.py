"""`warmonitor extract`, `warmonitor eval` and `warmonitor eval-incidents`: articles in, fact records out, and
the score of facts and of incidents against gold files.

Errors about inputs are one line each on stderr, naming the input; a batch goes on past them, and the
exit status is non-zero only when nothing at all could be read.
"""
from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from enum import Enum
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from warmonitor.cli.options import article_timeout_option, error_console, jobs_option
from warmonitor.cli.output import output_stream, with_progress
from warmonitor.evaluate import load_gold, read_records, score
from warmonitor.export import write_results
from warmonitor.model import ArticleResult, ReadError
from warmonitor.pipeline import Pipeline
from warmonitor.read import iter_articles


def register(app: typer.Typer) -> None:
    app.command()(extract)
    app.command("eval")(evaluate)
    app.command("eval-incidents")(evaluate_incidents)


class OutputFormat(str, Enum):
    table = "table"
    jsonl = "jsonl"
    json = "json"


def extract(
    paths: list[str] = typer.Argument(..., help="Files (.txt, .html, .jsonl, .jsonl.gz), folders, or - for stdin."),
    format: OutputFormat = typer.Option(OutputFormat.table, "--format", "-f", help="table (the first 10 articles as tables, then one line per fact, written as they come), jsonl (records as docs/format.md describes) or json (one document, written as it comes)."),
    published: Optional[str] = typer.Option(None, help="Publication date (YYYY-MM-DD) for inputs that lack one."),
    outlet: Optional[str] = typer.Option(None, help="Outlet name for inputs that lack one."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write here instead of stdout."),
    progress: bool = typer.Option(None, "--progress/--no-progress", help="Progress bar on stderr (default: when stderr is a terminal)."),
    article_timeout: float = article_timeout_option(),
    jobs: Optional[int] = jobs_option(),
) -> None:
    """Extract casualty, displacement, population, attack, control and quote facts from articles."""
    from warmonitor.pipeline_pool import pipeline_for  # multiprocessing: only when extracting

    err = error_console()
    state = {"read": 0, "errors": 0}

    def articles():
        for item in iter_articles(paths, published=published, outlet=outlet, stdin=sys.stdin.buffer):
            if isinstance(item, ReadError):
                state["errors"] += 1
                err.print(f"warmonitor: {item.message}", markup=False)
                continue
            state["read"] += 1
            yield item

    show_progress = err.is_terminal if progress is None else progress
    with output_stream(output, err) as stream, pipeline_for(jobs, time_budget=article_timeout) as pipeline:
        results = only_extracted(pipeline.extract_many(articles()), err, state)
        if show_progress:
            results = with_progress(results, err)
        write_results(results, format.value, stream)
    if state["read"] == 0:
        err.print("warmonitor: nothing could be read; check the paths above", markup=False)
        raise typer.Exit(1)


def only_extracted(results: Iterable[ArticleResult | ReadError], err: Console, state: dict
                   ) -> Iterator[ArticleResult]:
    """The results extracted; a failed article is one line on stderr, counted in `state["errors"]`."""
    for result in results:
        if isinstance(result, ReadError):
            state["errors"] += 1
            err.print(f"warmonitor: {result.message}", markup=False)
        else:
            yield result


def evaluate(
    gold_dir: Path = typer.Argument(..., help="Folder of NAME.gold.json files (and NAME.txt articles)."),
    predictions: Optional[Path] = typer.Argument(None, help="Fact records (JSON Lines); omitted: run extract on GOLD_DIR."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    show_errors: bool = typer.Option(False, "--show-errors", help="List each missed, spurious and wrong fact."),
) -> None:
    """Score fact records against gold files: per-type precision, recall, F1 and field accuracy (the evaluation format of the gold files)."""
    err = Console(stderr=True, highlight=False)  # not soft-wrapped, as ever
    if not gold_dir.is_dir():
        err.print(f"warmonitor: {gold_dir}: not a folder of gold files", markup=False)
        raise typer.Exit(2)
    golds = load_gold(gold_dir)
    if not golds:
        err.print(f"warmonitor: {gold_dir}: holds no NAME.gold.json files", markup=False)
        raise typer.Exit(2)
    if predictions is not None:
        records = read_or_exit(read_records, predictions, "fact records", err)
    else:
        records = extract_records(gold_dir, err)
    report = score(golds, records)
    if show_errors:
        print("\n".join(report.errors))
    print(json.dumps(report.to_dict()) if as_json else report.to_text())


def read_or_exit(read, path: Path, what: str, err: Console):
    """`read(path)`, or a one-line error naming the file and exit status 2 when it cannot be read."""
    try:
        return read(path)
    except (OSError, ValueError) as exc:
        err.print(f"warmonitor: {path}: cannot read {what} ({exc})", markup=False)
        raise typer.Exit(2)


def extract_records(folder: Path, err: Console) -> list[dict]:
    """The fact records `warmonitor extract --format jsonl` would give for the articles in `folder`."""
    def articles():
        for item in iter_articles([str(folder)]):
            if isinstance(item, ReadError):
                err.print(f"warmonitor: {item.message}", markup=False)
            else:
                yield item

    return [record for result in only_extracted(Pipeline().extract_many(articles()), err, {"errors": 0})
            for record in result.records()]


def evaluate_incidents(
    gold: Path = typer.Argument(..., help="Folder holding incidents.gold.json (format warmonitor-incidents/1), or that file."),
    predictions: Optional[Path] = typer.Argument(None, help="Incident records (JSON Lines; other records are skipped); omitted: extract and link the articles in GOLD."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    show_errors: bool = typer.Option(False, "--show-errors", help="List each gold incident that was missed or got a wrong figure, date or place."),
) -> None:
    """Score incident records against incident gold: article clustering (B-cubed, pairwise links), incident matching with killed, injured, date and place accuracy, and totals per admin1 and year."""
    from warmonitor.evaluate.incidents import load_incident_gold, read_incident_records, score_incidents

    err = Console(stderr=True, highlight=False)
    gold_incidents = read_or_exit(load_incident_gold, gold, "incident gold", err)
    if predictions is not None:
        records = read_or_exit(read_incident_records, predictions, "incident records", err)
    else:
        from warmonitor.evaluate.linking import link_folder

        folder = gold if gold.is_dir() else gold.parent
        try:
            records = link_folder(folder, lambda message: err.print(f"warmonitor: {message}", markup=False))
        except ImportError as exc:  # a build without the linker: say so, as for any missing part
            err.print(f"warmonitor: cannot link the articles in {folder} ({exc}); give a PREDICTIONS file", markup=False)
            raise typer.Exit(2)
    report = score_incidents(gold_incidents, records)
    if show_errors:
        print("\n".join(report.errors))
    print(json.dumps(report.to_dict()) if as_json else report.to_text())
