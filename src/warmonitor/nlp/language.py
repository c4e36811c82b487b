"""Is this article English? The extractor reads English only; a French, Arabic or Spanish report mined
with English rules gives garbage facts ("de" read as a name, "2 000" as two numbers), so such an
article is skipped and the user told which language it is in.

Two steps, because the second is costly: English prose is half function words ("the", "of", "was"),
so a text whose opening words are at least `english_share` spaCy's English stop words is English
without more ado (0.3 ms); only the others (headlines, lists of names, other languages) go to
py3langid's classifier, whose model takes seconds to load (once per pipeline, on the first doubtful
text). An article is skipped only when the classifier is confident and the text long enough to judge;
a short or doubtful one is read as English, as before.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..data_files import load_word_table

_WORDS = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
OPENING_CHARS = 1500  # the stop-word test reads the opening words ...
OPENING_WORDS = 80    # ... at most this many
CLASSIFIED_CHARS = 600  # the classifier reads this much: enough to be sure, cheap enough


@dataclass
class LanguageCheck:
    """`foreign(text)`: (code, name) of the language a non-English text is in, else None."""

    english_share: float = 0.2  # measured on the public sets: English articles' openings are >= 0.09
    min_words: int = 12         # fewer words than this: too short to judge, read as English
    min_probability: float = 0.9  # a two-sentence Arabic report scores 0.93
    _stop_words: frozenset | None = field(default=None, repr=False)
    _identifier: object = field(default=None, repr=False)
    _names: dict | None = field(default=None, repr=False)

    def foreign(self, text: str) -> tuple[str, str] | None:
        words = _WORDS.findall(text[:OPENING_CHARS])[:OPENING_WORDS]
        if len(words) < self.min_words:
            return None
        if self._stop_words is None:
            from spacy.lang.en.stop_words import STOP_WORDS

            self._stop_words = frozenset(STOP_WORDS)
        if sum(1 for w in words if w.lower() in self._stop_words) >= self.english_share * len(words):
            return None
        code, probability = self.classify(text[:CLASSIFIED_CHARS])
        if code == "en" or probability < self.min_probability:
            return None
        return code, self.name_of(code)

    def classify(self, text: str) -> tuple[str, float]:
        if self._identifier is None:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier

            self._identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        code, probability = self._identifier.classify(text)
        return str(code), float(probability)

    def name_of(self, code: str) -> str:
        if self._names is None:
            self._names = load_word_table("language_names", "names")
        return self._names.get(code, code)
