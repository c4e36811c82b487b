"""What the routers share: the request's dependencies (the app's state, a database session, who is asking and
whether they may read or change) and the JSON response class.

The routers import this module and the app factory imports the routers, so nothing imports the factory.
"""
from __future__ import annotations

import hmac
from collections.abc import Iterator
from typing import Any

import orjson
from fastapi import Depends, HTTPException, Request
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from . import accounts
from .state import AppState

SESSION_COOKIE = "wm_session"
CSRF_HEADER = "X-CSRF-Token"


class FastJSON(JSONResponse):
    """JSON by orjson, for answers that are plain dicts and lists already: FastAPI's generic encoder
    walked every field of every record (9 ms for a page of 50 facts), orjson takes 0.1 ms."""

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content, option=orjson.OPT_NON_STR_KEYS)


def state(request: Request) -> AppState:
    return request.app.state.wm


def db_session(request: Request) -> Iterator[Session]:
    """One session per request, committed when the endpoint returns normally."""
    with Session(state(request).store.engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except Exception:
            session.rollback()
            raise


def principal(request: Request, session: Session = Depends(db_session)) -> accounts.Principal | None:
    """Who sent the request: an `Authorization: Bearer` API token, else the session cookie, else nobody."""
    header = request.headers.get("authorization", "")
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip() or len(token) > 200:
            raise HTTPException(401, "Authorization: expected 'Bearer <API token>'")
        found = accounts.by_token(session, token.strip())
        if found is None:
            raise HTTPException(401, "unknown or revoked API token")
        return found
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie and len(cookie) <= 200:
        return accounts.by_session(session, cookie)
    return None


def reader(request: Request, who: accounts.Principal | None = Depends(principal)) -> accounts.Principal | None:
    """Reading is open when the app is public; otherwise it needs a login or a token."""
    if who is None and not state(request).settings.public_read:
        raise HTTPException(401, "log in (or send an API token) to read this record")
    return who


def changer(request: Request, who: accounts.Principal | None = Depends(principal)) -> accounts.Principal:
    """A change by anyone logged in (logging out): for a browser session, the session's CSRF token in the
    header too, which a page of another site can neither read nor send."""
    if who is None:
        raise HTTPException(401, "log in first")
    if who.via == "session":
        sent = request.headers.get(CSRF_HEADER, "")
        if not who.csrf_token or not sent or not _same(sent, who.csrf_token):
            raise HTTPException(403, f"missing or wrong {CSRF_HEADER} header (reload the page and try again)")
    return who


def reviewer(request: Request, who: accounts.Principal | None = Depends(principal)) -> accounts.Principal:
    """A change to the record: an analyst or admin (a viewer may only read), with the CSRF check of
    `changer`. Every state-changing route but login and logout depends on it (tests/test_accounts_hardening.py
    enumerates the app's routes to hold that)."""
    if who is None:
        raise HTTPException(401, "log in as an analyst to change facts")
    if not who.can_review:
        raise HTTPException(403, f"user {who.name} is a {who.role} and may not review facts")
    return changer(request, who)


def _same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode("utf-8", "replace"), b.encode("utf-8", "replace"))
