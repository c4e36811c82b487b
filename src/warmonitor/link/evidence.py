"""What linking compares: each article cut into *mentions* (the facts it gives about one event), and the
evidence that a mention and an incident are the same event.

Reports of one event agree on when (the event day, or, when no fact dates it, a day or two before
publication), where (the same gazetteer place, a point a few kilometres off, or the same unresolved
name: many towns are below the gazetteer's size, and datelines name them), what (kind, cause,
targets, compatible tolls), who (perpetrators, the people named with their age) and in their wording
(MinHash over the names and numbers the text holds). No single agreement is enough: two strikes on
one town on one day agree on place and day and must stay apart, so a link needs place or day and
something that only the same event shares. Each comparison returns its score and its reasons, so
that every decision can be shown and overruled.
"""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from .. import schemas
from ..data_files import load_words
from .copies import signature

EVENT_TYPES = ("casualty", "attack", "displacement", "control")
# the record figure each event fact feeds (docs/format.md "Incident records")
OUTCOMES = ("killed", "injured", "detained", "displaced")

@dataclass(frozen=True)
class TollCues:
    """The words that mark a toll update or a correction (data/words/tolls.toml), and the keys an
    incident's place may hold (the incident schema's, so that a record always validates)."""

    updates: re.Pattern
    corrections: re.Pattern
    place_keys: tuple
    parts: re.Pattern | None = None  # "including", "of whom": a figure beside a larger total is a part
    partitives: re.Pattern | None = None  # "six of the dead": a part whatever the sentence holds
    stocks: re.Pattern | None = None  # "are displaced", "fled earlier fighting": a stock, not an event's

    @classmethod
    def load(cls) -> "TollCues":
        def rx(words):
            return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b", re.I)
        place = schemas.load("incident")["$defs"]["place"]
        keys = tuple(place["required"]) + tuple(k for k in place["properties"] if k not in place["required"])
        return cls(rx(load_words("tolls", "updates")), rx(load_words("tolls", "corrections")), keys,
                   rx(load_words("tolls", "parts")), rx(load_words("tolls", "partitives")),
                   rx(load_words("tolls", "stocks")))

    def cue(self, text: str) -> str | None:
        if self.corrections.search(text or ""):
            return "correction"
        if self.updates.search(text or ""):
            return "update"
        return None



_FOLD = re.compile(r"[^a-z0-9]+")
# "GAINESVILLE, Fla. -", "ALEPPO, Syria (Reuters) -": the dateline that opens a wire or local story
_DATELINE = re.compile(
    r"(?m)^[ \t]*([A-Z][A-Z.'’\- ]{1,40}[A-Z.])[ \t]*"
    r"(?:(,[ \t]*[A-Z][A-Za-z.]{1,20}(?:[ \t][A-Z][A-Za-z.]{1,20})?[ \t]*(?:\([^)\n]{1,40}\))?)|(\([^)\n]{1,40}\)))"
    r"[ \t]*[-–—]{1,2}[ \t]")
# "LAS VEGAS —", "KHARTOUM -- ": a bare dateline, a capitalised place and a long dash, no state or agency
_BARE_DATELINE = re.compile(r"(?m)^[ \t]*([A-Z][A-Z.'’\- ]{2,40}[A-Z.])[ \t]*(?:—|–|--)[ \t]")
# a person named with an age, as news names victims, suspects and witnesses ("Ali Hassan, 34,")
_NAMED = re.compile(r"\b([A-Z][a-z'’\-]+(?:[ \t]+[A-Z]\.)?(?:[ \t]+[A-Z][a-z'’\-]+){1,2}),[ \t]+(\d{1,3})\b")
# "in", "near", "outside" and the words after it (letters of any script: "in Al Jīb", "near Ḩarastā");
# `title_places` keeps the capitalised run
_TITLE_PLACE = re.compile(r"\b(?:in|near|outside)\s+(?=((?:[^\W\d_][\w'’\-]*)(?:\s+[^\W\d_][\w'’\-]*){0,2}))")
# capitalised words and figures: what distinguishes one event's reports from another's
_ENTITY = re.compile(r"(?<![.!?\n]\s)(?<!^)\b([A-Z][a-z'’\-]{2,}|\d{2,}[\d,]*)")


