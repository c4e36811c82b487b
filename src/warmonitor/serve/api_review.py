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
from .dependencies import FastJSON, db_session, reader, reviewer, state

router = APIRouter(prefix="/api", tags=["review"])


class ReviewIn(BaseModel):
    action: Literal["confirm", "reject", "correct"]
    changes: dict[str, Any] = Field(default_factory=dict)
    reason: str = Field(min_length=1, max_length=2000)


@router.post("/facts/{fact_id}/review", response_class=FastJSON, summary="Confirm, reject or correct a fact (analyst role)")
def review(fact_id: int, body: ReviewIn, session: Session = Depends(db_session),
           who: accounts.Principal = Depends(reviewer), app_state=Depends(state)) -> FastJSON:
    fact = session.get(FactRow, fact_id) if 1 <= fact_id <= 2**62 else None
    if fact is None or fact.type == "summary":
        raise HTTPException(404, f"no fact {fact_id}")
    try:
        changes = (normalise_changes(fact.type, body.changes, app_state.find_place)
                   if body.action == "correct" else body.changes)  # review_fact refuses changes elsewhere
        review_fact(session, fact, body.action, changes, user=who.name, reason=body.reason)
    except ReviewError as exc:
        raise HTTPException(422, str(exc)) from None
    session.flush()
    row = session.execute(fact_select().where(FactRow.id == fact_id)).one()
    return FastJSON(fact_out(row))


@router.get("/reviews", response_class=FastJSON, summary="The audit trail: every review, newest first", dependencies=[Depends(reader)])
def reviews(fact_id: int | None = Query(None, ge=1, le=2**62), user: str | None = Query(None, max_length=64),
            page: int = Query(1, ge=1, le=MAX_PAGE), per_page: int = Query(50, ge=1, le=MAX_PER_PAGE),
            session: Session = Depends(db_session)) -> FastJSON:
    where = []
    if fact_id is not None:
        found = session.execute(select(FactRow.fact_key, ArticleRow.article_key)
                                .join(ArticleRow, FactRow.article_id == ArticleRow.id)
                                .where(FactRow.id == fact_id)).first()
        if found is None:
            return FastJSON({"total": 0, "page": page, "per_page": per_page, "reviews": []})
        where += [ReviewRow.fact_key == found.fact_key, ReviewRow.article_key == found.article_key]
    if user:
        where.append(ReviewRow.user_name == user)
    total = session.scalar(select(func.count()).select_from(ReviewRow).where(*where)) or 0
    found = session.scalars(select(ReviewRow).where(*where).order_by(ReviewRow.id.desc())
                            .offset((page - 1) * per_page).limit(per_page)).all()
    # The fact each review is on now (current version of its article, same key), if it still exists:
    # through the articles' keys, so that facts need no index on their key.
    now = {}
    if found:
        now = {(k, fk): (fid, aid) for fid, aid, fk, k in session.execute(
            select(FactRow.id, FactRow.article_id, FactRow.fact_key, ArticleRow.article_key)
            .join(ArticleRow, and_(FactRow.article_id == ArticleRow.id, ArticleRow.is_current))
            .where(ArticleRow.article_key.in_({r.article_key for r in found}),
                   FactRow.fact_key.in_({r.fact_key for r in found})))}
    reviews = [review_out(r, *now.get((r.article_key, r.fact_key), (None, None))) for r in found]
    return FastJSON({"total": total, "page": page, "per_page": per_page, "reviews": reviews})
