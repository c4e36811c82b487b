"""Parquet files of articles (`.parquet`): one article per row, read a row group at a time.

The columns are the fields of a JSON Lines article (read/jsonl.py): `text` (required) and optional
`id`, `published` (or `date`), `outlet`, `url`, `title`, `language`; other columns are ignored. The id
defaults to `STEM-ROW` (rows counted from 1, as JSON Lines counts lines) and each article's source is
`path:ROW`, so a bad row is named. Archives of tens of millions of articles are usually kept this way;
`rows` reads one slice of a file, the unit a cluster worker is given (read/archives.py). pyarrow is an
optional extra (`pip install 'warmonitor[parquet]'`): without it, a Parquet input is one skipped line.
"""
from __future__ import annotations

import os
from collections.abc import Iterator

from warmonitor.model import Article, ReadError
from warmonitor.read.common import ALIASES, META_FIELDS, Options, build_article, describe_oserror, error, pick_fields

SUFFIX = ".parquet"
NO_PYARROW = "reading Parquet needs pyarrow: pip install 'warmonitor[parquet]'"


def parquet_columns(names: list[str]) -> list[str]:
    """The columns of a file that carry an article's fields (text, the metadata fields, their aliases)."""
    wanted = {"text", *META_FIELDS, *ALIASES}
    return [name for name in names if name in wanted]


def parquet_row_count(path: str) -> int:
    """How many rows the file holds (from its footer: nothing else is read)."""
    import pyarrow.parquet as pq

    return pq.ParquetFile(path).metadata.num_rows


def read_parquet(path: str, opts: Options, rows: tuple[int, int] | None = None) -> Iterator[Article | ReadError]:
    """The articles of a Parquet file, or of its rows `rows` (start, stop; counted from 0)."""
    try:
        import pyarrow.parquet as pq
    except ImportError:
        yield error(path, f"{path}: {NO_PYARROW}")
        return
    stem = os.path.basename(path)[: -len(SUFFIX)]
    try:
        handle = pq.ParquetFile(path)
    except OSError as exc:
        yield error(path, describe_oserror(path, exc))
        return
    except Exception as exc:  # pyarrow's own errors: not a Parquet file, a truncated footer
        yield error(path, f"{path}: not a readable Parquet file ({type(exc).__name__}: {exc}); check or re-create it")
        return
    columns = parquet_columns(handle.schema_arrow.names)
    if "text" not in columns:
        yield error(path, f"{path}: has no \"text\" column; a Parquet file of articles needs one (and may have "
                          "id, published, outlet, url, title, language)")
        return
    start, stop = rows if rows is not None else (0, handle.metadata.num_rows)
    first = 0  # the file row the current row group starts at
    for group in range(handle.num_row_groups):
        size = handle.metadata.row_group(group).num_rows
        if first + size > start and first < stop:
            table = handle.read_row_group(group, columns=columns)
            for offset, record in enumerate(table.to_pylist()):
                row = first + offset
                if start <= row < stop:
                    yield _article(record, path, stem, row + 1, opts)
        first += size
        if first >= stop:
            return


def _article(record: dict, path: str, stem: str, number: int, opts: Options) -> Article | ReadError:
    where = f"{path}:{number}"
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        return error(where, f"{where}: no article text (the \"text\" column is empty); add the text or remove the row")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return build_article(f"{stem}-{number}", text, where, opts, pick_fields(record))
