"""The dashboard's HTML pages: shells that the JSON API fills in from the browser.

Every page is a template with no data in it beyond the ids in its URL; its scripts (`static/common.js`
and one per page) fetch what it shows from `/api/...`, so pages and API share one code path and one
set of access checks.
Templates are autoescaped and hold no inline script or style, so the app's Content-Security-Policy
(`script-src 'self'; style-src 'self'`, set in middleware.py) applies to them unchanged.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from .. import facttypes

TEMPLATES_DIR = Path(__file__).parent / "templates"

router = APIRouter(include_in_schema=False)


def _templates(request: Request) -> Jinja2Templates:
    """The app's template environment, made on first use and kept on the app (not in the module)."""
    found = getattr(request.app.state, "templates", None)
    if found is None:
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)), autoescape=True,
                                 trim_blocks=True, lstrip_blocks=True)
        found = request.app.state.templates = Jinja2Templates(env=env)
    return found


def _render(request: Request, name: str, page: str, **context: Any) -> HTMLResponse:
    # root_path lets the app live under a prefix (behind a proxy); links and API calls are made from it.
    root = request.scope.get("root_path", "").rstrip("/")
    return _templates(request).TemplateResponse(request, name, {"page": page, "root": root, **context})


@router.get("/", response_class=HTMLResponse)
def dashboard(request: Request) -> HTMLResponse:
    return _render(request, "dashboard.html", "dashboard", fact_types=facttypes.fact_types())


@router.get("/articles/{article_id:int}", response_class=HTMLResponse)
def article(request: Request, article_id: int) -> HTMLResponse:
    return _render(request, "article.html", "article", article_id=article_id)


@router.get("/facts/{fact_id:int}", response_class=HTMLResponse)
def fact(request: Request, fact_id: int) -> HTMLResponse:
    return _render(request, "fact.html", "fact", fact_id=fact_id)


@router.get("/incidents", response_class=HTMLResponse)
def incidents(request: Request) -> HTMLResponse:
    return _render(request, "incidents.html", "incidents", fact_types=facttypes.fact_types())


@router.get("/incidents/{incident_id}", response_class=HTMLResponse)
def incident(request: Request, incident_id: str) -> HTMLResponse:
    return _render(request, "incident.html", "incident", incident_id=incident_id[:100])


@router.get("/reviews", response_class=HTMLResponse)
def reviews(request: Request) -> HTMLResponse:
    return _render(request, "reviews.html", "reviews")


@router.get("/login", response_class=HTMLResponse)
def login(request: Request) -> HTMLResponse:
    return _render(request, "login.html", "login")