def fold(name: str | None) -> str:
    """A place or person name compared loosely: accents, case and punctuation dropped."""
    text = unicodedata.normalize("NFKD", str(name or "")).encode("ascii", "ignore").decode()
    return " ".join(_FOLD.sub(" ", text.lower()).split())


def day_number(iso: str | None) -> int | None:
    try:
        return date.fromisoformat(str(iso)[:10]).toordinal() if iso else None
    except ValueError:
        return None


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    p1, p2 = math.radians(a[0]), math.radians(b[0])
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(b[1] - a[1]) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def dateline_place(text: str, labels: frozenset = frozenset()) -> dict | None:
    """The place of a story's dateline ("ALEPPO, Syria (Reuters) -", "GAZA CITY —"), as an unresolved
    place record marked `"source": "dateline"`, or None. `labels`: folded all-capital words that open
    stories without naming a place ("UPDATE —")."""
    head = (text or "")[:600]
    m = _DATELINE.search(head) or _BARE_DATELINE.search(head)
    if not m:
        return None
    name = " ".join(w.capitalize() for w in m.group(1).strip(" .").split())
    if len(fold(name)) < 3 or fold(name) in labels:
        return None
    return {"name": name, "geonameid": None, "admin1": None, "country": None, "lat": None, "lon": None,
            "precision": None, "toponym": name, "qualifier": None, "source": "dateline"}


def title_places(title: str | None, not_names: frozenset) -> list[dict]:
    """Places a headline names after "in", "near" or "outside" ("Airstrike kills 12 in Kafr Dunya"),
    as unresolved place records: many towns are below the gazetteer's size, and headlines name them."""
    out = []
    for m in _TITLE_PLACE.finditer(title or ""):
        words = []
        for word in m.group(1).split():
            if not word[0].isupper() or not any(c.islower() for c in word[1:]):
                break  # a lower-case word ends the name; so does an all-capital one ("in US")
            words.append(word)
        name = " ".join(words)
        if not name:
            continue
        if fold(name) and fold(name).split()[0] not in not_names:
            out.append({"name": name, "geonameid": None, "admin1": None, "country": None, "lat": None,
                        "lon": None, "precision": None, "toponym": name, "qualifier": None, "source": "headline"})
    return out


def named_people(text: str) -> set[str]:
    """People the text names with an age: "Ali Hassan, 34" gives "ali hassan"."""
    return {fold(m.group(1)) for m in _NAMED.finditer(text or "") if 0 < int(m.group(2)) < 110}


def entity_terms(text: str) -> set[str]:
    """Capitalised words inside sentences and figures of two digits or more, folded."""
    return {fold(t) for t in _ENTITY.findall(text or "")}


def is_cumulative(record: dict, max_event_days: int) -> bool:
    """A situation figure over a period ("since December", "this year"), not one event's toll."""
    period = record.get("period")
    if not isinstance(period, dict) or record.get("date"):
        return False
    start, end = day_number(period.get("start")), day_number(period.get("end"))
    if start is None or end is None:
        return True
    return period.get("precision") not in (None, "day") or end - start > max_event_days


def place_point(place: dict | None) -> tuple[float, float] | None:
    if isinstance(place, dict) and place.get("precision") in (1, 2):
        lat, lon = place.get("lat"), place.get("lon")
        if isinstance(lat, (int, float)) and isinstance(lon, (int, float)):
            return (float(lat), float(lon))
    return None


