"""The `warmonitor` command: a thin layer over the library (read -> extract -> export, and eval).

Errors about inputs are one line each on stderr, naming the input; a batch goes on past them, and the
exit status is non-zero only when nothing at all could be read.
"""
from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Turn conflict and humanitarian news into sourced, structured fact records.")


def _register_subcommands() -> None:
    from . import cli_serve, cli_store
    from .cli_gazetteer import gazetteer_app

    cli_store.register(app)
    cli_serve.register(app)
    app.add_typer(gazetteer_app, name="gazetteer", help="Look up place names and import GeoNames country dumps.")



class OutputFormat(str, Enum):
    table = "table"
    jsonl = "jsonl"
    json = "json"


@app.command()
def extract(
    paths: list[str] = typer.Argument(..., help="Files (.txt, .html, .jsonl, .jsonl.gz), folders, or - for stdin."),
    format: OutputFormat = typer.Option(OutputFormat.table, "--format", "-f", help="table, jsonl (FORMAT.md records) or json."),
    published: Optional[str] = typer.Option(None, help="Publication date (YYYY-MM-DD) for inputs that lack one."),
    outlet: Optional[str] = typer.Option(None, help="Outlet name for inputs that lack one."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write here instead of stdout."),
    progress: bool = typer.Option(None, "--progress/--no-progress", help="Progress bar on stderr (default: when stderr is a terminal)."),
) -> None:
    """Extract casualty, displacement, population, attack, control and quote facts from articles."""
    from .export import write_results
    from .model import ReadError
    from .pipeline import Pipeline
    from .read import iter_articles

    err = Console(stderr=True, highlight=False, soft_wrap=True)
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
    stream = output.open("w", encoding="utf-8") if output else sys.stdout
    try:
        results = only_extracted(Pipeline().extract_many(articles()), err, state)
        if show_progress:
            results = with_progress(results, err)
        write_results(results, format.value, stream)
    except BrokenPipeError:
        sys.stderr.close()  # the reader (head, less) went away: not an error
        raise typer.Exit(0)
    finally:
        if output:
            stream.close()
    if state["read"] == 0:
        err.print("warmonitor: nothing could be read; check the paths above", markup=False)
        raise typer.Exit(1)


def only_extracted(results, err: Console, state: dict):
    from .model import ReadError

    for result in results:
        if isinstance(result, ReadError):
            state["errors"] += 1
            err.print(f"warmonitor: {result.message}", markup=False)
        else:
            yield result


def with_progress(results, console: Console):
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = (SpinnerColumn(), TextColumn("extracting"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
               TextColumn("{task.fields[current]}"))
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("extract", total=None, current="")
        for result in results:
            bar.update(task, advance=1, current=result.article.id)
            yield result


@app.command("eval")
def evaluate(
    gold_dir: Path = typer.Argument(..., help="Folder of NAME.gold.json files (and NAME.txt articles)."),
    predictions: Optional[Path] = typer.Argument(None, help="Fact records (JSON Lines); omitted: run extract on GOLD_DIR."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    show_errors: bool = typer.Option(False, "--show-errors", help="List each missed, spurious and wrong fact."),
) -> None:
    """Score fact records against gold files: per-type precision, recall, F1 and field accuracy (FORMAT.md)."""
    import json

    from .evaluate import load_gold, read_records, score

    err = Console(stderr=True, highlight=False)
    if not gold_dir.is_dir():
        err.print(f"warmonitor: {gold_dir}: not a folder of gold files", markup=False)
        raise typer.Exit(2)
    golds = load_gold(gold_dir)
    if not golds:
        err.print(f"warmonitor: {gold_dir}: holds no NAME.gold.json files", markup=False)
        raise typer.Exit(2)
    if predictions is not None:
        try:
            records = read_records(predictions)
        except (OSError, ValueError) as exc:
            err.print(f"warmonitor: {predictions}: cannot read fact records ({exc})", markup=False)
            raise typer.Exit(2)
    else:
        records = extract_records(gold_dir, err)
    report = score(golds, records)
    if show_errors:
        print("\n".join(report.errors))
    print(json.dumps(report.to_dict()) if as_json else report.to_text())


def extract_records(folder: Path, err: Console) -> list[dict]:
    from .model import ReadError
    from .pipeline import Pipeline
    from .read import iter_articles

    def articles():
        for item in iter_articles([str(folder)]):
            if isinstance(item, ReadError):
                err.print(f"warmonitor: {item.message}", markup=False)
            else:
                yield item

    return [record for result in only_extracted(Pipeline().extract_many(articles()), err, {"errors": 0})
            for record in result.records()]


_register_subcommands()


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        print("warmonitor: interrupted", file=sys.stderr)
        sys.exit(130)
    except Exception as exc:  # the last line of defence: one line, never a traceback
        print(f"warmonitor: unexpected error ({type(exc).__name__}: {exc}); please report it", file=sys.stderr)
        sys.exit(3)


if __name__ == "__main__":
    main()
