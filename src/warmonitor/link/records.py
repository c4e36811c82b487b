"""The incident record (docs/format.md, "Incident records") built from the reports linked into it.

A monitor publishes one figure per incident with the sources behind it, not a sum of mentions. So:
each report gives its own figure for each outcome (the one it states most, as the article summary
does); across reports a later, higher running toll replaces an earlier one ("rose to 50" after 30),
"at least six" and "seven" agree on seven, and a figure a later report corrects stays in the history
but not in `best`. Situation figures over a period ("since 2011") never enter an incident: linking
already keeps them out of its event facts. Reports that disagree beyond their ranges without being
an update or a correction (four and seven on the same day, different perpetrators, towns far apart)
are contradictions: kept with each value and its articles, and the incident is `contested`.
Copies of one text count as one source (`copies.py`), so that `corroborated` means two independent
reports agree.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Callable

from ..data_files import load_words
from ..extract.tolls import FEWER_WOUNDED, LATER_DIED, MORE, running_totals
from .evidence import (EVENT_TYPES, OUTCOMES, Mention, TollCues, count_range, day_number, fold, is_cumulative,
                       is_part, km, most_stated, outcome_of, place_point)

__all__ = ["TollCues", "Report", "build", "report_figure", "tolls", "value_of"]

# A period longer than this is a situation figure, never an incident's toll (the linker's
# `LinkSettings.max_event_days`, which splitting applies; the record is built without the settings).
EVENT_DAYS = 3
# Rules that count victims one by one ("a man was killed", "he died": extract/individuals.py): most
# often one of a toll the reports also state. A group ("a woman and her two children") and a stated
# zero ("no one was hurt") are counted wholes.
SINGLE_RULE = "casualty.individual."
WHOLE_RULES = ("casualty.individual.group", "casualty.individual.none", "casualty.individual.unharmed")
UNHARMED = "casualty.individual.unharmed"  # "the driver escaped unhurt": a zero for that person only

@dataclass
class Report:
    """One report's figure for one outcome."""

    article: str
    published: str
    value: int
    range: tuple[float, float]
    cue: str | None
    state: str = "counted"  # counted, superseded (a later running toll), retracted (corrected later)
    source: str | None = None  # its copy group (copies.py): reprints of one story are one source


def value_of(count: dict) -> int | None:
    for key in ("best", "low", "high"):
        if isinstance(count.get(key), int):
            return count[key]
    return None


def tolls(reports: list[Report]) -> tuple[dict | None, list[Report], bool]:
    """({low, best, high}, the reports with their state, whether they contradict one another).

    Reports are read in publication order. A later figure above the current one replaces it (a running
    toll, or a precise figure within an "at least"); a later figure flagged as a correction replaces
    it whatever its size, and the figures it corrects are retracted. A later, lower figure without a
    correction cue, or a figure beyond the current one's range on the same day without an update cue,
    is a contradiction."""
    if not reports:
        return None, reports, False
    current: Report | None = None
    contradicted = False
    for r in reports:
        if current is None:
            current = r
            continue
        agree = r.range[0] <= current.range[1] and current.range[0] <= r.range[1]
        if r.cue == "correction":
            for old in reports:
                if old is not r and old.state == "counted" and old.published <= r.published and old.value != r.value:
                    old.state = "retracted"
            current = r
        elif r.value > current.value:
            if not agree and r.published == current.published and r.cue != "update":
                contradicted = True  # same day, beyond the range, no update: a disagreement
                continue
            current.state = "superseded" if current.state == "counted" else current.state
            current = r
        elif not agree:
            contradicted = True
    counted = [r for r in reports if r.state != "retracted"]
    if contradicted and current.cue != "update":
        # sources disagree and no running toll explains it: the figure the most independent sources
        # give, the latest report's on a tie (a higher figure that merely came later is no update)
        support: dict[int, set] = {}
        latest: dict[int, int] = {}
        for n, r in enumerate(counted):
            support.setdefault(r.value, set()).add(r.source or r.article)
            latest[r.value] = n
        value = max(support, key=lambda v: (len(support[v]), latest[v]))
        current = counted[latest[value]]
    lows = [r.range[0] for r in counted]
    highs = [r.value for r in counted]
    return {"low": int(min(lows)), "best": current.value, "high": int(max(highs))}, reports, contradicted


