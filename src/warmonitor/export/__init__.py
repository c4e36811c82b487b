"""Writers for extraction results: a readable table per article, JSON Lines records (docs/format.md), one JSON document."""
from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, TextIO

from ..model import ArticleResult


def write_results(results: Iterable[ArticleResult], fmt: str, stream: TextIO) -> int:
    """Write results as they come (JSON Lines streams; JSON gathers one document). Returns the count.

    `results` holds only articles that were extracted; the caller reports failures.
    """
    n = 0
    if fmt == "jsonl":
        for result in results:
            for record in result.records():
                stream.write(json.dumps(record, ensure_ascii=False) + "\n")
            n += 1
    elif fmt == "json":
        docs = []
        for result in results:
            docs.append({"article": article_meta(result), "text": result.text, "repairs": result.repairs,
                         "facts": result.records()})
            n += 1
        json.dump({"articles": docs}, stream, ensure_ascii=False, indent=1)
        stream.write("\n")
    else:
        from .table import print_table

        for result in results:
            print_table(result, stream)
            n += 1
    return n


def article_meta(result: ArticleResult) -> dict[str, Any]:
    a = result.article
    return {"id": a.id, "title": a.title, "published": a.published, "outlet": a.outlet, "url": a.url,
            "language": a.language, "source": a.source}
