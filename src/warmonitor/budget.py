"""The time budget of one article: a deadline checked between stages and in the long loops.

Every stage is linear in an article's length and sentences and token runs are capped (see
nlp/tokens.py, nlp/runs.py), but a 20 MB article still takes minutes, and a batch (`extract`,
`ingest`, `watch`) must not wait on one article. Python cannot stop a running C call safely, so the
deadline is checked where the work is cut into pieces: after repair and tokenization, per sentence
in the context and the extractors' sentence loops, and between fact types. An article over budget
raises `ArticleTimeout`, which the pipeline turns into a one-line "skipped" error; the batch goes on.
"""
from __future__ import annotations

import time

DEFAULT_ARTICLE_SECONDS = 30.0
# Extraction holds the tokens, their views and every mention of one article at once. Measured peak
# (bench/pathological.py) over the loaded pipeline's ~180 MB: about 270 bytes per character of
# news-like text, up to 420 on text of short comma-joined words (one token per 3 characters). At
# 1,000,000 characters (some 170,000 words, far beyond any news article) one article stays under
# about 600 MB in all.
MAX_ARTICLE_CHARS = 1_000_000


class ArticleTimeout(Exception):
    """An article ran over its time budget (`seconds`)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"over the time budget of {seconds:g} s")
        self.seconds = seconds


class Deadline:
    """When the article's budget runs out; `seconds` None or 0 means no budget."""

    __slots__ = ("seconds", "end")

    def __init__(self, seconds: float | None, start: float | None = None) -> None:
        self.seconds = seconds
        self.end = None if not seconds else (time.monotonic() if start is None else start) + seconds

    def check(self) -> None:
        if self.end is not None and time.monotonic() > self.end:
            raise ArticleTimeout(self.seconds or 0.0)
