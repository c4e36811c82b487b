"""Offset bookkeeping for text repair: applying edits and mapping repaired offsets back.

A repair is a series of passes; each pass replaces some non-overlapping spans of the current text.
The map from the current text back to the original is a sorted list of *segments*
`(rep_start, rep_end, orig_start, orig_end)`: spans of the current text that replace a span of the
original. Between segments the text is unchanged, so offsets shift by a constant. The map is exact at
every segment boundary and monotone everywhere (inside a segment, offsets advance one for one until
the original span is used up, then stay at its end).
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import NamedTuple

Segment = tuple[int, int, int, int]  # rep_start, rep_end, orig_start, orig_end


class Edit(NamedTuple):
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


def apply_edits(
    text: str, segments: list[Segment], changes: list[list], edits: list[Edit]
) -> tuple[str, list[Segment], list[list]]:
    """Apply sorted, non-overlapping `edits` to `text`; return the new text, segments and changes.

    `changes` are `[fixer, start, end, note, orig_start, orig_end]`, `start`/`end` in the coordinates
    of `text`; they are shifted into the new text and one is appended per edit, with the span of the
    original it replaced (kept apart from the map, which cannot say what a deletion was). A change
    boundary strictly inside an edit that changes length moves to that edit's start (or end, for an
    end). A new edit that overlaps an earlier segment absorbs it, so segments never overlap and the
    map stays exact at every boundary.
    """
    pieces = []
    pos = 0
    new_starts = []
    deltas = []  # cumulative length change after each edit
    delta = 0
    for e in edits:
        pieces.append(text[pos:e.start])
        pieces.append(e.new)
        pos = e.end
        new_starts.append(e.start + delta)
        delta += len(e.new) - (e.end - e.start)
        deltas.append(delta)
    pieces.append(text[pos:])
    new_text = "".join(pieces)
    if segments:
        old_starts = [s[0] for s in segments]
        orig_spans = [_orig_span(segments, old_starts, e.start, e.end) for e in edits]
    else:
        orig_spans = [(e.start, e.end) for e in edits]
    new_segments = _merge_segments(segments, edits, deltas)

    if any(len(e.new) != e.end - e.start for e in edits):
        starts = [e.start for e in edits]

        def shift(p: int, is_end: bool) -> int:
            i = bisect_right(starts, p) - 1
            if i < 0:
                return p
            e = edits[i]
            if p >= e.end:
                return p + deltas[i]
            if p == e.start or not is_end:
                return new_starts[i]
            return new_starts[i] + len(e.new)

        new_changes = [[c[0], shift(c[1], False), shift(c[2], True), *c[3:]] for c in changes]
    else:  # every edit keeps its length: no position moves
        new_changes = list(changes)
    for e, start, (orig_start, orig_end) in zip(edits, new_starts, orig_spans):
        new_changes.append([e.fixer, start, start + len(e.new), e.note, orig_start, orig_end])
    return new_text, new_segments, new_changes


def _orig_span(segments: list[Segment], starts: list[int], start: int, end: int) -> tuple[int, int]:
    """The original span that `start:end` of the current text came from.

    Exact at segment boundaries; a boundary strictly inside an earlier segment (a repair of a
    repair's output that does not line up with it) widens to that whole segment, whose inside the
    map can only guess.
    """
    i = bisect_right(starts, start) - 1
    if i >= 0 and segments[i][0] < start < segments[i][1]:
        lo = segments[i][2]
    else:
        lo = map_offset(segments, starts, start)
    i = bisect_left(starts, end) - 1
    if i >= 0 and segments[i][0] < end < segments[i][1]:
        hi = segments[i][3]
    else:
        hi = map_offset(segments, starts, end)
    return lo, max(lo, hi)


def _merge_segments(segments: list[Segment], edits: list[Edit], deltas: list[int]) -> list[Segment]:
    """The segments after applying `edits` (`deltas`: cumulative length change after each edit).

    One sweep over segments and edits in order of (start, end), an edit first at a tie. An edit and
    the segments it overlaps (or a zero-length one strictly inside it) become one new segment.
    Between segments the old text maps to the original with a constant `odelta` (orig - old offset).
    """
    out: list[Segment] = []
    n_seg, n_ed = len(segments), len(edits)
    i = j = 0
    delta = 0  # length change of the edits already passed
    odelta = 0
    while i < n_seg or j < n_ed:
        if j < n_ed and (i >= n_seg or (edits[j].start, edits[j].end) <= segments[i][:2]):
            start, end = edits[j].start, edits[j].end
            orig_start = start + odelta
            last = j
            j += 1
        else:
            rs, re_, os_, oe = segments[i]
            i += 1
            odelta = oe - re_
            if j >= n_ed or edits[j].start >= re_:
                _push(out, (rs + delta, re_ + delta, os_, oe))
                continue
            start, end, orig_start, last = rs, re_, os_, -1
        while True:  # absorb whatever overlaps the cluster
            if j < n_ed and edits[j].start < end:
                end = max(end, edits[j].end)
                last = j
                j += 1
            elif i < n_seg and segments[i][0] < end:
                end = max(end, segments[i][1])
                odelta = segments[i][3] - segments[i][1]
                i += 1
            else:
                break
        new_start = start + delta
        delta = deltas[last]
        _push(out, (new_start, end + delta, orig_start, end + odelta))
    return out


def _push(out: list[Segment], seg: Segment) -> None:
    """Append `seg`, joining it to a deletion just before it at the same point (one point, one map)."""
    if out and seg[0] == seg[1] == out[-1][0] == out[-1][1] and out[-1][3] == seg[2]:
        out[-1] = (seg[0], seg[1], out[-1][2], seg[3])
    else:
        out.append(seg)
