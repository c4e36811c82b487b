"""Plain-text articles: `NAME.txt`, with optional metadata in `NAME.meta.json` beside it."""
from __future__ import annotations

import os
from collections.abc import Iterator

from warmonitor.model import Article, ReadError
from warmonitor.read.common import Options, build_article, decode, empty, load_file, meta_path, read_meta


def stem(path: str, suffix_len: int) -> str:
    return os.path.basename(path)[:-suffix_len] if suffix_len else os.path.basename(path)


def read_text(path: str, opts: Options) -> Iterator[Article | ReadError]:
    """One article from a text file; a broken `.meta.json` gives a ReadError, then the bare article."""
    data = load_file(path, opts.max_bytes)
    if isinstance(data, ReadError):
        yield data
        return
    text = decode(path, path, data)
    if isinstance(text, ReadError):
        yield text
        return
    if not text.strip():
        yield empty(path, path)
        return
    suffix_len = len(".txt")
    meta = read_meta(meta_path(path, suffix_len), opts.max_bytes)
    if isinstance(meta, ReadError):
        yield meta
        meta = None
    yield build_article(stem(path, suffix_len), text, path, opts, meta)
