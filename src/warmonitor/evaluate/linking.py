"""Incident records for a folder of articles, made the way `warmonitor ingest` makes them: extract each
article, then link them all with `link_articles`, which orders them as a rebuild does.

`warmonitor eval-incidents GOLD_DIR` (no predictions file) and the conflict-incident tests score this,
so the figures measure the real pipeline and linker rather than a test double. The linker is imported
only when called: scoring a predictions file must not need it (nor spaCy).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

__all__ = ["link_articles_of", "link_folder", "link_results"]


def link_results(results: Iterable) -> list[dict]:
    """Incident records for extraction results (`ArticleResult`); their order does not matter."""
    from warmonitor.link.linker import link_articles
    from warmonitor.link.model import LinkArticle

    articles = [LinkArticle(id=r.article.id, outlet=r.article.outlet, published=r.article.published,
                            title=r.article.title, text=r.text, url=r.article.url,
                            facts=tuple(rec for rec in r.records() if rec.get("type") != "summary"))
                for r in results]
    return link_articles(articles).incidents()


def link_articles_of(folder: str | Path, on_error: Callable[[str], None] | None = None) -> tuple[list, list[dict]]:
    """The extraction results of every article in `folder` and the incident records linked from them.

    An article that cannot be read or extracted is reported through `on_error` (one line) and left out.
    """
    from warmonitor.model import ReadError
    from warmonitor.pipeline import Pipeline
    from warmonitor.read import iter_articles

    report = on_error or (lambda message: None)
    articles = []
    for item in iter_articles([str(folder)]):
        if isinstance(item, ReadError):
            report(item.message)
        else:
            articles.append(item)
    results = []
    for result in Pipeline().extract_many(articles):
        if isinstance(result, ReadError):
            report(result.message)
        else:
            results.append(result)
    return results, link_results(results)


def link_folder(folder: str | Path, on_error: Callable[[str], None] | None = None) -> list[dict]:
    """Incident records for the articles in `folder` (see `link_articles_of`)."""
    return link_articles_of(folder, on_error)[1]
