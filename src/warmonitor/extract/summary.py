"""The article summary: what the article reports in all, each figure counted once.

Articles repeat their main figure (headline, lead, a later paragraph), update it, add background
tolls ("the war has killed more than 320,000 since 2011") and break it down ("12 people, including
five children"). The figure an article is about is the one it states most often, the first of those
on a tie; breakdowns introduced by "including"/"among them" never stand for a group's total. Measured
on ../shared/corpus/fakes-dev, this beats both adding figures up and taking the largest by far (see
the notes of issue 2). People not described as fighters count as civilians, as human-rights monitors
count them.

Only plausible figures are added (`figure`): the parser already refuses counts above
`model.MAX_PLAUSIBLE_COUNT`, and the summary refuses them again for facts made another way, so that an
article's totals stay at most its facts times the bound, which a 64-bit column holds.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Any

from .. import facttypes
from ..model import Fact, is_plausible_count
from .tolls import FEWER_WOUNDED, LATER_DIED, running_totals

OUTCOMES = ("killed", "injured", "detained", "displaced")
CIVILIAN_VICTIMS = {"civilians", "people", "children", "women", "medical workers", "aid workers", "journalists"}
SINGLE_RULES = "casualty.individual."  # extract/individuals.py
WHOLE_RULES = ("casualty.individual.group", "casualty.individual.none", "casualty.individual.unharmed")
DISPLACEMENT_TERMS = {"displaced", "fled", "evacuated", "relocated", "homeless", "in relief camp", "sheltered"}


def summarize(facts: list[Fact], scene: list[dict[str, Any]] | None = None,
              lead: dict[str, Any] | None = None) -> dict[str, Any]:
    """`scene`: places named in the headline, the opening, the dateline and the sentences telling the
    events, after the facts' own. `lead`: the event day the article's opening states
    (`extract.when.lead_time`), the summary's date when no event fact has a date or period: a report
    says when even when no figure was found in it."""
    summary: dict[str, Any] = {}
    for kind in facttypes.fact_types():
        if kind.sums_by:  # casualty: killed, injured, detained, each by victim group
            for measure in kind.sums:
                groups = casualty_groups([f for f in facts if f.type == kind.name
                                          and f.fields.get(kind.sums_by) == measure])
                if groups:
                    summary[measure] = groups
        elif kind.sums:  # displacement: displaced
            largest = largest_people_figure([f for f in facts if f.type == kind.name])
            if largest is not None:
                summary[kind.sums[0]] = {"total": largest}
    summary["places"] = places(facts)
    known = {p.get("gazetteer_name") or p.get("name") for p in summary["places"]}
    for place in scene or ():
        key = place.get("gazetteer_name") or place.get("name")
        if key not in known:
            known.add(key)
            summary["places"].append(place)
    events = [f for f in facts if f.type in ("casualty", "attack", "control", "displacement")]
    dates = [f.fields.get("date") for f in events if f.fields.get("date")]
    periods = [f.fields.get("period") for f in events if f.fields.get("period")]
    if dates:
        summary["date"] = most_stated(dates)
    elif periods:
        summary["period"] = periods[0]
    elif lead and lead.get("date"):
        summary["date"] = lead["date"]
    summary["perpetrators"] = ranked(p for f in facts if f.type in ("casualty", "attack")
                                     for p in f.fields.get("perpetrators") or [])
    summary["causes"] = ranked(f.fields.get("cause") for f in facts if f.type == "casualty" and f.fields.get("cause"))
    return summary


def largest_people_figure(facts: list[Fact]) -> int | None:
    """The total of a type summed whole (displacement): its largest figure of people under a displacement
    term; households, or housing destroyed, are not a number of people who fled."""
    values = [figure(f) for f in facts if f.fields.get("term") in DISPLACEMENT_TERMS
              and figure(f) is not None and f.fields.get("unit") == "people"]
    return max(values) if values else None


def casualty_groups(facts: list[Fact]) -> dict[str, int]:
    groups: dict[str, list[int]] = defaultdict(list)
    if separate_events(facts):
        for fact in facts:
            value = figure(fact)
            victims = fact.fields.get("victims")
            groups["fighters" if victims == "fighters" else "civilians"].append(value)
            if victims in ("children", "women"):
                groups[victims].append(value)
            groups["total"].append(value)
        return {key: sum(values) for key, values in groups.items()}
    larger = [side(f) for f in facts if not described_single(f.rule) and (figure(f) or 0) > 1]
    for fact in facts:
        value = figure(fact)
        victims = fact.fields.get("victims")
        if value is None:
            continue
        if victims in ("children", "women"):
            groups[victims].append(value)
        if nested_in_sentence(fact) or (value == 1 and described_single(fact.rule) and any(
                s in (side(fact), None) or side(fact) is None for s in larger)):
            continue  # "a male insurgent was killed" told after "killed four insurgents": one of the four
        groups["fighters" if victims == "fighters" else "civilians"].append(value)
        groups["total"].append(value)
    # a figure above zero outweighs a stated zero ("two were killed ... the driver escaped unhurt")
    result = {key: most_stated([v for v in values if v] or values) for key, values in groups.items()}
    if "civilians" in result and "fighters" in result:
        result["total"] = max(result["total"], result["civilians"] + result["fighters"])
    changed(facts, result)
    added = running_totals([(figure(f), f.rule, nested_in_sentence(f), f.evidence.start) for f in facts
                            if figure(f) is not None])
    if added is not None:  # "eleven were killed in the blast, and another four died in hospital": 15
        side_key = "fighters" if all(f.fields.get("victims") == "fighters" for f in facts) else "civilians"
        for key in ("total", side_key):
            result[key] = max(result.get(key, 0), added)
    return result


def changed(facts: list[Fact], result: dict[str, int]) -> None:
    """The tolls after the later deaths the article tells (extract/later_deaths.py): a later-died fact
    carries the death toll after the change, which no figure told before it can lower; the wounded
    figure the deaths were taken from is the wounded toll now."""
    for fact in facts:
        value = figure(fact)
        if value is None or fact.rule not in (LATER_DIED, FEWER_WOUNDED):
            continue
        side_key = "fighters" if fact.fields.get("victims") == "fighters" else "civilians"
        for key in ("total", side_key):
            result[key] = max(result.get(key, 0), value) if fact.rule == LATER_DIED else value


def figure(fact: Fact) -> int | None:
    """The number a total adds for the fact: its count's value, None when vague-only or implausible."""
    value = fact.fields["count"].value
    return value if is_plausible_count(value) else None


