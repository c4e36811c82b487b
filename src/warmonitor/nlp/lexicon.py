"""Lexicon matching: long word lists turned into one PhraseMatcher.

The token Matcher is far too slow for thousands of phrases, so every list in `data/lexicon.toml` goes
into a PhraseMatcher on NORM (the lower-case lemma, see `pipeline.py`): one pattern matches every
inflection. Each hit keeps its kind and value so that a fact can say which lexicon entry produced it.
Actors are matched the same way by `resolve/actors.py`, which also resolves them.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from ..data_files import DataFileError, entries, load_toml

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
