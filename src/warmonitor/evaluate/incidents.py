"""Score incident records (linking) against incident gold in format `warmonitor-incidents/1`.

    from warmonitor.evaluate.incidents import load_incident_gold, score_incidents
    report = score_incidents(load_incident_gold(Path("gold/")), records)
    print(report.to_text())

Linking is judged on three levels, because each fails differently and an analyst needs to know which:

1. Article clustering. Over the articles the gold names, each article belongs to the first predicted
   incident that lists it (none: an incident of its own), so a linker cannot score by listing an
   article everywhere. B-cubed precision/recall/F1 weigh every article equally (a big incident split
   in two costs less than many small ones merged); pairwise-link precision/recall/F1 count pairs of
   articles put together, and fall to 0 for a linker that links nothing.
2. Incident matching. A gold incident's match is the predicted incident sharing most of its articles
   (ties: the smaller, then the earlier), counted when their Jaccard overlap is at least 0.5 over the
   gold articles. On every gold incident (no match counts as wrong): killed and injured `best` equal
   to gold (a gold `null` means no report gives the figure, and only a predicted null equals it), the
   date (the day, or a period that holds it), the place (within `tolerance_km` of the gold point when
   both have coordinates; otherwise a gold name, or else the gold admin1, never a contradicting admin1).
3. Aggregates, what a dashboard shows: for each (admin1, year) and (admin1, town, year) with two or
   more gold incidents, the number of incidents and the people killed, exact and as mean absolute
   percentage error. This is where double counting across reports shows.

The definitions are those of the evaluation's reference scorer (`../shared/eval/score_incidents.py`),
so the figures can be compared, with one difference: an article that the gold lists under two incidents
(an article reporting both) belongs, for clustering, to the first of them, mirroring the rule for
predictions; the reference scorer takes the last. Names are compared with case, punctuation and
diacritics folded. Nothing here reads the store or runs the linker: records in, report out.
"""
from __future__ import annotations

import json
import math
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

__all__ = ["GOLD_FORMAT", "MIN_JACCARD", "IncidentReport", "load_incident_gold", "match_incidents",
           "read_incident_records", "score_incidents"]

GOLD_FORMAT = "warmonitor-incidents/1"
MIN_JACCARD = 0.5  # share of the articles of a gold incident and its match that both list
DEFAULT_TOLERANCE_KM = 25.0  # the reference scorer's default when a gold place gives none
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "ft": "fort", "mt": "mount"}  # "St. Louis" == "Saint Louis"
_DAY = re.compile(r"^\d{4}-\d\d-\d\d")


# ---------------------------------------------------------------------------------------------- input

def load_incident_gold(path: str | Path) -> list[dict]:
    """The gold incidents of a folder's `incidents.gold.json` (or of that file itself).

    Raises ValueError when the file is not in format `warmonitor-incidents/1` or an incident lacks
    articles, so a scoring run never silently judges against the wrong file.
    """
    path = Path(path)
    if path.is_dir():
        path = path / "incidents.gold.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(doc, dict) or doc.get("format") != GOLD_FORMAT:
        raise ValueError(f"{path}: not an incident gold file (format {GOLD_FORMAT!r} expected)")
    incidents = doc.get("incidents")
    if not isinstance(incidents, list) or not all(isinstance(g, dict) and g.get("articles") for g in incidents):
        raise ValueError(f"{path}: 'incidents' must be a list of incidents, each with its articles")
    return incidents


