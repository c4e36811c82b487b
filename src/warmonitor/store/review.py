"""Analyst review of stored facts: confirm, reject or correct, with an audit trail that outlives reprocessing.

A review is a row that is only ever added (`ReviewRow`): who, when, which action, the normalised
changes, the values they replaced and why. The fact row itself carries the *effective* record (the
machine's record with every correction applied, and a `review` block saying what was changed and what
it was before) and a `review_state` column, so that filters, aggregates and exports read corrected
figures without joining the trail. When an article is re-extracted its fresh facts get their reviews
applied again by `fact_key` (`reapply_reviews`).
"""
from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..model import MAX_PLAUSIBLE_COUNT
from .rows import DERIVED_COLUMNS, FACT_COLUMNS, fact_derived, fact_row, iso_date
from .schema import ArticleRow, FactRow, ReviewRow, StateRow

ACTIONS = {"confirm": "confirmed", "reject": "rejected", "correct": "corrected"}
STATES = ("unreviewed", "confirmed", "corrected", "rejected")
CORRECTABLE = ("count", "place", "actors", "date", "victims")
# An analyst's count obeys the bound the extractors obey: a correction can neither put an implausible figure
# into the sums nor one that a count column refuses (`rows.count_cell`).
MAX_COUNT = MAX_PLAUSIBLE_COUNT
MAX_REASON = 2000


class ReviewError(ValueError):
    """A review that cannot be applied; the message is one line for the analyst."""


def normalise_changes(fact_type: str, raw: dict[str, Any] | None,
                      find_place: Callable[[str], dict[str, Any] | None] | None = None) -> dict[str, Any]:
    """The record fields an analyst's correction sets, checked: `count` (a number or low/best/high),
    `place` (a name, resolved by `find_place`, or a dict with a name and optional coordinates), `actors`
    (the perpetrators, or a control fact's actor), `date` (ISO; it replaces any period), `victims`."""
    if not isinstance(raw, dict) or not raw:
        raise ReviewError("a correction needs at least one of: " + ", ".join(CORRECTABLE))
    unknown = sorted(set(raw) - set(CORRECTABLE))
    if unknown:
        raise ReviewError(f"cannot correct {', '.join(map(repr, unknown))}: correctable are {', '.join(CORRECTABLE)}")
    out: dict[str, Any] = {}
    if "count" in raw:
        out["count"] = _count(raw["count"])
    if "place" in raw:
        out["place"] = _place(raw["place"], find_place)
    if "actors" in raw:
        names = raw["actors"]
        if isinstance(names, str):
            names = [n for n in names.split(",")]
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise ReviewError("actors: expected a list of names")
        names = [n.strip()[:200] for n in names if n.strip()][:20]
        if fact_type == "control":
            out["actor"] = names[0] if names else None
        else:
            out["perpetrators"] = names
    if "date" in raw:
        day = iso_date(raw["date"]) if isinstance(raw["date"], str) and len(raw["date"].strip()) == 10 else None
        if day is None or not 1900 <= day.year <= 2100:
            raise ReviewError(f"date: not a date: {str(raw['date'])[:40]!r} (expected YYYY-MM-DD)")
        out["date"], out["period"] = day.isoformat(), None
    if "victims" in raw:
        victims = raw["victims"]
        if not isinstance(victims, str) or not victims.strip() or len(victims) > 60:
            raise ReviewError("victims: expected a short word such as civilians, children, fighters")
        out["victims"] = victims.strip().lower()
    return out


def _count(value: Any) -> dict[str, int]:
    if isinstance(value, dict):
        parts = {k: value.get(k) for k in ("low", "best", "high")}
        if parts["best"] is None:
            raise ReviewError("count: needs at least best")
        parts["low"] = parts["best"] if parts["low"] is None else parts["low"]
        parts["high"] = parts["best"] if parts["high"] is None else parts["high"]
    else:
        parts = {"low": value, "best": value, "high": value}
    for key, number in parts.items():
        if isinstance(number, str) and number.strip().isascii() and number.strip().isdigit() \
                and len(number.strip()) <= 19:  # longer is past the bound; Python refuses over 4,300 digits
            number = int(number.strip())
        if isinstance(number, float) and number.is_integer():
            number = int(number)
        if isinstance(number, bool) or not isinstance(number, int) or not 0 <= number <= MAX_COUNT:
            raise ReviewError(f"count: {key} must be a whole number from 0 to {MAX_COUNT:,}")
        parts[key] = number
    if not parts["low"] <= parts["best"] <= parts["high"]:
        raise ReviewError("count: expected low <= best <= high")
    return parts


def _place(value: Any, find_place: Callable[[str], dict[str, Any] | None] | None) -> dict[str, Any]:
    if isinstance(value, str):
        name = value.strip()
        if not name or len(name) > 200:
            raise ReviewError("place: expected a place name")
        found = find_place(name) if find_place else None
        if found is None:
            raise ReviewError(f"place: {name[:80]!r} is not in the gazetteer; give {{\"name\", \"lat\", \"lon\"}}")
        return found
    if isinstance(value, dict) and isinstance(value.get("name"), str) and value["name"].strip():
        place = {"name": value["name"].strip()[:200], "geonameid": None, "admin1": None, "country": None,
                 "lat": None, "lon": None, "precision": None}
        for key in ("geonameid", "admin1", "country", "lat", "lon", "precision"):
            if value.get(key) is not None:
                place[key] = value[key]
        lat, lon = place["lat"], place["lon"]
        if (lat is None) != (lon is None) or (lat is not None and not (
                isinstance(lat, (int, float)) and isinstance(lon, (int, float)) and -90 <= lat <= 90
                and -180 <= lon <= 180)):
            raise ReviewError("place: lat and lon must be given together, within -90..90 and -180..180")
        return place
    raise ReviewError("place: expected a name or {\"name\", \"lat\", \"lon\"}")


