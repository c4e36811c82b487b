"""The extraction flow, read -> clean -> nlp -> extract, as one object a worker can build from nothing.

`Pipeline()` loads nothing until first used; everything it loads lives on the instance (no module
state), so a worker in another process builds its own from the same settings.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .model import Article, ArticleResult, Fact, ReadError

if TYPE_CHECKING:
    from .clean import RepairedText


class Resources:
    """Language data and matchers built from the data files, once per pipeline."""

    def __init__(self, resolve: bool = True) -> None:
        self.resolve = resolve  # False: places, dates and claimants stay as written (faster, for triage)
        from .clean import TextRepairer
        from .data_files import load_jsonl, load_toml
        from .nlp.lexicon import ActorIndex, Lexicon
        from .nlp.names import NameFinder
        from .nlp.numbers import NumberParser
        from .nlp.pipeline import build_language
        from .resolve.actors import ActorResolver
        from .resolve.gazetteer import Gazetteer
        from .resolve.places import PlaceFinder

        lexicon_table = load_toml("lexicon.toml")
        actor_rows = load_jsonl("actors.jsonl")
        phrases = [p for term in lexicon_table.get("term", []) for p in term.get("phrases", [])]
        phrases += [a for row in actor_rows for a in [row.get("name", ""), *row.get("aliases", [])]]
        phrases += ActorIndex.GENERIC
        self.nlp = build_language(phrases)
        self.repairer = TextRepairer()
        self.lexicon = Lexicon(self.nlp, lexicon_table)
        self.actors = ActorIndex(self.nlp, actor_rows)
        self.actor_resolver = ActorResolver(actor_rows)
        self.places = PlaceFinder(Gazetteer())  # the index loads on first use
        self.numbers = NumberParser()
        demonyms = {word for word in self.actors.adjectives}
        actor_names = {n for a in self.actors.actors.values() for n in (a.name, *a.aliases)}
        self.names = NameFinder(self.lexicon.words["org_word"], self.lexicon.words["title_word"],
                                actor_names, frozenset(demonyms), frozenset(self.lexicon.words["place_word"]))


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
    sentences that carry a casualty, attack or control fact) for the summary."""
    from .extract.attack import attack_facts
    from .extract.casualty import casualty_facts
    from .extract.context import ArticleContext
    from .extract.control import control_facts
    from .extract.displacement import displacement_facts
    from .extract.population import population_facts
    from .extract.quantities import assign
    from .extract.quote import quote_facts
    from .extract.summary import scene_places

    ctx = ArticleContext(resources, doc, published, text)
    assignments = assign(ctx)
    facts: list[Fact] = []
    facts += casualty_facts(ctx, assignments)
    facts += displacement_facts(ctx, assignments)
    facts += population_facts(ctx, assignments)
    facts += attack_facts(ctx)
    facts += control_facts(ctx)
    facts += quote_facts(ctx)
    facts.sort(key=lambda f: (f.evidence.start, f.type))
    return facts, scene_places(ctx, facts)
