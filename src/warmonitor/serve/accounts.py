"""Accounts, API tokens and browser sessions, kept in the store's database (no web code here: the CLI uses it too).

Passwords are argon2id hashes (argon2-cffi); API tokens and session tokens are random 256-bit values of
which only the sha256 is stored, so a copy of the database gives no way in.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..store.schema import SessionRow, TokenRow, UserRow

ROLES = ("analyst", "admin")
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
MIN_PASSWORD = 8
SESSION_DAYS = 14


class AccountError(ValueError):
    """An account request that cannot be met; one line for the user."""


@dataclass(frozen=True)
class Principal:
    """Who is asking: `via` is "session" (a browser: changes need the CSRF token) or "token" (a script)."""

    name: str
    role: str
    via: str
    csrf_token: str | None = None

    @property
    def can_review(self) -> bool:
        return self.role in ROLES


def _hasher():
    from argon2 import PasswordHasher

    return PasswordHasher()


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _aware(value: dt.datetime) -> dt.datetime:
    """SQLite gives back naive datetimes for what was stored as UTC."""
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


def add_user(session: Session, name: str, password: str, role: str, *, replace: bool = False) -> UserRow:
    """A new account (or, with `replace`, a new password and role for an existing one)."""
    if not NAME.match(name or ""):
        raise AccountError(f"user name {name!r}: use 1-64 letters, digits, '.', '_', '-' or '@'")
    if role not in ROLES:
        raise AccountError(f"role {role!r}: expected one of {', '.join(ROLES)}")
    if len(password or "") < MIN_PASSWORD:
        raise AccountError(f"the password needs at least {MIN_PASSWORD} characters")
    found = session.get(UserRow, name)
    if found is not None and not replace:
        raise AccountError(f"user {name!r} exists already (use --replace to set a new password or role)")
    hashed = _hasher().hash(password)
    if found is None:
        found = UserRow(name=name, password_hash=hashed, role=role, created_at=_now(), disabled=False)
        session.add(found)
    else:
        found.password_hash, found.role, found.disabled = hashed, role, False
        session.execute(delete(SessionRow).where(SessionRow.user_name == name))  # old logins end
    return found


def check_password(session: Session, name: str, password: str) -> UserRow | None:
    """The user when the password is right; None otherwise (also for unknown users, after the same work)."""
    from argon2.exceptions import InvalidHashError, VerificationError

    hasher = _hasher()
    user = session.get(UserRow, name) if isinstance(name, str) and len(name) <= 64 else None
    stored = user.password_hash if user is not None else UNKNOWN_USER_HASH
    try:
        hasher.verify(stored, password or "")
    except (VerificationError, InvalidHashError):
        return None
    if user is None or user.disabled:
        return None
    if hasher.check_needs_rehash(stored):
        user.password_hash = hasher.hash(password)
    return user


# Verified against for unknown names, so that timing does not tell which names exist (argon2-cffi's
# default parameters, like every stored hash).
UNKNOWN_USER_HASH = "$argon2id$v=19$m=65536,t=3,p=4$RvVQUKqfG3tPmXiiyjQXmg$mxFhDMhCsvpJZ6ZI60aTU5jB0Msn0tHQSJt/rYsuLck"


def new_token(session: Session, name: str, label: str | None = None) -> str:
    """A new API token for `name`; the token itself is returned once and never stored."""
    if session.get(UserRow, name) is None:
        raise AccountError(f"no user {name!r} (add one with: warmonitor user add {name} --role analyst)")
    token = "wm_" + secrets.token_urlsafe(32)
    session.add(TokenRow(token_hash=digest(token), user_name=name, label=label, created_at=_now()))
    return token


def by_token(session: Session, token: str) -> Principal | None:
    row = session.scalar(select(TokenRow).where(TokenRow.token_hash == digest(token)))
    if row is None:
        return None
    user = session.get(UserRow, row.user_name)
    if user is None or user.disabled:
        return None
    row.last_used_at = _now()
    return Principal(user.name, user.role, "token")


def open_session(session: Session, user: UserRow) -> tuple[str, str]:
    """A browser session for `user`: (cookie value, CSRF token)."""
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    now = _now()
    session.add(SessionRow(token_hash=digest(token), user_name=user.name, csrf_token=csrf, created_at=now,
                           expires_at=now + dt.timedelta(days=SESSION_DAYS)))
    return token, csrf


def by_session(session: Session, token: str) -> Principal | None:
    row = session.get(SessionRow, digest(token))
    if row is None:
        return None
    if _aware(row.expires_at) <= _now():
        session.delete(row)
        return None
    user = session.get(UserRow, row.user_name)
    if user is None or user.disabled:
        return None
    return Principal(user.name, user.role, "session", row.csrf_token)


def close_session(session: Session, token: str) -> None:
    session.execute(delete(SessionRow).where(SessionRow.token_hash == digest(token)))


def list_users(session: Session) -> list[UserRow]:
    return list(session.scalars(select(UserRow).order_by(UserRow.name)))
