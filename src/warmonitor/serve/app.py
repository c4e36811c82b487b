"""`create_app`: the FastAPI application behind `warmonitor serve` — the JSON API, the pages, the static assets.

Everything the app needs lives on `app.state.wm` (`state.AppState`), none at module level, so several apps
(tests, workers) can run side by side. Endpoints are plain functions run in FastAPI's thread pool with one
database session per request (`dependencies`). This module only assembles: settings, state, middleware and
the routers, which are registered in `include_routers`.
"""
from __future__ import annotations

import os
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles

from .. import __version__
from ..store import Store
from . import api_docs, api_facts, api_incidents, api_review, api_stats, api_types, auth, pages
from .middleware import BodyLimit, SecurityHeaders, add_error_answers
from .settings import ServeSettings, settings_from_environment, settings_to_environment
from .state import AppState

__all__ = ["ServeSettings", "app_from_environment", "create_app", "include_routers", "routers",
           "settings_to_environment"]

STATIC = Path(__file__).resolve().parent / "static"


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

    app = FastAPI(title=settings.title, version=__version__, docs_url=None, redoc_url=None, lifespan=lifespan,
                  openapi_url=None,  # served by api_docs, behind the same login as the API
                  description="The stored record of warmonitor: facts with their evidence, articles, "
                              "aggregates, places, exports and analyst review. See docs/api.md.")
    app.state.wm = AppState(settings, store)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(SecurityHeaders)  # added last, so outermost: refusals get the headers too
    add_error_answers(app, store.driver_errors())
    include_routers(app)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.mount(api_docs.ASSETS, StaticFiles(directory=api_docs.swagger_ui_folder()), name="api-docs-assets")
    return app


def routers() -> tuple[APIRouter, ...]:
    """Every router of the app, in the order their routes are matched: the API's, then the pages'. Tests
    walk their routes (FastAPI keeps included routers lazily, so `app.routes` does not list them)."""
    return tuple(module.router for module in (auth, api_facts, api_stats, api_review, api_incidents, api_types,
                                                  api_docs, pages))


def include_routers(app: FastAPI) -> None:
    for router in routers():
        app.include_router(router)


def app_from_environment() -> FastAPI:
    """An app for a worker process started by `uvicorn --factory` (`warmonitor serve --workers N`)."""
    return create_app(settings_from_environment(os.environ))
