"""Attacks on protected places: hospitals, medical facilities, schools, camps, markets, places of worship.

A sentence states such an attack when it names a target and an attack word ("attacks on hospitals",
"shelled a school", "struck two clinics") outside a fear or condition. A count just before a target
("two hospitals") goes into `target_count`; perpetrators are actors after "by" or armed actors
named as the subject of the attack ("Russian jets struck").
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..model import Fact
from .attribution import claimants
from .perpetrators import actors_after, unique
from .phrases import nearest_place, place_after, time_of

if TYPE_CHECKING:
    from .context import ArticleContext

TARGET_WINDOW = 14  # tokens between an attack word and the target it hits; the list may run on


def attack_facts(ctx: "ArticleContext") -> list[Fact]:
    facts = []
    doc = ctx.doc
    for sentence in ctx.each_sentence():
        hits = ctx.hits.get(sentence.index, ())
        targets = [h for h in hits if h.kind == "target"]
        if not targets:
            continue
        attacks = [h for h in hits if h.kind in ("attack",) and not ctx.hedged(sentence, h.start)]
        if not attacks:
            continue
        if not any(abs(t.start - a.start) <= TARGET_WINDOW for t in targets for a in attacks):
            continue
        near = [t for t in targets if not ctx.hedged(sentence, t.start)]
        # a longer target phrase wins over the words inside it ("medical facilities" over "medical")
        near = [t for t in near if not any(o is not t and o.start <= t.start and t.end <= o.end
                                           and (o.end - o.start) > (t.end - t.start) for o in near)]
        if not near:
            continue
        names: list[str] = []
        counts: dict[str, int] = {}
        for target in near:
            names.append(target.value)
            for m in ctx.numbers.get(sentence.index, ()):
                if m.kind == "count" and 0 <= target.start - m.end <= 1 and m.count.value is not None:
                    counts[target.value] = counts.get(target.value, 0) + m.count.value
        mentions = [m for m in ctx.actors.get(sentence.index, ()) if ctx.resources.actors.is_armed(m)]
        perpetrators: list[str] = []
        for i in range(sentence.start, sentence.end):
            if doc.tokens[i].lower_ == "by":
                perpetrators.extend(actors_after(mentions, i, i + 6))
        first_attack = attacks[0].start
        for m in mentions:
            if 0 <= first_attack - m.end <= 3 or (m.start <= first_attack < m.end):
                perpetrators.append(m.actor)
        fields = {
            "targets": unique(names),
            "target_count": counts or None,
            "perpetrators": unique(perpetrators),
            "place": place_after(ctx, sentence, first_attack, prepositions=frozenset(["in", "near", "at", "on"]))
            or nearest_place(ctx, sentence, first_attack),
            **time_of(ctx, sentence, first_attack),
        }
        confidence = 0.75 if len(near) > 1 or counts else 0.65
        facts.append(Fact("attack", ctx.sentence_evidence(sentence), fields,
                          claimants(ctx, sentence, first_attack), confidence, "attack.target-near-attack-word"))
    return without_headline_repeats(ctx, facts)


def without_headline_repeats(ctx: "ArticleContext", facts: list[Fact]) -> list[Fact]:
    """A headline announcing an attack the body reports again is one attack, told by the body."""
    if len(ctx.sentences) < 2 or not facts:
        return facts
    headline = ctx.sentences[0]
    if ctx.doc.tokens[headline.end - 1].is_punct and ctx.doc.tokens[headline.end - 1].text in ".!?\"":
        return facts  # a sentence, not a headline
    head_end = ctx.doc.tokens[headline.end - 1].idx + len(ctx.doc.tokens[headline.end - 1])
    body_targets = {t for f in facts if f.evidence.start >= head_end for t in f.fields["targets"]}
    return [f for f in facts if f.evidence.start >= head_end or not set(f.fields["targets"]) <= body_targets]
