"""Proper names without a statistical model: capitalised runs of tokens, told apart as person or organisation.

Speakers and claimants are what these serve. A run like "UN spokesman David Swanson" holds an
organisation and a person; "Michelle Bachelet" is a person because it is two capitalised words with no
organisation word; "Bachelet" alone is a person once the article has named her in full. Places are
left to the gazetteer (issue 3): here a run after "in", "from" or "near" is simply not a speaker.
"""
from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span

from ..data_files import load_words


@dataclass(frozen=True)
class Name:
    text: str
    start: int  # token indices
    end: int
    kind: str  # "person", "org", "other"


def is_cap(token, not_names: frozenset[str]) -> bool:
    text = token.text
    return text[:1].isupper() and any(c.isalpha() for c in text) and token.lower_ not in not_names


def capitalised_runs(doc, start: int, end: int, not_names: frozenset[str],
                     connectors: frozenset[str]) -> list[tuple[int, int]]:
    """Runs of capitalised tokens, joined by connectors ("Save the Children", "Bashar al-Assad");
    `not_names` and `connectors` are a NameFinder's word lists."""
    tokens = doc.tokens  # a TokenView's plain list: this loop runs over every token of every article
    runs = []
    i = start
    while i < end:
        token = tokens[i]
        first = token.text[:1]
        if not first.isupper() and first not in "ae":  # fast path: most tokens start lower-case
            i += 1
            continue
        starts_prefix = token.lower_ in ("al", "el", "ad", "ash") and i + 2 < end and tokens[i + 1].text == "-" \
            and tokens[i + 2].text[:1].isupper()
        if not (is_cap(token, not_names) or starts_prefix):
            i += 1
            continue
        j = i + 1
        while j < end:
            t = tokens[j]
            if is_cap(t, not_names) or (t.text[:1].isupper() and t.lower_ in ("al", "el", "of")):
                j += 1
                continue
            if t.lower_ in connectors and j + 1 < end:
                k = j
                while k < end and (tokens[k].lower_ in connectors and tokens[k].text[:1].islower()
                                   or tokens[k].text == "-"):
                    k += 1
                if k < end and k > j and is_cap(tokens[k], not_names):
                    j = k + 1
                    continue
            break
        runs.append((i, j))
        i = j
    return runs


class NameFinder:
    """Classifies capitalised runs; remembers full person names so that a later surname resolves."""

    def __init__(self, org_words: set[str], title_words: set[str], actor_names: set[str],
                 demonyms: frozenset[str] = frozenset(), place_words: frozenset[str] = frozenset()):
        self.org_words = org_words
        self.place_words = place_words
        self.demonyms = demonyms
        self.title_words = title_words
        self.actor_names = actor_names
        self.not_names = frozenset(load_words("not_names"))
        self.connectors = frozenset(load_words("connectors", "inside_person_names"))
        self.place_prepositions = frozenset(load_words("place_prepositions", "before_non_speakers"))

    def names(self, doc, start: int, end: int, people: dict[str, str]) -> list[Name]:
        """Names in doc[start:end]; `people` maps surnames to full names seen so far in the article."""
        out = []
        for s, e in self.split_runs(doc, capitalised_runs(doc, start, end, self.not_names, self.connectors)):
            span = doc[s:e]
            kind = self.classify(doc, span, people)
            text = span.text
            if kind == "person":
                if text in people:
                    text = people[text]
                elif len(span) >= 2:
                    for surname in surnames(span):
                        people.setdefault(surname, text)
            out.append(Name(text, s, e, kind))
        return out

    def split_runs(self, doc, runs: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Split "Syrian President Bashar al-Assad" at the title and "Hashem Ahelbarra of Al Jazeera" at "of"."""
        out = []
        for s, e in runs:
            pieces = [(s, e)]
            for i in range(e - 1, s - 1, -1):
                if doc[i].norm_ in self.title_words and i + 1 < e:
                    j = i + 1
                    if doc[j].text == "-" and j + 1 < e:  # Secretary-General
                        j += 2
                    pieces = [(s, i), (j, e)] if j < e else [(s, i)]
                    break
            for ps, pe in pieces:
                if ps >= pe:
                    continue
                split = None
                for i in range(ps + 2, pe - 1):
                    if doc[i].lower_ in ("of", "for") and not any(t.norm_ in self.org_words for t in doc[ps:i]):
                        split = i
                        break
                out.extend([(ps, split), (split + 1, pe)] if split else [(ps, pe)])
        return out

    def classify(self, doc, span, people: dict[str, str]) -> str:
        words = [t for t in span if t.lower_ not in self.connectors]
        lowers = {t.norm_ for t in span} | {t.lower_ for t in span}
        if all(t.lower_ in self.demonyms for t in words):
            return "other"  # "Syrian", "Syrian and Russian": adjectives, not a speaker
        if span.text in self.actor_names or (lowers & self.org_words and not lowers & self.place_words):
            return "org"
        if len(words) == 1 and words[0].text.isupper() and len(words[0].text) >= 2:
            return "org"
        if lowers & self.place_words and span.text not in self.actor_names:
            return "other"
        k = span.start - 1
        while k >= 0 and doc[k].lower_ in ("the", "northern", "southern", "eastern", "western", "central"):
            k -= 1
        if k >= 0 and doc[k].lower_ in self.place_prepositions and not (k > 0 and doc[k - 1].lower_ == "according"):
            return "other"
        prev = doc[span.start - 1] if span.start > 0 else None
        if len(words) >= 2 and all(t.text[:1].isupper() or t.lower_ in self.connectors for t in span):
            return "person"
        if span.text in people:
            return "person"
        if prev is not None and prev.norm_ in self.title_words:
            return "person"
        return "other"


def surnames(span: Span) -> list[str]:
    """The short forms a full name may be cited by later: "Bachelet", "al-Assad", "Abdel Rahman"."""
    out = [span[-1].text]
    if len(span) >= 3 and span[-2].text == "-":
        out.append(span[-3:].text)
    if len(span) >= 3 and span[-3].text != "-":
        out.append(span[-2:].text)
    return out
