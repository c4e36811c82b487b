"""Time phrases of an article's sentences, and which of them date a statement rather than an event.

Shared by `phrases.time_of` (a fact's own time) and `when` (the day carried to facts that state none),
kept apart from both so that neither imports the other's helpers in a circle.
"""
from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from ..data_files import load_words

if TYPE_CHECKING:
    from .context import ArticleContext


@cache
def patterns() -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    """(before, after, update) patterns, built once per process from the data files: they never change."""
    verbs = set(load_words("time_words", "report_verbs"))
    fillers = load_words("time_words", "report_day_fillers")
    verb = r"(?i:" + "|".join(sorted(map(re.escape, verbs))) + r")"  # "Posted: Friday, 26 June"
    filler = r"(?:" + "|".join(sorted(map(re.escape, fillers))) + r"|[A-Z][A-Za-z]+)"
    before = re.compile(rf"\b{verb}(?:\s+(?:{filler})){{0,4}}[\s,:]*$")  # "Updated: Monday, 4 March"
    after = re.compile(rf"^[\s,]*{verb}\b")
    updates = load_words("tolls", "updates")
    update = re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, updates))) + r")\b", re.I)
    return before, after, update


@cache
def follow_up_patterns() -> tuple[re.Pattern, re.Pattern]:
    """(before, after) patterns of a follow-up word next to a day ("arrested on Tuesday", "police on
    Tuesday charged"), up to three words between but none that starts the event's own words ("arrested
    after the attack on Tuesday"): built once per process from the data."""
    verbs = load_words("time_words", "follow_up_verbs")
    stops = load_words("time_words", "follow_up_stops")
    verb = r"(?i:" + "|".join(sorted(map(re.escape, verbs))) + r")"
    stop = r"(?i:" + "|".join(sorted(map(re.escape, stops))) + r")"
    word = rf"(?:(?!{stop}\b)[A-Za-z][A-Za-z'’-]*|\d+)"  # "charged Ali Hassan", "arrested two men"
    before = re.compile(rf"\b{verb}(?:\s+{word}){{0,3}}[\s,]*$")
    after = re.compile(rf"^[\s,]*{verb}\b")
    return before, after


def follow_up_day(ctx: "ArticleContext", start: int, end: int) -> bool:
    """Whether the time phrase at characters `start`..`end` dates what followed an event (an arrest, a
    charge, a court hearing, an identification, a burial: "a suspect was arrested early Tuesday",
    "appeared before a judge Friday", "police on Monday charged"), not the killing or wounding itself."""
    before, after = follow_up_patterns()
    sentence = ctx.sentences[ctx.sentence_of_char(start)]
    first = ctx.doc.tokens[sentence.start].idx
    if before.search(ctx.text[max(first, start - 60):start]):
        return True
    return bool(after.match(ctx.text[end:end + 30]))


def report_day(ctx: "ArticleContext", offset: int) -> bool:
    """Whether the time phrase at character `offset` dates a statement, not an event: a report verb
    right before it ("said on Tuesday", "told reporters on Monday") or right after it ("on Tuesday
    said"), or the date of the dateline ("EL FASHER, Sudan, March 3 (AP) —"), the day of filing."""
    before, after, _ = patterns()
    text = ctx.text
    dateline = ctx.dateline
    if dateline is not None and dateline.start <= offset < dateline.end:
        return True  # "BAMAKO, Sept 15 (SWS) -": the day the story was filed
    sentence = ctx.sentences[ctx.sentence_of_char(offset)]
    start = ctx.doc.tokens[sentence.start].idx
    head = text[max(start, offset - 60):offset]
    if before.search(head):
        return True
    ref = next((r for r in ctx.times.get(sentence.index, ()) if r[0] == offset), None)
    return bool(ref and after.match(text[ref[1]:ref[1] + 30]))


def sentence_times(ctx: "ArticleContext", index: int) -> list:
    """The time phrases of sentence `index` as (start, end, TimeRef), character offsets in the text,
    resolved once per sentence and kept on the context."""
    refs = ctx.times.get(index)
    if refs is None and not ctx.resources.resolve:
        refs = ctx.times[index] = []
    if refs is None:
        sentence = ctx.sentences[index]
        first = ctx.doc.tokens[sentence.start]
        text = ctx.doc[sentence.start:sentence.end].text
        refs = [(first.idx + r.start, first.idx + r.end, r) for r in ctx.resources.times.find(text, ctx.published)]
        ctx.times[index] = refs
    return refs


