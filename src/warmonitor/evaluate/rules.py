"""The comparisons behind FORMAT.md's "Matching" section: counts, places, dates and fields.

Each check answers one question about one gold value, so that a report can say *which* field was
wrong.  Tolerances are those of the reference scorer (1 day for dates, 50 km for places unless the gold
says otherwise, 0.005 for a perpetrator share); changing one here would make scores incomparable.
"""
from __future__ import annotations

import math
from datetime import date
from typing import Any, Iterator

from .. import facttypes
from .text import fold_name, name_matches

__all__ = [
    "counted_types", "NAMED_FIELDS", "summary_outcomes",
    "predicted_best", "count_matches", "parse_day", "great_circle_km", "place_matches",
    "period_matches", "fact_field_checks", "summary_field_checks",
]

# Fields compared as names against gold alias lists, in the order a report lists them.
NAMED_FIELDS = ("outcome", "victims", "unit", "term", "cause", "actor", "change", "speaker", "claimed_by")

_EARTH_RADIUS_KM = 6371.0
_DEFAULT_PLACE_TOLERANCE_KM = 50
_DAY_TOLERANCE = 1
_SHARE_TOLERANCE = 0.005


def counted_types() -> frozenset[str]:
    """Types whose gold facts carry a count; a prediction of these types must give one to be scored."""
    return frozenset(kind.name for kind in facttypes.fact_types() if kind.counted)


def summary_outcomes() -> tuple[str, ...]:
    """The summary figures judged against gold summaries (killed, injured, detained, displaced)."""
    return tuple(measure for kind in facttypes.fact_types() for measure in kind.sums)


