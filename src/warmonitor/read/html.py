"""HTML pages: main text, title, date and canonical url through trafilatura.

A `NAME.meta.json` beside the page wins over what trafilatura finds; the caller's flags win over both.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from warmonitor.model import Article, ReadError
from warmonitor.read.common import Options, build_article, decode, empty, error, load_file, meta_path, read_meta
from warmonitor.read.text import stem

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_LANG = re.compile(r"""<html[^>]*\slang\s*=\s*["']?([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)?""", re.IGNORECASE)
# Publication date from the page's markup only: a date found in the body is more often the event's.
_DATE_PARAMS = {"original_date": True, "extensive_search": False}


def declared_charset(data: bytes) -> str | None:
    match = _CHARSET.search(data[:4096])
    return match[1].decode("ascii") if match else None


def extract(html: str) -> dict[str, Any] | None:
    """Main text and metadata of a page, or None when trafilatura finds no body."""
    import trafilatura  # slow to import; only paid when there is HTML to read

    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                      date_extraction_params=_DATE_PARAMS)
    if doc is None:
        return None
    get = doc.get if isinstance(doc, dict) else (lambda key: getattr(doc, key, None))
    text = (get("text") or "").strip()
    if not text:
        return None
    found: dict[str, Any] = {"text": text, "title": get("title"), "published": get("date"),
                             "url": get("url"), "language": get("language")}
    if not found["language"]:
        match = _LANG.search(html[:4096])
        found["language"] = match[1].lower() if match else None
    return {key: value for key, value in found.items() if value}


def read_html(path: str, opts: Options) -> Iterator[Article | ReadError]:
    lowered = path.lower()
    suffix_len = len(".html") if lowered.endswith(".html") else len(".htm")
    data = load_file(path, opts.max_bytes)
    if isinstance(data, ReadError):
        yield data
        return
    html = decode(path, path, data, fallback=declared_charset(data))
    if isinstance(html, ReadError):
        yield html
        return
    if not html.strip():
        yield empty(path, path)
        return
    try:
        found = extract(html)
    except Exception as exc:  # noqa: BLE001 - a broken page must not stop the run
        yield error(path, f"{path}: could not parse the HTML ({exc.__class__.__name__}); "
                          "check the file or save the article as .txt")
        return
    if found is None:
        yield error(path, f"{path}: no article text found in the HTML; check that the page holds the "
                          "article (not a login or cookie page) or save its text as .txt")
        return
    text = found.pop("text")
    meta = read_meta(meta_path(path, suffix_len), opts.max_bytes)
    if isinstance(meta, ReadError):
        yield meta
        meta = None
    yield build_article(stem(path, suffix_len), text, path, opts, found, meta)
