"""Incidents over HTTP: the list, one incident with every source side by side, exports, analysts' merge and
split, and the close calls linking refused.

Why its own router: an incident is one event however many articles report it, and analysts judge it by
comparing its sources, so the detail answer gathers, per article, its outlet, date, linked facts with their
figures and evidence, and why linking joined it (score and reasons), next to the contradictions and the
toll's history. Merges and splits are recorded by the store (`IncidentStore.decide_incidents`, replayed on
every `link --rebuild` and `reprocess`) and linked again at once, so the analyst sees the result.
"""
from __future__ import annotations

import io
from types import MappingProxyType
from typing import Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..export.incidents import INCIDENT_FORMATS, write_incidents
from ..store.errors import StoreError
from ..store.incident_filters import STATUSES, incident_conditions, visible
from ..store.incident_query import incident_page
from ..store.incidents import NeedsConfirmation
from ..store.schema import (ArticleRow, FactRow, IncidentArticleRow, IncidentDecisionRow, IncidentFactRow,
                            IncidentRow, LinkRefusalRow)
from ..usecases.link import link_incidents
from . import accounts
from .api_facts import MAX_PAGE, MAX_PER_PAGE, fact_out, fact_select
from .dependencies import FastJSON, db_session, reader, reviewer, state
from .filters import Filters, filters
from .state import AppState

router = APIRouter(prefix="/api", tags=["incidents"])

Sort = Literal["date", "-date", "killed", "-killed", "sources", "-sources", "id", "-id"]
Status = Literal["single-source", "corroborated", "contested"]
Format = Literal["jsonl", "csv", "acled", "ged", "hxl", "geojson"]
OUTCOMES = ("killed", "injured", "detained", "displaced")
MAX_ARTICLES = 200  # articles one decision may name
CONTENT_TYPES = MappingProxyType({"jsonl": "application/x-ndjson", "geojson": "application/geo+json"})  # else CSV
SUFFIXES = MappingProxyType({"jsonl": "jsonl", "geojson": "geojson", "csv": "csv", "acled": "acled.csv",
                             "ged": "ged.csv", "hxl": "hxl.csv"})


def _conditions(f: Filters, status: list[str] | None) -> list:
    try:
        return incident_conditions(f.arguments(), status=status)
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from None


@router.get("/incidents", response_class=FastJSON, dependencies=[Depends(reader)],
            summary="Incidents (one record per event across its reports) that pass the filters, sorted and paged")
def list_incidents(f: Filters = Depends(filters), status: list[Status] | None = Query(None),
                   sort: Sort = "-date", page: int = Query(1, ge=1, le=MAX_PAGE),
                   per_page: int = Query(50, ge=1, le=MAX_PER_PAGE),
                   session: Session = Depends(db_session)) -> FastJSON:
    total, records = incident_page(session, _conditions(f, status), sort, (page - 1) * per_page, per_page)
    return FastJSON({"total": total, "page": page, "per_page": per_page, "incidents": records})


@router.get("/incidents/export", dependencies=[Depends(reader)],
            summary="The filtered incidents as JSON Lines, CSV, ACLED's or UCDP GED's layout, HXL or GeoJSON")
def export_incidents(format: Format = "jsonl", f: Filters = Depends(filters),
                     status: list[Status] | None = Query(None), session: Session = Depends(db_session)) -> Response:
    where = _conditions(f, status)
    records = session.scalars(select(IncidentRow.record).where(*where)
                              .order_by(IncidentRow.day.desc().nulls_last(), IncidentRow.id))
    out = io.BytesIO()
    write_incidents(records, format, out)
    media = CONTENT_TYPES.get(format, "text/csv") + "; charset=utf-8"
    name = f"warmonitor-incidents.{SUFFIXES[format]}"
    return Response(out.getvalue(), media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/incidents/{incident_id}", response_class=FastJSON, dependencies=[Depends(reader)],
            summary="One incident with every source side by side, its contradictions and the toll's history")
