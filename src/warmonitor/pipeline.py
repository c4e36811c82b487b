"""The extraction flow, read -> clean -> nlp -> extract, as one object a worker can build from nothing.

`Pipeline()` loads nothing until first used; everything it loads (its `Resources`) lives on the
instance (no module state), so a worker in another process builds its own from the same settings.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .model import Article, ArticleResult, Fact, ReadError
from .resources import Resources

if TYPE_CHECKING:
    from .clean import RepairedText


@dataclass
class Pipeline:
    """Extracts fact records from articles; reuse one instance for many articles."""

    batch_size: int = 64
    resolve: bool = True  # geocode places, date time phrases, resolve claimants (see Resources)
    _resources: Resources | None = None

    @property
    def resources(self) -> Resources:
        if self._resources is None:
            self._resources = Resources(self.resolve)
        return self._resources

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
                try:
                    fixed = repairer.repair(article.text)
                except Exception as exc:  # a bug must cost one article, never the batch
                    failed.append(failure(article, "text repair", exc))
                    continue
                yield article, fixed

        return self._extract_repaired(repaired(), failed)

    def extract_repaired(self, repaired: Iterable[tuple[Article, RepairedText]]
                         ) -> Iterator[ArticleResult | ReadError]:
        """`extract_many` for articles whose text the caller has repaired already (with
        `resources.repairer`), so that it is not repaired twice: ingest repairs to hash the content
        and skip what is stored, and repair is a few per cent of extraction."""
        return self._extract_repaired(repaired, [])

    def _extract_repaired(self, repaired: Iterable[tuple[Article, RepairedText]],
                          failed: list[ReadError]) -> Iterator[ArticleResult | ReadError]:
        from .extract.summary import summarize

        resources = self.resources
        texts = ((fixed.text, (article, fixed)) for article, fixed in repaired)
        for doc, (article, fixed) in resources.nlp.pipe(texts, as_tuples=True, batch_size=self.batch_size):
            while failed:
                yield failed.pop(0)
            try:
                facts, scene = extract_facts(resources, doc, article.published, fixed.text)
                yield ArticleResult(article, fixed.text, facts, summarize(facts, scene), fixed.changes)
            except Exception as exc:
                yield failure(article, "extraction", exc)
        yield from failed


def failure(article: Article, stage: str, exc: Exception) -> ReadError:
    where = article.source or article.id
    return ReadError(where, f"{where}: {stage} failed ({type(exc).__name__}: {exc}); the article was skipped, "
                            "please report it with the input attached")


def extract_facts(resources: Resources, doc, published: str | None,
                  text: str | None = None) -> tuple[list[Fact], list[dict]]:
    """The article's facts, and the places named where its events are told (its headline and the
    sentences that carry a casualty, attack or control fact) for the summary.

    Every type that `facttypes.fact_types()` declares is extracted, in its order; those that
    `needs_counts` share the counts `assign` paired with triggers, so a number is claimed only once."""
    from . import facttypes
    from .extract.attribution import type_named_actors
    from .extract.context import ArticleContext
    from .extract.quantities import assign
    from .extract.summary import scene_places

    kinds = facttypes.fact_types()
    ctx = ArticleContext(resources, doc, published, text)
    assignments = assign(ctx) if any(kind.needs_counts for kind in kinds) else None
    facts: list[Fact] = []
    for kind in kinds:
        extractor = kind.extract_function()
        facts += extractor(ctx, assignments) if kind.needs_counts else extractor(ctx)
    facts.sort(key=lambda f: (f.evidence.start, f.type))
    type_named_actors(resources.actors, facts)
    return facts, scene_places(ctx, facts)
