"""Casualty facts: who was killed, injured, missing, detained or abducted, how many, by what and whom.

Built on the count assignments of `quantities.py`. Perpetrators are the actors the sentence puts in
that role ("caused by Syrian and Russian forces", "Russian airstrikes killed", "by regime shelling"),
never the speaker; "93 percent of deaths caused by X" gives X a perpetrator share of the count.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..model import Fact
from .attribution import claimants
from .individuals import died_of_wounds
from .later_deaths import adds_more, later_deaths
from .perpetrators import actors_after, unique
from .phrases import nearest_place, place_after, time_of

if TYPE_CHECKING:
    from .context import ArticleContext, Sentence
    from .quantities import Assignment

VICTIM_DEFAULT = "people"


def casualty_facts(ctx: "ArticleContext", assignments: list["Assignment"]) -> list[Fact]:
    facts = []
    assignments = later_deaths(ctx, assignments)  # "three were wounded; one later died": 2 wounded, 1 dead
    replaced = died_of_wounds(ctx, assignments)  # an injury told again as a death: one victim, killed
    for a in assignments:
        if a.type != "casualty" or id(a) in replaced:
            continue
        sentence = a.sentence
        victims = a.noun.value if a.noun is not None and a.noun.kind == "victim" else VICTIM_DEFAULT
        if a.noun is not None and a.noun.kind == "unit" and a.noun.value != "people":
            continue  # "three houses were destroyed": not people
        if is_rate(ctx, sentence):
            continue  # "drunk drivers kill thousands every year": a situation, not an event's toll
        anchor = min(a.mention.start, a.trigger.start)
        perpetrators, share = perpetrators_of(ctx, sentence, a)
        fields = {
            "outcome": a.trigger.value,
            "victims": victims,
            "count": a.mention.count,
            "cause": cause_of(ctx, sentence, a),
            "perpetrators": perpetrators,
            "perpetrator_share": share,
            "place": place_after(ctx, sentence, anchor) or nearest_place(ctx, sentence, anchor),
            **time_of(ctx, sentence, a.trigger.start),
        }
        if a.subset:
            fields["subset_of_previous"] = True  # counted inside the figure before it, never added to it
        confidence = max(0.3, 0.85 - 0.03 * a.distance - (0.1 if a.mention.count.best is None else 0))
        rule = "more" if a.rule == "outcome.nearest-trigger" and not a.subset and adds_more(ctx, a) else a.rule
        facts.append(Fact("casualty", ctx.sentence_evidence(sentence), fields,
                          claimants(ctx, sentence, a.mention.start), round(confidence, 2), f"casualty.{rule}"))
    return facts


def cause_of(ctx: "ArticleContext", sentence: "Sentence", a: "Assignment") -> str | None:
    causes = [h for h in ctx.hits.get(sentence.index, ()) if h.kind == "cause"]
    if not causes:
        return None
    anchor = a.trigger.start
    return min(causes, key=lambda h: (abs(h.start - anchor), -(h.end - h.start))).value


def perpetrators_of(ctx: "ArticleContext", sentence: "Sentence", a: "Assignment") -> tuple[list[str], float | None]:
    doc = ctx.doc
    armed = ctx.resources.actors.is_armed
    mentions = [m for m in ctx.actors.get(sentence.index, ()) if armed(m) and (m.start not in ctx.quoted_tokens
                or a.mention.start in ctx.quoted_tokens)]
    share = None
    names: list[str] = []
    # "93 percent of deaths caused by X and Y"
    for m in ctx.numbers.get(sentence.index, ()):
        if m.kind in ("percent", "share") and m.count.best is not None and m.end + 1 < sentence.end \
                and doc.tokens[m.end].lower_ == "of":
            by = next((i for i in range(m.end, min(sentence.end, m.end + 8)) if doc.tokens[i].lower_ == "by"), None)
            if by is not None:
                share = round(m.count.best / 100, 4)
                names = actors_after(mentions, by, by + 8)
    if not names:
        for i in range(sentence.start, sentence.end):
            if doc.tokens[i].lower_ == "by" and abs(i - a.trigger.start) <= 12:
                names = actors_after(mentions, i, i + 6)
                if names:
                    break
    if not names:
        # "Russian airstrikes killed ...", "Russian glide bombs struck ..., killing": an armed actor
        # before the trigger that is itself the subject of an attack, cause or outcome word
        acting = {h.start for h in ctx.hits.get(sentence.index, ()) if h.kind in ("attack", "cause", "outcome")}
        for m in mentions:
            if m.end > a.trigger.start or m.start in acting:
                continue
            if 0 <= a.trigger.start - m.end <= 4 or any(m.end <= i <= m.end + 1 for i in acting) \
                    or any(m.start <= i < m.end and i == m.end - 1 for i in acting):
                if not (m.start > 0 and doc.tokens[m.start - 1].lower_ == "of"):  # "members of regime forces": victims
                    names.append(m.actor)
    return unique(names), (share if names else None)


def is_rate(ctx: "ArticleContext", sentence: "Sentence") -> bool:
    """Whether the sentence states a rate ("every year", "each day", "on average": data/words/situation.toml)."""
    rates = ctx.resources.victim_words.rates
    doc = ctx.doc
    for i in range(sentence.start, sentence.end):
        low = doc.tokens[i].lower_
        if low in rates or (i + 1 < sentence.end and f"{low} {doc.tokens[i + 1].lower_}" in rates):
            return True
    return False