def place_keys(place: dict | None) -> tuple[set[str], set[str]]:
    """(town keys, area keys) of a place: its gazetteer id and folded names for a town or site, or a
    region's name and a resolved place's first-level division for the wider area."""
    towns: set[str] = set()
    areas: set[str] = set()
    if not isinstance(place, dict):
        return towns, areas
    names = {fold(place.get(k)) for k in ("toponym", "name", "gazetteer_name")} - {""}
    if place.get("precision") == 3:
        areas |= {"n:" + n for n in names}
    else:
        towns |= {"n:" + n for n in names}
        if place.get("geonameid") is not None:
            towns.add(f"g:{place['geonameid']}")
    if place.get("admin1"):
        areas.add("a:" + fold(place.get("country")) + ":" + fold(place["admin1"]))
    return towns, areas


def count_range(count: dict | None) -> tuple[float, float] | None:
    """[low, high] a count allows ("at least six": [6, inf]; "seven": [7, 7]); None without a number."""
    if not isinstance(count, dict):
        return None
    vals = [count.get(k) for k in ("low", "best", "high")]
    if all(v is None for v in vals):
        return None
    low = next((v for v in vals if v is not None), None)
    high = count.get("high")
    if high is None:
        high = math.inf if count.get("qualifier") else (count.get("best") or low)
    return (float(low), float(high))


def outcome_of(record: dict) -> str | None:
    if record.get("type") == "casualty":
        return {"killed": "killed", "injured": "injured", "detained": "detained",
                "abducted": "detained"}.get(record.get("outcome"))
    if record.get("type") == "displacement" and record.get("unit") == "people":
        return "displaced"
    return None


def most_stated(values: list) -> object:
    counts: dict = {}
    for v in values:
        counts[v] = counts.get(v, 0) + 1
    top = max(counts.values())
    return next(v for v in values if counts[v] == top)


@dataclass
class Mention:
    """The facts one article gives about one event, and what they say about it."""

    article: str
    outlet: str | None
    published: str | None
    facts: list = field(default_factory=list)  # fact ids, in the article's order
    records: list = field(default_factory=list)  # the fact records (same order)
    kind: str = "casualty"
    eventless: bool = False  # no single-event fact (only situation figures, quotes, or none)
    day: tuple[int, int] | None = None  # event day range (ordinals)
    explicit_day: bool = False  # a fact dates it (else derived from publication)
    places: list = field(default_factory=list)  # place records, most stated first
    towns: set = field(default_factory=set)
    areas: set = field(default_factory=set)
    points: list = field(default_factory=list)
    figures: dict = field(default_factory=dict)  # outcome -> count record the mention states most
    causes: set = field(default_factory=set)
    perpetrators: set = field(default_factory=set)
    targets: set = field(default_factory=set)
    held: set = field(default_factory=set)  # town keys of the places its control facts say who holds or took
    names: set = field(default_factory=set)
    entities: object = None  # MinHash of entity_terms
    hashes: object = None  # its hash values (numpy array), None when it is missing or empty: compared in `score`
    ranges: dict = field(default_factory=dict)  # outcome -> count_range of figures[outcome], computed once
    lead: set = field(default_factory=set)  # entity terms of the headline and lead (blocking keys)
    rare: set = field(default_factory=set)  # lead words few earlier reports used (set by the linker)
    copy_of: str | None = None

    @property
    def anchored(self) -> bool:
        """Whether it has a day (a fact's or its publication's) or a place; else only strong evidence links it."""
        return self.day is not None or bool(self.towns or self.areas)


def fact_id(record: dict, index: int):
    rid = record.get("id")
    return rid if isinstance(rid, (int, str)) and not isinstance(rid, bool) else index