def _mapping(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def predicted_best(count: Any) -> Any:
    """The single number a predicted count stands for: `best`, else `high`, else `low`.

    "up to seven" may be written with only a `high`; it still claims seven.
    """
    count = _mapping(count)
    for key in ("best", "high", "low"):
        if count.get(key) is not None:
            return count[key]
    return None


def count_matches(gold_count: Any, predicted_count: Any) -> bool:
    """A predicted count agrees when it equals the gold `best` or lies in the gold [low, high].

    A missing gold bound falls back to the gold `best`, so an exact gold figure needs an exact answer.
    """
    best = predicted_best(predicted_count)
    if best is None:
        return False
    gold = _mapping(gold_count)
    if best == gold.get("best"):
        return True
    low = gold["low"] if gold.get("low") is not None else gold.get("best")
    high = gold["high"] if gold.get("high") is not None else gold.get("best")
    return low is not None and high is not None and low <= best <= high


def parse_day(value: Any) -> date | None:
    """The ISO day at the start of a value ("2020-02-18T10:00" -> 2020-02-18); None when there is none."""
    try:
        return date.fromisoformat(str(value)[:10])
    except (TypeError, ValueError):
        return None


def _within_days(a: date | None, b: date | None, tolerance: int | float = _DAY_TOLERANCE) -> bool:
    return a is not None and b is not None and abs((a - b).days) <= tolerance


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance on a spherical Earth: good to a fraction of a percent at these scales."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    half_chord = (math.sin((phi2 - phi1) / 2) ** 2
                  + math.cos(phi1) * math.cos(phi2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 2 * _EARTH_RADIUS_KM * math.asin(math.sqrt(half_chord))


def place_matches(gold_place: dict, predicted: Any) -> bool:
    """A predicted place matches by one of the gold names, or else by lying near the gold point.

    Names are tried first because many gold places (a governorate, "northwestern Syria") have no single
    point; coordinates rescue a geocoded prediction that spells a town differently.
    """
    names = gold_place.get("names", [])
    if not isinstance(predicted, dict):
        return name_matches(predicted, names)
    if name_matches(predicted.get("name"), names):
        return True
    if gold_place.get("lat") is None or predicted.get("lat") is None or predicted.get("lon") is None:
        return False
    distance = great_circle_km(gold_place["lat"], gold_place["lon"],
                               float(predicted["lat"]), float(predicted["lon"]))
    return distance <= gold_place.get("tolerance_km", _DEFAULT_PLACE_TOLERANCE_KM)


def period_matches(gold_period: dict, predicted: Any) -> bool:
    """Each end that the gold period gives must be matched within its tolerance (default 1 day).

    A gold file widens one end (`start_tolerance_days`) where the article only implies it
    ("in less than three months").
    """
    if not isinstance(predicted, dict):
        return False
    for end in ("start", "end"):
        gold_day = parse_day(gold_period.get(end))
        if gold_day is None:
            continue
        tolerance = gold_period.get(f"{end}_tolerance_days", _DAY_TOLERANCE)
        if not _within_days(parse_day(predicted.get(end)), gold_day, tolerance):
            return False
    return True


def _gold_place(value: Any) -> dict:
    return value if isinstance(value, dict) else {"names": value}


def fact_field_checks(gold: dict, predicted: dict) -> Iterator[tuple[str, bool]]:
    """(field, correct) for every field the gold fact gives, in a fixed order.

    Only fields present in the gold are judged: an absent gold field means "not annotated", not
    "must be empty".
    """
    for field in NAMED_FIELDS:
        if field in gold:
            yield field, name_matches(predicted.get(field), gold[field])
    for field in ("perpetrators", "targets"):
        if field in gold:
            # every gold actor/target group must be named; extra predicted ones are not penalised
            found = predicted.get(field) or []
            yield field, all(name_matches(found, group) for group in gold[field])
    if "perpetrator_share" in gold:
        share = predicted.get("perpetrator_share")
        close = share is not None and abs(float(share) - gold["perpetrator_share"]) <= _SHARE_TOLERANCE
        yield "perpetrator_share", close
    for field in ("place", "origin", "destination"):
        if field not in gold:
            continue
        wanted = _gold_place(gold[field])
        if wanted.get("optional"):
            continue
        candidates = [predicted.get(field)]
        if field == "place":
            # a displacement's place is often where people fled from or to
            candidates += [predicted.get("origin"), predicted.get("destination")]
        yield field, any(place_matches(wanted, c) for c in candidates if c)
    if "period" in gold:
        span = predicted.get("period") or None
        if span is None and predicted.get("date"):
            span = {"start": predicted["date"], "end": predicted["date"]}  # a day is a one-day period
        yield "period", period_matches(gold["period"], span)
    if "date" in gold:
        day = parse_day(predicted.get("date")) or parse_day(_mapping(predicted.get("period")).get("end"))
        yield "date", _within_days(day, parse_day(gold["date"]))


def _summary_count(summary: Any, outcome: str, category: str) -> Any:
    """The predicted figure for e.g. killed.civilians; an unreported figure is 0, as gold writes it."""
    value = _mapping(summary.get(outcome)).get(category) if summary else None
    if isinstance(value, dict):
        value = value["best"] if value.get("best") is not None else value.get("low")
    return value or 0


def _summary_date_matches(gold_date: Any, predicted: dict) -> bool:
    """The gold day is the predicted day, or falls inside the predicted period, give or take a day."""
    wanted = parse_day(gold_date)
    if wanted is None:
        return False
    if _within_days(parse_day(predicted.get("date")), wanted):
        return True
    period = _mapping(predicted.get("period"))
    start, end = parse_day(period.get("start")), parse_day(period.get("end"))
    return bool(start and end and (start - wanted).days <= 1 and (wanted - end).days <= 1)


def summary_field_checks(gold: dict, predicted: dict | None) -> Iterator[tuple[str, bool, bool]]:
    """(field, exact, within 10 %) for each field of a gold article summary.

    Non-zero gold figures are also reported under `FIELD>0`, because most gold zeros are trivially
    right and would hide how well actual casualty figures are read.
    """
    for outcome in summary_outcomes():
        for category, wanted in _mapping(gold.get(outcome)).items():
            got = _summary_count(predicted, outcome, category)
            close = abs(got - wanted) <= 0.1 * wanted if wanted else got == 0
            yield f"{outcome}.{category}", got == wanted, close
            if wanted:
                yield f"{outcome}.{category}>0", got == wanted, close
    record = predicted or {}
    places = record.get("places") or []
    for field, judge in (("admin1", _admin1_found), ("country", _country_found), ("place", _place_found)):
        if field in gold:
            ok = judge(gold[field], places)
            yield field, ok, ok
    if "date" in gold:
        ok = _summary_date_matches(gold["date"], record)
        yield "date", ok, ok
    for field in ("perpetrators", "causes"):
        if field in gold:
            ok = all(name_matches(record.get(field) or [], group) for group in gold[field])
            yield field, ok, ok


def _admin1_found(aliases: Any, places: list) -> bool:
    # the region may be given as a place's admin1 or be a listed place itself ("Idlib")
    return any(name_matches(p.get("admin1") if isinstance(p, dict) else None, aliases)
               or name_matches(p, aliases) for p in places)


def _country_found(country: Any, places: list) -> bool:
    wanted = fold_name(country)
    return any(isinstance(p, dict) and fold_name(p.get("country") or "") == wanted for p in places)


def _place_found(gold_place: Any, places: list) -> bool:
    wanted = _gold_place(gold_place)
    return any(place_matches(wanted, p) for p in places)