def apply_review(record: dict[str, Any], action: str, changes: dict[str, Any], *, user: str,
                 at: dt.datetime, reason: str) -> tuple[dict[str, Any], str, dict[str, Any]]:
    """The record after one review, its review state, and the values the changes replaced.

    The record's `review.original` keeps the machine's value of every field ever corrected, so the
    evidence of what the extractor said is never lost; a confirmation after a correction stays
    "corrected" (the analyst confirmed the corrected fact)."""
    if action not in ACTIONS:
        raise ReviewError(f"action must be one of {', '.join(ACTIONS)}")
    new = copy.deepcopy(record)
    prior = new.pop("review", None) or {}
    machine = dict(prior.get("original") or {})
    replaced = {}
    for field, value in changes.items():
        replaced[field] = record.get(field)
        machine.setdefault(field, record.get(field))
        if value is None:
            new.pop(field, None)
        else:
            new[field] = value
    state = ACTIONS[action]
    if action == "confirm" and prior.get("state") == "corrected":
        state = "corrected"
    new["review"] = {"state": state, "by": user, "at": at.isoformat(timespec="seconds"), "reason": reason,
                     "original": machine}
    return new, state, replaced


def review_fact(session: Session, fact: FactRow, action: str, changes: dict[str, Any], *, user: str,
                reason: str, now: dt.datetime | None = None) -> ReviewRow:
    """Record one review of a stored fact and update the fact (in the caller's transaction)."""
    reason = (reason or "").strip()
    if not reason:
        raise ReviewError("a reason is needed for every review")
    if len(reason) > MAX_REASON:
        raise ReviewError(f"the reason is longer than {MAX_REASON} characters")
    if action != "correct" and changes:
        raise ReviewError(f"only a correction carries changes, not {action}")
    now = now or dt.datetime.now(dt.timezone.utc)
    record, state, replaced = apply_review(fact.record, action, changes, user=user, at=now, reason=reason)
    article_key, published = session.execute(select(ArticleRow.article_key, ArticleRow.published)
                                             .where(ArticleRow.id == fact.article_id)).one()
    evidence = record.get("evidence") if isinstance(record.get("evidence"), dict) else {}
    review = ReviewRow(fact_key=fact.fact_key or f"fact-{fact.id}", article_key=article_key or "", action=action,
                       changes=changes, original=replaced, reason=reason, user_name=user, created_at=now,
                       evidence_text=evidence.get("text"))
    session.add(review)
    bump_facts_version(session)
    _write(session, fact.id, record, state, fact.extractor_version, published)
    session.flush()
    return review


def reapply_reviews(session: Session, article_ids: list[int]) -> int:
    """Apply stored reviews to the freshly extracted facts of these articles; returns how many facts."""
    if not article_ids:
        return 0
    keys = session.execute(select(ArticleRow.id, ArticleRow.article_key).where(ArticleRow.id.in_(article_ids)))
    by_key = dict((key, id_) for id_, key in keys)
    reviews = session.scalars(select(ReviewRow).where(ReviewRow.article_key.in_(list(by_key)))
                              .order_by(ReviewRow.id)).all()
    if not reviews:
        return 0
    trail: dict[str, list[ReviewRow]] = {}
    for review in reviews:
        trail.setdefault(review.fact_key, []).append(review)
    facts = session.execute(select(FactRow.id, FactRow.record, FactRow.extractor_version, FactRow.fact_key,
                                   ArticleRow.published).join(ArticleRow, ArticleRow.id == FactRow.article_id)
                            .where(FactRow.article_id.in_(article_ids), FactRow.fact_key.in_(list(trail)))).all()
    for fact_id, record, version, key, published in facts:
        state = "unreviewed"
        for review in trail[key]:
            record, state, _ = apply_review(record, review.action, review.changes or {}, user=review.user_name,
                                            at=review.created_at, reason=review.reason)
        _write(session, fact_id, record, state, version, published)
    return len(facts)


def bump_facts_version(session: Session) -> None:
    """Mark the facts as changed (in the caller's transaction): see `StateRow`."""
    session.execute(update(StateRow).where(StateRow.name == "facts").values(value=StateRow.value + 1),
                    execution_options={"synchronize_session": False})


def facts_version(session: Session) -> int:
    return session.scalar(select(StateRow.value).where(StateRow.name == "facts")) or 0


def _write(session: Session, fact_id: int, record: dict[str, Any], state: str, version: str | None,
           published: Any) -> None:
    """The fact's record and the columns copied from it, so that filters and sums see the correction."""
    values = fact_row(record, version or "")
    values = {k: values[k] for k in FACT_COLUMNS if k not in ("type", "extractor_version", "rule")}
    derived = dict(zip(DERIVED_COLUMNS, fact_derived(record, published)))
    derived["day"], derived["day_start"] = iso_date(derived["day"]), iso_date(derived["day_start"])
    values.update(derived, review_state=state)
    session.execute(update(FactRow).where(FactRow.id == fact_id).values(**values),
                    execution_options={"synchronize_session": False})
