"""`create_app`: the FastAPI application behind `warmonitor serve` — the JSON API, the pages, the static assets.

Everything the app needs lives on `app.state` (the store, settings, a lazily loaded gazetteer), none at
module level, so several apps (tests, workers) can run side by side. Endpoints are plain functions run
in FastAPI's thread pool with one database session per request.
"""
from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy.orm import Session
from starlette.datastructures import MutableHeaders

from ..store import Store, StoreError
from ..store.engine import one_line
from ..store.review import facts_version
from . import accounts
from .snapshot import FactSnapshot

log = logging.getLogger(__name__)
STATIC = Path(__file__).resolve().parent / "static"
SESSION_COOKIE = "wm_session"
CSRF_HEADER = "X-CSRF-Token"

# The pages load only their own scripts, styles and data: injected markup could not fetch or run anything else.
SECURITY_HEADERS = {
    "Content-Security-Policy": ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                                "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
                                "frame-ancestors 'none'"),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
DOCS_CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; object-src 'none'; frame-ancestors 'none'")


@dataclass
class ServeSettings:
    """`public_read`: anyone may read (else reading needs a login or token); `secure_cookies`: mark the
    session cookie Secure (behind HTTPS)."""

    db: str | None = None
    public_read: bool = True
    secure_cookies: bool = False
    title: str = "warmonitor"
    snapshot: bool = True  # lists, totals and sums from in-memory arrays (serve/snapshot.py); False: SQL alone


class AppState:
    """What one app holds: the store and, loaded on first use, the gazetteer for place corrections."""

    CACHE_SIZE = 256
    REBUILD_PAUSE = 3.0

    def __init__(self, settings: ServeSettings, store: Store):
        self.settings = settings
        self.store = store
        self._gazetteer = None
        self._lock = threading.Lock()
        self._answers: OrderedDict[Any, tuple[int, Any]] = OrderedDict()
        self._snapshot_lock = threading.Lock()
        self._snapshot: tuple[int, FactSnapshot] | None = None
        self._builder: threading.Thread | None = None
        self._next_build = 0.0  # time.monotonic() from which a background build may start

    def snapshot(self, session: Session) -> FactSnapshot | None:
        """The facts' arrays of the current facts version, or None: answer from SQL (the same answers,
        tests/test_serve_snapshot.py) while new arrays are built in the background after a write, or
        always when the settings say so. Building takes about 1.5 s at 100,000 facts: a request that
        waited for it would be the slowest one of the day."""
        if not self.settings.snapshot:
            return None
        version = facts_version(session)
        with self._snapshot_lock:
            if self._snapshot is not None and self._snapshot[0] == version:
                return self._snapshot[1]
            self._snapshot = None  # out of date: its memory can go before the next one is built
            idle = self._builder is None or not self._builder.is_alive()
            if idle and time.monotonic() >= self._next_build:
                self._start_builder()
        return None

    def _start_builder(self) -> None:  # with _snapshot_lock held
        self._builder = threading.Thread(target=self.build_snapshot, name="warmonitor-arrays", daemon=True)
        self._builder.start()

    def build_snapshot(self) -> None:
        """Build the arrays for the current facts version, in this thread. The next build in the background
        waits `REBUILD_PAUSE` times as long as this one took: while a long ingest writes batch after batch,
        rebuilding takes at most a quarter of a core, and SQL answers in between."""
        began = time.monotonic()
        try:
            with Session(self.store.engine) as session:
                version = facts_version(session)  # read before the rows: a write in between costs a rebuild
                built = FactSnapshot.load(session)
        except Exception as exc:  # the requests go on from SQL; the next one tries again
            log.warning("warmonitor: could not hold the facts in memory: %s", one_line(exc))
            return
        finally:
            ended = time.monotonic()
            self._next_build = ended + self.REBUILD_PAUSE * (ended - began)
        with self._snapshot_lock:
            if self._snapshot is None or self._snapshot[0] < version:
                self._snapshot = (version, built)

    def start(self) -> None:
        """At startup: build the arrays before the first requests need them."""
        if self.settings.snapshot:
            with self._snapshot_lock:
                self._start_builder()

    def stop(self) -> None:
        builder = self._builder
        if builder is not None:
            builder.join(timeout=60)

    def cached(self, key: Any, session: Session, compute: Callable[[], Any]) -> Any:
        """`compute()`'s answer, kept until the stored facts or reviews change (`store.review.facts_version`):
        aggregates and the map scan every fact, and most requests repeat a few views."""
        version = facts_version(session)
        with self._lock:
            hit = self._answers.get(key)
            if hit is not None and hit[0] == version:
                self._answers.move_to_end(key)
                return hit[1]
        answer = compute()
        with self._lock:
            self._answers[key] = (version, answer)
            while len(self._answers) > self.CACHE_SIZE:
                self._answers.popitem(last=False)
        return answer

    def gazetteer(self):
        with self._lock:
            if self._gazetteer is None:
                from ..resolve.gazetteer import Gazetteer

                self._gazetteer = Gazetteer()
            return self._gazetteer

    def find_place(self, name: str) -> dict[str, Any] | None:
        place = self.gazetteer().resolve(name)
        if place is None or place.lat is None:
            return None
        precision = {"country": 3, "admin1": 3, "admin2": 2}.get(place.kind, 1)
        record = place.to_record(precision, text=name)
        record["gazetteer_name"] = place.name
        return record


