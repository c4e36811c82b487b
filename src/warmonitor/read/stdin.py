"""Standard input (`-`): JSON Lines when the first non-blank character is `{`, else one text article."""
from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import IO

from warmonitor.model import Article, ReadError
from warmonitor.read.common import SAMPLE, Options, build_article, decode, empty, error, too_big
from warmonitor.read.jsonl import read_lines

NAME = "stdin"
SOURCE = "-"


def _blank(head: str | bytes) -> bool:
    if isinstance(head, bytes):
        return not head.replace(b"\xef\xbb\xbf", b"").strip()
    return not head.replace("\ufeff", "").strip()


def _looks_jsonl(head: str | bytes) -> bool:
    if isinstance(head, bytes):
        return head.lstrip(b"\xef\xbb\xbf \t\r\n\f\v").startswith(b"{")
    return head.lstrip("\ufeff \t\r\n\f\v").startswith("{")


def read_stdin(stream: IO | None, opts: Options) -> Iterator[Article | ReadError]:
    """Articles from `stream` (default `sys.stdin`); bytes are read where the stream offers them."""
    if stream is None:
        stream = sys.stdin
    stream = getattr(stream, "buffer", None) or stream
    if stream is None:
        yield error(SOURCE, f"{NAME}: there is no standard input to read; pipe an article in or give a path")
        return
    try:
        head = stream.read(SAMPLE) or b""
        while _blank(head) and len(head) <= opts.max_bytes:
            more = stream.read(SAMPLE)
            if not more:
                break
            head += more
    except (OSError, ValueError) as exc:
        yield error(SOURCE, f"{NAME}: cannot be read ({exc.__class__.__name__}: {exc}); "
                            "pipe an article in or give a path")
        return
    if _blank(head):
        yield empty(NAME, SOURCE, what="input") if head else error(
            SOURCE, f"{NAME}: no input arrived on stdin; pipe an article or JSON Lines in, or give a path")
        return
    if _looks_jsonl(head):
        count = 0
        for item in read_lines(NAME, NAME, stream.readline, head, opts):
            count += 1
            yield item
        if not count:
            yield error(SOURCE, f"{NAME}: holds no articles; pipe JSON Lines with articles in")
        return
    room = opts.max_bytes + 1 - len(head)
    data = head + (stream.read(room) if room > 0 else head[:0])
    if len(data) > opts.max_bytes:
        yield error(SOURCE, too_big(NAME, len(data), opts.max_bytes).replace(f"{len(data):,} bytes is",
                                                                            "the input is"))
        return
    text = decode(NAME, SOURCE, data if isinstance(data, bytes) else data.encode("utf-8", "surrogatepass"))
    if isinstance(text, ReadError):
        yield text
        return
    if not text.strip():
        yield empty(NAME, SOURCE, what="input")
        return
    yield build_article("stdin", text, SOURCE, opts)
