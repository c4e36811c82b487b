"""Login, logout and "who am I" for the dashboard (`accounts` keeps the users, sessions and tokens).

The session cookie is HttpOnly and SameSite=Lax; every change made with it also needs the session's CSRF
token in a header, which a page of another site can neither read nor send (see `dependencies.changer`).
Logging in takes a JSON body, which a form of another site cannot send.

A login is refused before its password is looked at when the name or the address has failed too often
(429, `login_limits`), and its password is hashed in a worker thread only when one of the app's few
hashing slots is free (503 after a wait): argon2 takes 64 MiB and tens of milliseconds, on purpose.
"""
from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from . import accounts, login_limits
from .dependencies import SESSION_COOKIE, changer, db_session, principal, state

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


@router.post("/login", response_model=Me, summary="Log in: sets the session cookie",
             responses={401: {"description": "wrong user name or password"},
                        429: {"description": "too many failed logins (Retry-After says when to try again)"},
                        503: {"description": "too many logins at once (Retry-After)"}})
async def login(body: Login, request: Request, response: Response) -> Me:
    app_state = state(request)
    address = request.client.host if request.client else "unknown"
    engine, limits = app_state.store.engine, app_state.login_limits
    await run_in_threadpool(_refuse_when_limited, engine, body.username, address, limits)  # no slot for those
    try:
        async with app_state.password_gate.slot():
            user_name, role, token, csrf = await run_in_threadpool(_try_password, engine, body, address, limits)
    except login_limits.PasswordsBusy:
        raise HTTPException(503, "too many logins at once; try again in a few seconds",
                            headers={"Retry-After": "5"}) from None
    response.set_cookie(SESSION_COOKIE, token, max_age=accounts.SESSION_DAYS * 86400, httponly=True,
                        samesite="lax", secure=app_state.settings.secure_cookies, path="/")
    return _me(request, accounts.Principal(user_name, role, "session", csrf))


def _refuse_when_limited(engine: Engine, name: str, address: str, limits: login_limits.LoginLimits) -> None:
    with Session(engine) as session:
        try:
            login_limits.check_limits(session, name, address, limits)
        except login_limits.TooManyFailures as exc:
            minutes = max(1, round(exc.retry_after / 60))
            whom = "from this address" if exc.by_address else "for this user name"
            raise HTTPException(429, f"too many failed logins {whom}; try again in {minutes} minute(s) or ask "
                                     "an administrator", headers={"Retry-After": str(exc.retry_after)}) from None


def _try_password(engine: Engine, body: Login, address: str,
                  limits: login_limits.LoginLimits) -> tuple[str, str, str, str]:
    """Check the password (in a worker thread, holding a hashing slot); count a failure, or clear the
    name's failures and open a session. Its own transaction: a failure is kept although the answer is 401.
    The limits are checked again here, so that logins queued for a slot cannot pass them together."""
    _refuse_when_limited(engine, body.username, address, limits)
    with Session(engine, expire_on_commit=False) as session, session.begin():
        user = accounts.check_password(session, body.username, body.password)
        if user is not None:
            login_limits.clear_account(session, user.name)
            token, csrf = accounts.open_session(session, user)
            return user.name, user.role, token, csrf
        login_limits.record_failure(session, body.username, address, limits)
    raise HTTPException(401, "wrong user name or password")


@router.post("/logout", response_model=Me, summary="Log out (needs the CSRF header)")
def logout(request: Request, response: Response, session: Session = Depends(db_session),
           who: accounts.Principal = Depends(changer)) -> Me:
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        accounts.close_session(session, cookie)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return _me(request, None)
