"""Shared pieces of the readers: one-line errors, bounded file loading, strict decoding, metadata.

Every function here returns a `ReadError` instead of raising for bad input, so that the readers can
yield it and go on with the next item.
"""
from __future__ import annotations

import codecs
import json
import os
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any

from warmonitor.model import Article, ReadError

# Metadata fields an article may carry, and the aliases accepted for them in metadata and JSON Lines.
META_FIELDS = ("id", "published", "outlet", "url", "title", "language")
ALIASES = {"date": "published", "lang": "language", "headline": "title", "source_url": "url"}
BINARY_SHARE = 0.10  # more than this share of control characters: not text
UNDECODABLE_SHARE = 0.30  # more than this share of bytes that are not UTF-8: not text (latin-1 text has few)
SAMPLE = 8192


@dataclass(frozen=True)
class Options:
    """What the caller passes through every reader: the flags that win over metadata, the size cap."""

    published: str | None = None
    outlet: str | None = None
    max_bytes: int = 20_000_000


def error(source: str, message: str) -> ReadError:
    """A ReadError whose message is guaranteed to be one line (names may hold odd characters)."""
    return ReadError(source=source, message=" ".join(message.split()))


def describe_oserror(name: str, exc: OSError, what: str = "file") -> str:
    if isinstance(exc, FileNotFoundError):
        return f"{name}: no such file or folder; check the path"
    if isinstance(exc, PermissionError):
        return f"{name}: permission denied; make the {what} readable or leave it out"
    if isinstance(exc, IsADirectoryError):
        return f"{name}: is a folder where a {what} was expected"
    reason = exc.strerror or exc.__class__.__name__
    return f"{name}: cannot read the {what} ({reason}); check the path and try again"


def too_big(name: str, size: int, max_bytes: int) -> str:
    return (f"{name}: {size:,} bytes is more than the {max_bytes:,}-byte limit for one article; "
            "split it or raise the limit")


def load_file(path: str, max_bytes: int) -> bytes | ReadError:
    """The bytes of a file, after checking with stat that it exists, is a file and is small enough."""
    try:
        info = os.stat(path)
        if not os.path.isfile(path):
            return error(path, f"{path}: is not a regular file; give a file or a folder")
        if info.st_size > max_bytes:
            return error(path, too_big(path, info.st_size, max_bytes))
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        return error(path, describe_oserror(path, exc))
    if len(data) > max_bytes:  # grew since stat, or a special file that reports size 0
        return error(path, too_big(path, len(data), max_bytes))
    return data


def _control_share(text: str) -> float:
    if not text:
        return 0.0
    bad = sum(1 for ch in text if ch not in "\t\n\r\f\v\x1b" and unicodedata.category(ch) == "Cc")
    return bad / len(text)


def _undecodable_share(text: str) -> float:
    return text.count("\ufffd") / len(text) if text else 0.0


