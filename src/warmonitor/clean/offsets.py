"""Offset bookkeeping for text repair: applying edits and mapping repaired offsets back.

A repair is a series of passes; each pass replaces some non-overlapping spans of the current text.
The map from the current text back to the original is a sorted list of *segments*
`(rep_start, rep_end, orig_start, orig_end)`: spans of the current text that replace a span of the
original. Between segments the text is unchanged, so offsets shift by a constant. The map is exact at
every segment boundary and monotone everywhere (inside a segment, offsets advance one for one until
the original span is used up, then stay at its end).
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

Segment = tuple[int, int, int, int]  # rep_start, rep_end, orig_start, orig_end


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace `text[start:end]` (in the current text) by `new`; `fixer` and `note` say who and why."""

    start: int
    end: int
    new: str
    fixer: str
    note: str


def map_offset(segments: list[Segment], starts: list[int], offset: int, forward: bool = False) -> int:
    """Map `offset` through `segments`: repaired -> original, or original -> repaired when `forward`.

    `starts` is the list of segment starts on the side `offset` lives on (index 0, or 2 if forward).
    """
    i = bisect_right(starts, offset) - 1
    if i < 0:
        return offset
    rs, re_, os_, oe = segments[i]
    src_start, src_end, dst_start, dst_end = (os_, oe, rs, re_) if forward else (rs, re_, os_, oe)
    if offset >= src_end:
        return dst_end + offset - src_end
    return dst_start + min(offset - src_start, dst_end - dst_start)


class _Shifter:
    """Where a position of the text before a pass lands in the text after it."""

    def __init__(self, edits: list[Edit]) -> None:
        self.starts = [e.start for e in edits]
        self.ends = [e.end for e in edits]
        self.new_starts: list[int] = []
        self.after: list[int] = []  # cumulative delta after each edit
        delta = 0
        for e in edits:
            self.new_starts.append(e.start + delta)
            delta += len(e.new) - (e.end - e.start)
            self.after.append(delta)
        self.lengths = [len(e.new) for e in edits]

    def __call__(self, pos: int, is_end: bool) -> int:
        i = bisect_right(self.starts, pos) - 1
        if i < 0:
            return pos
        if pos >= self.ends[i]:
            return pos + self.after[i]
        if pos == self.starts[i] or not is_end:
            return self.new_starts[i]
        return self.new_starts[i] + self.lengths[i]


def apply_edits(
    text: str, segments: list[Segment], changes: list[list], edits: list[Edit]
) -> tuple[str, list[Segment], list[list]]:
    """Apply sorted, non-overlapping `edits` to `text`; return the new text, segments and changes.

    `changes` are `[fixer, start, end, note, orig_start, orig_end]`, `start`/`end` in the coordinates
    of `text`; they are shifted into the new text and one is appended per edit, with the span of the
    original it replaced (what a deletion was: a zero-length span maps to no original text). A new edit that overlaps an earlier segment absorbs it, so
    segments never overlap and the map stays exact at every boundary.
    """
    shift = _Shifter(edits)
    pieces = []
    pos = 0
    for e in edits:
        pieces.append(text[pos:e.start])
        pieces.append(e.new)
        pos = e.end
    pieces.append(text[pos:])
    new_text = "".join(pieces)

    old_starts = [s[0] for s in segments]
    # Cluster edits with the old segments they overlap (sorted by start, zero-length first).
    items: list[tuple[int, int, Segment | None]] = [(e.start, e.end, None) for e in edits]
    items.extend((s[0], s[1], s) for s in segments)
    items.sort(key=lambda item: (item[0], item[1], item[2] is not None))
    new_segments: list[Segment] = []
    cluster: list = []  # [start, end, has_edit, segment-or-None]

    def flush() -> None:
        if not cluster:
            return
        start, end, has_edit, seg = cluster
        if has_edit:
            new_segments.append((
                shift(start, False), shift(end, True),
                map_offset(segments, old_starts, start), map_offset(segments, old_starts, end),
            ))
        else:
            new_segments.append((shift(seg[0], False), shift(seg[1], True), seg[2], seg[3]))

    for start, end, seg in items:
        if cluster and start < cluster[1]:
            cluster[1] = max(cluster[1], end)
            cluster[2] = cluster[2] or seg is None
            continue
        flush()
        cluster = [start, end, seg is None, seg]
    flush()

    new_changes = [[c[0], shift(c[1], False), shift(c[2], True), *c[3:]] for c in changes]
    for e, start in zip(edits, shift.new_starts):
        new_changes.append([
            e.fixer, start, start + len(e.new), e.note,
            map_offset(segments, old_starts, e.start), map_offset(segments, old_starts, e.end),
        ])
    return new_text, new_segments, new_changes
