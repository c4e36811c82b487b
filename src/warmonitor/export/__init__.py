"""Writers for extraction results: a readable table per article, JSON Lines records (docs/format.md), one JSON document."""
from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, TextIO

from ..model import ArticleResult


def write_results(results: Iterable[ArticleResult], fmt: str, stream: TextIO) -> int:
    """Write results as they come, in every format (JSON: one document, written an article at a time, so
    memory does not grow with the input). Returns the count.

    `results` holds only articles that were extracted; the caller reports failures.
    """
    n = 0
    if fmt == "jsonl":
        for result in results:
            for record in result.records():
                stream.write(json.dumps(record, ensure_ascii=False) + "\n")
            n += 1
    elif fmt == "json":
        # the document `json.dump({"articles": [...]}, indent=1)` writes, written one article at a time
        stream.write('{\n "articles": [')
        for result in results:
            doc = {"article": article_meta(result), "text": result.text, "repairs": result.repairs,
                   "facts": result.records()}
            text = json.dumps(doc, ensure_ascii=False, indent=1)
            stream.write(("," if n else "") + "\n  " + text.replace("\n", "\n  "))
            n += 1
        stream.write("\n ]\n}\n" if n else "]\n}\n")
    else:
        from .table import TABLE_ARTICLES, print_rows, print_table

        for result in results:
            if n < TABLE_ARTICLES:
                print_table(result, stream)
            else:
                if n == TABLE_ARTICLES:
                    stream.write(f"(articles after the first {TABLE_ARTICLES}: one line per fact; -f jsonl "
                                 "gives every field)\n\n")
                print_rows(result, stream)
            n += 1
    return n


def article_meta(result: ArticleResult) -> dict[str, Any]:
    a = result.article
    return {"id": a.id, "title": a.title, "published": a.published, "outlet": a.outlet, "url": a.url,
            "language": a.language, "source": a.source}