def build(incident_id: str, members: list[Mention], source_of: Callable[[str], str],
          cues: TollCues) -> dict:
    """The incident record of `members` (the mentions linked into it, in the order they joined)."""
    events = [m for m in members if not m.eventless]
    ranked = sorted(members, key=lambda m: (-_informative(m), m.published or "", m.article))
    articles = list(dict.fromkeys(m.article for m in ranked))
    outlets = list(dict.fromkeys(m.outlet for m in ranked if m.outlet))
    independent = len({source_of(a) for a in articles})
    record: dict = {"type": "incident", "id": incident_id,
                    "kind": most_stated([m.kind for m in events]) if events else "casualty",
                    "articles": articles,
                    "facts": [{"article": m.article, "fact": f} for m in members for f in m.facts],
                    "outlets": outlets, "sources": len(articles), "independent_sources": independent}
    contradictions: list[dict] = []
    record.update(_when(members, contradictions, source_of))
    record["place"] = _where(members, contradictions, cues.place_keys)
    history = {}
    for outcome in OUTCOMES:
        reports = _reports(members, outcome, cues, source_of)
        figure, reports, contradicted = tolls(reports)
        record[outcome] = figure
        if reports:
            history[outcome] = [{"value": r.value, "article": r.article, "published": r.published or None,
                                 "state": r.state} for r in reports]
        if contradicted:
            contradictions.append(_values(outcome, [(r.value, r.article) for r in reports if r.state != "retracted"]))
    _casualty_zeros(record)
    record["victims"] = _merged(r.get("victims") for m in events for r in _events(m) if r.get("type") == "casualty")
    record["perpetrators"] = _merged(p for m in events for r in _events(m) for p in r.get("perpetrators") or [])
    record["targets"] = _merged(t for m in events for r in _events(m) for t in r.get("targets") or [])
    contradictions.append(_holders(events))
    by_actor = [(tuple(sorted(m.perpetrators)), m.article) for m in events if m.perpetrators]
    if len({v for v, _ in by_actor}) > 1 and not set.intersection(*(set(v) for v, _ in by_actor)):
        contradictions.append(_values("perpetrators", [(list(v), a) for v, a in by_actor]))
    contradictions = [c for c in contradictions if len(c["values"]) >= 2]
    record["status"] = ("contested" if contradictions else "corroborated" if independent >= 2 else "single-source")
    record["contradictions"] = contradictions
    record["toll_history"] = history
    return record


def _casualty_zeros(record: dict) -> None:
    """Killed or injured 0 where the reports count the casualties of a violent event but none of that
    outcome ("two men were wounded": killed 0), as ACLED and UCDP publish fatalities 0 for a violent
    event with no reported deaths (a battle for a town included). Left null (unknown) where no report
    gives any casualty figure, and for displacement events, which are not violent events themselves."""
    if record["kind"] not in ("casualty", "attack", "control"):
        return
    if record.get("killed") is None and record.get("injured") is None:
        return
    for outcome in ("killed", "injured"):
        if record.get(outcome) is None:
            record[outcome] = {"low": 0, "best": 0, "high": 0}


def _holders(events: list[Mention]) -> dict:
    """Who holds the place, when reports disagree: "resistance forces captured the town" against "the
    town remains under government control" (a gain or a hold by different actors). A withdrawal or an
    advance claims no holder, and two actors both said to have gained it are a contradiction too."""
    claims = [([r["actor"], r["change"]], m.article) for m in events for r in _events(m)
              if r.get("type") == "control" and r.get("change") in ("gained", "held") and r.get("actor")]
    if len({actor for (actor, _), _ in claims}) < 2:
        return {"field": "control", "values": []}
    return _values("control", claims)


def _events(m: Mention) -> list[dict]:
    return [r for r in m.records if r.get("type") in EVENT_TYPES and not is_cumulative(r, 10 ** 6)]


def _informative(m: Mention) -> int:
    return len(_events(m)) + 2 * len(m.figures)


def _reports(members: list[Mention], outcome: str, cues: TollCues, source_of: Callable[[str], str]) -> list[Report]:
    out = []
    unharmed: list[bool] = []
    for m in members:
        record = report_figure(m, outcome, cues)
        count = record.get("count") if record else None
        value = value_of(count) if count else None
        if value is None:
            continue
        cue = cues.cue((record.get("evidence") or {}).get("text", ""))
        out.append(Report(m.article, m.published or "", value, count_range(count), cue, source=source_of(m.article)))
        unharmed.append(record.get("rule") == UNHARMED)
    if any(r.value > 0 for r in out):  # "she escaped unharmed" speaks of one person, not of the toll
        out = [r for r, zero in zip(out, unharmed) if not zero]
    out.sort(key=lambda r: (r.published, r.article))
    return out