def split_article(article, settings, cues: TollCues | None = None, sign=None) -> list[Mention]:
    """The article's mentions, its main one first: event facts grouped by day and place (an article may
    report two events), the facts that give neither joining the main one with the quotes and situation
    figures. An article without event facts gives one eventless mention, linked only on its text,
    dateline and names. `sign`: makes the MinHash of a set of terms (a `CopyIndex`'s `signature`, which
    reuses its permutations; default `copies.signature`)."""
    cues = cues or TollCues.load()
    groups: list[dict] = []
    rest: list[int] = []
    records = list(article.facts)
    for i, rec in enumerate(records):
        if rec.get("type") not in EVENT_TYPES or is_cumulative(rec, settings.max_event_days):
            rest.append(i)
            continue
        d = day_number(rec.get("date"))
        towns, _ = place_keys(rec.get("place"))
        point = place_point(rec.get("place"))
        if d is None and not towns:
            rest.append(i)
            continue
        town = _resolved_town(rec.get("place"))
        sentence = " " + fold(_sentence(rec)) + " "
        for g in groups:
            if _fits(g, d, towns, point, settings) and _same_place(g, town, sentence, settings):
                g["facts"].append(i)
                if d is not None:
                    g["days"].append(d)
                g["towns"] |= towns
                if point:
                    g["points"].append(point)
                if town:
                    g["resolved"].setdefault(town[0], town)
                g["sentences"].append(sentence)
                break
        else:
            groups.append({"facts": [i], "days": [d] if d is not None else [], "towns": set(towns),
                           "points": [point] if point else [], "resolved": {town[0]: town} if town else {},
                           "sentences": [sentence]})
    if not groups:
        event_rest = [i for i in rest if records[i].get("type") in EVENT_TYPES
                      and not is_cumulative(records[i], settings.max_event_days)]
        groups = [{"facts": event_rest, "days": [], "towns": set(), "points": [], "resolved": {}, "sentences": []}]
        rest = [i for i in rest if i not in event_rest]
    main = max(range(len(groups)), key=lambda k: (len(groups[k]["facts"]), -k))
    groups.insert(0, groups.pop(main))
    groups[0]["facts"] = sorted(groups[0]["facts"] + rest)
    shared = _article_evidence(article, settings, sign or signature)
    return [_mention(article, records, g["facts"], shared, settings, cues) for g in groups]


def _fits(group: dict, d: int | None, towns: set, point, settings) -> bool:
    if d is not None and group["days"] and min(abs(d - x) for x in group["days"]) > settings.split_days:
        return False
    far = point and group["points"] and min(km(point, p) for p in group["points"]) > settings.far_km
    other_day = d is not None and group["days"] and d not in group["days"]
    if towns and group["towns"] and not (towns & group["towns"]) and (far or other_day):
        return False
    return True


def _resolved_town(place) -> tuple | None:
    """(gazetteer id, point, folded names) of a place resolved at town level, else None."""
    point = place_point(place)
    if point is None or place.get("geonameid") is None:
        return None
    names = {fold(place.get(k)) for k in ("toponym", "name", "gazetteer_name", "text")} - {""}
    return (place["geonameid"], point, names)


def _same_place(group: dict, town: tuple | None, sentence: str, settings) -> bool:
    """Whether a fact at `town` can be of the group's event as far as place goes. Two different towns,
    both resolved, are two events (a monitor's daily report lists strikes on neighbouring towns one by
    one), unless one is in the other (a camp or quarter and its town: a few km apart) or one sentence
    names both as the place of one event ("a strike on Nuseirat camp in central Gaza"). An unresolved
    name decides nothing here (`_fits` compares names and distance)."""
    if town is None or not group["resolved"] or town[0] in group["resolved"]:
        return True
    for gid, point, names in group["resolved"].values():
        if km(town[1], point) <= settings.same_place_km:
            return True
        if any(f" {n} " in sentence for n in names):
            return True
        if any(f" {n} " in s for s in group["sentences"] for n in town[2]):
            return True
    return False


