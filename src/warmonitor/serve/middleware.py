"""What every request and answer passes through: a limit on request bodies, the security headers, and errors
turned into short JSON answers."""
from __future__ import annotations

import logging
from types import MappingProxyType

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException

from ..store import StoreError

log = logging.getLogger(__name__)

# The pages load only their own scripts, styles and data: injected markup could not fetch or run anything else.
SECURITY_HEADERS = MappingProxyType({
    "Content-Security-Policy": ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                                "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
                                "frame-ancestors 'none'"),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
})
# Swagger UI sets style attributes as it renders; its scripts are files like every other page's.
DOCS_CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")


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


class BodyTooLarge(HTTPException):
    """Raised while the body is read, once it passes the limit: FastAPI lets HTTP exceptions through its
    body parsing, so the app answers 413 itself; `BodyLimit` answers when nothing else has."""

    def __init__(self, limit: int):
        super().__init__(413, f"the request body is larger than {limit:,} bytes; send less")


class BodyLimit:
    """Refuses request bodies over `max_bytes` before they fill the memory (a 500 MB login took the
    server from 160 MB to 1.7 GB): a declared Content-Length over the limit is answered 413 before the
    app runs, and a body sent without one (chunked) is counted as it arrives and reading stops at the
    limit. Plain ASGI, like `SecurityHeaders`."""

    def __init__(self, app, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = Headers(scope=scope).get("content-length", "")
        if not declared.isdigit() and declared:
            return await self._refuse(scope, receive, send, 400, "Content-Length: expected a number of bytes")
        if declared and int(declared) > self.max_bytes:
            return await self._refuse(scope, receive, send, 413, BodyTooLarge(self.max_bytes).detail)
        received, started = 0, False

        async def counted_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge(self.max_bytes)
            return message

        async def watched_send(message):
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, watched_send)
        except BodyTooLarge as exc:
            if started:
                raise
            await self._refuse(scope, receive, send, 413, exc.detail)

    @staticmethod
    async def _refuse(scope, receive, send, status: int, detail: str) -> None:
        await JSONResponse({"detail": detail}, status_code=status, headers={"Connection": "close"})(
            scope, receive, send)


def add_error_answers(app: FastAPI) -> None:
    """A database that is down is a 503, a bad value a 400, an invalid request a 422 listing at most five
    problems: one line each, never a stack trace or a database message."""

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
