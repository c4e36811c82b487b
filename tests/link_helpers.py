"""Invented conflict reports for the link tests (no corpus text): fact records as docs/format.md writes them."""
from __future__ import annotations

from warmonitor.link.model import LinkArticle


def place(name, geonameid=None, lat=None, lon=None, admin1=None, country=None, precision=None):
    return {"name": name, "geonameid": geonameid, "admin1": admin1, "country": country, "lat": lat, "lon": lon,
            "precision": precision, "toponym": name, "qualifier": None}


def count(best, low=None, high=None, qualifier=None):
    low = best if low is None else low
    high = best if high is None and qualifier is None else high
    return {"low": low, "best": best, "high": high, "qualifier": qualifier}


def casualty(text, n, outcome="killed", where=None, day=None, cause=None, victims="civilians",
             perpetrators=(), period=None):
    return {"type": "casualty", "outcome": outcome, "victims": victims,
            "count": count(n) if isinstance(n, int) else n, "cause": cause, "perpetrators": list(perpetrators),
            "perpetrator_share": None, "place": where, "date": day, "period": period, "period_text": None,
            "evidence": {"text": text, "start": 0, "end": len(text)}, "claimed_by": [], "confidence": 0.8,
            "rule": "casualty.test"}


def attack(text, targets, where=None, day=None):
    return {"type": "attack", "targets": list(targets), "target_count": None, "perpetrators": [],
            "place": where, "date": day, "period": None, "period_text": None,
            "evidence": {"text": text, "start": 0, "end": len(text)}, "claimed_by": [], "confidence": 0.8,
            "rule": "attack.test"}


def displacement(text, n, where=None, period=None, day=None):
    return {"type": "displacement", "count": count(n), "unit": "people", "term": "displaced", "origin": None,
            "destination": None, "place": where, "date": day, "period": period, "period_text": None,
            "evidence": {"text": text, "start": 0, "end": len(text)}, "claimed_by": [], "confidence": 0.8,
            "rule": "displacement.test"}


def article(key, published, text, facts=(), outlet=None, title=None):
    return LinkArticle(id=key, outlet=outlet or key.split("-")[0], published=published, title=title, text=text,
                       facts=tuple(facts))


def control(text, actor, change, where=None, day=None):
    return {"type": "control", "actor": actor, "change": change, "place": where, "date": day, "period": None,
            "period_text": None, "evidence": {"text": text, "start": 0, "end": len(text)}, "claimed_by": [],
            "confidence": 0.8, "rule": "control.test"}
