"""Database URLs, engines and migrations: what `Store` needs before it stores anything.

A URL is a SQLAlchemy URL (`sqlite:///path.db`, `postgresql+psycopg://user:pass@host/db`) or a bare
path, which means a SQLite file. SQLite runs in WAL mode with `synchronous=NORMAL` and foreign keys on.
Every failure to reach or use the database becomes a one-line `StoreError` (errors.py) naming it.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.pool import StaticPool

from .errors import StoreError, masked, one_line, sqlite_file, store_error  # noqa: F401 - re-exported

DEFAULT_URL = "sqlite:///warmonitor.db"
ENV_VAR = "WARMONITOR_DB"
VERSION_TABLE = "warmonitor_alembic_version"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def resolve_url(url: str | None) -> str:
    """None -> $WARMONITOR_DB or sqlite:///warmonitor.db; a bare path -> a SQLite URL of that file."""
    if url is None:
        url = os.environ.get(ENV_VAR) or DEFAULT_URL
    url = url.strip()
    if not url:
        raise StoreError("no database URL given (empty)")
    if url == ":memory:":
        return "sqlite://"
    if "://" not in url:
        return "sqlite:///" + str(Path(url).expanduser())
    return url


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def _loads(text: str | bytes):
    """orjson's parser (records are read back on every API page; five times faster than json.loads)."""
    import orjson

    return orjson.loads(text)


def make_engine(url: str, *, create: bool = True) -> Engine:
    """An engine for `url` (not yet connected); a bad URL, a missing driver, or (unless `create`) a
    SQLite file that does not exist is a `StoreError`."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(f"not a database URL: {masked(url)} (expected e.g. sqlite:///warmonitor.db or "
                         "postgresql+psycopg://user:password@host/dbname)") from None
    options: dict = {"json_serializer": _dumps, "json_deserializer": _loads}
    sqlite = parsed.get_backend_name() == "sqlite"
    if sqlite and parsed.database in (None, "", ":memory:"):
        options.update(poolclass=StaticPool, connect_args={"check_same_thread": False})
    elif sqlite and sqlite_file(url) is not None:
        path = sqlite_file(url)
        if not path.parent.is_dir():
            raise StoreError(f"cannot open database {masked(url)}: folder {path.parent} does not exist")
        if not create and not path.exists():
            raise StoreError(f"database {masked(url)} does not exist: check the path given to --db (or "
                             f"${ENV_VAR}); `warmonitor ingest` creates a database")
    else:
        options["pool_pre_ping"] = True
        if parsed.get_backend_name() == "postgresql" and "connect_timeout" not in parsed.query:
            options["connect_args"] = {"connect_timeout": 10}  # a silent host fails in seconds, not minutes
    try:
        engine = create_engine(parsed, **options)
    except (NoSuchModuleError, ImportError) as exc:
        raise StoreError(f"cannot use database {masked(url)}: no driver for it ({one_line(exc)})") from None
    except (ArgumentError, SQLAlchemyError, TypeError, ValueError) as exc:
        raise StoreError(f"cannot use database {masked(url)}: {one_line(exc)}") from None
    if sqlite:
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA cache_size=-32768")  # 32 MiB: the growing indexes of facts stay in memory
        cursor.execute("PRAGMA mmap_size=1073741824")  # reads without a copy per page: -25 % SQL time serving
    finally:
        cursor.close()


def alembic_config(connection=None):
    """Alembic's Config for the packaged migrations (no alembic.ini); `connection` is what env.py uses."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection, opts={"version_table": VERSION_TABLE}).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply the packaged migrations up to `revision` in one transaction (a no-op when already there)."""
    from alembic import command

    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), revision)
