"""Login, logout and "who am I" for the dashboard (`accounts` keeps the users, sessions and tokens).

The session cookie is HttpOnly and SameSite=Lax; every change made with it also needs the session's CSRF
token in a header, which a page of another site can neither read nor send (see `dependencies.reviewer`).
"""
from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from . import accounts
from .dependencies import SESSION_COOKIE, db_session, principal, reviewer, state

router = APIRouter(prefix="/api", tags=["access"])


class Login(BaseModel):
    username: str = Field(max_length=64)
    password: str = Field(max_length=1024)


class Me(BaseModel):
    user: str | None
    role: str | None
    csrf_token: str | None
    public_read: bool


def _me(request: Request, who: accounts.Principal | None, csrf: str | None = None) -> Me:
    return Me(user=who.name if who else None, role=who.role if who else None,
              csrf_token=csrf or (who.csrf_token if who else None), public_read=state(request).settings.public_read)


@router.get("/me", response_model=Me, summary="Who is logged in, and the CSRF token for changes")
def me(request: Request, who: accounts.Principal | None = Depends(principal)) -> Me:
    return _me(request, who)


@router.post("/login", response_model=Me, summary="Log in: sets the session cookie")
def login(body: Login, request: Request, response: Response, session: Session = Depends(db_session)) -> Me:
    user = accounts.check_password(session, body.username, body.password)
    if user is None:
        raise HTTPException(401, "wrong user name or password")
    token, csrf = accounts.open_session(session, user)
    response.set_cookie(SESSION_COOKIE, token, max_age=accounts.SESSION_DAYS * 86400, httponly=True,
                        samesite="lax", secure=state(request).settings.secure_cookies, path="/")
    return _me(request, accounts.Principal(user.name, user.role, "session", csrf))


@router.post("/logout", response_model=Me, summary="Log out (needs the CSRF header)")
def logout(request: Request, response: Response, session: Session = Depends(db_session),
           who: accounts.Principal = Depends(reviewer)) -> Me:
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        accounts.close_session(session, cookie)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return _me(request, None)
