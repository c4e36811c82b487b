"""Control changes: which armed actor gained, lost, withdrew from or advanced on which place.

The actor is the armed actor nearest before the trigger ("government forces made new gains in ...")
or, for the passive "fell to X", the one after it; the place is the first place phrase after the
trigger. Without both an actor and a place the sentence states no change of control we can record. Who
holds a place ("remains under government control") is read by `control_status.py`.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..model import Fact
from .attribution import claimants
from .control_status import control_status_facts
from .phrases import place_phrase, time_of

if TYPE_CHECKING:
    from .context import ArticleContext

ACTOR_WINDOW = 10  # tokens between the actor and the trigger
PLACE_WINDOW = 8   # tokens between the trigger and the place


def control_facts(ctx: "ArticleContext") -> list[Fact]:
    facts = []
    doc = ctx.doc
    actors = ctx.resources.actors
    prepositions = ctx.resources.places.prepositions["words"]
    for sentence in ctx.each_sentence():
        seen: set[tuple[str, str]] = set()
        for hit in ctx.hits.get(sentence.index, ()):
            if hit.kind != "control" or ctx.hedged(sentence, hit.start):
                continue
            mentions = [m for m in ctx.actors.get(sentence.index, ()) if actors.is_armed(m)]
            before = [m for m in mentions if 0 <= hit.start - m.end <= ACTOR_WINDOW]
            passive = doc.tokens[hit.end - 1].lower_ == "to"  # "fell to", "was lost to"
            after = [m for m in mentions if 0 <= m.start - hit.end <= 3]
            actor = (after[0] if passive and after else before[-1] if before else None)
            if actor is None:
                continue
            place = None
            actor_tokens = {i for m in mentions for i in range(m.start, m.end)}
            for i in range(hit.end, min(sentence.end, hit.end + PLACE_WINDOW)):
                token = doc.tokens[i]
                if token.lower_ in prepositions or i == hit.end:
                    start = i + 1 if token.lower_ in prepositions else i
                    place = place_phrase(ctx, start, sentence.end, actor_tokens)
                    if place:
                        break
            if place is None and passive:
                continue
            if place is None:
                continue
            key = (actor.actor, hit.value)
            if key in seen:
                continue
            seen.add(key)
            fields = {"actor": actor.actor, "change": hit.value, "place": place, **time_of(ctx, sentence, hit.start)}
            confidence = 0.8 if not actor.generic else 0.65
            facts.append(Fact("control", ctx.sentence_evidence(sentence), fields,
                              claimants(ctx, sentence, hit.start), confidence, f"control.{hit.value}"))
    return facts + control_status_facts(ctx)