def get_incident(incident_id: str, session: Session = Depends(db_session)) -> FastJSON:
    record = session.scalar(select(IncidentRow.record).where(IncidentRow.id == incident_id[:100], visible()))
    if not isinstance(record, dict):
        raise HTTPException(404, f"no incident {incident_id[:100]!r}: it may have been merged, split or "
                                 "re-linked; look it up again in /api/incidents")
    rows = session.execute(fact_select(ArticleRow.article_key, IncidentFactRow.score, IncidentFactRow.reasons,
                                       IncidentFactRow.opened)
                           .join(IncidentFactRow, IncidentFactRow.fact_id == FactRow.id)
                           .where(IncidentFactRow.incident_id == incident_id).order_by(FactRow.id)).all()
    sources = side_by_side(record, rows)
    keys = [s["key"] for s in sources]
    return FastJSON({"incident": record, "sources": sources,
                     "contradictions": record.get("contradictions") or [],
                     "toll_history": toll_history(record, sources),
                     "decisions": decisions_about(session, keys),
                     "refusals": refusals_of(session, incident_id)})


def side_by_side(record: dict[str, Any], rows: list) -> list[dict[str, Any]]:
    """One entry per article of the incident, the main one first, then by publication day: its metadata,
    its linked facts (FACTs of the facts API, each with `link`: score and reasons), its figures per
    outcome and the contradicted fields it takes part in."""
    main = (record.get("articles") or [None])[0]
    disputed: dict[str, set[str]] = {}
    for item in record.get("contradictions") or []:
        for value in item.get("values") or []:
            for article in value.get("articles") or []:
                disputed.setdefault(article, set()).add(str(item.get("field")))
    history = record.get("toll_history") if isinstance(record.get("toll_history"), dict) else {}
    by_key: dict[str, dict[str, Any]] = {}
    for row in rows:
        fact = fact_out(row)
        fact["link"] = {"score": row.score, "reasons": row.reasons or {}, "opened": bool(row.opened)}
        source = by_key.setdefault(row.article_key, {
            "key": row.article_key, "article_id": row.article_id, "title": row.title, "outlet": row.outlet,
            "published": row.published.isoformat() if row.published else None, "url": row.canonical_url,
            "main": row.article_key == main, "score": row.score, "reasons": row.reasons or {},
            "disputed": sorted(disputed.get(row.article_key, ())), "figures": {}, "facts": []})
        source["facts"].append(fact)
        if (row.score or 0) > (source["score"] or 0):
            source["score"], source["reasons"] = row.score, row.reasons or {}
    for key, source in by_key.items():
        for outcome in OUTCOMES:
            told = [e for e in history.get(outcome) or [] if e.get("article") == key]
            if told:  # the figure linking counted, and whether a later report superseded it
                source["figures"][outcome] = {"value": told[-1].get("value"), "state": told[-1].get("state")}
            else:
                value = _fact_figure(source["facts"], outcome)
                if value is not None:
                    source["figures"][outcome] = {"value": value, "state": None}
    return sorted(by_key.values(), key=lambda s: (not s["main"], s["published"] or "9999", s["key"]))


def _fact_figure(facts: list[dict[str, Any]], outcome: str) -> int | None:
    """The largest figure an article's facts give for `outcome` (a figure repeated in one article counts once)."""
    values = [(f["count"] or {}).get("best") for f in facts
              if (f["type"] == "displacement" if outcome == "displaced"
                  else f["type"] == "casualty" and f["outcome"] == outcome)]
    values = [v for v in values if isinstance(v, int) and not isinstance(v, bool)]
    return max(values) if values else None