def report_figure(m: Mention, outcome: str, cues: TollCues) -> dict | None:
    """The fact record whose count is the report's figure for `outcome`, read as a careful monitor
    reads one report:
    - situation figures over a period and parts of a total ("including two children", "six of the
      dead") are never the figure;
    - a toll the report states more than once (headline and lead, lead and body) beats victims
      described one by one ("three killed ... a 20-year-old man was killed ... Three people died":
      three); a figure stated once is one voice among them (it is as often a misread number);
    - a figure above zero beats a stated zero ("two wounded ... no officers were hurt"), which is
      the figure only when nothing else of that outcome is said;
    - a precise figure beats a vague one ("dozens" in the headline, 27 in the body);
    - the highest figure told as an update ("the toll rose to five") is the report's latest toll;
    - among what is left, the figure stated most often (a headline restated in the body counts once
      as the same victims), the first of those on a tie;
    - later deaths (extract/later_deaths.py) are the latest state: the death toll after them is the
      least the figure can be, and the wounded left after them are the wounded figure.
    Displacement keeps the figure splitting chose (stocks and background are judged there)."""
    if outcome == "displaced":
        count = m.figures.get(outcome)
        return next((r for r in m.records if r.get("count") is count), {"count": count}) if count else None
    facts = [r for r in m.records if r.get("type") in EVENT_TYPES and outcome_of(r) == outcome
             and not is_cumulative(r, EVENT_DAYS) and count_range(r.get("count"))]
    totals = [r for r in facts if r.get("rule") in (LATER_DIED, FEWER_WOUNDED) or not is_part(r, facts, cues)]
    if not totals:
        return None
    fewer = [r for r in totals if r.get("rule") == FEWER_WOUNDED]
    if fewer:
        return fewer[-1]  # the wounded left after later deaths: the wounded toll now
    later = [r for r in totals if r.get("rule") == LATER_DIED]
    totals = [r for r in totals if r.get("rule") != LATER_DIED] or later

    def one_by_one(r: dict) -> bool:
        rule = r.get("rule") or ""
        return rule.startswith(SINGLE_RULE) and rule not in WHOLE_RULES

    def above_zero(r: dict) -> bool:
        return (value_of(r["count"]) or 0) > 0 or r["count"].get("qualifier") is not None

    stated = [r for r in totals if not one_by_one(r) and above_zero(r)]
    values = [value_of(r["count"]) for r in stated]
    if max((values.count(v) for v in values), default=0) < 2:
        stated = []  # a toll stated once is one voice among the victims described
    pool = (stated or [r for r in totals if above_zero(r)] or totals)
    pool = [r for r in pool if isinstance(r["count"].get("best"), int)] or pool
    top = max(value_of(r["count"]) or 0 for r in pool)
    updated = [r for r in pool if value_of(r["count"]) == top and cues.cue(_text(r)) == "update"]
    if updated:
        return _with_later(updated[-1], later, totals)  # "the toll rose to five": the report's latest toll
    key = most_stated([(r["count"].get("low"), r["count"].get("best"), r["count"].get("high")) for r in pool])
    chosen = next(r for r in pool if (r["count"].get("low"), r["count"].get("best"), r["count"].get("high")) == key)
    return _with_later(chosen, later, totals)


def _text(record: dict) -> str:
    return str((record.get("evidence") or {}).get("text") or "")


def _with_later(chosen: dict, later: list[dict], totals: list[dict]) -> dict:
    """`chosen`, or the toll after the later deaths and additions the report tells, if higher."""
    # a later death carries the toll after it ("two killed and three wounded ... one of the wounded
    # later died": 3), which no figure told before can lower; so does a toll with victims added
    # ("eleven were killed, and another four died": 15)
    chosen = max([chosen] + later, key=lambda r: value_of(r["count"]) or 0)
    added = running_totals([(value_of(r["count"]), r.get("rule"), False, _text(r)) for r in totals
                            if value_of(r["count"]) is not None])
    if added is not None and added > (value_of(chosen["count"]) or 0):
        more = next(r for r in reversed(totals) if r.get("rule") == MORE)
        return dict(more, count={"low": added, "best": added, "high": added, "qualifier": None})
    return chosen


def _values(field: str, pairs: list) -> dict:
    values: list[dict] = []
    for value, article in pairs:
        entry = next((v for v in values if v["value"] == value), None)
        if entry is None:
            values.append({"value": value, "articles": [article]})
        elif article not in entry["articles"]:
            entry["articles"].append(article)
    return {"field": field, "values": values}


def _merged(values) -> list[str]:
    return list(dict.fromkeys(v for v in values if isinstance(v, str) and v))


