"""The reading stage: paths, folders and stdin in, `Article`s (or one-line `ReadError`s) out."""
from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from typing import BinaryIO, TextIO

from warmonitor.model import Article, ReadError
from warmonitor.read.common import Options, describe_oserror, error, normalise_date
from warmonitor.read.html import read_html
from warmonitor.read.jsonl import read_jsonl
from warmonitor.read.parquet import read_parquet
from warmonitor.read.stdin import read_stdin
from warmonitor.read.text import read_text

__all__ = ["iter_articles", "normalise_date"]

Reader = Callable[[str, Options], Iterator["Article | ReadError"]]
SKIPPED = (".meta.json", ".gold.json")
KNOWN = ".txt, .html, .htm, .jsonl, .jsonl.gz or .parquet"


def reader_for(name: str) -> Reader | None:
    lowered = name.lower()
    if lowered.endswith(SKIPPED):
        return None
    if lowered.endswith((".jsonl", ".jsonl.gz")):
        return read_jsonl
    if lowered.endswith(".txt"):
        return read_text
    if lowered.endswith(".parquet"):
        return read_parquet
    if lowered.endswith((".html", ".htm")):
        return read_html
    return None


def iter_articles(paths: list[str], *, published: str | None = None, outlet: str | None = None,
                  stdin: TextIO | BinaryIO | None = None,
                  max_bytes: int = 20_000_000) -> Iterator[Article | ReadError]:
    """Yield one `Article` per input article, or a `ReadError` for each input that cannot be read.

    `paths` holds files, folders and `-` (standard input, or `stdin` when given). Files: `.txt` (plain
    text, UTF-8; a `NAME.meta.json` beside it gives `id`, `published`, `outlet`, `url`, `title`,
    `language`; the id defaults to the file stem), `.html`/`.htm` (main text, title, date, canonical
    url and language through trafilatura; a `NAME.meta.json` wins over those), `.jsonl` and
    `.jsonl.gz` (one JSON object per line with `text` and the same optional fields; the id defaults to
    `STEM-LINE`), `.parquet` (one article per row, the same fields as columns; the id defaults to
    `STEM-ROW`; read/parquet.py). Folders are walked recursively in name order, taking those extensions and skipping
    hidden entries, `.meta.json` and `.gold.json` files and anything else. On `-`, input whose first
    non-blank character is `{` is read as JSON Lines, anything else as one article with id `stdin`.

    Precedence: the `published` and `outlet` arguments (command-line flags) win over metadata and
    JSON Lines fields, which win over what is found in HTML; a missing value is filled from the next
    source down. `published` is normalised to YYYY-MM-DD wherever it comes from, or None when it cannot
    be read as a date; an unreadable `published` argument gives a ReadError (source `--published`)
    and is ignored.

    Bad input never raises: it gives a `ReadError` with a one-line message naming the input and
    saying what to do, and reading goes on with the next input. A metadata file that is not valid
    JSON gives a ReadError for the metadata file, followed by the article read without it. A bad JSON
    Lines line gives a ReadError for `path:LINE`, and the rest of the file is read. `max_bytes` caps
    one article: a `.txt`/`.html` file larger than that (checked with stat, before reading) or a JSON
    Lines line longer than that is refused; a JSON Lines feed as a whole is streamed, never loaded.

    Articles are produced lazily, one file (or line) at a time.
    """
    opts = Options(published=None, outlet=(outlet or "").strip() or None, max_bytes=max_bytes)
    if published is not None and str(published).strip():
        day = normalise_date(published)
        if day is None:
            yield error("--published", f"--published: {published!r} is not a date; give it as YYYY-MM-DD "
                                       "(the articles are read without it)")
        opts = Options(published=day, outlet=opts.outlet, max_bytes=max_bytes)
    for raw in paths:
        path = os.fspath(raw) if isinstance(raw, (str, os.PathLike)) else str(raw)
        if path == "-":
            yield from _guarded("-", read_stdin(stdin, opts))
        else:
            yield from _read_path(path, opts, explicit=True, seen=set())


def _guarded(source: str, items: Iterator[Article | ReadError]) -> Iterator[Article | ReadError]:
    """A last safety net: an unforeseen failure in a reader becomes a ReadError, not a traceback."""
    try:
        yield from items
    except Exception as exc:  # noqa: BLE001
        yield error(source, f"{source}: could not be read ({exc.__class__.__name__}: {exc}); "
                            "check the input, or report this if it looks fine")


def _read_path(path: str, opts: Options, *, explicit: bool, seen: set[str]) -> Iterator[Article | ReadError]:
    try:
        info = os.stat(path)
    except (OSError, ValueError) as exc:
        if isinstance(exc, ValueError):  # e.g. a NUL in the path
            yield error(path, f"{path!r}: is not a usable path; check it")
        else:
            yield error(path, describe_oserror(path or "''", exc))
        return
    if stat.S_ISDIR(info.st_mode):
        yield from _walk(path, opts, seen, os.path.realpath(path))
        return
    reader = reader_for(path)
    if reader is not None:
        yield from _guarded(path, reader(path, opts))
    elif explicit:
        lowered = path.lower()
        if lowered.endswith(SKIPPED):
            kind = "metadata" if lowered.endswith(".meta.json") else "gold"
            yield error(path, f"{path}: is a {kind} file, not an article; give the article beside it "
                              "(NAME.txt) or the folder")
        else:
            ext = os.path.splitext(path)[1] or "(none)"
            yield error(path, f"{path}: unknown file type {ext}; give a {KNOWN} file or a folder")


def _walk(folder: str, opts: Options, seen: set[str], root: str) -> Iterator[Article | ReadError]:
    """Articles under `folder`; a link that leads out of `root` (the folder given) is not followed, so
    reading a folder never reads what its author did not put in it (a link to /etc, a home folder)."""
    real = os.path.realpath(folder)
    if real in seen:  # a symlink loop, or the same folder twice
        return
    seen.add(real)
    try:
        with os.scandir(folder) as scan:
            entries = sorted((entry for entry in scan if not entry.name.startswith(".")),
                             key=lambda entry: entry.name)
    except OSError as exc:
        yield error(folder, describe_oserror(folder, exc, what="folder"))
        return
    for entry in entries:
        if entry.is_symlink() and os.path.commonpath([root, os.path.realpath(entry.path)]) != root:
            if entry.is_dir() or reader_for(entry.name) is not None:
                yield error(entry.path, f"{entry.path}: is a link to outside {root}; not followed (give its "
                                        "target itself to read it)")
            continue
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            yield from _walk(entry.path, opts, seen, root)
        elif reader_for(entry.name) is not None:
            yield from _read_path(entry.path, opts, explicit=False, seen=seen)
