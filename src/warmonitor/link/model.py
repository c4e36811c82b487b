"""What linking reads and writes: plain values, no I/O, so the store, the CLI, the tests and a Dask
worker can all hand articles to a `Linker` and read its decisions back the same way.

An incident is one event in the world however many articles report it (docs/format.md, "Incident
records"); linking decides which facts of which articles are that event, and says why.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class LinkArticle:
    """One article as linking sees it: its metadata, repaired text and fact records."""

    id: str  # the article's key (Article.id, articles.article_key)
    outlet: str | None
    published: str | None  # YYYY-MM-DD
    title: str | None
    text: str  # the repaired text: the facts' evidence offsets point into it
    # fact records as docs/format.md describes them (no summary records); a stored record carries its
    # "id" (facts.id), otherwise its index in this tuple stands for it
    facts: tuple[dict, ...] = ()
    url: str | None = None


@dataclass(frozen=True)
class Constraint:
    """An analyst's decision, replayed on every `link --rebuild` so that no re-run undoes it."""

    action: str  # "merge": these articles report one incident; "split": never in one incident
    articles: tuple[str, ...]  # article keys
    reason: str
    by: str | None = None


@dataclass
class Link:
    """Why facts of one article joined one incident: the evidence that agreed, and how strongly."""

    incident: str
    article: str
    facts: list[int | str]  # fact ids (or indexes, see LinkArticle.facts)
    score: float
    reasons: dict = field(default_factory=dict)  # day, place, distance_km, actors, victims, counts, text...
    opened: bool = False  # True when these facts opened the incident


@dataclass
class Refusal:
    """A close call that was not linked, kept so that an analyst can list and overrule it."""

    incident: str
    article: str
    score: float
    reasons: dict = field(default_factory=dict)
