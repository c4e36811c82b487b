"""A read-only view of a spaCy Doc as plain Python objects, for the extractors' token loops.

Every `doc[i]` on a spaCy Doc builds a new Token object, and the extractors look at tokens millions
of times per corpus; profiling showed that more time went into creating Token objects than into
tokenizing. `TokenView` copies the few attributes the extractors read into slotted objects once per
article (with `Doc.to_array`), and offers the same names (`text`, `lower_`, `norm_`, `whitespace_`,
`i`, `idx`, `is_punct`, `is_alpha`, `like_num`), so extractor code reads as if it used spaCy directly.
"""
from __future__ import annotations

from spacy.attrs import IDX, IS_ALPHA, IS_PUNCT, LIKE_NUM, LOWER, NORM, ORTH, SPACY
from spacy.tokens import Doc

from .runs import CUT_RUNS


class Tok:
    __slots__ = ("i", "text", "lower_", "norm_", "idx", "whitespace_", "is_punct", "is_alpha", "like_num")

    def __init__(self, i, text, lower, norm, idx, space, punct, alpha, like_num):
        self.i = i
        self.text = text
        self.lower_ = lower
        self.norm_ = norm
        self.idx = idx
        self.whitespace_ = space
        self.is_punct = punct
        self.is_alpha = alpha
        self.like_num = like_num

    def __len__(self) -> int:
        return len(self.text)

    def __repr__(self) -> str:
        return self.text


class SpanView:
    __slots__ = ("view", "start", "end")

    def __init__(self, view: "TokenView", start: int, end: int):
        self.view, self.start, self.end = view, start, end

    @property
    def text(self) -> str:
        if self.start >= self.end:
            return ""
        last = self.view.tokens[self.end - 1]
        return self.view.text[self.view.tokens[self.start].idx:last.idx + len(last.text)]

    @property
    def start_char(self) -> int:
        return self.view.tokens[self.start].idx if self.start < self.end else 0

    def __len__(self) -> int:
        return max(0, self.end - self.start)

    def __iter__(self):
        return iter(self.view.tokens[self.start:self.end])

    def __getitem__(self, k):
        if isinstance(k, slice):
            start, stop, _ = k.indices(len(self))
            return SpanView(self.view, self.start + start, self.start + stop)
        return self.view.tokens[self.start:self.end][k]


SENTENCE_ENDS = frozenset([".", "!", "?", "...", "\u2026", "!?", "?!", ".."])
PAUSES = frozenset([",", ";", ":"])
# Work on a sentence grows with the square of its length (every mention is paired with the words
# around it), so a text without full stops would cost minutes. No sentence in the evaluation corpora
# reaches 120 tokens; a longer one is cut at its last comma, semicolon or colon in the second half
# of the window, else at the cap.
MAX_SENTENCE_TOKENS = 200


def sentence_starts(tokens: list[Tok], breaks: frozenset[int] = frozenset()) -> list[int]:
    """Sentence starts by the sentencizer's rule (a token after . ! ? and the punctuation that
    closes it, such as a closing quote), and after every line break: headlines, sub-headings and
    datelines carry no full stop; at every token of `breaks` (where a cut run begins or ends); and
    never more than `MAX_SENTENCE_TOKENS` apart. Done here rather than by spaCy's sentencizer because
    that one builds a Token object for every token of every article."""
    starts = [0]
    seen_end = False
    pause = 0  # the token after the last comma, semicolon or colon: where an over-long sentence is cut
    for tok in tokens:
        i = tok.i
        if i in breaks and i != starts[-1]:
            starts.append(i)
            seen_end = False
        if i - starts[-1] >= MAX_SENTENCE_TOKENS:
            starts.append(pause if pause > starts[-1] + MAX_SENTENCE_TOKENS // 2 else i)
        if seen_end and not tok.is_punct and i != starts[-1]:
            starts.append(i)
            seen_end = False
        if tok.text in PAUSES:
            pause = i + 1
        if tok.text in SENTENCE_ENDS:
            seen_end = True
        elif "\n" in tok.text:
            if i != starts[-1]:
                starts.append(i)  # the line break itself: blank "sentences" are skipped by the extractors
            seen_end = True
    return starts


class TokenView:
    """The tokens of a Doc as plain objects; `view[i]` is a `Tok`, `view[a:b]` a `SpanView`."""

    def __init__(self, doc: Doc, text: str | None = None):
        self.text = doc.text if text is None else text  # Doc.text re-joins every token: pass it when known
        n = len(doc)
        if n == 0:
            self.tokens: list[Tok] = []
            self.sent_starts: list[int] = []
            self.cut_runs = []
            return
        array = doc.to_array([ORTH, LOWER, NORM, IDX, SPACY, IS_PUNCT, IS_ALPHA, LIKE_NUM]).tolist()
        strings = doc.vocab.strings
        tokens = []
        append = tokens.append
        for i, (orth, lower, norm, idx, space, punct, alpha, num) in enumerate(array):
            lower_ = strings[lower]
            # spaCy keeps only single spaces as token whitespace; longer runs and newlines become tokens
            append(Tok(i, strings[orth], lower_, lower_ if norm == lower else strings[norm], idx,
                       " " if space else "", punct == 1, alpha == 1, num == 1))
        self.tokens = tokens
        # token ranges cut from whitespace-free runs (runs.py): not prose, each its own sentence
        self.cut_runs: list[tuple[int, int]] = doc.user_data.get(CUT_RUNS, [])
        self.sent_starts = sentence_starts(self.tokens, frozenset(i for run in self.cut_runs for i in run))

    def __len__(self) -> int:
        return len(self.tokens)

    def __iter__(self):
        return iter(self.tokens)

    def __getitem__(self, k):
        if isinstance(k, slice):
            start, stop, _ = k.indices(len(self.tokens))
            return SpanView(self, start, stop)
        return self.tokens[k]
