"""Lexicon and actor matching: long word lists turned into one PhraseMatcher each.

The token Matcher is far too slow for thousands of phrases, so every list in `data/lexicon.toml` and
`data/actors.jsonl` goes into a PhraseMatcher on NORM (the lower-case lemma, see `pipeline.py`): one
pattern matches every inflection. Each hit keeps its kind and value so that a fact can say which
lexicon entry produced it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from ..data_files import DataFileError, check_entry, entries, load_jsonl, load_toml

LEXICON_KINDS = {"outcome", "victim", "cause", "target", "displacement", "unit", "population", "control",
                 "speech", "hedge", "force_noun", "org_word", "place_word", "title_word", "attack",
                 "share_noun"}


@dataclass(frozen=True)
class Hit:
    kind: str
    value: str
    start: int  # token index
    end: int


class Lexicon:
    """All trigger phrases of `lexicon.toml`, matched in one pass over a document."""

    def __init__(self, nlp: Language, table: dict[str, Any] | None = None):
        table = table if table is not None else load_toml("lexicon.toml")
        terms = entries(table, "term", {"kind": str, "value": str, "phrases": list}, "lexicon.toml")
        self.matcher = PhraseMatcher(nlp.vocab, attr="NORM")
        self.keys: dict[int, tuple[str, str]] = {}
        self.words: dict[str, set[str]] = {}
        for term in terms:
            if term["kind"] not in LEXICON_KINDS:
                raise DataFileError(f"lexicon.toml: unknown kind '{term['kind']}' (known: {sorted(LEXICON_KINDS)})")
            key = f"{term['kind']}|{term['value']}"
            match_id = nlp.vocab.strings.add(key)
            self.keys[match_id] = (term["kind"], term["value"])
            self.matcher.add(key, list(nlp.pipe(term["phrases"])))
            single = {t.norm_ for doc in nlp.pipe(term["phrases"]) if len(doc) == 1 for t in doc}
            self.words.setdefault(term["kind"], set()).update(single)

    def hits(self, doc: Doc) -> list[Hit]:
        keys = self.keys
        return [Hit(*keys[m], s, e) for m, s, e in self.matcher(doc)]


@dataclass
class Actor:
    name: str
    type: str
    country: str | None = None
    government: bool = False
    aliases: list[str] = field(default_factory=list)
    adjectives: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ActorMention:
    actor: str  # canonical name, or a generic phrase ("government forces") when no country resolves it
    start: int
    end: int
    generic: bool = False
    combined: bool = False  # one of several demonyms sharing a noun: "Syrian and Russian forces"


class ActorIndex:
    """Canonical actors and their aliases (`data/actors.jsonl`); resolves mentions in a document."""

    GENERIC = ["government forces", "government troops", "pro-government forces", "the regime", "regime",
               "the army", "army troops", "government soldiers", "security forces", "state forces",
               "regime forces", "military"]

    def __init__(self, nlp: Language, rows: list[dict[str, Any]] | None = None):
        rows = rows if rows is not None else load_jsonl("actors.jsonl")
        self.actors: dict[str, Actor] = {}
        self.matcher = PhraseMatcher(nlp.vocab, attr="NORM")
        self.by_key: dict[int, str] = {}
        self.acronyms: set[str] = set()
        self.single_words: dict[str, set[str]] = {}  # actor -> its one-word names, lower-case
        self.adjectives: dict[str, str] = {}      # lower-case demonym -> actor name
        self.country_words: dict[str, str] = {}   # lower-case demonym/country -> ISO code
        self.governments: dict[str, str] = {}     # ISO code -> state forces actor
        for i, row in enumerate(rows, 1):
            check_entry(row, {"name": str, "type": str, "aliases": list}, f"actors.jsonl entry {i}")
            actor = Actor(row["name"], row["type"], row.get("country"), bool(row.get("government")),
                          list(row["aliases"]), list(row.get("adjectives", [])))
            self.actors[actor.name] = actor
            key = nlp.vocab.strings.add(f"actor|{actor.name}")
            self.by_key[key] = actor.name
            names = sorted({actor.name, *actor.aliases})
            self.matcher.add(f"actor|{actor.name}", list(nlp.pipe(names)))
            self.acronyms.update(n for n in names if n.isupper() and len(n) <= 6)
            self.single_words[actor.name] = {n.lower() for n in names if " " not in n}
            for adjective in actor.adjectives:
                self.adjectives.setdefault(adjective.lower(), actor.name)
                if actor.country:
                    self.country_words.setdefault(adjective.lower(), actor.country)
            if actor.government and actor.country:
                self.governments[actor.country] = actor.name
        self.generic_key = nlp.vocab.strings.add("actor|generic")
        self.matcher.add("actor|generic", list(nlp.pipe(self.GENERIC)))

    ARMED_TYPES = frozenset(["state forces", "foreign state forces", "non-state armed group"])

    def get(self, name: str) -> Actor | None:
        return self.actors.get(name)

    def is_armed(self, mention: ActorMention) -> bool:
        """Whether a mention can be a perpetrator or take ground: armed forces and groups, not agencies or media."""
        actor = self.actors.get(mention.actor)
        return mention.generic or (actor is not None and actor.type in self.ARMED_TYPES)

    def mentions(self, doc: Doc, view, force_nouns: set[str], country: str | None) -> list[ActorMention]:
        """Named actors, "Syrian and Russian forces" combinations, and generic forces of `country`.

        `doc` is matched; `view` (a `TokenView` of it, or the Doc itself) is read token by token.
        """
        found: list[ActorMention] = []
        for match_id, start, end in self.matcher(doc):
            span = view[start:end]
            if match_id == self.generic_key:
                name = self.governments.get(country or "")
                found.append(ActorMention(name or span.text.lower(), start, end, generic=name is None))
                continue
            name = self.by_key[match_id]
            # one-word names match as written, acronyms in capitals: "IS" the group, not "is" or "'s"
            if len(span) == 1 and (span.text.lower() not in self.single_words[name]
                                   or span.text.upper() in self.acronyms and span.text != span.text.upper()):
                continue
            found.append(ActorMention(name, start, end))
        found.extend(self._demonym_forces(view, force_nouns))
        return dedupe_mentions(found)

    def _demonym_forces(self, doc, force_nouns: set[str]) -> list[ActorMention]:
        out = []
        for token in doc:
            if token.norm_ not in force_nouns:
                continue
            i = token.i - 1
            modifiers = 0  # "Russian glide bombs", "Israeli air strikes": one word may sit between
            while i >= 0:
                word = doc.tokens[i]
                name = self.adjectives.get(word.lower_)
                if name and word.text[:1].isupper():
                    out.append(ActorMention(name, i, token.i + 1, combined=True))
                    modifiers = 1
                elif word.lower_ in ("and", ",", "-", "led"):
                    pass
                elif modifiers == 0 and word.text.islower() and word.is_alpha and i > 0 \
                        and self.adjectives.get(doc.tokens[i - 1].lower_):
                    modifiers = 1
                else:
                    break
                i -= 1
        return out

    def main_country(self, doc) -> str | None:
        """The country an article is mostly about, by its names and demonyms: "government forces" there."""
        votes: dict[str, int] = {}
        for token in doc:
            if token.text[:1].isupper():
                code = self.country_words.get(token.lower_)
                if code:
                    votes[code] = votes.get(code, 0) + 1
        governed = {c: v for c, v in votes.items() if c in self.governments}
        return max(governed, key=governed.get) if governed else None


def dedupe_mentions(found: list[ActorMention]) -> list[ActorMention]:
    """Keep the longest mention where several overlap ("Syrian army" over "army")."""
    found.sort(key=lambda m: (m.start, -(m.end - m.start)))
    kept: list[ActorMention] = []
    last_end = -1
    for m in found:
        if m.start >= last_end:
            kept.append(m)
            last_end = m.end
        elif m.combined and kept[-1].combined and m.end == kept[-1].end and m.actor != kept[-1].actor:
            # "Syrian and Russian forces": both demonyms share the noun but are distinct actors
            kept.append(m)
    return kept
