"""The spaCy pipeline every stage shares: a blank English tokenizer with rule-based sentences and lemmas.

No statistical model is used (none can be downloaded, and users must be able to run offline): the
pipeline is the tokenizer alone; sentence boundaries are found in `tokens.py` (the sentencizer's rule
plus line breaks), and lemmas come from the lookup table of spacy-lookups-data. The lemma of each word form is written into
its lexeme's NORM once, when the pipeline is built, so one PhraseMatcher on NORM matches "killed",
"Kills" and "KILLING" with one pattern and no per-token work at run time.
"""
from __future__ import annotations

import gzip
import json
from importlib import resources

import spacy
from spacy.language import Language

from .runs import RunBoundedTokenizer


def lemma_table() -> dict[str, str]:
    """The English lookup lemmas shipped by spacy-lookups-data, word form -> lemma."""
    path = resources.files("spacy_lookups_data") / "data" / "en_lemma_lookup.json.gz"
    with gzip.open(str(path), "rt", encoding="utf-8") as handle:
        return json.load(handle)


def set_lemma_norms(nlp: Language, table: dict[str, str], phrases: list[str]) -> None:
    """Write lemmas into the NORM of every word form whose lemma occurs in `phrases` (the lexicons).

    Forms outside the lexicons need no lemma: nothing matches them anyway. Limiting the work to the
    lexicons' lemmas keeps start-up well under a second instead of creating 100,000 lexemes. Each
    form gets its lower-case, capitalised and upper-case variants.
    """
    forms_of: dict[str, list[str]] = {}
    for form, lemma in table.items():
        lower, lemma = form.lower(), lemma.lower()
        if lower == form and lemma != lower:
            forms_of.setdefault(lemma, []).append(lower)
    wanted: set[str] = set()
    for doc in nlp.tokenizer.pipe(phrases):
        for token in doc:
            lower = token.lower_
            wanted.add(table.get(lower, lower).lower())
    vocab = nlp.vocab
    for lemma in wanted:
        for form in forms_of.get(lemma, ()):
            for variant in {form, form.capitalize(), form.upper()}:
                vocab[variant].norm_ = lemma


def build_language(lexicon_phrases: list[str] | None = None) -> Language:
    """Build the shared pipeline; called once per `Pipeline`, never at import time.

    `lexicon_phrases`: every phrase the matchers will look for, so that their word forms get lemmas.
    """
    nlp = spacy.blank("en")  # sentences are split by `tokens.sentence_starts`, without Token objects
    if lexicon_phrases:
        set_lemma_norms(nlp, lemma_table(), lexicon_phrases)
    nlp.max_length = 60_000_000
    nlp.tokenizer = RunBoundedTokenizer(nlp.tokenizer)  # linear on long whitespace-free runs (runs.py)
    return nlp
