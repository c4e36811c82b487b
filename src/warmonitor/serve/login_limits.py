"""Limits on trying passwords: failed logins counted per account and per client address, and a bound on
how many argon2 computations run at once.

Without them one address could try passwords as fast as the server hashes (60 in 14 s), and 100 bad
logins at once held 100 argon2 computations of 64 MiB each (1.1 GB), slowing every reader from 63 ms to
19 s. Failures are rows in the database (`LoginFailureRow`), so that every server process counts the same
ones; the bound on hashing (`PasswordGate`) is per process, on the app's state.

No web code here apart from the gate, which is async: the CLI's `warmonitor user unlock` uses
`clear_account` too.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import math
import threading
from contextlib import asynccontextmanager
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..store.schema import LoginFailureRow


@dataclass(frozen=True)
class LoginLimits:
    """After `account_failures` failed logins for one user name within `window`, that name is refused
    (whatever the password, also when no such user exists: a lock says nothing of which names are
    accounts) until the oldest of them leaves the window or an administrator runs `warmonitor user
    unlock`. One client address gets `address_failures` failures within the window, whichever names it
    tries. At most `hash_slots` passwords are hashed at once per process; a login that waited
    `hash_wait_s` for a slot is answered 503."""

    account_failures: int = 5
    address_failures: int = 20
    window: dt.timedelta = dt.timedelta(minutes=15)
    hash_slots: int = 2
    hash_wait_s: float = 10.0


class TooManyFailures(Exception):
    """Login refused before the password is looked at; `retry_after` in whole seconds."""

    def __init__(self, retry_after: int, by_address: bool):
        super().__init__(f"too many failed logins; retry after {retry_after} s")
        self.retry_after, self.by_address = retry_after, by_address


class PasswordsBusy(Exception):
    """Every hashing slot stayed taken for `LoginLimits.hash_wait_s`."""


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _aware(value: dt.datetime) -> dt.datetime:
    """SQLite gives back naive datetimes for what was stored as UTC."""
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


def check_limits(session: Session, name: str, address: str, limits: LoginLimits,
                 now: dt.datetime | None = None) -> None:
    """Raise `TooManyFailures` when `name` or `address` has used up its failures within the window."""
    now = now or _now()
    for column, value, allowed, by_address in ((LoginFailureRow.user_name, name, limits.account_failures, False),
                                               (LoginFailureRow.address, address, limits.address_failures, True)):
        recent = session.scalars(select(LoginFailureRow.at).where(column == value, LoginFailureRow.at > now - limits.window)
                                 .order_by(LoginFailureRow.at.desc()).limit(allowed)).all()
        if allowed <= 0 or len(recent) >= allowed:
            free_at = (_aware(recent[-1]) if recent else now) + limits.window
            raise TooManyFailures(max(1, math.ceil((free_at - now).total_seconds())), by_address)


def record_failure(session: Session, name: str, address: str, limits: LoginLimits,
                   now: dt.datetime | None = None) -> None:
    """Count one failed login, and forget those older than the window (the table stays small)."""
    now = now or _now()
    session.execute(delete(LoginFailureRow).where(LoginFailureRow.at <= now - limits.window))
    session.add(LoginFailureRow(user_name=name[:64], address=address[:64], at=now))


def clear_account(session: Session, name: str) -> int:
    """Forget the failed logins of `name` (a successful login, or an administrator lifting a lock): how many.
    Those of the addresses stay, so that one good account does not reset an address's count."""
    return session.execute(delete(LoginFailureRow).where(LoginFailureRow.user_name == name)).rowcount or 0


class PasswordGate:
    """At most `slots` password hashes at once in this process; waiting for a slot costs no thread.

    An asyncio semaphore belongs to one event loop, and an app may be served by several in turn (test
    clients), so the gate keeps one semaphore per running loop."""

    def __init__(self, slots: int, wait_s: float):
        self.slots, self.wait_s = slots, wait_s
        self._lock = threading.Lock()
        self._semaphore: tuple[asyncio.AbstractEventLoop, asyncio.Semaphore] | None = None

    def _current(self) -> asyncio.Semaphore:
        loop = asyncio.get_running_loop()
        with self._lock:
            if self._semaphore is None or self._semaphore[0] is not loop:
                self._semaphore = (loop, asyncio.Semaphore(self.slots))
            return self._semaphore[1]

    @asynccontextmanager
    async def slot(self):
        """Hold one slot for the block; `PasswordsBusy` when none came free in `wait_s`."""
        semaphore = self._current()
        try:
            await asyncio.wait_for(semaphore.acquire(), self.wait_s)
        except TimeoutError:
            raise PasswordsBusy() from None
        try:
            yield
        finally:
            semaphore.release()