ENVIRONMENT = {"db": "WARMONITOR_DB", "public_read": "WARMONITOR_PUBLIC_READ",
               "secure_cookies": "WARMONITOR_SECURE_COOKIES", "snapshot": "WARMONITOR_SERVE_SNAPSHOT"}


def settings_to_environment(settings: ServeSettings) -> dict[str, str]:
    """The settings as environment variables, for server worker processes (`app_from_environment`)."""
    return {ENVIRONMENT["db"]: settings.db or "", ENVIRONMENT["public_read"]: "1" if settings.public_read else "0",
            ENVIRONMENT["secure_cookies"]: "1" if settings.secure_cookies else "0",
            ENVIRONMENT["snapshot"]: "1" if settings.snapshot else "0"}


def app_from_environment() -> FastAPI:
    """An app for a worker process started by `uvicorn --factory` (`warmonitor serve --workers N`)."""
    import os

    return create_app(ServeSettings(db=os.environ.get(ENVIRONMENT["db"]) or None,
                                    public_read=os.environ.get(ENVIRONMENT["public_read"], "1") != "0",
                                    secure_cookies=os.environ.get(ENVIRONMENT["secure_cookies"], "0") == "1",
                                    snapshot=os.environ.get(ENVIRONMENT["snapshot"], "1") != "0"))


def create_app(settings: ServeSettings | None = None, store: Store | None = None) -> FastAPI:
    """The app over `settings.db` (or an open `store`); the schema is brought up to date first."""
    settings = settings or ServeSettings()
    if store is None:
        store = Store(settings.db)
    store.upgrade()
    @asynccontextmanager
    async def lifespan(app: FastAPI):
        app.state.wm.start()
        yield
        app.state.wm.stop()
        store.close()

    app = FastAPI(title=settings.title, version=_version(), docs_url="/api/docs", redoc_url=None, lifespan=lifespan,
                  openapi_url="/api/openapi.json",
                  description="The stored record of warmonitor: facts with their evidence, articles, "
                              "aggregates, places, exports and analyst review. See docs/api.md.")
    app.state.wm = AppState(settings, store)

    app.add_middleware(SecurityHeaders)

    @app.exception_handler(StoreError)
    async def store_unavailable(_request: Request, exc: StoreError):
        log.error("%s", exc)
        return JSONResponse({"detail": "the database is not available; try again later"}, status_code=503)

    @app.exception_handler(ValueError)
    async def bad_value(_request: Request, exc: ValueError):
        return JSONResponse({"detail": str(exc).splitlines()[0][:300] if str(exc) else "bad request"},
                            status_code=400)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_request: Request, exc: RequestValidationError):
        problems = []
        for error in exc.errors()[:5]:
            where = ".".join(str(p) for p in error.get("loc", ()) if p not in ("query", "body"))
            problems.append(f"{where}: {error.get('msg', 'invalid')}" if where else error.get("msg", "invalid"))
        return JSONResponse({"detail": "; ".join(problems) or "invalid request"}, status_code=422)

    from . import api_facts, api_review, api_stats, api_types, auth, pages

    app.include_router(auth.router)
    app.include_router(api_facts.router)
    app.include_router(api_stats.router)
    app.include_router(api_review.router)
    app.include_router(api_types.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app


class SecurityHeaders:
    """Adds `SECURITY_HEADERS` (and no-store for the API) to every response as it starts. Plain ASGI:
    Starlette's `@app.middleware("http")` wraps each response in a stream of its own, a cost paid on
    every request."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path = scope.get("path", "")

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for key, value in SECURITY_HEADERS.items():
                    headers.setdefault(key, value)
                if path == "/api/docs":
                    headers["Content-Security-Policy"] = DOCS_CSP
                if path.startswith("/api/"):
                    headers.setdefault("Cache-Control", "no-store")
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _version() -> str:
    from .. import __version__

    return __version__


class FastJSON(JSONResponse):
    """JSON by orjson, for answers that are plain dicts and lists already: FastAPI's generic encoder
    walked every field of every record (9 ms for a page of 50 facts), orjson takes 0.1 ms."""

    def render(self, content: Any) -> bytes:
        import orjson

        return orjson.dumps(content, option=orjson.OPT_NON_STR_KEYS)


# -- dependencies shared by the routers ------------------------------------------------------------

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


def reviewer(request: Request, who: accounts.Principal | None = Depends(principal)) -> accounts.Principal:
    """A change: an analyst or admin, and for a browser session the session's CSRF token in the header."""
    if who is None:
        raise HTTPException(401, "log in as an analyst to change facts")
    if not who.can_review:
        raise HTTPException(403, f"user {who.name} may not review facts")
    if who.via == "session":
        sent = request.headers.get(CSRF_HEADER, "")
        if not who.csrf_token or not sent or not _same(sent, who.csrf_token):
            raise HTTPException(403, f"missing or wrong {CSRF_HEADER} header (reload the page and try again)")
    return who


def _same(a: str, b: str) -> bool:
    import hmac

    return hmac.compare_digest(a.encode("utf-8", "replace"), b.encode("utf-8", "replace"))
