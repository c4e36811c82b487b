"""Who holds a place: "the town is now under the control of X", "remains under government control".

The clause puts the place before the trigger and the actor inside it, the reverse of the control
verbs `control.py` reads, so it has a reader of its own. "Now", "came", "fell" before "under" make it
a change of hands (`gained`); otherwise it states who holds the place (`held`), which is what a report
denying a capture says ("the town remains under government control"), and what lets the incident
show the two claims side by side. Its words are in `data/words/control_status.toml`.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..model import Fact
from .attribution import claimants
from .phrases import place_phrase, time_of

if TYPE_CHECKING:
    from .context import ArticleContext

BEFORE_UNDER = 3  # words before "under" that may say the place changed hands ("has now fallen under")
MODIFIER = 4      # words between "under" and "control" ("under the full Houthi control")
AFTER_OF = 4      # words between "control of" and its actor ("under the control of government forces")


def control_status_facts(ctx: "ArticleContext") -> list[Fact]:
    words = ctx.resources.control_status
    facts = []
    doc = ctx.doc
    actors = ctx.resources.actors
    for sentence in ctx.each_sentence():
        mentions = [m for m in ctx.actors.get(sentence.index, ()) if actors.is_armed(m)]
        actor_tokens = {i for m in ctx.actors.get(sentence.index, ()) for i in range(m.start, m.end)}
        for i in range(sentence.start + 1, sentence.end):
            if doc.tokens[i].lower_ != "control":
                continue
            under = next((j for j in range(i - 1, max(sentence.start, i - MODIFIER - 1) - 1, -1)
                          if doc.tokens[j].lower_ == "under"), None)
            if under is None or ctx.hedged(sentence, under):
                continue
            place = _place_before(ctx, sentence.start, under, actor_tokens)
            if place is None:
                continue
            country = ctx.country or ctx.place_country or place.get("country")
            actor = _holder(ctx, words, mentions, (under, i, sentence.end), country)
            if actor is None:
                continue
            before = {doc.tokens[j].lower_ for j in range(max(sentence.start, under - BEFORE_UNDER), under)}
            change = "gained" if before & words["gained"] else "held"
            fields = {"actor": actor, "change": change, "place": place, **time_of(ctx, sentence, under)}
            facts.append(Fact("control", ctx.sentence_evidence(sentence), fields,
                              claimants(ctx, sentence, under), 0.7, f"control.under-control.{change}"))
            break  # one holder per sentence
    return facts


def _holder(ctx: "ArticleContext", words: dict, mentions: list, span: tuple[int, int, int],
            country: str | None) -> str | None:
    """The armed actor the clause names: after "control of", or between "under" and "control"
    ("government control": the state forces of `country`, the country of the article or its place)."""
    doc = ctx.doc
    under, control, end = span
    if control + 1 < end and doc.tokens[control + 1].lower_ == "of":
        after = [m for m in mentions if 0 <= m.start - (control + 2) <= AFTER_OF]
        return after[0].actor if after else None
    inside = [m for m in mentions if under < m.start and m.end <= control]
    if inside:
        return inside[-1].actor
    between = [doc.tokens[j] for j in range(under + 1, control) if doc.tokens[j].lower_ not in words["filler"]]
    if len(between) != 1:
        return None
    word = between[0]
    if word.lower_ in words["state"]:
        return ctx.resources.actors.governments.get(country or "")
    if word.text[:1].isupper():
        return ctx.resources.actors.adjectives.get(word.lower_)  # "under Russian control"
    return None


def _place_before(ctx: "ArticleContext", start: int, under: int, actor_tokens: set[int]) -> dict | None:
    """The place the clause is about: the first one named in the clause before "under" ("Harib district
    in Marib province came under"), else the nearest one before it in the sentence ("attacks on
    Kyaukme, and the town remains under")."""
    doc = ctx.doc
    clause = max((j + 1 for j in range(start, under) if doc.tokens[j].text in (",", ";")
                  or doc.tokens[j].lower_ in ("and", "but", "while")), default=start)
    places: list[tuple[int, dict]] = []
    j = under - 1
    while j >= start:
        token = doc.tokens[j]
        if token.text[:1].isupper() and j not in actor_tokens:
            first = j
            while first - 1 >= start and doc.tokens[first - 1].text[:1].isupper() and first - 1 not in actor_tokens:
                first -= 1
            if first - 2 >= start and doc.tokens[first - 1].lower_ == "of" \
                    and doc.tokens[first - 2].lower_ in ctx.resources.places.phrase_nouns:
                first -= 2  # "the town of Saraqeb": place_phrase reads the area noun itself
            place = place_phrase(ctx, first, under, actor_tokens)
            if place is not None and place.get("lat") is not None:
                places.append((first, place))
            j = first
        j -= 1
    in_clause = [p for first, p in places if first >= clause]
    return in_clause[-1] if in_clause else places[0][1] if places else None
