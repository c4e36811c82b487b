"""Displacement facts: how many people, families or households, under which IDMC reporting term, from where to where.

The term is the displacement trigger the count was assigned to ("fled", "evacuated", "sheltering"),
or the one written into its noun phrase ("43,000 newly displaced people have fled": "fled" is the
event, "displaced" the description; the verb wins when both are there).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..model import Fact
from .phrases import nearest_place, place_after, time_of
from .quote import claimants

if TYPE_CHECKING:
    from .context import ArticleContext
    from .quantities import Assignment

def displacement_facts(ctx: "ArticleContext", assignments: list["Assignment"]) -> list[Fact]:
    facts = []
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
        origin = place_after(ctx, sentence, min(a.mention.start, a.trigger.start), prepositions=frozenset(["from"]))
        destination = place_after(ctx, sentence, anchor, prepositions=frozenset(["to", "into", "towards", "toward"]))
        place = place_after(ctx, sentence, min(a.mention.start, a.trigger.start),
                            prepositions=frozenset(["in", "across", "near", "at", "around", "within"]))
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
