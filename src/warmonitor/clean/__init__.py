"""Text repair: the first stage after reading, so that every later offset points into repaired text.

Scraped and machine-translated news carries broken HTML entities (`,quot;`, `& # 39;`, `&amp;quot;`),
mojibake (`donâ€™t`), odd spaces and typographic quotes. `repair` fixes them in that order, with the
fixers given as data in `warmonitor/data/fixers.toml`, records every change, and keeps a map from
offsets in the repaired text back to the original:

    >>> fixed = repair('was "pleased,quot; to')
    >>> fixed.text
    'was "pleased" to'
    >>> fixed.changes[0]["was"], fixed.original[fixed.to_original(12):fixed.to_original(13)]
    (',quot;', ',quot;')

Hot paths should build one `TextRepairer` and reuse it: `repair()` loads the fixers on every call.
Nothing is loaded or cached at import time.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .fixers import FIXERS_FILE, Fixer, find_edits, ftfy_config, load_fixers
from .offsets import Segment, apply_edits, map_offset

__all__ = ["RepairedText", "TextRepairer", "repair", "load_fixers", "Fixer", "FIXERS_FILE"]


@dataclass
class RepairedText:
    """A repaired text, what it was, each change made, and the offset map back to the original.

    `changes`: one dict per change, sorted by position (ties in the order the fixers ran): `fixer`
    (the fixer id), `start`/`end` (its span in `text`; start == end for a deletion), `was` (the
    original text it replaced; where one stretch was repaired twice, e.g. `&#8220;` -> `“` -> `"`,
    both changes share the span and the `was`), `note` (why). `segments` holds the
    map: sorted `(rep_start, rep_end, orig_start, orig_end)` spans of `text` that replace a span of
    `original`; elsewhere the two texts agree and offsets shift by a constant.
    """

    text: str
    original: str
    changes: list[dict[str, Any]] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list, repr=False)
    _rep_starts: list[int] = field(init=False, repr=False, compare=False)
    _orig_starts: list[int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._rep_starts = [s[0] for s in self.segments]
        self._orig_starts = [s[2] for s in self.segments]

    @property
    def changed(self) -> bool:
        return self.text != self.original

    def to_original(self, offset: int) -> int:
        """Map an offset in `text` to `original`: exact at change boundaries, monotone everywhere.

        `original[to_original(s):to_original(e)]` is the pre-repair form of `text[s:e]`. An offset
        where text was deleted (a zero-width space, a BOM) maps past it; offsets are clamped to
        `0..len(text)`.
        """
        offset = min(max(offset, 0), len(self.text))
        if not self.segments:
            return offset
        return map_offset(self.segments, self._rep_starts, offset)

    def to_repaired(self, offset: int) -> int:
        """Map an offset in `original` to `text` (the inverse of `to_original` at change boundaries)."""
        offset = min(max(offset, 0), len(self.original))
        if not self.segments:
            return offset
        return map_offset(self.segments, self._orig_starts, offset, forward=True)

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of `original` that `text[start:end]` was repaired from."""
        return self.to_original(start), self.to_original(end)


MAX_ROUNDS = 3


class TextRepairer:
    """Holds compiled fixers and repairs texts with them; build once, call `.repair(text)` often.

    The fixers run in order over the whole text. Where they changed something they run again (at
    most `MAX_ROUNDS` times in all), since one repair can expose another (the order of the data
    takes care of most: entities before quotes, `''` last; but, say, a joiner next to a curly quote
    goes only once the quote is ASCII), so that `repair(repair(x).text).text == repair(x).text`.
    A later round looks only near what the round before changed (a fixer whose pattern finds
    nothing there is skipped), so it costs little; clean text costs one round.
    """

    def __init__(self, fixers: Sequence[Fixer] | None = None) -> None:
        self.fixers: list[Fixer] = list(load_fixers() if fixers is None else fixers)
        self._configs: list[Any] = [ftfy_config(f) if f.kind == "ftfy" else None for f in self.fixers]

    def repair(self, text: str) -> RepairedText:
        current = text
        segments: list[Segment] = []
        changes: list[list] = []
        window: str | None = None  # after the first round: the stretches the last round changed
        for _ in range(MAX_ROUNDS):
            before, done = current, len(changes)
            probed = False  # whether `probe` (the non-ASCII stretches of `current`) is up to date
            probe: str | None = None
            for fixer, config in zip(self.fixers, self._configs):
                if window is not None:
                    if not fixer.pattern.search(window):
                        continue
                elif fixer.non_ascii or fixer.kind == "ftfy":
                    if current.isascii():
                        continue
                    if not probed:
                        probe, probed = _non_ascii_probe(current), True
                    if probe is not None and not fixer.pattern.search(probe):
                        continue
                edits = find_edits(fixer, current, config)
                if edits:
                    current, segments, changes = apply_edits(current, segments, changes, edits)
                    probed = False
            if current == before:
                break
            window = "\n".join(current[max(0, c[1] - _ROUND_CONTEXT):c[2] + _ROUND_CONTEXT]
                               for c in changes[done:])
        if not changes:
            return RepairedText(text, text)
        changes.sort(key=lambda c: c[1])
        return RepairedText(current, text, [
            {"fixer": fixer_id, "start": start, "end": end, "was": text[orig_start:orig_end], "note": note}
            for fixer_id, start, end, note, orig_start, orig_end in changes
        ], segments)


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_PROBE_CONTEXT = 4
_PROBE_MAX_EXTRA_BYTES = 40
_ROUND_CONTEXT = 16  # a repair can expose another only this close to it


def _non_ascii_probe(text: str) -> str | None:
    """Each run of non-ASCII characters with a little context, one a line; None where there are many.

    A `non_ascii` fixer's pattern only matches around non-ASCII characters, so one that finds nothing
    here finds nothing in the text, and its full scan (a character-class scan costs 20-30 us on an
    article) is skipped. Worth it for the few accented names or dashes of a clean article; a text
    with many non-ASCII characters (counted cheaply by its UTF-8 length) is scanned in full.
    """
    if len(text.encode("utf-8")) - len(text) > _PROBE_MAX_EXTRA_BYTES:
        return None
    return "\n".join(text[max(0, m.start() - _PROBE_CONTEXT):m.end() + _PROBE_CONTEXT]
                     for m in _NON_ASCII.finditer(text))


def repair(text: str, fixers: Sequence[Fixer] | None = None) -> RepairedText:
    """Repair `text` with `fixers` (default: load the shipped `fixers.toml`; see `TextRepairer`)."""
    return TextRepairer(fixers).repair(text)