def _article_evidence(article, settings, sign) -> dict:
    text = "\n".join(t for t in (article.title, article.text) if t)
    terms = entity_terms(text)
    lead = entity_terms("\n".join(t for t in (article.title, (article.text or "")[:settings.lead_chars]) if t))
    # a few shared names (the town, the weekday) say no more than place and day already do
    entities = sign(terms) if len(terms) >= settings.min_terms else None
    hashes = entities.hashvalues if entities is not None and not entities.is_empty() else None
    return {"names": named_people(text), "entities": entities, "hashes": hashes, "lead": lead,
            "places": [p for p in [dateline_place(article.text, settings.labels)] if p]
            + title_places(article.title, settings.not_places)}


def _sentence(record: dict) -> str:
    return str((record.get("evidence") or {}).get("text") or "")


def _value(count: dict) -> float:
    return max(v for v in (count.get("low"), count.get("best"), count.get("high")) if v is not None)


def event_days(events: list[dict], cues: TollCues) -> list[int]:
    """The days the event facts give, leaving out a running toll's ("rose to 45 on Sunday"): an update
    is dated by its report, not by the event, whenever another fact dates the event itself."""
    dated = [(day_number(r.get("date")), r) for r in events if day_number(r.get("date")) is not None]
    own = [d for d, r in dated if not cues.updates.search(_sentence(r))]
    return own or [d for d, _ in dated]


def is_part(record: dict, same: list[dict], cues: TollCues) -> bool:
    """Whether a figure counts some of the victims of a total rather than the total: "four killed,
    including a nurse" (a smaller figure in the sentence of a larger one), "of whom 19 remain in
    hospital", "Six of the dead are children" (partitive wording), "Among them were two children"
    (a part cue, and a larger figure of that outcome elsewhere in the report). `same`: the report's
    other figures of the same outcome."""
    if record.get("subset_of_previous"):
        return True
    text, value = _sentence(record), _value(record["count"])
    cued = bool(cues.parts is not None and cues.parts.search(text))
    partitive = bool(cues.partitives is not None and cues.partitives.search(text))
    if not (cued or partitive):  # without the wording, a second figure is as likely a misreading
        return False
    in_sentence = [r for r in same if r is not record and _sentence(r) == text]
    if in_sentence:
        return any(_value(r["count"]) > value for r in in_sentence)
    return partitive or any(_value(r["count"]) > value for r in same if r is not record)


def is_stock(record: dict, casualties: list[float], town_level: bool, cues: TollCues) -> bool:
    """Whether a displacement figure is a standing population or background ("1.9 million people in
    Gaza are displaced", "hundreds of thousands who fled earlier fighting are sheltering here")
    rather than the people this event drove out: stock wording, a place of region or country extent
    while the event is placed at a town, or a figure far beyond anything else the event counts."""
    if cues.stocks is not None and cues.stocks.search(_sentence(record)):
        return True
    place = record.get("place")
    if town_level and isinstance(place, dict) and place.get("precision") in (3, 4):
        return True
    value = _value(record["count"])
    return value >= 10_000 and bool(casualties) and value > 100 * max(casualties)


