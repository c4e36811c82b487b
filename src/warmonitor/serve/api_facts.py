"""Facts and articles as JSON, and the filtered facts as CSV (optionally HXL-tagged) and GeoJSON downloads."""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import StreamingResponse
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from ..export.flat import spreadsheet_cell
from ..store.rows import record_place
from ..store.schema import ArticleRow, FactRow, ReviewRow
from .dependencies import FastJSON, db_session, reader, state
from .filters import MAX_TEXT, Filters, filters
from .state import AppState

router = APIRouter(prefix="/api", tags=["facts"], dependencies=[Depends(reader)])

Sort = Literal["date", "-date", "count", "-count", "confidence", "-confidence", "id", "-id"]
SOURCE_HEADER = "X-Facts-Source"  # "memory" (serve/snapshot.py) or "sql": which path found the page
MAX_PER_PAGE = 500
MAX_PAGE = 1_000_000
ARTICLE_COLUMNS = (ArticleRow.title, ArticleRow.outlet, ArticleRow.published, ArticleRow.canonical_url)


def fact_select(*columns) -> Select:
    return select(FactRow.id, FactRow.article_id, FactRow.record, FactRow.review_state, *ARTICLE_COLUMNS,
                  *columns).join(ArticleRow, FactRow.article_id == ArticleRow.id)


def fact_out(row) -> dict[str, Any]:
    """The API's FACT (docs/api.md) from a `fact_select` row."""
    record = row.record if isinstance(row.record, dict) else {}
    place = record_place(record)
    actors = record.get("perpetrators") if isinstance(record.get("perpetrators"), list) else []
    for key in ("actor", "speaker"):
        if isinstance(record.get(key), str):
            actors = [*actors, record[key]]
    return {
        "id": row.id, "article_id": row.article_id, "type": record.get("type"),
        "count": record.get("count") if isinstance(record.get("count"), dict) else None,
        "outcome": record.get("outcome"), "victims": record.get("victims"),
        "date": record.get("date"), "period": record.get("period") if isinstance(record.get("period"), dict) else None,
        "place": place, "actors": actors, "claimants": list(record.get("claimed_by") or []),
        "confidence": record.get("confidence"), "rule": record.get("rule"),
        "evidence": record.get("evidence") if isinstance(record.get("evidence"), dict) else None,
        "review_state": row.review_state or "unreviewed",
        "record": record,
        "article": {"id": row.article_id, "title": row.title, "outlet": row.outlet,
                    "published": row.published.isoformat() if row.published else None, "url": row.canonical_url},
    }


def review_out(review: ReviewRow, fact_id: int | None, article_id: int | None) -> dict[str, Any]:
    return {"id": review.id, "fact_id": fact_id, "fact_key": review.fact_key, "article_id": article_id,
            "action": review.action, "changes": review.changes, "original": review.original, "reason": review.reason,
            "user": review.user_name, "at": review.created_at.isoformat(timespec="seconds"),
            "evidence_text": review.evidence_text}


def _ordered(stmt: Select, sort: str) -> Select:
    column = {"date": FactRow.day, "count": FactRow.count_best, "confidence": FactRow.confidence,
              "id": FactRow.id}[sort.lstrip("-")]
    if sort.startswith("-"):
        return stmt.order_by(column.desc().nulls_last(), FactRow.id.desc())
    return stmt.order_by(column.asc().nulls_last(), FactRow.id)


