"""The `warmonitor` command: parses arguments, calls the library and its use cases, prints.

One module per group of commands (`extract`: extract and eval; `monitor`: ingest, watch, reprocess,
facts; `incidents`: link, incidents; `dashboard`: serve, demo; `users`: user; `gazetteer`), sharing `options` (the store, the error console)
and `output` (progress bar, summaries). What the commands do lives in `warmonitor.usecases`, so a
notebook or a benchmark does it without the command line.
"""
from __future__ import annotations

import sys

import typer

from warmonitor.cli.dashboard import register as register_dashboard
from warmonitor.cli.extract import register as register_extract
from warmonitor.cli.gazetteer import gazetteer_app
from warmonitor.cli.incidents import register as register_incidents
from warmonitor.cli.monitor import register as register_monitor
from warmonitor.cli.users import register as register_users


def build_app() -> typer.Typer:
    app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                      help="Turn conflict and humanitarian news into sourced, structured fact records.")
    register_extract(app)
    register_monitor(app)
    register_incidents(app)
    register_dashboard(app)
    register_users(app)
    app.add_typer(gazetteer_app, name="gazetteer", help="Look up place names and import GeoNames country dumps.")
    return app


app = build_app()


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        print("warmonitor: interrupted", file=sys.stderr)
        sys.exit(130)
    except Exception as exc:  # the last line of defence: one line, never a traceback
        if is_store_error(exc):  # a command that does not catch it: still the database's problem, not a bug
            print(f"warmonitor: {exc}", file=sys.stderr)
            sys.exit(2)
        print(f"warmonitor: unexpected error ({type(exc).__name__}: {exc}); please report it", file=sys.stderr)
        sys.exit(3)


def is_store_error(exc: Exception) -> bool:
    """Whether `exc` is the store's one-line `StoreError`, without importing the store (SQLAlchemy) when
    the command never loaded it: then it cannot be one."""
    errors = sys.modules.get("warmonitor.store.errors")
    return errors is not None and isinstance(exc, errors.StoreError)
