"""Displacement facts: how many people, families or households, under which IDMC reporting term, from where to where.

The term is the displacement trigger the count was assigned to ("fled", "evacuated", "sheltering"),
or the one written into its noun phrase ("43,000 newly displaced people have fled": "fled" is the
event, "displaced" the description; the verb wins when both are there).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..model import Fact
from .phrases import nearest_place, place_after, time_of
from .attribution import claimants

if TYPE_CHECKING:
    from .context import ArticleContext
    from .quantities import Assignment

def direct_object_place(ctx: "ArticleContext", sentence, after: int):
    """A place right after a leaving verb is where people left: "fled the Kokang self-administered zone"."""
    from .phrases import free_places, place_record

    for mention in free_places(ctx, sentence.index):
        gap = [t.lower_ for t in ctx.doc.tokens[after:mention.start]]
        if mention.start >= after and all(w in ("the", "their", "western", "eastern", "northern", "southern")
                                          for w in gap) and len(gap) <= 2:
            return place_record(mention)
    return None


def displacement_facts(ctx: "ArticleContext", assignments: list["Assignment"]) -> list[Fact]:
    facts = []
    prepositions = ctx.resources.places.prepositions
    for a in assignments:
        if a.type != "displacement":
            continue
        sentence = a.sentence
        unit = "people"
        if a.noun is not None and a.noun.kind == "unit":
            unit = a.noun.value
        elif a.noun is not None and a.noun.kind == "victim" and a.noun.value != "people":
            unit = "people"
        term = a.trigger.value
        if term in ("destroyed housing", "partially destroyed housing") and unit == "people":
            continue
        anchor = max(a.mention.end, a.trigger.end)
        origin = place_after(ctx, sentence, min(a.mention.start, a.trigger.start),
                             prepositions=prepositions["displacement_origin"])
        destination = place_after(ctx, sentence, anchor, prepositions=prepositions["displacement_destination"])
        place = place_after(ctx, sentence, min(a.mention.start, a.trigger.start),
                            prepositions=prepositions["displacement_place"])
        if origin is None and a.trigger.value in ("fled", "evacuated", "displaced"):
            origin = direct_object_place(ctx, sentence, a.trigger.end)  # "fled the Kokang zone", "left Mosul"
        if not (place or origin or destination) and a.mention.start > sentence.start:
            # "In Shan state, more than 2,600 people were evacuated": the place opens the sentence
            place = place_after(ctx, sentence, sentence.start, end=a.mention.start,
                                prepositions=prepositions["displacement_place_first"])
        if not (place or origin or destination):
            place = nearest_place(ctx, sentence, a.trigger.start)
        fields = {
            "count": a.mention.count,
            "unit": unit,
            "term": term,
            "origin": origin,
            "destination": destination,
            "place": place,
            **time_of(ctx, sentence, a.trigger.start),
        }
        confidence = max(0.3, 0.85 - 0.03 * a.distance - (0.1 if a.mention.count.best is None else 0))
        facts.append(Fact("displacement", ctx.sentence_evidence(sentence), fields,
                          claimants(ctx, sentence, a.mention.start), round(confidence, 2), f"displacement.{a.rule}"))
    return facts