@router.get("/facts", response_class=FastJSON, summary="Facts that pass the filters, sorted and paged")
def list_facts(request: Request, f: Filters = Depends(filters), sort: Sort = "-date",
               page: int = Query(1, ge=1, le=MAX_PAGE), per_page: int = Query(50, ge=1, le=MAX_PER_PAGE),
               session: Session = Depends(db_session), app_state: AppState = Depends(state)) -> FastJSON:
    snapshot = app_state.snapshot(session)
    if snapshot is not None:  # the page's ids and the total from the arrays, then only these records
        keep = snapshot.mask(**f.arguments())
        total = int(keep.sum())
        ids = snapshot.page(keep, sort, (page - 1) * per_page, per_page)
    else:
        where = f.conditions()
        # The total of a filter set, kept like aggregates: paging and re-sorting do not count again.
        key = ("facts-total", tuple(sorted((k, v) for k, v in request.query_params.multi_items()
                                           if k not in ("sort", "page", "per_page"))))
        total = app_state.cached(key, session, lambda: session.scalar(
            select(func.count()).select_from(FactRow).where(*where)) or 0)
        # The page's ids first (sorted on narrow index entries), then only their records and articles.
        ids = list(session.scalars(_ordered(select(FactRow.id).where(*where), sort)
                                   .offset((page - 1) * per_page).limit(per_page)))
    rows = {r.id: r for r in session.execute(fact_select().where(FactRow.id.in_(ids)))} if ids else {}
    return FastJSON({"total": total, "page": page, "per_page": per_page,
                     "facts": [fact_out(rows[i]) for i in ids if i in rows]},
                    headers={SOURCE_HEADER: "sql" if snapshot is None else "memory"})


@router.get("/facts/{fact_id}", response_class=FastJSON, summary="One fact with its audit trail")
def get_fact(fact_id: int, session: Session = Depends(db_session)) -> FastJSON:
    if not 1 <= fact_id <= 2**62:
        raise HTTPException(404, f"no fact {fact_id}")
    row = session.execute(fact_select(FactRow.fact_key, ArticleRow.article_key).where(FactRow.id == fact_id)).first()
    if row is None:
        raise HTTPException(404, f"no fact {fact_id}")
    out = fact_out(row)
    trail = session.scalars(select(ReviewRow).where(ReviewRow.fact_key == row.fact_key,
                                                    ReviewRow.article_key == row.article_key).order_by(ReviewRow.id))
    out["reviews"] = [review_out(r, fact_id, row.article_id) for r in trail]
    return FastJSON(out)


@router.get("/articles", response_class=FastJSON, summary="Stored articles (current versions), newest first")
def list_articles(q: str | None = Query(None, max_length=MAX_TEXT), page: int = Query(1, ge=1, le=MAX_PAGE),
                  per_page: int = Query(50, ge=1, le=MAX_PER_PAGE),
                  session: Session = Depends(db_session)) -> FastJSON:
    where = [ArticleRow.is_current]
    if q and q.strip():
        if any(ord(c) < 32 for c in q):
            raise HTTPException(422, "q: control characters are not allowed")
        where.append(func.lower(ArticleRow.title).contains(q.strip().lower(), autoescape=True))
    total = session.scalar(select(func.count()).select_from(ArticleRow).where(*where)) or 0
    facts = (select(func.count()).where(FactRow.article_id == ArticleRow.id, FactRow.type != "summary")
             .correlate(ArticleRow).scalar_subquery())
    rows = session.execute(select(ArticleRow.id, *ARTICLE_COLUMNS, facts.label("facts")).where(*where)
                           .order_by(ArticleRow.published.desc().nulls_last(), ArticleRow.id.desc())
                           .offset((page - 1) * per_page).limit(per_page))
    return FastJSON({"total": total, "page": page, "per_page": per_page, "articles": [
        {"id": r.id, "title": r.title, "outlet": r.outlet, "published": r.published.isoformat() if r.published else None,
         "url": r.canonical_url, "facts": r.facts} for r in rows]})


@router.get("/articles/{article_id}", response_class=FastJSON, summary="One article: its text, its facts (evidence offsets into the text)")
def get_article(article_id: int, session: Session = Depends(db_session)) -> FastJSON:
    article = session.get(ArticleRow, article_id) if 1 <= article_id <= 2**62 else None
    if article is None:
        raise HTTPException(404, f"no article {article_id}")
    rows = session.execute(fact_select().where(FactRow.article_id == article_id).order_by(FactRow.id)).all()
    facts = [fact_out(r) for r in rows]
    summary = next((f["record"] for f in facts if f["type"] == "summary"), None)
    return FastJSON({"id": article.id, "title": article.title, "outlet": article.outlet,
                     "published": article.published.isoformat() if article.published else None,
                     "url": article.canonical_url, "version": article.version, "is_current": article.is_current,
                     "text": article.text, "facts": [f for f in facts if f["type"] != "summary"], "summary": summary})


