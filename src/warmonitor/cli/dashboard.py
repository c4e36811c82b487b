"""`warmonitor serve` and `warmonitor demo`: the dashboard (its accounts: `cli/users.py`).

The app itself is `serve.app.create_app`; the demo's set-up is `usecases.demo`. The server, the
accounts and the store are imported inside the commands: they load FastAPI, uvicorn and SQLAlchemy
(about a second), which the other commands do without.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from warmonitor.cli.options import DB_HELP, error_console, open_store
from warmonitor.cli.output import extraction_progress, print_summary, skipped_printer

def register(app: typer.Typer) -> None:
    app.command()(serve)
    app.command()(demo)


def _run(store, err: Console, *, host: str, port: int, private: bool, secure_cookies: bool, workers: int = 1,
         low_memory: bool = False, max_body_kb: int = 1024) -> None:
    import uvicorn

    from warmonitor.serve.app import ServeSettings, create_app, settings_to_environment

    settings = ServeSettings(db=store.url, public_read=not private, secure_cookies=secure_cookies,
                             snapshot=not low_memory, max_body_bytes=max_body_kb * 1024)
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    err.print(f"warmonitor: dashboard at http://{shown}:{port}/  (API: /api/docs; Ctrl-C stops)", markup=False)
    try:
        if workers > 1:  # worker processes build their app from the environment (serve.app.app_from_environment)
            os.environ.update(settings_to_environment(settings))
            store.close()
            uvicorn.run("warmonitor.serve.app:app_from_environment", factory=True, workers=workers, host=host,
                        port=port, log_level="warning")
        else:
            uvicorn.run(create_app(settings, store=store), host=host, port=port, log_level="warning")
    except OSError as exc:
        err.print(f"warmonitor: cannot serve on {host}:{port}: {exc.strerror or exc}; try another --port",
                  markup=False)
        raise typer.Exit(2)


def serve(
    db: Optional[str] = typer.Option(None, "--db", envvar="WARMONITOR_DB", help=DB_HELP),
    host: str = typer.Option("127.0.0.1", help="Address to listen on (0.0.0.0 for every interface)."),
    port: int = typer.Option(8000, min=1, max=65535, help="Port to listen on."),
    private: bool = typer.Option(False, "--private", help="Reading needs a login or an API token too."),
    secure_cookies: bool = typer.Option(False, "--secure-cookies", help="Mark the session cookie Secure (behind HTTPS)."),
    workers: int = typer.Option(1, min=1, max=64, help="Server processes (one per core serves most requests at once)."),
    low_memory: bool = typer.Option(False, "--low-memory", help=(
        "Answer fact lists and sums from SQL alone, without the in-memory copy of the facts' filter "
        "columns (about 1 KB a fact in each server process; SQL alone is several times slower).")),
    max_body_kb: int = typer.Option(1024, "--max-body-kb", min=1, max=1024 * 1024,
                                    help="Largest request body accepted, in KiB (413 above it)."),
) -> None:
    """Serve the dashboard and the JSON API over the stored record."""
    err = error_console()
    _run(open_store(db, err, create=False), err, host=host, port=port, private=private, secure_cookies=secure_cookies,
         workers=workers, low_memory=low_memory, max_body_kb=max_body_kb)


def demo(
    port: int = typer.Option(8000, min=1, max=65535, help="Port to listen on."),
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    keep: Optional[Path] = typer.Option(None, help="Keep the demo database in this file instead of a temporary one."),
) -> None:
    """Ingest the example articles shipped with warmonitor into a temporary database and serve the dashboard."""
    from warmonitor.usecases.demo import set_up_demo

    err = error_console()
    with tempfile.TemporaryDirectory(prefix="warmonitor-demo-") as tmp:
        path = keep or Path(tmp) / "demo.db"
        store = open_store(str(path), err)
        err.print(f"warmonitor: ingesting the example articles into {path}", markup=False)
        with extraction_progress(err, err.is_terminal) as advance:
            demo_setup = set_up_demo(store, on_result=advance, on_skip=skipped_printer(err))
        print_summary(demo_setup.ingest, err)
        err.print(f"warmonitor: log in as analyst '{demo_setup.user}' with password {demo_setup.password} "
                  "to review facts", markup=False)
        _run(store, err, host=host, port=port, private=False, secure_cookies=False)