def _mention(article, records: list[dict], idx: list[int], shared: dict, settings, cues: TollCues) -> Mention:
    chosen = [records[i] for i in idx]
    events = [r for r in chosen if r.get("type") in EVENT_TYPES and not is_cumulative(r, settings.max_event_days)]
    m = Mention(article=article.id, outlet=article.outlet, published=article.published,
                facts=[fact_id(records[i], i) for i in idx], records=chosen,
                names=set(shared["names"]), entities=shared["entities"], hashes=shared["hashes"],
                lead=set(shared["lead"]))
    m.eventless = not events
    if events:
        m.kind = most_stated([r["type"] for r in events])
    days = event_days(events, cues)
    if days:
        d = most_stated(sorted(days))  # a tie: the earliest (reports follow events)
        m.day, m.explicit_day = (d, d), True
    elif day_number(article.published) is not None:
        p = day_number(article.published)
        m.day = (p - settings.days_before_publication, p)
    places = [r.get("place") for r in events if isinstance(r.get("place"), dict)]
    places += shared["places"]
    folded = [fold(p.get("name")) for p in places]  # folded once: a report may give dozens of places
    stated = {n: folded.count(n) for n in folded}
    first = [places.index(p) for p in places]
    ranked = sorted(range(len(places)), key=lambda i: (-stated[folded[i]], places[i].get("precision") not in (1, 2),
                                                       first[i]))
    seen = set()
    for i in ranked:
        if folded[i] not in seen:
            seen.add(folded[i])
            m.places.append(places[i])
    for p in m.places:
        towns, areas = place_keys(p)
        m.towns |= towns
        m.areas |= areas
        if place_point(p):
            m.points.append(place_point(p))
    by_outcome: dict[str, list] = {}
    for r in events:
        out = outcome_of(r)
        if out and count_range(r.get("count")):
            by_outcome.setdefault(out, []).append(r)
        if r.get("cause"):
            m.causes.add(r["cause"])
        m.perpetrators |= set(r.get("perpetrators") or [])
        m.targets |= set(r.get("targets") or [])
        if r.get("type") == "control" and r.get("change") in ("gained", "held", "lost"):
            m.held |= place_keys(r.get("place"))[0]
    casualties = [_value(r["count"]) for o in ("killed", "injured") for r in by_outcome.get(o, ())]
    town_level = any(p.get("precision") in (1, 2) or (p.get("precision") is None and p.get("name"))
                     for p in m.places)
    for out in list(by_outcome):
        totals = [r for r in by_outcome[out] if not is_part(r, by_outcome[out], cues)]
        if out == "displaced":
            totals = [r for r in totals if not is_stock(r, casualties, town_level, cues)]
        by_outcome[out] = [r["count"] for r in totals]
    for out, counts in by_outcome.items():
        if not counts:
            continue
        key = most_stated([(c.get("low"), c.get("best"), c.get("high")) for c in counts])
        m.figures[out] = next(c for c in counts if (c.get("low"), c.get("best"), c.get("high")) == key)
        m.ranges[out] = count_range(m.figures[out])
    return m


def compare_counts(new: dict, old: dict) -> str:
    """agree (ranges overlap), higher (the newer report's figure is above: tolls rise as the wounded
    die and bodies are found, so this is no evidence either way), or disagree."""
    return compare_ranges(count_range(new), count_range(old))


def compare_ranges(rn: tuple | None, ro: tuple | None) -> str:
    """`compare_counts` on the counts' ranges (`count_range`), which mentions and incidents keep."""
    if rn is None or ro is None:
        return "unknown"
    if rn[0] <= ro[1] and ro[0] <= rn[1]:
        return "agree"
    return "higher" if rn[0] > ro[1] else "disagree"


def _verdict(rn: tuple | None, ranges) -> str | None:
    """The best of `compare_ranges(rn, ro)` over an incident's ranges: agree, else higher, else
    disagree (None when it has none); stops at the first agreement."""
    found = set()
    for ro in ranges:
        v = compare_ranges(rn, ro)
        if v == "agree":
            return v
        found.add(v)
    return "higher" if "higher" in found else "disagree" if "disagree" in found else None


