"""Analyst review over HTTP: confirm, reject or correct a fact; read the audit trail (`store.review` does the work)."""
from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query
from pydantic import BaseModel, Field
from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from ..store.review import ReviewError, normalise_changes, review_fact
from ..store.schema import ArticleRow, FactRow, ReviewRow
from . import accounts
from .api_facts import MAX_PAGE, MAX_PER_PAGE, fact_out, fact_select, review_out
from .app import db_session, reader, reviewer, state

router = APIRouter(prefix="/api", tags=["review"])


class ReviewIn(BaseModel):
    action: Literal["confirm", "reject", "correct"]
    changes: dict[str, Any] = Field(default_factory=dict)
    reason: str = Field(min_length=1, max_length=2000)


@router.post("/facts/{fact_id}/review", summary="Confirm, reject or correct a fact (analyst role)")
def review(fact_id: int, body: ReviewIn, session: Session = Depends(db_session),
           who: accounts.Principal = Depends(reviewer), app_state=Depends(state)) -> dict[str, Any]:
    fact = session.get(FactRow, fact_id) if 1 <= fact_id <= 2**62 else None
    if fact is None or fact.type == "summary":
        raise HTTPException(404, f"no fact {fact_id}")
    try:
        changes = (normalise_changes(fact.type, body.changes, app_state.find_place)
                   if body.action == "correct" else {})
        if body.action != "correct" and body.changes:
            raise ReviewError(f"only a correction carries changes, not {body.action}")
        review_fact(session, fact, body.action, changes, user=who.name, reason=body.reason)
    except ReviewError as exc:
        raise HTTPException(422, str(exc)) from None
    session.flush()
    row = session.execute(fact_select().where(FactRow.id == fact_id)).one()
    return fact_out(row)


@router.get("/reviews", summary="The audit trail: every review, newest first", dependencies=[Depends(reader)])
def reviews(fact_id: int | None = Query(None, ge=1, le=2**62), user: str | None = Query(None, max_length=64),
            page: int = Query(1, ge=1, le=MAX_PAGE), per_page: int = Query(50, ge=1, le=MAX_PER_PAGE),
            session: Session = Depends(db_session)) -> dict[str, Any]:
    where = []
    if fact_id is not None:
        found = session.execute(select(FactRow.fact_key, ArticleRow.article_key)
                                .join(ArticleRow, FactRow.article_id == ArticleRow.id)
                                .where(FactRow.id == fact_id)).first()
        if found is None:
            return {"total": 0, "page": page, "per_page": per_page, "reviews": []}
        where += [ReviewRow.fact_key == found.fact_key, ReviewRow.article_key == found.article_key]
    if user:
        where.append(ReviewRow.user_name == user)
    total = session.scalar(select(func.count()).select_from(ReviewRow).where(*where)) or 0
    # The fact each review is on now (current article, same key), if it still exists.
    current = (select(FactRow.id, FactRow.article_id, FactRow.fact_key, ArticleRow.article_key)
               .join(ArticleRow, and_(FactRow.article_id == ArticleRow.id, ArticleRow.is_current)).subquery())
    rows = session.execute(select(ReviewRow, current.c.id, current.c.article_id)
                           .outerjoin(current, and_(current.c.fact_key == ReviewRow.fact_key,
                                                    current.c.article_key == ReviewRow.article_key))
                           .where(*where).order_by(ReviewRow.id.desc())
                           .offset((page - 1) * per_page).limit(per_page)).all()
    return {"total": total, "page": page, "per_page": per_page,
            "reviews": [review_out(r, fid, aid) for r, fid, aid in rows]}
