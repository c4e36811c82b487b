"""Everything the extractors share about one article, computed once: sentences, lexicon hits,
numbers, actors, names and quotes, each indexed by sentence.

Extractors read this object and never re-scan the document, which keeps extraction linear in the
article's length however many fact types are added.
"""
from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from spacy.tokens import Doc

from ..budget import Deadline
from ..model import Evidence
from ..nlp.lexicon import Hit
from ..nlp.names import Name
from ..nlp.tokens import TokenView
from ..resolve.actors import ActorMention
from .speech import Quote, find_quotes

if TYPE_CHECKING:
    from ..resources import Resources


@dataclass
class Sentence:
    index: int
    start: int  # token indices
    end: int
    paragraph: int


class ArticleContext:
    def __init__(self, resources: "Resources", doc: Doc, published: str | None = None, text: str | None = None,
                 deadline: Deadline | None = None):
        self.resources = resources
        self.deadline = deadline = deadline or Deadline(None)  # the article's time budget (budget.py)
        self.spacy_doc = doc
        self.doc = view = TokenView(doc, text)
        self.text = view.text
        self.published = published
        self.sentences: list[Sentence] = []
        self.sentence_of: list[int] = [0] * len(view)
        paragraph = 0
        # tokens cut from a whitespace-free run (nlp/runs.py): a keyword list or a flattened table, not
        # prose; skipped like blank lines, and nothing found in them becomes a fact
        self.in_cut_run = in_run = bytearray(len(view))
        for run_start, run_end in view.cut_runs:
            in_run[run_start:run_end] = b"\x01" * (run_end - run_start)
        bounds = view.sent_starts + [len(view)]
        for start, end in zip(bounds, bounds[1:]):
            if in_run[start] or all(not t.text.strip() for t in view.tokens[start:end]):
                if any("\n" in t.text for t in view.tokens[start:end]):
                    paragraph += 1
                self.sentence_of[start:end] = [max(0, len(self.sentences) - 1)] * (end - start)
                continue
            if self.sentences and "\n" in view[start - 1].text:
                paragraph += 1
            sentence = Sentence(len(self.sentences), start, end, paragraph)
            self.sentences.append(sentence)
            self.sentence_of[start:end] = [sentence.index] * (end - start)

        deadline.check()
        lexicon = resources.lexicon
        self.hits: dict[int, list[Hit]] = defaultdict(list)
        for hit in lexicon.hits(doc):
            if in_run[hit.start]:
                continue
            self.hits[self.sentence_of[hit.start]].append(hit)
        self.numbers = defaultdict(list)
        for mention in resources.numbers.find(doc):  # the parser reads the spaCy Doc itself
            if in_run[mention.start]:
                continue
            self.numbers[self.sentence_of[mention.start]].append(mention)
        self.country = resources.actors.main_country(view)
        self.actors: dict[int, list[ActorMention]] = defaultdict(list)
        for mention in resources.actors.mentions(doc, view, lexicon.words.get("force_noun", set()), self.country):
            if in_run[mention.start]:
                continue
            self.actors[self.sentence_of[mention.start]].append(mention)

        deadline.check()
        self.places: dict[int, list] = defaultdict(list)  # sentence index -> gazetteer place mentions
        if resources.resolve:
            for place in resources.places.find(view, 0, len(view), self.country):
                if in_run[place.start]:
                    continue
                self.places[self.sentence_of[place.start]].append(place)

        self.last_named_memo: dict = {}  # speech.last_named_by_sentence
        self.people: dict[str, str] = {}  # quotes need names, names need the quote spans: one pass each
        self.names: dict[int, list[Name]] = {}
        for sentence in self.each_sentence():
            self.names[sentence.index] = resources.names.names(view, sentence.start, sentence.end, self.people)
        self.quotes = find_quotes(self)
        self._starts: list[int] | None = None  # token start offsets, for sentence_of_char
        self.times: dict[int, list] = {}  # sentence index -> its resolved time phrases (phrases.time_of)
        self.claims: dict[int, tuple[str, ...]] = {}  # sentence index -> its attribution (attribution.sentence_claim)
        self.quote_at: dict[int, Quote] = {}  # token -> the first quote holding it (one lookup per fact)
        for quote in self.quotes:
            for token in range(quote.start, quote.end):
                self.quote_at.setdefault(token, quote)
        self.quoted_tokens = self.quote_at.keys()

    # helpers used by several extractors -------------------------------------------------------
    def each_sentence(self):
        """The sentences in order, checking the article's time budget every few of them."""
        check = self.deadline.check
        for sentence in self.sentences:
            if not sentence.index % 16:
                check()
            yield sentence

    def sentence_of_char(self, offset: int) -> int:
        """The sentence holding character `offset` of the text."""
        if not self.doc.tokens:
            return 0
        if self._starts is None:
            self._starts = [t.idx for t in self.doc.tokens]
        return self.sentence_of[max(0, bisect.bisect_right(self._starts, offset) - 1)]

    def hits_in(self, sentence: Sentence, kind: str) -> list[Hit]:
        return [h for h in self.hits.get(sentence.index, ()) if h.kind == kind]

    def evidence(self, start_token: int, end_token: int) -> Evidence:
        span = self.doc[start_token:end_token]
        text = span.text
        stripped = text.strip()
        offset = span.start_char + (len(text) - len(text.lstrip()))
        return Evidence(stripped, offset, offset + len(stripped))

    def sentence_evidence(self, sentence: Sentence) -> Evidence:
        return self.evidence(sentence.start, sentence.end)

    def hedged(self, sentence: Sentence, token: int, window: int = 6) -> bool:
        """A fear, projection or condition governs this token: "will be killed", "if they capture"."""
        doc = self.doc
        first = doc.tokens[sentence.start]
        if first.lower_ in ("if", "unless", "should"):
            return True
        for hit in self.hits.get(sentence.index, ()):
            if hit.kind != "hedge" or not (token - window <= hit.start < token or hit.start == token):
                continue
            word = doc.tokens[hit.start]
            if word.text == "May" and hit.start != sentence.start:
                continue  # the month
            if any(doc.tokens[i].text in ",;:" for i in range(hit.end, token)) and word.lower_ in ("if", "unless"):
                continue
            return True
        return False
