"""What every command shares: the --db and --allow-network helps, opening the store, its errors, checking
the allowed networks, and the console for one-line errors."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console

from warmonitor.budget import DEFAULT_ARTICLE_SECONDS

ARTICLE_TIMEOUT_HELP = ("Seconds of extraction one article may take before it is skipped (reported with its name; "
                        "the batch goes on); 0: no limit.")


def article_timeout_option():
    """--article-timeout, shared by extract, ingest and watch (see warmonitor/budget.py)."""
    return typer.Option(DEFAULT_ARTICLE_SECONDS, "--article-timeout", min=0.0, help=ARTICLE_TIMEOUT_HELP)


JOBS_HELP = ("Worker processes that extract (default: this machine's cores); this process reads, writes and "
             "stores, in input order. 1: extract in this process. Runs of fewer than 16 articles start no workers.")


def jobs_option():
    """--jobs, shared by extract, ingest and reprocess (see warmonitor/pipeline_pool.py)."""
    return typer.Option(None, "--jobs", "-j", min=1, show_default=False, help=JOBS_HELP)


ALLOW_HELP = ("Fetch from this private network anyway (CIDR, e.g. 10.20.0.0/16; repeat for more): loopback, private, "
              "link-local and metadata addresses are refused by default. $WARMONITOR_ALLOW_NETWORKS: ranges separated "
              "by spaces.")
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


def allowed_networks(values: list[str] | None, err: Console) -> tuple[str, ...]:
    """The --allow-network ranges, checked before anything is fetched: a bad one ends the command with
    one line and exit status 2 (a typo must not silently leave an intranet feed refused, or allow more)."""
    values = tuple(values or ())
    if not values:
        return values
    from warmonitor.fetch.guard import parse_networks  # with httpx: only when ranges are given

    try:
        parse_networks(values)
    except ValueError as exc:
        err.print(f"warmonitor: --allow-network {exc}", markup=False)
        raise typer.Exit(2)
    return values


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
