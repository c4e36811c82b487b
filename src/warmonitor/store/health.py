"""`DatabaseHealth`: what one `Store` knows of its database's state, and its failures in a user's words.

A damaged database is found when the driver says so (SQLite's "malformed", "not a database";
PostgreSQL's data or index corruption), or, after an error the driver does not explain, by SQLite's
`PRAGMA quick_check`. The check runs then, at most once per Store, not on open: it reads the whole
file (16 ms for 9 MB, seconds for gigabytes), a cost every command and every server worker would pay
for a failure that is rare. Open only reads the file's 16-byte header (errors.header_problem).

Once found damaged, the database is written no more by this Store: a write could spread the damage
or build on pages that are wrong, and whatever `sqlite3 FILE .recover` can still save is what a user
has. Writes that touch no damaged page before the first error are not refused: SQLite cannot know.
"""
from __future__ import annotations

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from .errors import (DatabaseDamaged, StoreError, damaged, driver_error, one_line, problem_of, sqlite_file,
                     store_error)

# SQLite result codes that say nothing of the file's state (busy, locked, interrupted, a constraint):
# no reason to check it for damage.
SQLITE_NOT_DAMAGE = (5, 6, 9, 19)


class DatabaseHealth:
    """The failures of one database: explained, damage remembered, writes refused once it is damaged."""

    def __init__(self, url: str, engine: Engine) -> None:
        self.url = url
        self.engine = engine
        self.damage: DatabaseDamaged | None = None  # the error that found the database damaged
        self._checked = False  # whether quick_check has run

    def driver_errors(self) -> tuple[type[BaseException], ...]:
        """What a failing database raises: SQLAlchemy's errors, and the driver's own where code talks to
        it without SQLAlchemy (psycopg's COPY in `bulk.insert_rows`)."""
        dbapi = getattr(self.engine.dialect, "loaded_dbapi", None)
        found = getattr(dbapi, "Error", None)
        return (SQLAlchemyError, found) if isinstance(found, type) else (SQLAlchemyError,)

    def explain(self, exc: BaseException, doing: str = "use") -> StoreError:
        """`exc`, a database failure, as the `StoreError` a user reads (errors.store_error), checked for
        damage when the driver does not explain it; damage is remembered."""
        if isinstance(exc, StoreError):
            return exc
        error = store_error(self.url, exc, doing)
        if not isinstance(error, DatabaseDamaged) and problem_of(exc) is None and self._worth_checking(exc):
            found = self._quick_check()
            if found is not None:
                error = damaged(self.url, found)
        if isinstance(error, DatabaseDamaged) and self.damage is None:
            self.damage = error
        return error

    def refuse_writes_if_damaged(self) -> None:
        if self.damage is not None:
            raise DatabaseDamaged(str(self.damage))

    def _worth_checking(self, exc: BaseException) -> bool:
        code = getattr(driver_error(exc), "sqlite_errorcode", None)
        return (not self._checked and sqlite_file(self.url) is not None and isinstance(code, int)
                and code & 0xFF not in SQLITE_NOT_DAMAGE)

    def _quick_check(self) -> str | None:
        """SQLite's `quick_check` of the whole file: its first problem, or None."""
        self._checked = True
        try:
            with self.engine.connect() as connection:
                found = [row[0] for row in connection.exec_driver_sql("PRAGMA quick_check(1)")]
        except self.driver_errors() as exc:
            return one_line(exc) if problem_of(exc) is DatabaseDamaged else None
        if found == ["ok"]:
            return None
        return " ".join(str(found[0]).split())[:200] if found else "quick_check found a problem"
