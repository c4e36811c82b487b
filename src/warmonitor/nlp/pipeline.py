"""The spaCy pipeline every stage shares: a blank English tokenizer with rule-based sentences and lemmas.

No statistical model is used (none can be downloaded, and users must be able to run offline): sentence
boundaries come from the sentencizer plus line breaks (headlines and sub-headings carry no full stop),
and lemmas from the lookup table of spacy-lookups-data. Each token's NORM is set to the lemma of its
lower-case form so that one PhraseMatcher on NORM matches "killed", "kills" and "Killing" with one pattern.
"""
from __future__ import annotations

import spacy
from spacy.language import Language
from spacy.lookups import load_lookups
from spacy.tokens import Doc


@Language.component("warmonitor_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """A token after a line break starts a sentence: news copy puts headings on lines of their own."""
    for token in doc[:-1]:
        if "\n" in token.text or "\n" in token.whitespace_:
            doc[token.i + 1].is_sent_start = True
    return doc


class LemmaNorm:
    """Sets NORM to the lookup lemma of the lower-cased token (else its lower-case form) ("Children" and "children" -> "child").

    spaCy's lookup lemmatizer is case-sensitive, so capitalised words in headlines and names would
    escape the lexicons; looking the lower-cased form up in the same table avoids that.
    """

    def __init__(self, table: dict[int, str]):
        self.table = table  # keyed by the string hash of the lower-case form, as spaCy's Table is

    def __call__(self, doc: Doc) -> Doc:
        table = self.table
        for token in doc:
            lemma = table.get(token.lower)
            if lemma is not None:
                token.norm_ = lemma
        return doc


@Language.factory("warmonitor_lemma_norm")
def make_lemma_norm(nlp: Language, name: str) -> LemmaNorm:
    lookups = load_lookups("en", ["lemma_lookup"])
    return LemmaNorm(dict(lookups.get_table("lemma_lookup").items()))


def build_language() -> Language:
    """Build the shared pipeline; called once per `Pipeline`, never at import time."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("warmonitor_line_breaks")
    nlp.add_pipe("warmonitor_lemma_norm")
    nlp.initialize()
    nlp.max_length = 60_000_000
    return nlp
