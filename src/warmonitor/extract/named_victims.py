"""Victims told by name: "Ali Hassan, 34, was killed", "Kieara Green, 18, of Nicholasville, died on
Tuesday", "the raid killed 41-year-old Hamid Karimi".

Reports name the dead as often as they count them, and a named victim is one victim: the name is the
subject of a passive or intransitive outcome ("was killed", "was shot", "died", "succumbed"), over
an age and a hometown in apposition, or the object right after an active one ("killing 34-year-old
Ernest Edwards"). A name that acts ("Smith shot and killed his wife") is no victim: the subject needs
"was"/"were"/"been" or an intransitive death verb before its outcome. A name set off by commas after
another description ("a man, John Smith, was killed") is that victim told again, left to the
description. Each named victim becomes an `individuals.Individual` (rule `individual.named`) that
`quantities` assigns like a written count.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .context import ArticleContext, Sentence

PASSIVE = frozenset({"was", "were", "been", "is"})
NEGATIONS = frozenset({"not", "n't", "never"})
APPOSITION = 6  # tokens of ", 34, of Nicholasville," between a name and its verb


def named_victims(ctx: "ArticleContext", sentence: "Sentence", taken: set) -> list[tuple[int, int]]:
    """(start, end) tokens of each name in the sentence that is a victim."""
    words = ctx.resources.victim_words
    doc = ctx.doc
    hits = ctx.hits.get(sentence.index, ())
    outcomes = {h.start: h for h in hits if h.kind == "outcome"}
    out = []
    for name in ctx.names.get(sentence.index, ()):
        if name.kind != "person" or any(i in taken for i in range(name.start, name.end)):
            continue
        if name.start > sentence.start and doc.tokens[name.start - 1].text == ",":
            continue  # "a man, John Smith, was killed": the man, told again
        if _subject(ctx, sentence, name.end, outcomes, words) or _object(ctx, sentence, name.start, outcomes):
            after = range(name.end, min(sentence.end, name.end + APPOSITION + 4))
            if not any(doc.tokens[i].lower_ in NEGATIONS for i in after):
                out.append((name.start, name.end))
    return out


def _subject(ctx, sentence, end: int, outcomes: dict, words) -> bool:
    """A passive or intransitive outcome after the name, over an apposition (", 34, of Dayton,")."""
    doc = ctx.doc
    i = end
    for n in range(2):  # ", 34," and ", of Dayton,"
        if i < sentence.end and doc.tokens[i].text == ",":
            close = next((k for k in range(i + 1, min(sentence.end, i + APPOSITION)) if doc.tokens[k].text == ","),
                         None)
            if close is None:
                if n == 0:
                    return False
                break
            i = close
    if i > end:
        i += 1
    passive = False
    while i < sentence.end and i - end <= APPOSITION + 4:
        if i in outcomes:
            return passive or doc.tokens[i].lower_ in words.death_verbs
        low = doc.tokens[i].lower_
        if low not in words.bridge:
            return False
        passive = passive or low in PASSIVE
        i += 1
    return False


def _object(ctx, sentence, start: int, outcomes: dict) -> bool:
    """"killing 34-year-old Ernest Edwards", "killed Ali Hassan": an active outcome right before the
    name, over an age."""
    doc = ctx.doc
    i = start - 1
    ages = [m for m in ctx.numbers.get(sentence.index, ()) if m.kind == "age" and m.end == start]
    if ages:
        i = ages[0].start - 1
    return i >= sentence.start and i in outcomes and doc.tokens[i].lower_.endswith(("ing", "ed"))
