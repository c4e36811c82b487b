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
        self.dateline = None  # resolve.datelines.Dateline: the story's town, the default place of its facts
        self.place_country = self.country  # the country whose towns win among namesakes (article_places)
        if resources.resolve:
            for place in self.article_places(resources, view):
                if in_run[place.start]:
                    continue
                self.places[self.sentence_of[place.start]].append(place)
            if self.country is None:
                # "Rebels lost control of Kafr Nabl": no demonym says which war, the places do
                where = self.place_country or leader(place_countries(self.places))
                if where is not None:
                    for index, mentions in self.actors.items():
                        self.actors[index] = [resources.actors.in_country(m, where) for m in mentions]

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

    def article_places(self, resources: "Resources", view: TokenView) -> list:
        """The article's place mentions, its towns chosen within the country it is about: the country (and
        first-level division) of its dateline, else the country its actors name, else the country its
        place names point to most (countries and first-level divisions named), so that "Gaza" or
        "Springfield" means the one the article is about. Mentions inside the dateline are left out:
        the dateline is read as a whole ("SPRINGFIELD, Ill." is one place, not a town and a word)."""
        finder = resources.places
        dateline = self.dateline = resources.datelines.read(view.text, finder.gazetteer, self.country)
        region = None
        if self.published is None and dateline is not None and dateline.date_text:
            # no publication date in the metadata: the dateline's, when it gives the year
            written = [r.date for r in resources.times.find(dateline.date_text, None) if r.date]
            self.published = written[0] if written else None
        if dateline is not None and dateline.country:
            self.place_country, region = dateline.country, dateline.admin1
        mentions = finder.find(view, 0, len(view), self.place_country, region)
        if region is None:
            country, division = named_area(mentions, finder.gazetteer)
            if country is not None and (self.place_country is None or
                                        (country == self.place_country and division is not None)):
                self.place_country, region = country, division
                mentions = finder.find(view, 0, len(view), country, division)
        if dateline is None:
            return mentions
        return [m for m in mentions if not (view.tokens[m.start].idx < dateline.end
                                            and view.tokens[m.end - 1].idx >= dateline.start)]

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


def place_countries(places: dict) -> dict[str, int]:
    """How many of an article's resolved place mentions lie in each country."""
    votes: dict[str, int] = {}
    for mentions in places.values():
        for mention in mentions:
            if mention.place.country:
                votes[mention.place.country] = votes.get(mention.place.country, 0) + 1
    return votes


def named_area(mentions: list, gazetteer=None) -> tuple[str | None, str | None]:
    """(country, first-level division) an article's place names point to: the country its country and
    first-level division mentions name most often (and its towns whose every namesake lies in one
    country: "Philadelphia", "Mosul"), and the division of it named most often, each only when one
    leads (a tie decides nothing)."""
    countries: dict[str, int] = {}
    divisions: dict[tuple[str, str], int] = {}
    for mention in mentions:
        place = mention.place
        vote = place.kind in ("country", "admin1") and bool(place.country)
        if not vote and gazetteer is not None and place.kind == "city" and (place.population or 0) >= 100_000:
            vote = len(towns_named(gazetteer, place.name)) == 1
        if vote:
            countries[place.country] = countries.get(place.country, 0) + 1
        if place.kind == "admin1" and place.admin1:
            divisions[(place.country, place.admin1)] = divisions.get((place.country, place.admin1), 0) + 1
    country = leader(countries)
    if country is None:
        return None, None
    division = leader({k: v for k, v in divisions.items() if k[0] == country})
    return country, division[1] if division else None


def towns_named(gazetteer, name: str) -> set[str]:
    """The countries that have a town of this very name (alternate names aside: GeoNames gives
    "Philadelphia" as an old name of Amman, which says nothing about a news story's country)."""
    from ..resolve.gazetteer import normalize

    return {p.country for p, bonus in gazetteer.candidates(normalize(name))
            if bonus == 0 and p.kind in ("city", "curated")}


def leader(votes: dict):
    """The key with the most votes, or None when there are none or two share the most."""
    if not votes:
        return None
    ranked = sorted(votes.values(), reverse=True)
    if len(ranked) > 1 and ranked[0] == ranked[1]:
        return None
    return max(votes, key=votes.get)