def binary_problem(name: str, data: bytes) -> str | None:
    """Why `data` is not text (NUL bytes, UTF-16, mostly control bytes), or None when it may be text."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return (f"{name}: is UTF-16 text, not UTF-8; convert it to UTF-8 "
                "(e.g. iconv -f UTF-16 -t UTF-8) and try again")
    if b"\x00" in data:
        return (f"{name}: looks like a binary file (it contains NUL bytes), not text; "
                "give a text, HTML or JSON Lines file")
    sample = data[:SAMPLE].decode("utf-8", errors="replace")
    if _control_share(sample) > BINARY_SHARE or _undecodable_share(sample) > UNDECODABLE_SHARE:
        return (f"{name}: looks like a binary file (mostly non-text bytes), not text; "
                "give a text, HTML or JSON Lines file")
    return None


def invalid_utf8(name: str, exc: UnicodeDecodeError, base: int = 0) -> str:
    offset = base + exc.start
    byte = exc.object[exc.start:exc.start + 1].hex().upper()
    return (f"{name}: is not valid UTF-8 (byte 0x{byte} at offset {offset}); "
            "convert it to UTF-8 (e.g. iconv -f latin1 -t utf-8) and try again")


def decode(name: str, source: str, data: bytes, fallback: str | None = None) -> str | ReadError:
    """Strict UTF-8 (a BOM is accepted and dropped), newlines made `\\n`; else a ReadError.

    `fallback` is an encoding the input itself declares (an HTML charset); it is tried only when the
    bytes are not UTF-8. No encoding is ever guessed.
    """
    problem = binary_problem(name, data)
    if problem:
        return error(source, problem)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        text = None
        if fallback:
            try:
                text = data.decode(fallback)
            except (UnicodeDecodeError, LookupError):
                text = None
        if text is None:
            return error(source, invalid_utf8(name, exc))
    if _control_share(text[:SAMPLE]) > BINARY_SHARE:
        return error(source, f"{name}: looks like a binary file (mostly control characters), not text; "
                             "give a text, HTML or JSON Lines file")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def empty(name: str, source: str, what: str = "file") -> ReadError:
    return error(source, f"{name}: the {what} is empty (no text in it); give an article with text "
                         "or leave it out")


_DAY_FIRST = ("%d %B %Y", "%d %b %Y", "%d %B, %Y", "%d %b, %Y", "%A, %d %B %Y", "%A %d %B %Y")
_MONTH_FIRST = ("%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%b %d %Y", "%A, %B %d, %Y", "%b. %d, %Y")
_ISO_DAY = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:$|[T\s_])")
_COMPACT_DAY = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:$|T)")


def normalise_date(value: Any) -> str | None:
    """An ISO day (YYYY-MM-DD) for a date-like value, or None when it cannot be read as one.

    Takes ISO dates and datetimes ("2020-02-18T10:00:00Z" -> "2020-02-18": the day as written, no
    time-zone shift), "2020/02/18", "20200218", RFC 2822 ("Tue, 18 Feb 2020 10:00:00 GMT"),
    "18 February 2020", "February 18, 2020" and Unix timestamps. Ambiguous "02/03/2020" gives None.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (int, float)):
        try:
            return datetime.fromtimestamp(value / 1000 if value > 1e11 else value, timezone.utc).date().isoformat()
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    if not text:
        return None
    match = _ISO_DAY.match(text) or _COMPACT_DAY.match(text)
    if match:
        try:
            return date(int(match[1]), int(match[2]), int(match[3])).isoformat()
        except ValueError:
            return None
    try:
        return parsedate_to_datetime(text).date().isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    cleaned = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text)
    for pattern in _DAY_FIRST + _MONTH_FIRST:
        try:
            return datetime.strptime(cleaned, pattern).date().isoformat()
        except ValueError:
            continue
    return None


def pick_fields(record: dict[str, Any]) -> dict[str, Any]:
    """The metadata fields of a JSON object (aliases folded in), values as strings, nulls dropped."""
    out: dict[str, Any] = {}
    for key, value in record.items():
        field = ALIASES.get(key, key)
        if field not in META_FIELDS or value is None or field in out and key != field:
            continue
        if field == "published":
            out[field] = value  # normalised when the article is built
        elif isinstance(value, (str, int, float)) and not isinstance(value, bool):
            text = " ".join(str(value).split())
            if text:
                out[field] = text
    return out


def meta_path(path: str, suffix_len: int) -> str:
    return path[:-suffix_len] + ".meta.json"


def read_meta(path: str, max_bytes: int) -> dict[str, Any] | ReadError | None:
    """The metadata beside an article (`NAME.meta.json`): its fields, None when absent, or a ReadError."""
    if not os.path.exists(path):
        return None
    data = load_file(path, max_bytes)
    if isinstance(data, ReadError):
        return data
    text = decode(path, path, data)
    if isinstance(text, ReadError):
        return text
    fix = "fix it or remove it; the article is read without it"
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        return error(path, f"{path}: metadata is not valid JSON ({exc.msg} at line {exc.lineno} "
                           f"column {exc.colno}); {fix}")
    if not isinstance(record, dict):
        return error(path, f"{path}: metadata must be a JSON object, not {type(record).__name__}; {fix}")
    return pick_fields(record)


def build_article(default_id: str, text: str, source: str, opts: Options,
                  *layers: dict[str, Any] | None) -> Article:
    """An Article from layers of metadata, later layers winning; the caller's flags win over all."""
    values: dict[str, Any] = {}
    for layer in (*layers, {"published": opts.published, "outlet": opts.outlet}):
        for key, value in (layer or {}).items():
            if key == "published":
                value = normalise_date(value)
            if value is not None and value != "":
                values[key] = value
    values = {key: storable(value) if isinstance(value, str) else value for key, value in values.items()}
    return Article(
        id=storable(str(values.get("id") or default_id)),
        text=storable(text),
        title=values.get("title"),
        published=values.get("published"),
        outlet=values.get("outlet"),
        url=values.get("url"),
        language=values.get("language"),
        source=source,
    )


LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def storable(text: str) -> str:
    """Text every store can keep: NUL characters dropped (PostgreSQL refuses them in text, and would
    refuse the whole batch) and lone surrogates (valid in JSON escapes, never in UTF-8) replaced."""
    if "\x00" in text:
        text = text.replace("\x00", "")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = LONE_SURROGATE.sub("\ufffd", text)
    return text
