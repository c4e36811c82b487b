"""`/api/docs` and `/api/openapi.json`: the API's reference, served from the package.

FastAPI's own docs page loads Swagger UI from a CDN, which the app's Content-Security-Policy blocks
(the page stayed blank) and which an offline newsroom cannot reach. Swagger UI's files come from the
`swagger-ui-bundle` package instead (mounted at `/api/docs/assets` by the app factory), and both routes
ask for a login when reading is private, as the rest of the API does.
"""
from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.templating import Jinja2Templates

from .dependencies import reader

ASSETS = "/api/docs/assets"
router = APIRouter(prefix="/api", include_in_schema=False, dependencies=[Depends(reader)])


def swagger_ui_folder() -> str:
    """Where Swagger UI's files are installed."""
    from swagger_ui_bundle import swagger_ui_path

    return str(swagger_ui_path)


@router.get("/openapi.json")
def openapi_schema(request: Request) -> JSONResponse:
    return JSONResponse(request.app.openapi())


@router.get("/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
    root = request.scope.get("root_path", "").rstrip("/")
    return templates.TemplateResponse(request, "api_docs.html", {"root": root})