# -- exports ---------------------------------------------------------------------------------------

EXPORT_FIELDS = (
    ("id", "#x_fact_id"), ("type", "#x_fact_type"), ("date", "#date"), ("period_start", "#date+start"),
    ("period_end", "#date+end"), ("count_low", "#affected+min"), ("count_best", "#affected"),
    ("count_high", "#affected+max"), ("outcome", "#x_outcome"), ("victims", "#affected+type"),
    ("place", "#loc+name"), ("geonameid", "#loc+code"), ("admin1", "#adm1+name"), ("country", "#country+code"),
    ("lat", "#geo+lat"), ("lon", "#geo+lon"), ("actors", "#org+name"), ("claimants", "#meta+source"),
    ("confidence", "#meta+confidence"), ("review_state", "#status+review"), ("rule", "#meta+rule"),
    ("evidence", "#description"), ("article_id", "#x_article_id"), ("article_title", "#meta+title"),
    ("outlet", "#org+outlet"), ("published", "#date+reported"), ("url", "#meta+url"),
)


def export_row(fact: dict[str, Any]) -> dict[str, Any]:
    count = fact["count"] or {}
    period = fact["period"] or {}
    place = fact["place"] or {}
    return {"id": fact["id"], "type": fact["type"], "date": fact["date"], "period_start": period.get("start"),
            "period_end": period.get("end"), "count_low": count.get("low"), "count_best": count.get("best"),
            "count_high": count.get("high"), "outcome": fact["outcome"], "victims": fact["victims"],
            "place": place.get("name"), "geonameid": place.get("geonameid"), "admin1": place.get("admin1"),
            "country": place.get("country"), "lat": place.get("lat"), "lon": place.get("lon"),
            "actors": "; ".join(fact["actors"]), "claimants": "; ".join(fact["claimants"]),
            "confidence": fact["confidence"], "review_state": fact["review_state"], "rule": fact["rule"],
            "evidence": (fact["evidence"] or {}).get("text"), "article_id": fact["article_id"],
            "article_title": fact["article"]["title"], "outlet": fact["article"]["outlet"],
            "published": fact["article"]["published"], "url": fact["article"]["url"]}


def _export_rows(session: Session, f: Filters) -> Iterator[dict[str, Any]]:
    stmt = _ordered(fact_select().where(*f.conditions()), "-date").execution_options(yield_per=1000)
    for row in session.execute(stmt):
        yield fact_out(row)


@router.get("/export.csv", summary="The filtered facts as CSV (hxl=true adds HXL hashtags as a second row)")
def export_csv(f: Filters = Depends(filters), hxl: bool = False,
               session: Session = Depends(db_session)) -> StreamingResponse:
    names = [name for name, _ in EXPORT_FIELDS]
    facts = list(_export_rows(session, f))  # read inside the request's session, then stream

    def lines() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(names)
        if hxl:
            writer.writerow([tag for _, tag in EXPORT_FIELDS])
        for fact in facts:
            row = export_row(fact)
            writer.writerow([spreadsheet_cell(row[n]) for n in names])
            if buffer.tell() > 65536:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    name = "warmonitor-facts-hxl.csv" if hxl else "warmonitor-facts.csv"
    return StreamingResponse(lines(), media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/export.geojson", summary="The filtered facts as GeoJSON (facts without coordinates: null geometry)")
def export_geojson(f: Filters = Depends(filters), session: Session = Depends(db_session)) -> StreamingResponse:
    facts = list(_export_rows(session, f))

    def chunks() -> Iterator[str]:
        yield '{"type": "FeatureCollection", "features": ['
        for i, fact in enumerate(facts):
            row = export_row(fact)
            geometry = ({"type": "Point", "coordinates": [row["lon"], row["lat"]]}
                        if row["lat"] is not None and row["lon"] is not None else None)
            feature = {"type": "Feature", "id": fact["id"], "geometry": geometry, "properties": row}
            yield ("," if i else "") + json.dumps(feature, ensure_ascii=False)
        yield "]}"

    return StreamingResponse(chunks(), media_type="application/geo+json",
                             headers={"Content-Disposition": 'attachment; filename="warmonitor-facts.geojson"'})