def toll_history(record: dict[str, Any], sources: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Per outcome, each article's figure by publication day (oldest first): {published, article, outlet,
    value, state}; `state` is linking's (counted, superseded, retracted) when it kept a history."""
    outlets = {s["key"]: s["outlet"] for s in sources}
    out = {}
    for outcome in OUTCOMES:
        points = [{"published": s["published"], "article": s["key"], "outlet": s["outlet"],
                   "value": s["figures"][outcome]["value"], "state": s["figures"][outcome]["state"]}
                  for s in sources if outcome in s["figures"]]
        if not points:
            continue
        told = (record.get("toll_history") or {}).get(outcome) if isinstance(record.get("toll_history"), dict) else None
        if told:  # every report linking weighed, in its order, repeats within a day kept
            points = [{"published": e.get("published"), "article": e.get("article"),
                       "outlet": outlets.get(e.get("article")), "value": e.get("value"), "state": e.get("state")}
                      for e in told]
        out[outcome] = sorted(points, key=lambda p: (p["published"] or "9999", str(p["article"])))
    return out


def decisions_about(session: Session, keys: list[str]) -> list[dict[str, Any]]:
    """The analysts' merges and splits naming one of these articles, oldest first (the audit trail)."""
    wanted = set(keys)
    found = []
    for row in session.scalars(select(IncidentDecisionRow).order_by(IncidentDecisionRow.id)):
        if wanted & set(row.articles or ()):
            found.append(decision_out(row))
    return found


def decision_out(row: IncidentDecisionRow) -> dict[str, Any]:
    return {"id": row.id, "action": row.action, "articles": list(row.articles or ()), "reason": row.reason,
            "user": row.user_name, "at": row.at.isoformat(timespec="seconds") if row.at else None}


def refusals_of(session: Session, incident_id: str) -> list[dict[str, Any]]:
    rows = session.execute(select(ArticleRow.article_key, ArticleRow.id, LinkRefusalRow.score, LinkRefusalRow.reasons)
                           .join(ArticleRow, ArticleRow.id == LinkRefusalRow.article_id)
                           .where(LinkRefusalRow.incident_id == incident_id)
                           .order_by(LinkRefusalRow.score.desc().nulls_last(), ArticleRow.article_key))
    return [{"article": key, "article_id": row_id, "score": score, "reasons": reasons or {}}
            for key, row_id, score, reasons in rows]


@router.get("/link/refusals", response_class=FastJSON, dependencies=[Depends(reader)],
            summary="The close calls linking did not make, closest first")
def link_refusals(page: int = Query(1, ge=1, le=MAX_PAGE), per_page: int = Query(50, ge=1, le=MAX_PER_PAGE),
                  session: Session = Depends(db_session)) -> FastJSON:
    total = session.scalar(select(func.count()).select_from(LinkRefusalRow)) or 0
    rows = session.execute(select(LinkRefusalRow.incident_id, ArticleRow.article_key, ArticleRow.id,
                                  LinkRefusalRow.score, LinkRefusalRow.reasons)
                           .join(ArticleRow, ArticleRow.id == LinkRefusalRow.article_id)
                           .order_by(LinkRefusalRow.score.desc().nulls_last(), LinkRefusalRow.incident_id,
                                     ArticleRow.article_key)
                           .offset((page - 1) * per_page).limit(per_page))
    return FastJSON({"total": total, "page": page, "per_page": per_page, "refusals": [
        {"incident": i, "article": key, "article_id": row_id, "score": score, "reasons": reasons or {}}
        for i, key, row_id, score, reasons in rows]})


# -- analysts' decisions -------------------------------------------------------------------------------

class DecisionIn(BaseModel):
    """`articles`: article keys (as incident records list them); for a merge, `incidents` may name whole
    incidents instead (their articles are taken). For a split with `incident`, `articles` are the sources
    to take out of that incident: each is kept apart from each of its other sources (the rest stay
    together). `confirm`: record a merge across countries."""

    articles: list[str] = Field(default_factory=list, max_length=MAX_ARTICLES)
    incidents: list[str] = Field(default_factory=list, max_length=MAX_ARTICLES)
    incident: str | None = Field(None, max_length=100)
    reason: str = Field(min_length=1, max_length=2000)
    confirm: bool = False