def _when(members: list[Mention], contradictions: list, source_of: Callable[[str], str]) -> dict:
    """The incident's day: the day most independent reports give for the event (reprints of one story
    count once, as one source), the earliest on a tie: a follow-up published later ("a suspect was
    charged on Tuesday in Saturday's killing") never outvotes the reports of the day itself. Without
    a day in any report, the period up to the first report's publication."""
    explicit = [(m.day[0], m.article) for m in members if m.explicit_day and m.day]
    if explicit:
        sources: dict[int, set] = {}
        for d, a in explicit:
            sources.setdefault(d, set()).add(source_of(a))
        day = min(sources, key=lambda d: (-len(sources[d]), d))
        if day + 1 in sources and len(sources[day + 1]) == len(sources[day]) \
                and _phrased(members, day, "night_words") and _phrased(members, day + 1, "small_hours_words"):
            day += 1  # "Friday night" and "early Saturday": after midnight, Saturday's
        far = [(d, a) for d, a in explicit if abs(d - day) > 1]
        if far:
            contradictions.append(_values("date", [(date.fromordinal(d).isoformat(), a) for d, a in explicit]))
        return {"date": date.fromordinal(day).isoformat(), "period": None}
    derived = [m.day for m in members if m.day]
    if not derived:
        return {"date": None, "period": None}
    first = min(derived, key=lambda d: d[1])
    return {"date": None, "period": {"start": date.fromordinal(first[0]).isoformat(),
                                     "end": date.fromordinal(first[1]).isoformat(), "precision": "day"}}


def _phrased(members: list[Mention], day: int, key: str) -> bool:
    """Whether every report that dates the event on `day` says when with a word of `key`: "Friday night",
    "overnight" (night_words) and "early Saturday", "Saturday morning" (small_hours_words) tell of one
    night after midnight."""
    words = set(load_words("time_words", key))
    phrases = [str(r.get("period_text") or "").lower() for m in members if m.explicit_day and m.day and m.day[0] == day
               for r in _events(m) if day_number(r.get("date")) == day]
    return bool(phrases) and all(words & set(re.findall(r"[a-z]+", p)) for p in phrases)


def _where(members: list[Mention], contradictions: list, keys: tuple) -> dict | None:
    """The most specific place the reports agree on: the town-level place of the facts that the gazetteer
    resolved and most reports name; failing that, the town of a dateline or headline (a dateline names
    where a story is filed, often a capital, so it never outranks a resolved place of the facts); and
    last a name the gazetteer does not know, as often a street, a school or a police department as a
    town (most reports first, then the first named). An unresolved name
    is given the first-level division (and country) the reports' resolved places agree on, if they
    agree. Regions are the fallback when no report names a town."""
    support: dict[str, set] = {}
    best_form: dict[str, dict] = {}
    order: dict[str, int] = {}
    framed: set[str] = set()
    for m in members:
        for p in m.places:
            if p.get("precision") in (3, 4):
                continue
            key = fold(p.get("toponym") or p.get("name"))
            if not key:
                continue
            support.setdefault(key, set()).add(m.article)
            order.setdefault(key, len(order))
            if p.get("source") in ("dateline", "headline"):
                framed.add(key)
            if key not in best_form or (place_point(p) and not place_point(best_form[key])):
                best_form[key] = p
    if not support:
        regions = [p for m in members for p in m.places]
        return _clean(regions[0], keys) if regions else None

    def weight(k: str) -> tuple:
        tier = 0 if place_point(best_form[k]) else 1 if k in framed else 2
        return (tier, -len(support[k]), order[k])
    key = min(support, key=weight)
    chosen = best_form[key]
    point = place_point(chosen)
    if point:
        far = [(fold(p.get("name")), m.article) for m in members for p in m.places[:1]
               if place_point(p) and km(point, place_point(p)) > 50]
        if far:
            contradictions.append(_values("place", [(chosen.get("name"), a) for a in sorted(support[key])]
                                          + [(best_form.get(n, {}).get("name", n), a) for n, a in far]))
    elif not chosen.get("admin1"):
        chosen = dict(chosen, **_agreed_area(members))
    return _clean(chosen, keys)


def _agreed_area(members: list[Mention]) -> dict:
    """{"admin1", "country"} that every resolved place of the reports shares, or {} when they differ."""
    areas = {(p.get("admin1"), p.get("country")) for m in members for p in m.places
             if p.get("geonameid") is not None and p.get("admin1")}
    if len(areas) != 1:
        return {}
    admin1, country = next(iter(areas))
    return {"admin1": admin1, "country": country}


def _clean(place: dict, keys: tuple) -> dict:
    out = {k: place.get(k) for k in keys[:7]}  # the seven keys every place has
    out.update({k: place[k] for k in keys[7:] if k in place and place[k] is not None or k == "qualifier" and k in place})
    if not out.get("name"):
        out["name"] = place.get("toponym") or "unknown"
    return out
