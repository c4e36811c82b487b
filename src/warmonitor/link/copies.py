"""Near-duplicate reports: a wire story reprinted by many sites, or an article republished under a new
headline, is one source, not many.

"Corroborated" must mean that two independent reports agree; ten reprints of one agency story are
one report. Copies are found by MinHash over word shingles with locality-sensitive hashing
(datasketch's `MinHash` and `MinHashLSH`, a maintained implementation of Broder's scheme), so that
finding the copies of a new article costs a few hash-table look-ups, not a comparison with every
stored article. Hashes use a fixed seed: the same texts give the same signatures on every run and
every machine, which keeps linking deterministic.
"""
from __future__ import annotations

import re
from functools import cache

import numpy as np
from datasketch import MinHash, MinHashLSH

SEED = 11  # fixed: signatures are stable from one run (and one process) to the next
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def words(text: str) -> list[str]:
    """Lower-cased word tokens (letters and digits), punctuation and spacing dropped: a reprint that
    changes quotes, dashes or line breaks is still the same text."""
    return _WORD.findall((text or "").lower())


def shingles(text: str, size: int = 4) -> set[str]:
    """Word `size`-grams: shared runs of words, which two separate reports of one event rarely have in
    number, while a reprint shares nearly all of them."""
    tokens = words(text)
    if len(tokens) <= size:
        return {" ".join(tokens)} if tokens else set()
    return {" ".join(tokens[i:i + size]) for i in range(len(tokens) - size + 1)}


def signature(items, num_perm: int = 64, like: MinHash | None = None) -> MinHash:
    """A MinHash of a set of strings (empty set: an empty signature, similar to nothing). `like`: a
    signature of the same `num_perm` whose permutations are reused (drawing them anew costs more than
    hashing a report's terms); the result is the same either way."""
    if like is None or like.num_perm != num_perm:
        like = _like(num_perm)
    sig = MinHash(num_perm=num_perm, seed=SEED, permutations=like.permutations, scheme=like.scheme)
    values = sorted(items)
    if values:
        sig.update_batch([v.encode("utf-8") for v in values])
    return sig


@cache
def _like(num_perm: int) -> MinHash:
    """A signature whose permutations serve every signature of `num_perm` in the process: drawn once
    (from the fixed seed, so the same on every run), never changed (its array is read-only)."""
    like = MinHash(num_perm=num_perm, seed=SEED)
    like.permutations.setflags(write=False)
    return like


@cache
def _bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """The LSH (bands, rows) datasketch chooses for `threshold`: found by numerical integration, which
    costs more than linking a report, so worked out once per process instead of once per index."""
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return lsh.b, lsh.r


def from_values(values, num_perm: int = 64) -> MinHash:
    """A signature from its hash values (`MinHash.hashvalues`, as `values_of` gives them), with the shared
    permutations: the same signature `signature` made, without hashing the terms again."""
    like = _like(num_perm)
    return MinHash(num_perm=num_perm, seed=SEED, hashvalues=np.asarray(values, dtype=like.hashvalues.dtype),
                   permutations=like.permutations, scheme=like.scheme)


def similarity(a: MinHash | None, b: MinHash | None) -> float:
    """Estimated Jaccard similarity of two signatures; 0 when either set was empty."""
    if a is None or b is None or a.is_empty() or b.is_empty():
        return 0.0
    return float(a.jaccard(b))


class CopyIndex:
    """Which earlier article each new article copies, if any.

    `add` files an article and returns the key of the article it copies (the first-filed member of
    its copy group) or None; `source_of` names the group of any filed article. An article copies
    another when their shingle sets are at least `threshold` alike (MinHash estimate, confirmed after
    the LSH look-up, since LSH only proposes candidates).
    """

    def __init__(self, threshold: float = 0.6, num_perm: int = 64, shingle: int = 4):
        self.threshold = threshold
        self.num_perm = num_perm
        self.shingle = shingle
        self._lsh = MinHashLSH(threshold=threshold, num_perm=num_perm, params=_bands(threshold, num_perm))
        self._sigs: dict[str, MinHash] = {}
        self._order: dict[str, int] = {}
        self._root: dict[str, str] = {}
        self._like = _like(num_perm)  # its permutations serve every signature

    def signature(self, items) -> MinHash:
        """`signature(items, num_perm)`, reusing this index's permutations."""
        return signature(items, self.num_perm, self._like)

    def signature_of(self, text: str) -> MinHash:
        return self.signature(shingles(text, self.shingle))

    def add(self, key: str, text: str, sig: MinHash | None = None) -> str | None:
        """File `key`; return the key of the earliest filed article it copies, or None. `sig`: the text's
        signature (`signature_of(text)`) when known already (a stored report's, `from_values`)."""
        if key in self._sigs:
            root = self._root[key]
            return None if root == key else root
        if sig is None:
            sig = self.signature_of(text)
        original = None
        if not sig.is_empty():
            found = [k for k in self._lsh.query(sig) if similarity(sig, self._sigs[k]) >= self.threshold]
            if found:
                original = self._root[min(found, key=lambda k: self._order[k])]
            self._lsh.insert(key, sig)
        self._sigs[key] = sig
        self._order[key] = len(self._order)
        self._root[key] = original or key
        return original

    def source_of(self, key: str) -> str:
        """The copy group of a filed article: the key of its first-filed member (itself if original)."""
        return self._root.get(key, key)

    def signature_filed(self, key: str) -> MinHash | None:
        """The signature `key` was filed with (None if it was not)."""
        return self._sigs.get(key)

    def similarity(self, a: str, b: str) -> float:
        return similarity(self._sigs.get(a), self._sigs.get(b))

    def __contains__(self, key: str) -> bool:
        return key in self._sigs
