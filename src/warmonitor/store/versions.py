"""When input makes a new version of a stored article: new text, or metadata that corrects the stored.

An article read again with its text unchanged is "unchanged" unless it brings metadata (publication
day, outlet, title, URL, language) that differs from the stored version's: a corrected `--published`
must reach the facts, whose undated events resolve against it. A field the input does not give is no
change, and a new version keeps the stored value of every field its input lacks, so ingesting the same
text from stdin without `--published` neither loses the day nor counts as a change.

Only the stored version of the *same* article counts: one with the input's key or canonical URL. The
same text stored under another key (a syndicated copy) stays the article it is.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any

from ..model import Article
from .rows import canonical_url, iso_date

# Article fields a re-read may correct; `id` (the key) and `source` (where it was read) are no metadata.
METADATA_FIELDS = ("published", "outlet", "title", "url", "language")


@dataclass(frozen=True)
class StoredMetadata:
    """The metadata of a stored current version, as `Article` fields (URL canonical, day as YYYY-MM-DD)."""

    key: str
    content_hash: str
    published: str | None
    outlet: str | None
    title: str | None
    url: str | None
    language: str | None

    @classmethod
    def of(cls, row: Any) -> StoredMetadata:
        """From an `ArticleRow` (or anything with its columns)."""
        published = row.published.isoformat() if isinstance(row.published, dt.date) else row.published
        return cls(row.article_key, row.content_hash, published, row.outlet, row.title, row.canonical_url,
                   row.language)


def given_metadata(article: Article, url: str | None = None) -> dict[str, Any]:
    """The metadata `article` gives, in the stored form; `url` stands in for a missing URL (`Store.save`)."""
    day = iso_date(article.published)
    return {"published": day.isoformat() if day else None, "outlet": article.outlet or None,
            "title": article.title or None, "url": canonical_url(article.url or url),
            "language": article.language or None}


def changed_fields(article: Article, stored: StoredMetadata, url: str | None = None) -> list[str]:
    """The metadata fields `article` gives with a value other than the stored one (None gives nothing)."""
    given = given_metadata(article, url)
    return [name for name in METADATA_FIELDS if given[name] is not None and given[name] != getattr(stored, name)]


def is_same_article(stored: StoredMetadata, key: str, url: str | None) -> bool:
    """Whether a stored version is of the article with this key or canonical URL."""
    return stored.key == key or (url is not None and stored.url == url)


def merged(article: Article, stored: StoredMetadata | None) -> Article:
    """`article` with every metadata field it lacks taken from its stored version."""
    if stored is None:
        return article
    missing = {name: getattr(stored, name) for name in METADATA_FIELDS
               if not getattr(article, name) and getattr(stored, name) is not None}
    return dataclasses.replace(article, **missing) if missing else article


@dataclass(frozen=True)
class Prior:
    """What the store holds for one input, read before extracting it: `unchanged` when saving it would
    change nothing; else `previous`, the same article's current version (None for a new article),
    whose metadata fills in what the input lacks (`merged`)."""

    unchanged: bool
    previous: StoredMetadata | None = None


def prior_of(found: list[StoredMetadata], key: str, url: str | None, content_hash: str, article: Article) -> Prior:
    """The `Prior` of an input (its key, canonical URL and content hash) among the current versions
    `found` that share one of them."""
    same_text = next((s for s in found if s.content_hash == content_hash), None)
    previous = (next((s for s in found if s.key == key), None)
                or next((s for s in found if url is not None and s.url == url), None))
    if same_text is not None and not (is_same_article(same_text, key, url) and changed_fields(article, same_text)):
        return Prior(unchanged=True)
    return Prior(unchanged=False, previous=previous)