def _record_of(session: Session, incident_id: str) -> dict[str, Any]:
    record = session.scalar(select(IncidentRow.record).where(IncidentRow.id == incident_id, visible()))
    if not isinstance(record, dict):
        raise HTTPException(404, f"no incident {incident_id!r}: reload the incident list, it may have been re-linked")
    return record


def _decide(app_state: AppState, action: str, groups: list[list[str]], reason: str, who: accounts.Principal,
            confirm: bool) -> list[int]:
    try:
        return [app_state.store.decide_incidents(action, articles, reason, by=who.name, confirmed=confirm)
                for articles in groups]
    except NeedsConfirmation as exc:
        raise HTTPException(409, f"{exc}; send \"confirm\": true if these reports are one event") from None
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from None


def _relinked(app_state: AppState, session: Session, keys: list[str], decided: list[int]) -> FastJSON:
    """Link again at once (the decision dropped the incidents of its articles), then answer the decisions
    and the incidents their articles are in now."""
    linked, problem = True, None
    try:
        link_incidents(app_state.store)
    except StoreError as exc:  # recorded all the same: the next `warmonitor link` builds the incidents
        linked, problem = False, f"{exc} (the decision is recorded; run `warmonitor link` to apply it)"
    session.expire_all()
    ids = select(IncidentArticleRow.incident_id).join(ArticleRow, ArticleRow.id == IncidentArticleRow.article_id).where(
        ArticleRow.article_key.in_(keys), ArticleRow.is_current)
    records = list(session.scalars(select(IncidentRow.record).where(IncidentRow.id.in_(ids), visible())
                                   .order_by(IncidentRow.id)))
    rows = session.scalars(select(IncidentDecisionRow).where(IncidentDecisionRow.id.in_(decided))
                           .order_by(IncidentDecisionRow.id))
    return FastJSON({"decisions": [decision_out(r) for r in rows], "linked": linked, "problem": problem,
                     "incidents": records})


@router.post("/incidents/merge", response_class=FastJSON,
             summary="Record that these articles (or incidents) report one event (analyst role); a reason is required")
def merge(body: DecisionIn, session: Session = Depends(db_session), who: accounts.Principal = Depends(reviewer),
          app_state: AppState = Depends(state)) -> FastJSON:
    keys = list(body.articles)
    for incident_id in body.incidents:
        keys += [str(a) for a in _record_of(session, incident_id).get("articles") or ()]
    keys = list(dict.fromkeys(k.strip() for k in keys if k.strip()))
    session.commit()  # end the request's read before the store writes in a transaction of its own
    decided = _decide(app_state, "merge", [keys], body.reason, who, body.confirm)
    return _relinked(app_state, session, keys, decided)


@router.post("/incidents/split", response_class=FastJSON,
             summary="Record that these articles never report one event, or take them out of an incident (analyst role)")
def split(body: DecisionIn, session: Session = Depends(db_session), who: accounts.Principal = Depends(reviewer),
          app_state: AppState = Depends(state)) -> FastJSON:
    keys = list(dict.fromkeys(k.strip() for k in body.articles if k.strip()))
    if body.incident is None:
        groups = [keys]
    else:
        members = [str(a) for a in _record_of(session, body.incident).get("articles") or ()]
        outside = [k for k in keys if k not in members]
        if outside:
            raise HTTPException(422, f"article {outside[0]!r} is not a source of incident {body.incident!r}")
        rest = [m for m in members if m not in keys]
        if not keys or not rest:
            raise HTTPException(422, "name the sources to take out of the incident, and leave at least one in it")
        groups = [[moved, kept] for moved in keys for kept in rest]
        keys = members
    session.commit()
    decided = _decide(app_state, "split", groups, body.reason, who, body.confirm)
    return _relinked(app_state, session, keys, decided)


__all__ = ["INCIDENT_FORMATS", "STATUSES", "router"]
