"""JSON Lines feeds (`.jsonl`, `.jsonl.gz`, or stdin): one article per line, streamed.

Each line is a JSON object with `text` and optional `id`, `published` (or `date`), `outlet`, `url`,
`title`, `language`. A bad line gives a ReadError for `path:LINE` and the rest of the feed is read.
`max_bytes` applies to each line (one article), not to the feed, which is never held in memory.
"""
from __future__ import annotations

import gzip
import json
import os
import zlib
from collections.abc import Callable, Iterator
from typing import IO, AnyStr

from warmonitor.model import Article, ReadError
from warmonitor.read.common import (SAMPLE, Options, binary_problem, build_article, describe_oserror,
                                    error, invalid_utf8, pick_fields)

GIVE_UP_AFTER = 20  # bad lines before the first good one: this is not JSON Lines
_DRAIN = 1 << 16


def split_lines(readline: Callable[[int], AnyStr], limit: int, prefix: AnyStr) -> Iterator[tuple[int, AnyStr | None]]:
    """(line number, line) pairs, the line None when longer than `limit`; never holds a longer line."""
    newline = b"\n" if isinstance(prefix, bytes) else "\n"
    lineno = 0
    while True:
        if prefix:
            cut = prefix.find(newline)
            if cut >= 0:
                line, prefix = prefix[:cut + 1], prefix[cut + 1:]
            else:
                room = limit + 1 - len(prefix)
                line, prefix = prefix + (readline(room) if room > 0 else prefix[:0]), prefix[:0]
        else:
            line = readline(limit + 1)
        if not line:
            return
        lineno += 1
        ended = line.endswith(newline)
        if len(line) - ended > limit:
            while not ended:  # skip the rest of the overlong line without keeping it
                more = readline(_DRAIN)
                ended = not more or more.endswith(newline)
            yield lineno, None
        else:
            yield lineno, line


def parse_line(raw: str | bytes | None, lineno: int, name: str, default_id: str, opts: Options,
               ) -> tuple[Article | ReadError | None, bool]:
    """The article on one line (None for a blank line), and whether the line was not JSON at all."""
    where = f"{name}:{lineno}"
    if raw is None:
        return error(where, f"{where}: line is longer than the {opts.max_bytes:,}-byte limit for one "
                            "article; split it or raise the limit"), False
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig" if lineno == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            return error(where, invalid_utf8(where, exc).replace("at offset", "at line offset")), True
    if not raw.strip():
        return None, False
    try:
        record = json.loads(raw)
    except json.JSONDecodeError as exc:
        return error(where, f"{where}: not valid JSON ({exc.msg} at column {exc.colno}); fix or remove "
                            "the line (the other lines are still read)"), True
    except RecursionError:
        return error(where, f"{where}: nested too deeply to be an article (brackets inside brackets "
                            "thousands of times); fix or remove the line (the other lines are still read)"), True
    except ValueError as exc:  # an integer of thousands of digits (Python's int_max_str_digits)
        what = "a number thousands of digits long" if "digits" in str(exc) else f"a value that cannot be read ({exc})"
        return error(where, f"{where}: holds {what}; fix or remove the line (the other lines are still read)"), True
    if not isinstance(record, dict):
        return error(where, f"{where}: a line must be a JSON object with a \"text\" field, not "
                            f"{type(record).__name__}; fix or remove the line"), True
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        return error(where, f"{where}: no article text (the \"text\" field is missing or empty); "
                            "add the text or remove the line"), False
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return build_article(default_id, text, where, opts, pick_fields(record)), False


def read_lines(name: str, stem: str, readline: Callable[[int], AnyStr], prefix: AnyStr,
               opts: Options) -> Iterator[Article | ReadError]:
    """Articles from a stream of JSON Lines whose first `prefix` has already been read."""
    good = bad = 0
    for lineno, raw in split_lines(readline, opts.max_bytes, prefix):
        item, not_json = parse_line(raw, lineno, name, f"{stem}-{lineno}", opts)
        if item is None:
            continue
        good += isinstance(item, Article)
        bad += not_json
        yield item
        if not good and bad >= GIVE_UP_AFTER:
            yield error(name, f"{name}: stopped after {bad} lines that are not JSON objects and none that "
                              "is; check that this is a JSON Lines file (one JSON object per line)")
            return


def read_jsonl(path: str, opts: Options) -> Iterator[Article | ReadError]:
    gz = path.lower().endswith(".gz")
    stem = os.path.basename(path)
    stem = stem[: -len(".jsonl.gz")] if gz else stem[: -len(".jsonl")]
    try:
        size = os.stat(path).st_size
        if not os.path.isfile(path):
            yield error(path, f"{path}: is not a regular file; give a file or a folder")
            return
        if size == 0:
            yield error(path, f"{path}: the file is empty (no lines in it); give a feed with articles "
                              "or leave it out")
            return
        handle: IO[bytes] = gzip.open(path, "rb") if gz else open(path, "rb")
    except OSError as exc:
        yield error(path, describe_oserror(path, exc))
        return
    with handle:
        try:
            head = handle.read(SAMPLE)
            problem = binary_problem(path, head)
            if problem:
                yield error(path, problem)
                return
            count = 0
            for item in read_lines(path, stem, handle.readline, head, opts):
                count += 1
                yield item
            if not count:
                yield error(path, f"{path}: holds no articles (only blank lines); give a feed with "
                                  "articles or leave it out")
        except (OSError, EOFError, zlib.error) as exc:
            what = "not a valid or complete gzip file" if gz else "could not be read to the end"
            yield error(path, f"{path}: {what} ({exc.__class__.__name__}: {exc}); "
                              "check or re-create the file")
