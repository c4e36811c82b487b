"""Tokenizing long runs of text without whitespace in linear time.

spaCy's tokenizer takes each whitespace-free chunk and strips its prefixes and suffixes one at a time,
running the suffix and URL patterns over the whole rest of the chunk each time: a chunk of n
punctuation characters costs O(n^2) (6,000 nested parentheses: 25 s; 40,000: minutes). Real words
and URLs are far shorter than `MAX_RUN_CHARS`, so spaCy keeps tokenizing everything up to that
length exactly as before; a longer run (comma-joined words, nested brackets, a line of dashes) is
cut into numbers, words and punctuation by one linear pattern instead, each word or punctuation
run at most `MAX_TOKEN_CHARS` long (a digit string stays whole, as spaCy keeps it). The Doc's text stays the input text, character for character, so every
offset into it is unchanged.

Such a run is not prose (a comma-joined keyword list, a table flattened without spaces): the token
ranges it was cut into are kept in `doc.user_data[CUT_RUNS]`, where the sentence splitter makes each
its own "sentence" and the extractors leave it alone, as they leave a blank line.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from spacy.tokens import Doc

MAX_RUN_CHARS = 100  # the longest whitespace-free run spaCy's own rules tokenize
MAX_TOKEN_CHARS = 50  # the longest token cut from a longer run
MAX_LINK_CHARS = 2_000  # a longer web address or path is cut like any other run
CUT_RUNS = "warmonitor.cut_runs"  # doc.user_data key: [(first token, token after the run), ...]

# A web address or path (page furniture: "com/story/news/2016/10/31/four-injured-.../93074240/"): spaCy
# keeps its numbers inside tokens like "crime/2016/10/31", so none reads as a count; cut into pieces,
# "10", "31" and "93074240" would become casualty figures. Such a run goes to spaCy as any shorter
# chunk does; `MAX_LINK_CHARS` bounds what spaCy's quadratic rules may cost on one.
_LINK_CHARS = re.compile(r"[\w\-./:?#=&%+~@,;!$*'()]+")
_PUNCTUATION_RUN = re.compile(r"[^\w]{4}")


def looks_like_link(run: str) -> bool:
    """A whitespace-free run that reads as a web address or path: a slash, address characters only,
    mostly letters and digits, never more than three punctuation marks in a row (no bracket runs)."""
    return (len(run) <= MAX_LINK_CHARS and "/" in run and _LINK_CHARS.fullmatch(run) is not None
            and _PUNCTUATION_RUN.search(run) is None and sum(c.isalnum() for c in run) * 2 >= len(run))

_LONG_RUN = re.compile(r"\S{%d,}" % (MAX_RUN_CHARS + 1))
# A number (a digit string is never cut: cut, "1" + 400 zeros would become plausible counts; whole,
# the number reader sees one implausible figure and reads its digits' length, not their value), a
# word (letters, underscore), or a run of one punctuation mark.
_RUN_PIECE = re.compile(r"\d+|[^\W\d]{1,%d}|([^\w\s])\1{0,%d}" % (MAX_TOKEN_CHARS, MAX_TOKEN_CHARS - 1))


class RunBoundedTokenizer:
    """spaCy's tokenizer, except that whitespace-free runs over `MAX_RUN_CHARS` are cut linearly.

    Set as `nlp.tokenizer`, so `nlp(text)` and `nlp.pipe` use it. A text without such a run (every
    normal article) goes to spaCy's tokenizer unchanged, after one regex scan.
    """

    def __init__(self, tokenizer) -> None:
        self.tokenizer = tokenizer
        self.vocab = tokenizer.vocab

    def __call__(self, text: str) -> Doc:
        if len(text) <= MAX_RUN_CHARS or _LONG_RUN.search(text) is None:
            return self.tokenizer(text)
        docs: list[Doc] = []
        cut: list[tuple[int, int]] = []
        n_tokens = 0
        pos = 0
        for run in _LONG_RUN.finditer(text):
            if looks_like_link(run.group()):  # spaCy's own rules, as for any shorter chunk
                continue
            if run.start() > pos:
                docs.append(self.tokenizer(text[pos:run.start()]))
                n_tokens += len(docs[-1])
            words = [m.group() for m in _RUN_PIECE.finditer(run.group())]
            spaces = [False] * len(words)
            pos = run.end()
            if text.startswith(" ", pos):  # a single space after the run belongs to its last token, as in spaCy
                spaces[-1] = True
                pos += 1
            docs.append(Doc(self.vocab, words=words, spaces=spaces))
            cut.append((n_tokens, n_tokens + len(words)))
            n_tokens += len(words)
        if pos < len(text):
            docs.append(self.tokenizer(text[pos:]))
        doc = Doc.from_docs(docs, ensure_whitespace=False)
        if cut:
            doc.user_data[CUT_RUNS] = cut
        return doc

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterator[Doc]:
        for text in texts:
            yield self(text)

    # spaCy's Language reads and writes these through nlp.tokenizer
    def to_bytes(self, **kwargs):
        return self.tokenizer.to_bytes(**kwargs)

    def from_bytes(self, data, **kwargs):
        self.tokenizer.from_bytes(data, **kwargs)
        return self
