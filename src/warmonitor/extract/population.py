"""Population facts: how many people live in or shelter at a place ("Idlib is home to four million people").

These are context, not events: they must never be summed into the displaced or the dead.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..model import Fact
from .phrases import place_after, place_before
from .attribution import claimants

if TYPE_CHECKING:
    from .context import ArticleContext
    from .quantities import Assignment


def population_facts(ctx: "ArticleContext", assignments: list["Assignment"]) -> list[Fact]:
    """People living in or sheltering at a place: context for the other figures, never an event."""
    facts = []
    for a in assignments:
        if a.type != "population":
            continue
        sentence = a.sentence
        place = place_before(ctx, sentence, a.trigger.start) or place_after(ctx, sentence, a.mention.end)
        fields = {"count": a.mention.count, "place": place}
        confidence = max(0.3, 0.8 - 0.03 * a.distance)
        facts.append(Fact("population", ctx.sentence_evidence(sentence), fields,
                          claimants(ctx, sentence, a.mention.start), round(confidence, 2), f"population.{a.rule}"))
    return facts
