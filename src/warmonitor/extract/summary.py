"""The article summary: what the article reports in all, each figure counted once.

Articles repeat their main figure (headline, lead, a later paragraph) and break it down ("12 people,
including five children"). So within one sentence distinct victim groups add up, while a group that
is introduced by "including"/"among them" is part of the figure before it; across sentences the
largest figure of a group stands for it, since a later sentence restates or updates rather than adds.
People not described as fighters count as civilians, as human-rights monitors count them.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from ..model import Fact

OUTCOMES = ("killed", "injured", "detained", "displaced")
CIVILIAN_VICTIMS = {"civilians", "people", "children", "women", "medical workers", "aid workers", "journalists"}
NESTING_WORDS = ("including", "among them", "among whom", "of whom", "of them", "among the dead", "among those")
DISPLACEMENT_TERMS = {"displaced", "fled", "evacuated", "relocated", "homeless", "in relief camp", "sheltered"}


def summarize(facts: list[Fact]) -> dict[str, Any]:
    summary: dict[str, Any] = {}
    for outcome in ("killed", "injured", "detained"):
        groups = casualty_groups([f for f in facts if f.type == "casualty" and f.fields.get("outcome") == outcome])
        if groups:
            summary[outcome] = groups
    displaced = [f.fields["count"].value for f in facts if f.type == "displacement"
                 and f.fields.get("term") in DISPLACEMENT_TERMS and f.fields["count"].value is not None
                 and f.fields.get("unit") == "people"]
    if displaced:
        summary["displaced"] = {"total": max(displaced)}
    summary["places"] = places(facts)
    summary["perpetrators"] = ranked(p for f in facts if f.type in ("casualty", "attack")
                                     for p in f.fields.get("perpetrators") or [])
    summary["causes"] = ranked(f.fields.get("cause") for f in facts if f.type == "casualty" and f.fields.get("cause"))
    return summary


def casualty_groups(facts: list[Fact]) -> dict[str, int]:
    per_sentence: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for fact in facts:
        value = fact.fields["count"].value
        if value is None:
            continue
        victims = fact.fields.get("victims")
        sums = per_sentence[fact.evidence.start]
        nested = nested_in_sentence(fact)
        if victims == "fighters":
            sums["fighters"] += value
        elif victims in CIVILIAN_VICTIMS:
            if victims in ("children", "women"):
                sums[victims] += value
            if not nested:
                sums["civilians"] += value
        if not nested:
            sums["total"] += value
    result: dict[str, int] = {}
    for sums in per_sentence.values():
        for key, value in sums.items():
            result[key] = max(result.get(key, 0), value)
    return result


def nested_in_sentence(fact: Fact) -> bool:
    """Whether the count is a breakdown of an earlier figure in its sentence ("including five children")."""
    text = fact.evidence.text.lower()
    count = fact.fields["count"]
    for word in NESTING_WORDS:
        at = text.find(word)
        if at > 0:
            tail = text[at:]
            for token in (str(count.best), str(count.low), str(count.high)):
                if token != "None" and token in tail.replace(",", ""):
                    return True
    return False


def places(facts: list[Fact]) -> list[dict[str, Any]]:
    counts: Counter[str] = Counter()
    first: dict[str, dict[str, Any]] = {}
    for fact in facts:
        if fact.type in ("quote", "population"):
            continue
        for key in ("place", "origin", "destination"):
            place = fact.fields.get(key)
            if isinstance(place, dict) and place.get("name"):
                counts[place["name"]] += 1
                first.setdefault(place["name"], place)
    return [first[name] for name, _ in counts.most_common()]


def ranked(values) -> list[str]:
    return [v for v, _ in Counter(v for v in values if v).most_common()]