def score(m: Mention, inc, settings) -> tuple[float, dict, bool]:
    """How strongly `m` is the event of `inc` (an `IncidentState`): (score, reasons, strong), where
    strong means evidence that alone identifies the event (a copy, or named people and a toll)."""
    w = settings
    s = 0.0
    reasons: dict = {}
    # when: against the incident's core day (the day most of its reports give), not every day any
    # report gave, so that an incident cannot drift day by day through weak links
    beyond = False
    gap = inc.core_gap(m.day)
    if gap is not None:
        reasons["day_gap"] = gap
        explicit = m.explicit_day and inc.core_explicit
        if gap == 0:
            s += w.day_same if explicit else w.day_near
        elif gap == 1:
            s += w.day_near if explicit else w.day_near / 2
        elif gap > w.day_window:
            s -= w.day_far
            beyond = explicit
    # where: against the core place(s), likewise
    shared_towns = m.towns & inc.core_towns
    if shared_towns:
        reasons["place"] = sorted(shared_towns)[0][2:]
        s += w.place_same
    else:
        dist = inc.core_distance(m.points)
        if dist is not None:
            reasons["distance_km"] = round(dist, 1)
            if dist <= w.near_km:
                s += w.place_near
            else:
                beyond = True
                if dist > w.far_km:
                    s -= w.place_far
        elif m.areas & inc.areas:
            reasons["area"] = sorted(m.areas & inc.areas)[0][2:]
            s += w.area_same
        elif m.areas and inc.areas and _admin1(m.areas) and inc.admin1 and not (_admin1(m.areas) & inc.admin1):
            s -= w.place_far
            reasons["area_differs"] = True
    # what
    if not m.eventless and m.kind in inc.kinds:
        s += w.kind_same
    counts = {}
    for out, rn in m.ranges.items():
        verdict = _verdict(rn, inc.ranges.get(out, ()))
        if verdict == "agree":
            counts[out] = "agree"
            s += w.count_agree
        elif verdict == "higher":
            counts[out] = "higher"
        elif verdict == "disagree":
            counts[out] = "disagree"
            s -= w.count_disagree
    if counts:
        reasons["counts"] = counts
    if m.causes and inc.causes:
        if m.causes & inc.causes:
            s += w.cause_same
        else:
            s -= w.cause_differs
            reasons["cause_differs"] = sorted(m.causes | inc.causes)
    if m.targets and inc.targets:
        if m.targets & inc.targets:
            s += w.target_same
        else:
            s -= w.target_differs
            reasons["targets_differ"] = sorted(m.targets | inc.targets)
    if m.held & inc.held:
        # both say who holds or took this town (a capture and its denial, two claims of one battle):
        # the same contest, whoever each names
        reasons["control_of"] = sorted(m.held & inc.held)[0][2:]
        s += w.control_same
    if m.perpetrators and inc.perpetrators:
        if m.perpetrators & inc.perpetrators:
            s += w.actor_same
            reasons["actors"] = sorted(m.perpetrators & inc.perpetrators)
        else:
            s -= w.actor_differs
            reasons["actors_differ"] = sorted(m.perpetrators | inc.perpetrators)
    # who, and the wording
    # the words of the places already compared count once, as the place
    place_words = {w for key in shared_towns | (m.areas & inc.areas) if key.startswith("n:") for w in key[2:].split()}
    rare = sorted((m.rare & inc.lead) - place_words)
    if rare and (m.eventless or not shared_towns):  # a street, a school, a surname in both headlines or leads: few reports share them by chance
        reasons["rare_terms"] = rare[:6]
        s += min(w.rare_cap, w.rare_term * len(rare))
    names = m.names & inc.names
    if names:
        reasons["victims"] = sorted(names)
        s += w.name_same * min(2, len(names))
    sim = inc.similarity(m.hashes)
    reasons["text_similarity"] = round(sim, 3)
    s += min(w.text_cap, w.text_weight * max(0.0, sim - w.text_floor))
    copy = m.copy_of is not None and m.copy_of in inc.sources
    if copy:
        reasons["copy_of"] = m.copy_of
        s += w.copy
    strong = copy or bool(names and ("agree" in counts.values() or sim >= w.strong_text))
    if beyond and not strong:
        # beyond the core's day window or place: another event, whatever the wording shares, unless
        # evidence that alone identifies the event says otherwise
        reasons["beyond_core"] = True
    if len(counts) >= 2 and all(v == "disagree" for v in counts.values()):
        # every toll both give disagrees (4 dead and 11 hurt against 9 and 20): on one town and day,
        # that is two events far more often than one misreported; only strong evidence links it
        reasons["counts_conflict"] = True
    return round(s, 3), reasons, strong


def _admin1(areas: set) -> set:
    return {a for a in areas if a.startswith("a:")}
