"""Database failures in words a user can act on: a damaged database, a full disk, a read-only database.

Every failure to reach or use the database becomes one `StoreError` line naming the database (a SQLite
file by its path, anything else by its URL with the password masked), the problem and what to do. The
three problems a user must fix outside warmonitor have classes of their own, so that the command line,
the API and `Store` tell them apart: a damaged database is never written further.

The driver's error is read by its code, not its wording: SQLite's result code (`sqlite_errorcode`,
Python 3.11) and PostgreSQL's SQLSTATE (`sqlstate` on psycopg's errors).
"""
from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy.engine import make_url

_PASSWORD = re.compile(r"(://[^:/@]*:)[^@]*@")

# SQLite's primary result codes (https://www.sqlite.org/rescode.html); an extended code keeps them in its low byte.
SQLITE_PERM, SQLITE_READONLY, SQLITE_CORRUPT, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_NOTADB = 3, 8, 11, 13, 14, 26
SQLITE_HEADER = b"SQLite format 3\x00"  # the first 16 bytes of every SQLite database file
# PostgreSQL's SQLSTATEs: data or index corrupted; disk full and its class (insufficient resources);
# a read-only transaction (a standby, default_transaction_read_only) and a missing privilege.
PG_DAMAGED = ("XX001", "XX002")
PG_FULL = ("53100",)
PG_READ_ONLY = ("25006", "42501")


class StoreError(Exception):
    """The database could not be reached or used; the message is one line, written for a user."""


class DatabaseDamaged(StoreError):
    """The database's file is damaged or is not a database: restore a backup; nothing more is written to it."""


class DiskFull(StoreError):
    """The database's disk (or its size limit) is full: free space and run again."""


class ReadOnlyDatabase(StoreError):
    """The database may be read but not written: fix the permissions, or use one that may be written."""


def masked(url: str) -> str:
    """The URL with its password replaced by ***, fit for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # not parseable: mask by pattern
        return _PASSWORD.sub(r"\1***@", url)


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL (a `file:` URI's path too), or None: another database, or SQLite in memory."""
    try:
        parsed = make_url(url)
    except Exception:
        return None
    name = parsed.database
    if parsed.get_backend_name() != "sqlite" or not name or name == ":memory:":
        return None
    if name.startswith("file:"):
        name = name[len("file:"):].split("?", 1)[0]
        if not name or name == ":memory:" or parsed.query.get("mode") == "memory":
            return None
    return Path(name).expanduser()


def database_name(url: str) -> str:
    """How messages name the database: a SQLite file by its path (what a user copies, restores or
    frees space for), any other by its URL, password masked."""
    found = sqlite_file(url)
    return str(found) if found is not None else masked(url)


def one_line(exc: BaseException) -> str:
    """The first line of the driver's message (SQLAlchemy appends SQL and a link on further lines)."""
    original = driver_error(exc)
    text = str(original).strip().splitlines()
    return (text[0].strip() if text else type(original).__name__)[:300]


def driver_error(exc: BaseException) -> BaseException:
    """The database driver's own exception inside SQLAlchemy's wrapper (or `exc` itself)."""
    return getattr(exc, "orig", None) or exc


def problem_of(exc: BaseException) -> type[StoreError] | None:
    """Which of the problems a user must fix outside warmonitor `exc` reports, from the driver's error
    code; None for anything else (a lost connection, a lock, a bug)."""
    original = driver_error(exc)
    code = getattr(original, "sqlite_errorcode", None)
    if isinstance(code, int):
        primary = code & 0xFF
        if primary in (SQLITE_CORRUPT, SQLITE_NOTADB):
            return DatabaseDamaged
        if primary == SQLITE_FULL:
            return DiskFull
        if primary in (SQLITE_READONLY, SQLITE_PERM):
            return ReadOnlyDatabase
        return None
    state = getattr(original, "sqlstate", None)
    if isinstance(state, str):
        if state in PG_DAMAGED:
            return DatabaseDamaged
        if state in PG_FULL:
            return DiskFull
        if state in PG_READ_ONLY:
            return ReadOnlyDatabase
    return None


def damaged(url: str, detail: str) -> DatabaseDamaged:
    name, found = database_name(url), sqlite_file(url)
    if found is not None:
        how = f"restore a backup, or save what can be read with `sqlite3 {found} .recover | sqlite3 recovered.db`"
    else:
        how = "restore a backup (the database server's log may say more)"
    return DatabaseDamaged(f"database {name} is damaged ({detail}); warmonitor will not write to it: {how}")


def not_a_database(url: str) -> DatabaseDamaged:
    return DatabaseDamaged(f"{database_name(url)} is not a SQLite database, or its first page is damaged; "
                           "warmonitor will not write to it: check the path given to --db (or $WARMONITOR_DB), "
                           "or restore a backup")


def store_error(url: str, exc: BaseException, doing: str = "use") -> StoreError:
    """`exc` as the one-line error a user reads: for a damaged database, a full disk or a read-only
    database, the problem named with what to do; otherwise the driver's first line."""
    name, detail, problem = database_name(url), one_line(exc), problem_of(exc)
    if problem is DatabaseDamaged:
        code = getattr(driver_error(exc), "sqlite_errorcode", 0)
        return not_a_database(url) if isinstance(code, int) and code & 0xFF == SQLITE_NOTADB else damaged(url, detail)
    if problem is DiskFull:
        return DiskFull(f"cannot {doing} database {name}: its disk is full ({detail}); free space on that disk "
                        "and run again (what was committed before is kept)")
    if problem is ReadOnlyDatabase:
        beside = " and its folder (SQLite writes -wal and -shm files beside it)" if sqlite_file(url) else ""
        return ReadOnlyDatabase(f"cannot {doing} database {name}: it is read-only ({detail}); let warmonitor's "
                                f"user write the database{beside}, or give --db a database it may write")
    return StoreError(f"cannot {doing} database {name}: {detail}")


def header_problem(url: str) -> DatabaseDamaged | None:
    """A SQLite file whose first 16 bytes are not SQLite's header: not a database, or damaged where
    SQLite looks first. Read on open because it costs one read; an empty file is a new database."""
    found = sqlite_file(url)
    try:
        if found is None or not found.is_file() or found.stat().st_size == 0:
            return None
        with found.open("rb") as handle:
            start = handle.read(len(SQLITE_HEADER))
    except OSError:
        return None  # SQLite will say what it cannot open
    return None if start == SQLITE_HEADER else not_a_database(url)
