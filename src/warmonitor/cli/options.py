"""What every command shares: the --db help, opening the store, its errors, and the console for one-line errors."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console

DB_HELP = "Database URL (sqlite:///file.db or postgresql+psycopg://...); default $WARMONITOR_DB or ./warmonitor.db."


def error_console() -> Console:
    """stderr, plain: messages are one line each, never wrapped, nothing in them read as markup."""
    return Console(stderr=True, highlight=False, soft_wrap=True)


def open_store(db: str | None, err: Console, *, create: bool = True):
    """The store at `db`, its tables created or migrated; a database that cannot be opened ends the
    command with one line and exit status 2. Commands that only read pass `create=False`, so that a
    mistyped path is reported instead of becoming a new, empty database."""
    from warmonitor.store import Store, StoreError  # SQLAlchemy: half a second, only for commands that store

    try:
        store = Store(db, create=create)
        store.upgrade()
        return store
    except StoreError as exc:
        err.print(f"warmonitor: {exc}", markup=False)
        raise typer.Exit(2)


@contextmanager
def store_errors(err: Console) -> Iterator[None]:
    """A database that fails while a command works (damaged, disk full, read-only, gone) ends the command
    with the store's one line, naming the database and what to do, and exit status 2: never the
    "unexpected error" of the last resort."""
    from warmonitor.store import StoreError

    try:
        yield
    except StoreError as exc:
        err.print(f"warmonitor: {exc}", markup=False)
        raise typer.Exit(2) from None
