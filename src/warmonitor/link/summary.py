"""A report's comparison summary: what linking compares of it (its mentions' days, places, points,
figures, causes, targets, names and lead terms, and the MinHash values of its names and of its text),
kept by the store so that an incremental run replays stored reports without splitting them again.

An incremental run replays the stored incidents around its new articles: every report of them is
filed again, and cutting a report into mentions (`evidence.split_article`: folding names, MinHash over
its terms and shingles) costs about as much as scoring it. The summary holds exactly the mentions that
split gave, so a replay from it gives the same incidents as one that splits; it names the article's
facts by their index, whose records the store reads anyway (the incident record is built from them).

A summary is only used for the article, facts and settings it was made from: its `digest` covers the
article's text, metadata and fact records, the linking settings and this format's `VERSION`; any
change (re-extraction, other settings, a new release that splits differently) makes it unusable, and
the article is split again and its summary written again.
"""
from __future__ import annotations

import base64
import dataclasses
import hashlib
from typing import Any, Callable

import numpy as np
import orjson

from .evidence import Mention, count_range

VERSION = 2  # raise when split_article or this format changes what a summary holds


def fingerprint(settings: Any) -> str:
    """What of the run a summary depends on besides the article: this format and the linking settings."""
    fields = {f.name: getattr(settings, f.name) for f in dataclasses.fields(settings)}
    text = repr(sorted((k, sorted(v) if isinstance(v, frozenset) else v) for k, v in fields.items()))
    return hashlib.sha1(f"{VERSION}|{text}".encode("utf-8")).hexdigest()


def digest(article: Any, run: str) -> str | None:
    """The digest a summary of `article` made under `run` (`fingerprint`) carries; None when the article
    holds what JSON cannot say (then it gets no summary)."""
    try:
        body = orjson.dumps([run, article.id, article.outlet, article.published, article.title, article.text,
                             list(article.facts)], option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS)
    except (TypeError, orjson.JSONEncodeError):
        return None
    return hashlib.sha1(body).hexdigest()


def _values(sig: Any) -> str | None:
    return None if sig is None else base64.b64encode(np.asarray(sig.hashvalues, dtype="<u4").tobytes()).decode()


def _array(text: str | None) -> np.ndarray | None:
    return None if text is None else np.frombuffer(base64.b64decode(text), dtype="<u4").astype(np.uint32)


def _strings(values: Any) -> list[str] | None:
    out = sorted(values)
    return out if all(isinstance(v, str) for v in out) else None


def to_summary(article: Any, mentions: list[Mention], copy_sig: Any) -> dict | None:
    """The summary of `article`'s mentions (as `split_article` gave them, main first) and its text's copy
    signature; None when something in them would not come back the same from JSON (then the article is
    simply split on every replay)."""
    if not mentions:
        return None
    records = list(article.facts)
    first = mentions[0]
    out: dict[str, Any] = {"copy": _values(copy_sig), "entities": _values(first.entities),
                           "names": _strings(first.names), "lead": _strings(first.lead), "mentions": []}
    if out["names"] is None or out["lead"] is None:
        return None
    at_of = {id(rec): i for i, rec in enumerate(records)}
    for m in mentions:
        index = [at_of[id(r)] for r in m.records if id(r) in at_of]
        figures = {}
        for outcome, count in m.figures.items():
            at = next((i for i in index if records[i].get("count") is count), None)
            if at is None:
                return None
            figures[outcome] = at
        item = {"facts": index, "kind": m.kind, "eventless": m.eventless, "day": list(m.day) if m.day else None,
                "explicit_day": m.explicit_day, "places": m.places, "towns": _strings(m.towns),
                "areas": _strings(m.areas), "points": [list(p) for p in m.points], "figures": figures,
                "causes": _strings(m.causes), "perpetrators": _strings(m.perpetrators), "targets": _strings(m.targets),
                "held": _strings(m.held)}
        if len(index) != len(m.records) or any(item[k] is None for k in ("towns", "areas", "causes", "perpetrators",
                                                                         "targets", "held")):
            return None
        out["mentions"].append(item)
    return out


def from_summary(article: Any, data: dict, fact_id: Callable[[dict, int], Any],
                 signature: Callable[[np.ndarray], Any]) -> tuple[list[Mention], Any]:
    """The mentions and copy signature `to_summary` summed up, for `article` (whose facts it indexes).
    `signature`: a MinHash from hash values (`copies.from_values`)."""
    records = list(article.facts)
    hashes = _array(data.get("entities"))
    entities = signature(hashes) if hashes is not None else None
    hashes = hashes if entities is not None and not entities.is_empty() else None
    names, lead = data.get("names") or [], data.get("lead") or []
    mentions = []
    for item in data["mentions"]:
        index = item["facts"]
        m = Mention(article=article.id, outlet=article.outlet, published=article.published,
                    facts=[fact_id(records[i], i) for i in index], records=[records[i] for i in index],
                    names=set(names), entities=entities, hashes=hashes, lead=set(lead))
        m.kind, m.eventless, m.explicit_day = item["kind"], item["eventless"], item["explicit_day"]
        m.day = tuple(item["day"]) if item["day"] else None
        m.places = list(item["places"])
        m.towns, m.areas = set(item["towns"]), set(item["areas"])
        m.points = [tuple(p) for p in item["points"]]
        for outcome, at in item["figures"].items():
            m.figures[outcome] = records[at]["count"]
            m.ranges[outcome] = count_range(m.figures[outcome])
        m.causes, m.perpetrators, m.targets = set(item["causes"]), set(item["perpetrators"]), set(item["targets"])
        m.held = set(item["held"])
        mentions.append(m)
    copy = _array(data.get("copy"))
    return mentions, (signature(copy) if copy is not None else None)
