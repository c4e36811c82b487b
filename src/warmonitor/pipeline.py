"""The extraction flow, read -> clean -> nlp -> extract, as one object a worker can build from nothing.

`Pipeline()` loads nothing until first used; everything it loads (its `Resources`) lives on the
instance (no module state), so a worker in another process builds its own from the same settings.
"""
from __future__ import annotations

import gc
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .budget import DEFAULT_ARTICLE_SECONDS, MAX_ARTICLE_CHARS, ArticleTimeout, Deadline
from .model import Article, ArticleResult, Fact, ReadError
from .resources import Resources

if TYPE_CHECKING:
    from .clean import RepairedText


@dataclass
class Pipeline:
    """Extracts fact records from articles; reuse one instance for many articles."""

    batch_size: int = 64
    resolve: bool = True  # geocode places, date time phrases, resolve claimants (see Resources)
    # seconds one article may take (repair to summary) before it is skipped; None or 0: no limit
    time_budget: float | None = DEFAULT_ARTICLE_SECONDS
    # a longer article is skipped unread: memory grows with length (see budget.py for the bound)
    max_article_chars: int = MAX_ARTICLE_CHARS
    # skip (with a one-line message naming the language) an article that is not in English: the
    # rules are English rules, and a French report read with them gives garbage (nlp/language.py)
    english_only: bool = True
    _resources: Resources | None = None

    @property
    def resources(self) -> Resources:
        if self._resources is None:
            self._resources = Resources(self.resolve)
        return self._resources

    @property
    def repairer(self):
        """The text repairer (ingest repairs to hash the content before extracting)."""
        return self.resources.repairer

    def close(self) -> None:
        """Nothing to stop in this process; `pipeline_pool.PipelinePool.close` stops its workers."""

    def __enter__(self) -> Pipeline:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def extract(self, article: Article) -> ArticleResult:
        result = next(iter(self.extract_many([article])))
        if isinstance(result, ReadError):
            raise ValueError(result.message)
        return result

    def extract_many(self, articles: Iterable[Article]) -> Iterator[ArticleResult | ReadError]:
        """Results in input order; an article that fails gives a one-line `ReadError`, the rest go on."""
        failed: list[ReadError] = []

        def repaired():
            repairer = self.resources.repairer
            for article in articles:
                if len(article.text) > self.max_article_chars:
                    failed.append(too_long(article, self.max_article_chars))
                    continue
                if self.english_only and (language := self.resources.language.foreign(article.text)):
                    failed.append(not_english(article, language))
                    continue
                started = time.monotonic()
                try:
                    fixed = repairer.repair(article.text)
                except Exception as exc:  # a bug must cost one article, never the batch
                    failed.append(failure(article, "text repair", exc))
                    continue
                yield article, fixed, started

        return self._extract_repaired(repaired(), failed)

    def extract_repaired(self, repaired: Iterable[tuple[Article, RepairedText]]
                         ) -> Iterator[ArticleResult | ReadError]:
        """`extract_many` for articles whose text the caller has repaired already (with
        `resources.repairer`), so that it is not repaired twice: ingest repairs to hash the content
        and skip what is stored, and repair is a few per cent of extraction."""
        failed: list[ReadError] = []

        def within_size():
            for article, fixed in repaired:
                if len(fixed.text) > self.max_article_chars:
                    failed.append(too_long(article, self.max_article_chars))
                    continue
                if self.english_only and (language := self.resources.language.foreign(fixed.text)):
                    failed.append(not_english(article, language))
                    continue
                yield article, fixed, None

        return self._extract_repaired(within_size(), failed)

    def _extract_repaired(self, repaired: Iterable[tuple[Article, RepairedText, float | None]],
                          failed: list[ReadError]) -> Iterator[ArticleResult | ReadError]:
        """`repaired`: (article, its repaired text, when its repair started, or None: now)."""
        resources = self.resources
        texts = ((fixed.text, (article, fixed, Deadline(self.time_budget, started)))
                 for article, fixed, started in repaired)  # pulled (and timed) just before tokenizing
        docs = iter(resources.nlp.pipe(texts, as_tuples=True, batch_size=self.batch_size))
        while True:
            with collector_paused():  # repair and tokenizing (pulled by next) and extraction; not the caller
                item = next(docs, None)
                if item is not None:
                    doc, (article, fixed, deadline) = item
                    outcome = extract_one(resources, doc, article, fixed, deadline)
            while failed:
                yield failed.pop(0)
            if item is None:
                return
            yield outcome