def read_incident_records(path: str | Path) -> list[dict]:
    """The `"type": "incident"` records of a JSON Lines file (fact records mixed in are skipped)."""
    with Path(path).open(encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    return [r for r in records if isinstance(r, dict) and r.get("type") == "incident"]


# ---------------------------------------------------------------------------------- small judgements

def fold(name: Any) -> str:
    """A name compared loosely: case, diacritics, punctuation and St./Ft./Mt. folded."""
    text = unicodedata.normalize("NFKD", str(name or "")).encode("ascii", "ignore").decode().lower()
    return " ".join(_ABBREVIATIONS.get(w, w) for w in re.sub(r"[^a-z0-9]+", " ", text).split())


def _admin1(name: Any) -> str | None:
    folded = fold(name)
    return folded.removeprefix("state of ") or None


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def best_of(count: Any) -> float | None:
    """The `best` of a `{low, best, high}` figure; a bare number is its own best."""
    if _number(count):
        return count
    if isinstance(count, dict) and _number(count.get("best")):
        return count["best"]
    return None


def _day(value: Any) -> str | None:
    return value[:10] if isinstance(value, str) and _DAY.match(value) else None


def _period(record: dict) -> tuple[str, str] | None:
    period = record.get("period")
    if isinstance(period, dict):
        start, end = _day(period.get("start")), _day(period.get("end"))
        if start and end:
            return start, end
    return None


def date_correct(gold_day: str | None, record: dict) -> bool:
    """The predicted day is the gold day, or the predicted period holds it."""
    if not gold_day:
        return False
    if _day(record.get("date")) == gold_day:
        return True
    period = _period(record)
    return period is not None and period[0] <= gold_day <= period[1]


def _year(record: dict) -> str | None:
    """The year an incident is counted in: its day's, or its period's when that lies in one year."""
    day = _day(record.get("date"))
    if day:
        return day[:4]
    period = _period(record)
    return period[0][:4] if period and period[0][:4] == period[1][:4] else None


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, mean Earth radius)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((phi2 - phi1) / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def place_correct(gold: dict, predicted: Any) -> bool:
    """Whether a predicted place is the gold place (see the module docstring for the order of tests)."""
    if not isinstance(gold, dict) or not isinstance(predicted, dict):
        return False
    points = (gold.get("lat"), gold.get("lon"), predicted.get("lat"), predicted.get("lon"))
    if all(_number(v) for v in points):
        return distance_km(*points) <= float(gold.get("tolerance_km") or DEFAULT_TOLERANCE_KM)
    gold_admin, pred_admin = _admin1(gold.get("admin1")), _admin1(predicted.get("admin1"))
    if gold_admin and pred_admin and gold_admin != pred_admin:
        return False
    names = {fold(n) for n in gold.get("names") or ()} - {""}
    if names:
        return fold(predicted.get("name")) in names
    return bool(gold_admin) and gold_admin in (pred_admin, _admin1(predicted.get("name")))


def article_ids(record: dict) -> list[str]:
    """An incident's article ids in order, once each (an entry may be an id or `{"id"|"article": ...}`)."""
    seen: dict[str, None] = {}
    for entry in record.get("articles") or ():
        if isinstance(entry, dict):
            entry = entry.get("id") or entry.get("article")
        if isinstance(entry, str):
            seen.setdefault(entry, None)
    return list(seen)


def _place_shown(place: Any) -> str | None:
    """A place in an error line: its name, admin1 and point, enough to see why it was judged wrong."""
    if not isinstance(place, dict):
        return None
    point = (f" ({place['lat']:.3f}, {place['lon']:.3f})"
             if _number(place.get("lat")) and _number(place.get("lon")) else "")
    return f"{place.get('name')}, {place.get('admin1')}{point}"


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _share(part: float, whole: float) -> float:
    return part / whole if whole else 0.0


# -------------------------------------------------------------------------------------------- report

@dataclass
class IncidentReport:
    """What `score_incidents` found, as plain figures; `errors` says, per gold incident, what was wrong."""

    gold_incidents: int = 0
    gold_articles: int = 0
    predicted_incidents: int = 0
    predicted_with_gold: int = 0
    unknown_article_ids: int = 0
    clustering: dict[str, float] = field(default_factory=dict)
    incidents: dict[str, float] = field(default_factory=dict)
    aggregates: dict[str, dict[str, float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        """The reference scorer's `--json` object (same keys, unrounded)."""
        return {"gold_incidents": self.gold_incidents, "gold_articles": self.gold_articles,
                "predicted_incidents": self.predicted_incidents,
                "predicted_incidents_with_gold_articles": self.predicted_with_gold,
                "unknown_article_ids": self.unknown_article_ids, "clustering": dict(self.clustering),
                "incidents": dict(self.incidents), "aggregates": {k: dict(v) for k, v in self.aggregates.items()}}

    def to_text(self) -> str:
        c, i = self.clustering, self.incidents
        lines = [
            f"gold: {self.gold_incidents} incidents, {self.gold_articles} articles; predicted: "
            f"{self.predicted_incidents} incidents ({self.predicted_with_gold} with gold articles), "
            f"{self.unknown_article_ids} unknown article ids",
            "",
            "article clustering       precision  recall     F1",
            f"  B-cubed                  {c['b3_precision']:.3f}   {c['b3_recall']:.3f}  {c['b3_f1']:.3f}",
            f"  pairwise links           {c['link_precision']:.3f}   {c['link_recall']:.3f}  {c['link_f1']:.3f}"
            f"   ({c['correct_links']} of {c['predicted_links']} predicted, {c['gold_links']} gold links)",
            f"  articles placed in an incident: {c['articles_placed']:.3f}",
            "",
            f"incidents (Jaccard >= {MIN_JACCARD})  precision {i['precision']:.3f}  recall {i['recall']:.3f}  "
            f"F1 {i['f1']:.3f}  ({i['matched']} matched)",
            f"  on gold incidents: killed {i['killed_exact']:.3f}  injured {i['injured_exact']:.3f}  "
            f"date {i['date_correct']:.3f} (exact day {i['date_exact_day']:.3f})  place {i['place_correct']:.3f}",
            "",
            "aggregates (groups with 2+ gold incidents)   incidents exact / MAPE     killed exact / MAPE",
        ]
        for key, label in (("state_year", "(admin1, year)"), ("city_year", "(town, year)")):
            g = self.aggregates.get(key, {})
            if not g.get("groups"):
                lines.append(f"  {label:<15} no groups")
                continue
            lines.append(f"  {label:<15} {g['groups']:>4} groups       {g['incidents_exact']:.3f} / "
                         f"{100 * g['incidents_mape']:6.1f}%      {g['killed_exact']:.3f} / "
                         f"{100 * g['killed_mape']:6.1f}%")
        return "\n".join(lines)


# ------------------------------------------------------------------------------------------- scoring

def score_incidents(gold: list[dict], records: Iterable[dict]) -> IncidentReport:
    """Score predicted incident records (other record types are ignored) against gold incidents."""
    predicted = [r for r in records if isinstance(r, dict) and r.get("type") == "incident"]
    listed = [article_ids(r) for r in predicted]
    gold_cluster: dict[str, int] = {}
    for index, incident in enumerate(gold):
        for article in incident["articles"]:
            gold_cluster.setdefault(article, index)
    universe = set(gold_cluster)
    report = IncidentReport(gold_incidents=len(gold), gold_articles=len(universe),
                            predicted_incidents=len(predicted))
    report.unknown_article_ids = len({a for ids in listed for a in ids} - universe)
    report.clustering = _clustering(gold_cluster, listed)
    members = [set(ids) & universe for ids in listed]
    report.predicted_with_gold = sum(1 for m in members if m)
    report.incidents = _matching(gold, predicted, members, report.errors)
    report.aggregates = {"state_year": _aggregate(gold, predicted, members, with_town=False),
                         "city_year": _aggregate(gold, predicted, members, with_town=True)}
    return report


def _clustering(gold_cluster: dict[str, int], listed: list[list[str]]) -> dict[str, float]:
    """B-cubed and pairwise-link figures over the gold articles, first listing wins."""
    predicted_cluster: dict[str, Any] = {}
    for index, ids in enumerate(listed):
        for article in ids:
            if article in gold_cluster:
                predicted_cluster.setdefault(article, index)
    placed = len(predicted_cluster)
    for article in gold_cluster:
        predicted_cluster.setdefault(article, ("alone", article))
    gold_sizes = Counter(gold_cluster.values())
    pred_sizes = Counter(predicted_cluster.values())
    overlap = Counter((gold_cluster[a], predicted_cluster[a]) for a in gold_cluster)
    n = len(gold_cluster)
    b3_p = sum(overlap[gold_cluster[a], predicted_cluster[a]] / pred_sizes[predicted_cluster[a]]
               for a in gold_cluster) / n if n else 0.0
    b3_r = sum(overlap[gold_cluster[a], predicted_cluster[a]] / gold_sizes[gold_cluster[a]]
               for a in gold_cluster) / n if n else 0.0

    def links(sizes: Iterable[int]) -> int:
        return sum(k * (k - 1) // 2 for k in sizes)

    gold_links, pred_links, correct = links(gold_sizes.values()), links(pred_sizes.values()), links(overlap.values())
    # No predicted link: precision is vacuous, perfect only when there was nothing to link.
    link_p = correct / pred_links if pred_links else float(gold_links == 0)
    link_r = correct / gold_links if gold_links else 1.0
    return {"b3_precision": b3_p, "b3_recall": b3_r, "b3_f1": _f1(b3_p, b3_r),
            "link_precision": link_p, "link_recall": link_r, "link_f1": _f1(link_p, link_r),
            "gold_links": gold_links, "predicted_links": pred_links, "correct_links": correct,
            "articles_placed": _share(placed, n)}


def _match(articles: set[str], members: list[set[str]], by_article: dict[str, list[int]]) -> int | None:
    """The predicted incident matching a gold incident's articles, or None (Jaccard below MIN_JACCARD)."""
    shared = Counter(index for a in articles for index in by_article.get(a, ()))
    if not shared:
        return None
    best = min(shared, key=lambda index: (-shared[index], len(members[index]), index))
    return best if shared[best] / len(articles | members[best]) >= MIN_JACCARD else None


def _matches(gold: list[dict], members: list[set[str]]) -> list[int | None]:
    """For each gold incident, the index of its predicted match, or None."""
    by_article: dict[str, list[int]] = defaultdict(list)
    for index, articles in enumerate(members):
        for article in articles:
            by_article[article].append(index)
    return [_match(set(incident["articles"]), members, by_article) for incident in gold]


def match_incidents(gold: list[dict], records: Iterable[dict]) -> dict[str, dict | None]:
    """Each gold incident's id with the predicted incident record that matches it (None: no match), as
    `score_incidents` pairs them: for tests and reports that judge one incident at a time."""
    predicted = [r for r in records if isinstance(r, dict) and r.get("type") == "incident"]
    universe = {a for incident in gold for a in incident["articles"]}
    members = [set(article_ids(r)) & universe for r in predicted]
    return {incident.get("id", str(n)): None if index is None else predicted[index]
            for n, (incident, index) in enumerate(zip(gold, _matches(gold, members)))}


def _matching(gold: list[dict], predicted: list[dict], members: list[set[str]], errors: list[str]) -> dict:
    tally: Counter = Counter()
    matched: set[int] = set()
    for incident, index in zip(gold, _matches(gold, members)):
        name = incident.get("id", "?")
        if index is None:
            errors.append(f"{name}: no predicted incident shares at least half of its articles")
            continue
        matched.add(index)
        record = predicted[index]
        tally["matched"] += 1
        checks = {"killed": best_of(record.get("killed")) == incident.get("killed"),
                  "injured": best_of(record.get("injured")) == incident.get("injured"),
                  "date": date_correct(incident.get("date"), record),
                  "date_point": _day(record.get("date")) == incident.get("date"),
                  "place": place_correct(incident.get("place") or {}, record.get("place"))}
        tally.update(k for k, ok in checks.items() if ok)
        shown = {"killed": best_of(record.get("killed")), "injured": best_of(record.get("injured")),
                 "date": record.get("date") or record.get("period"),
                 "place": _place_shown(record.get("place"))}
        wanted = {"killed": incident.get("killed"), "injured": incident.get("injured"), "date": incident.get("date"),
                  "place": _place_shown({**(incident.get("place") or {}),
                                         "name": ((incident.get("place") or {}).get("names") or [None])[0]})}
        errors.extend(f"{name}: {key} {shown[key]!r}, gold {wanted[key]!r} (predicted {record.get('id')})"
                      for key in ("killed", "injured", "date", "place") if not checks[key])
    n = len(gold)
    with_gold = sum(1 for m in members if m)
    result = {"recall": _share(tally["matched"], n), "precision": _share(len(matched), with_gold),
              "killed_exact": _share(tally["killed"], n), "injured_exact": _share(tally["injured"], n),
              "date_correct": _share(tally["date"], n), "date_exact_day": _share(tally["date_point"], n),
              "place_correct": _share(tally["place"], n), "matched": tally["matched"]}
    result["f1"] = _f1(result["precision"], result["recall"])
    return result


def _aggregate(gold: list[dict], predicted: list[dict], members: list[set[str]], *, with_town: bool) -> dict:
    """Incidents and killed per (admin1, year), or per (admin1, town, year), against the gold totals.

    Only groups with two or more gold incidents are judged: a group of one says nothing about double
    counting. A predicted incident counts when it holds a gold article; a null killed counts as 0.
    """
    gold_groups: dict[tuple, list[float]] = defaultdict(lambda: [0, 0])
    for incident in gold:
        place = incident.get("place") or {}
        admin, year = _admin1(place.get("admin1")), _day(incident.get("date"))
        town = fold((place.get("names") or [None])[0])
        if not admin or not year or (with_town and not town):
            continue
        key = (admin, town, year[:4]) if with_town else (admin, year[:4])
        gold_groups[key][0] += 1
        gold_groups[key][1] += incident.get("killed") or 0
    judged = {k: v for k, v in gold_groups.items() if v[0] >= 2}
    if not judged:
        return {"groups": 0}
    towns: dict[tuple[str, str], set[str]] = defaultdict(set)  # (town, year) -> admin1 of judged groups
    for admin, *rest in judged:
        if with_town:
            towns[rest[0], rest[1]].add(admin)
    system: dict[tuple, list[float]] = defaultdict(lambda: [0, 0])
    for record, articles in zip(predicted, members):
        year = _year(record)
        if not articles or not year:
            continue
        place = record.get("place") if isinstance(record.get("place"), dict) else {}
        admin, killed = _admin1(place.get("admin1")), best_of(record.get("killed")) or 0
        keys = ([(a, fold(place.get("name")), year) for a in towns.get((fold(place.get("name")), year), ())
                 if admin in (None, a)] if with_town else [(admin, year)])
        for key in keys:
            if key in judged:
                system[key][0] += 1
                system[key][1] += killed
    result: dict[str, float] = {"groups": len(judged)}
    for slot, what in ((0, "incidents"), (1, "killed")):
        result[f"{what}_exact"] = sum(system[k][slot] == v[slot] for k, v in judged.items()) / len(judged)
        result[f"{what}_mape"] = sum(abs(system[k][slot] - v[slot]) / max(v[slot], 1)
                                     for k, v in judged.items()) / len(judged)
    return result