def most_stated(values: list[int]) -> int:
    """The value stated most often; the earliest of those on a tie (headlines and leads come first)."""
    counts = Counter(values)
    top = max(counts.values())
    return next(v for v in values if counts[v] == top)


WEEKDAY = re.compile(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.I)


def separate_events(facts: list[Fact]) -> bool:
    """Distinct events, to be added up: every figure differs and each has its own place and its own day
    ("four killed in Ariha on Monday ... six in Sarmin on Tuesday"). Anything less is read as one event
    told several times, which is what news mostly does (see the module docstring)."""
    if len(facts) < 2 or any(nested_in_sentence(f) or figure(f) is None for f in facts):
        return False
    values = [figure(f) for f in facts]
    places = [((f.fields.get("place") or {}).get("toponym") or "").lower() for f in facts]
    days = [(WEEKDAY.search(f.evidence.text) or [""])[0].lower() for f in facts]
    return all(places) and all(days) and all(len(set(x)) == len(x) for x in (values, places, days))


def described_single(rule: str | None) -> bool:
    """A victim told one by one ("a boy was killed", "he died"): most often one of a total the article
    also states, so it never stands for the total when a larger figure of its outcome and side
    (fighters or not; "people" may be either) is there."""
    return bool(rule) and rule.startswith(SINGLE_RULES) and rule not in WHOLE_RULES


def side(fact: Fact) -> str | None:
    """fighters, civilians, or None for people whose side the sentence does not say."""
    victims = fact.fields.get("victims")
    return None if victims == "people" else "fighters" if victims == "fighters" else "civilians"


def nested_in_sentence(fact: Fact) -> bool:
    """Whether the count is a breakdown of an earlier figure in its sentence ("including five children")."""
    return bool(fact.fields.get("subset_of_previous"))


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


def scene_places(ctx, facts: list[Fact]) -> list[dict[str, Any]]:
    """Places named in the sentences that tell a casualty, attack or control fact, in the headline and
    the opening (`when.lead_window`), and the dateline's town: the summary lists them after the facts'
    own places, so that a report without figures still says where it happened."""
    from .phrases import free_places, place_record

    from .when import lead_window

    sentences = [ctx.sentence_of_char(f.evidence.start) for f in facts if f.type in ("casualty", "attack", "control")]
    sentences += lead_window(ctx)
    found = [place_record(m) for index in dict.fromkeys(sentences) for m in free_places(ctx, index)]
    if ctx.dateline is not None:
        found.append(ctx.dateline.record())
    return found
