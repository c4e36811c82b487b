"""`warmonitor serve`: the stored record over HTTP — a JSON API, a dashboard and analyst review.

    from warmonitor.serve import create_app, ServeSettings
    app = create_app(ServeSettings(db="sqlite:///warmonitor.db"))   # any ASGI server runs it

The API is described in docs/api.md and, live, at /api/docs. `create_app` is looked up on first use, so
that the command line's user commands (`serve.accounts`) do not load the web framework.
"""
from __future__ import annotations

from typing import Any

__all__ = ["ServeSettings", "create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from .app import create_app

        return create_app
    if name == "ServeSettings":
        from .settings import ServeSettings

        return ServeSettings
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