def extract_one(resources: Resources, doc, article: Article, fixed: RepairedText,
                deadline: Deadline) -> ArticleResult | ReadError:
    """One article's result, or the one-line error that replaces it (over budget, a bug)."""
    from .extract.summary import summarize

    try:
        facts, scene, lead = extract_facts(resources, doc, article.published, fixed.text, deadline)
        return ArticleResult(article, fixed.text, facts, summarize(facts, scene, lead), fixed.changes)
    except ArticleTimeout as exc:
        return timed_out(article, exc.seconds)
    except Exception as exc:
        return failure(article, "extraction", exc)


@contextmanager
def collector_paused():
    """No cyclic garbage collection while one article is repaired, tokenized and extracted: its
    hundreds of thousands of short-lived objects (edits, tokens, mentions) set off full collections
    that each walk every live object, the loaded language data included, which made a 1 MB article
    take twice as long, and the repair of 160 KB of mojibake four times. Extraction makes
    no reference cycles to speak of; whatever it leaves is collected after."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def failure(article: Article, stage: str, exc: Exception) -> ReadError:
    where = article.source or article.id
    return ReadError(where, f"{where}: {stage} failed ({type(exc).__name__}: {exc}); the article was skipped, "
                            "please report it with the input attached")


def timed_out(article: Article, seconds: float) -> ReadError:
    where = article.source or article.id
    return ReadError(where, f"{where}: skipped after {seconds:g} s of extraction (the time budget of one "
                            "article); split it into smaller articles or raise --article-timeout")


def not_english(article: Article, language: tuple[str, str]) -> ReadError:
    where = article.source or article.id
    code, name = language
    return ReadError(where, f"{where}: the article is in {name} ({code}), not English; warmonitor reads English "
                            "only, so it was skipped")


def too_long(article: Article, limit: int) -> ReadError:
    where = article.source or article.id
    return ReadError(where, f"{where}: {len(article.text):,} characters is more than the {limit:,}-character "
                            "limit for one article; split it into smaller articles")


def extract_facts(resources: Resources, doc, published: str | None, text: str | None = None,
                  deadline: Deadline | None = None) -> tuple[list[Fact], list[dict], dict | None]:
    """The article's facts, the places named where its events are told (its headline, opening and
    dateline and the sentences that carry a casualty, attack or control fact) and the event day its
    opening states, for the summary. `deadline` is checked
    between the stages and in the sentence loops (`ArticleTimeout` when it has passed).

    Every type that `facttypes.fact_types()` declares is extracted, in its order; those that
    `needs_counts` share the counts `assign` paired with triggers, so a number is claimed only once."""
    from . import facttypes
    from .extract.attribution import type_named_actors
    from .extract.context import ArticleContext
    from .extract.quantities import assign
    from .extract.summary import scene_places
    from .extract.when import attach, lead_time

    deadline = deadline or Deadline(None)
    deadline.check()
    kinds = facttypes.fact_types()
    ctx = ArticleContext(resources, doc, published, text, deadline)
    assignments = assign(ctx) if any(kind.needs_counts for kind in kinds) else None
    facts: list[Fact] = []
    for kind in kinds:
        deadline.check()
        extractor = kind.extract_function()
        facts += extractor(ctx, assignments) if kind.needs_counts else extractor(ctx)
    deadline.check()
    facts.sort(key=lambda f: (f.evidence.start, f.type))
    attach(ctx, facts)  # the dateline's place and the day stated nearby, for facts that state neither
    type_named_actors(resources.actors, facts)
    return facts, scene_places(ctx, facts), lead_time(ctx) if resources.resolve else None
