"""Rare lead words: the words of a headline or lead that few reports share by chance (a street, a school,
a surname, a small town's name), evidence that two reports tell one event.

Rarity is a property of the word in the language, read from a static table of common English words
(data/words/common_words.txt, built from spaCy's word probabilities by scripts/build_common_words.py),
not counted over the reports of one linking run: an incremental run, which holds only the incidents
near its new articles, then decides exactly as `link --rebuild`, which holds them all.
"""
from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from ..data_files import load_word_lines


@cache
def common_words() -> frozenset[str]:
    """The common English words (data/words/common_words.txt): read once per process, since reading them
    costs more than linking a report and every linker of a run (one per ingest batch) asks for them."""
    return frozenset(load_word_lines("common_words"))


class Rarity:
    """Which words are rare: alphabetic, at least `min_length` letters, neither a common English word nor
    one of `excluded` (calendar words)."""

    def __init__(self, min_length: int = 4, excluded: Iterable[str] = ()):
        self.min_length = min_length
        self.common = common_words()
        self.excluded = frozenset(excluded)

    def rare(self, words: Iterable[str]) -> set[str]:
        return {w for w in words if len(w) >= self.min_length and w.isalpha() and w not in self.common
                and w not in self.excluded}
