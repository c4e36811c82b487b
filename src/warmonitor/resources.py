"""The language data and matchers every stage of extraction reads, built once per pipeline.

It lives beside `pipeline.py` rather than in `nlp/` because it composes the stages below the
extractors (clean, nlp, resolve): the extractors and the pipeline import it, it imports neither.
"""
from __future__ import annotations

from dataclasses import dataclass

from .data_files import load_jsonl, load_toml, load_words


@dataclass(frozen=True)
class SpeakerAnaphors:
    """Words that refer back to a speaker named before (`data/words/speaker_anaphors.toml`)."""

    person_pronouns: frozenset[str]
    org_pronouns: frozenset[str]
    org_nouns: frozenset[str]

    @classmethod
    def load(cls) -> "SpeakerAnaphors":
        return cls(*(frozenset(load_words("speaker_anaphors", key))
                     for key in ("person_pronouns", "org_pronouns", "org_nouns")))


class Resources:
    """Language data and matchers built from the data files, once per pipeline."""

    def __init__(self, resolve: bool = True) -> None:
        self.resolve = resolve  # False: places, dates and claimants stay as written (faster, for triage)
        # Imported here, not at the top: spaCy and the matchers take about a second to import, and
        # `import warmonitor.pipeline` (the CLI, a worker's setup) should cost nothing until used.
        from .clean import TextRepairer
        from .extract.individuals import VictimWords
        from .nlp.language import LanguageCheck
        from .nlp.lexicon import Lexicon
        from .nlp.names import NameFinder
        from .nlp.numbers import NumberParser
        from .nlp.pipeline import build_language
        from .resolve.actors import Actors
        from .resolve.dates import TimeFinder
        from .resolve.datelines import DatelineReader
        from .resolve.gazetteer import Gazetteer
        from .resolve.places import PlaceFinder

        lexicon_table = load_toml("lexicon.toml")
        actor_rows = load_jsonl("actors.jsonl")
        self.actors = Actors(actor_rows)  # matched in text and resolved to canonical names, persons to offices
        phrases = [p for term in lexicon_table.get("term", []) for p in term.get("phrases", [])]
        phrases += self.actors.phrases()
        self.nlp = build_language(phrases)
        self.repairer = TextRepairer()
        self.lexicon = Lexicon(self.nlp, lexicon_table)
        self.actors.match_with(self.nlp)
        self.places = PlaceFinder(Gazetteer())  # the index loads on first use
        self.numbers = NumberParser()
        self.language = LanguageCheck()  # English or not: the classifier's model loads on first doubt
        self.times = TimeFinder()  # date and period phrases, resolved against each article's publication date
        self.datelines = DatelineReader()  # "KHARKIV, Ukraine (Reuters) —": the story's town, within its region
        demonyms = {word for word in self.actors.adjectives}
        actor_names = {n for a in self.actors.matched.values() for n in (a.name, *a.aliases)}
        self.victim_words = VictimWords.load()  # victims told one by one: see extract/individuals.py
        self.control_status = {kind: frozenset(load_words("control_status", kind))  # "under X control"
                               for kind in ("gained", "state", "filler")}
        self.speaker_anaphors = SpeakerAnaphors.load()  # "he said", "the group said": see extract/speech.py
        self.names = NameFinder(self.lexicon.words["org_word"], self.lexicon.words["title_word"],
                                actor_names, frozenset(demonyms), frozenset(self.lexicon.words["place_word"]))
