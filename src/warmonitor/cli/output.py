"""What commands show on stderr while they work: the progress bar, each input skipped, the ingest summary
(with how many articles were linked into incidents, or why linking stopped)."""
from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING

import typer

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from warmonitor.model import ArticleResult, ReadError

if TYPE_CHECKING:
    from warmonitor.usecases.ingest import IngestSummary


@contextmanager
def extraction_progress(console: Console, shown: bool = True) -> Iterator[Callable[[ArticleResult], None] | None]:
    """A callback that moves the bar on by one extracted article (None when not `shown`); the bar goes
    away when the block ends."""
    if not shown:
        yield None
        return
    columns = (SpinnerColumn(), TextColumn("extracting"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
               TextColumn("{task.fields[current]}"))
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("extract", total=None, current="")
        yield lambda result: bar.update(task, advance=1, current=result.article.id)


def with_progress(results: Iterable[ArticleResult], console: Console) -> Iterator[ArticleResult]:
    with extraction_progress(console) as advance:
        for result in results:
            advance(result)
            yield result


def skipped_printer(err: Console) -> Callable[[ReadError], None]:
    """A callback for use cases' skipped inputs: one line each, naming the input."""
    def print_skipped(error: ReadError) -> None:
        err.print(f"warmonitor: {error.message}", markup=False)

    return print_skipped


def print_summary(summary: IngestSummary, err: Console) -> None:
    """The counts on one line, then one line per reason inputs were skipped for, the commonest first."""
    reasons: dict[str, int] = {}
    for _, reason in summary.skipped:
        key = reason.split(": ", 1)[-1][:70]
        reasons[key] = reasons.get(key, 0) + 1
    err.print(f"read {summary.read}, new {summary.new}, updated {summary.updated}, unchanged {summary.unchanged}, "
              f"skipped {len(summary.skipped)}, facts stored {summary.facts}, articles linked {summary.linked}",
              markup=False)
    if summary.link_error:
        err.print(f"warmonitor: {summary.link_error}", markup=False)
    for reason, n in sorted(reasons.items(), key=lambda kv: -kv[1]):
        err.print(f"  skipped {n}: {reason}", markup=False)


@contextmanager
def output_stream(output: Path | None, err: Console) -> Iterator[IO[str]]:
    """The file `-o` names (else stdout) for a command's records: a file that cannot be written is one
    line and exit status 2, and a reader that goes away (`| head`) ends the command quietly."""
    try:
        stream = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
    except OSError as exc:
        err.print(f"warmonitor: {output}: cannot write ({exc.strerror or exc}); give -o a file in a folder "
                  "that exists and may be written", markup=False)
        raise typer.Exit(2)
    try:
        yield stream
    except BrokenPipeError:
        sys.stderr.close()  # the reader (head, less) went away: not an error
        raise typer.Exit(0)
    finally:
        if output:
            stream.close()


def write_parquet_file(write: Callable[[Path], int], output: Path | None, err: Console) -> None:
    """Run a Parquet writer on `-o`'s file: Parquet is binary and written whole, so it needs a file,
    and pyarrow is an optional extra; either missing is one line and exit status 2."""
    from warmonitor.export.parquet import ParquetUnavailable

    if output is None:
        err.print("warmonitor: -f parquet writes a file: give it with -o FILE.parquet", markup=False)
        raise typer.Exit(2)
    try:
        write(output)
    except ParquetUnavailable as exc:
        err.print(f"warmonitor: {exc}", markup=False)
        raise typer.Exit(2)
    except OSError as exc:
        err.print(f"warmonitor: {output}: cannot write ({exc.strerror or exc}); give -o a file in a folder "
                  "that exists and may be written", markup=False)
        raise typer.Exit(2)
