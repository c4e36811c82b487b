"""Accounts, API tokens and browser sessions, kept in the store's database (no web code here: the CLI uses it too).

Passwords are argon2id hashes (argon2-cffi); API tokens and session tokens are random 256-bit values of
which only the sha256 is stored, so a copy of the database gives no way in. Every token expires; a new
password ends every session and revokes every token of the user, since whoever knew the old one may
have made them.

Roles: a viewer may read (also when reading is private), an analyst may also review facts, an admin too.
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

ROLES = ("viewer", "analyst", "admin")
REVIEW_ROLES = frozenset({"analyst", "admin"})
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
MIN_PASSWORD = 8
SESSION_DAYS = 14
TOKEN_DAYS = 90  # a token that leaks in a script or a log stops working on its own
MAX_TOKEN_DAYS = 3650


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
        return self.role in REVIEW_ROLES


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
    """A new account (or, with `replace`, a new password and role for an existing one, whose sessions and
    tokens end: `set_password`)."""
    if not NAME.match(name or ""):
        raise AccountError(f"user name {name!r}: use 1-64 letters, digits, '.', '_', '-' or '@'")
    if role not in ROLES:
        raise AccountError(f"role {role!r}: expected one of {', '.join(ROLES)}")
    _check_password_rules(password)
    found = session.get(UserRow, name)
    if found is not None and not replace:
        raise AccountError(f"user {name!r} exists already (use --replace to set a new password or role)")
    if found is None:
        found = UserRow(name=name, password_hash=_hasher().hash(password), role=role, created_at=_now(),
                        disabled=False)
        session.add(found)
    else:
        set_password(session, name, password)
        found.role = role
    return found


def set_password(session: Session, name: str, password: str) -> UserRow:
    """A new password for `name` (role kept, account enabled again); every session and API token of the
    user ends, since a password is reset when the old one may be known to someone else."""
    _check_password_rules(password)
    found = require_user(session, name)
    found.password_hash, found.disabled = _hasher().hash(password), False
    end_access(session, name)
    return found


def end_access(session: Session, name: str) -> None:
    """Log `name` out everywhere and revoke every API token of theirs."""
    session.execute(delete(SessionRow).where(SessionRow.user_name == name))
    session.execute(delete(TokenRow).where(TokenRow.user_name == name))


def _check_password_rules(password: str) -> None:
    if len(password or "") < MIN_PASSWORD:
        raise AccountError(f"the password needs at least {MIN_PASSWORD} characters")


def require_user(session: Session, name: str) -> UserRow:
    """The account `name`, or an `AccountError` saying how to add it."""
    found = session.get(UserRow, name)
    if found is None:
        raise AccountError(f"no user {name!r} (add one with: warmonitor user add {name} --role analyst)")
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


def new_token(session: Session, name: str, label: str | None = None, *, days: int = TOKEN_DAYS) -> str:
    """A new API token for `name`, valid for `days`; the token itself is returned once and never stored."""
    require_user(session, name)
    if not isinstance(days, int) or not 1 <= days <= MAX_TOKEN_DAYS:
        raise AccountError(f"--days: expected 1 to {MAX_TOKEN_DAYS}")
    token = "wm_" + secrets.token_urlsafe(32)
    now = _now()
    session.add(TokenRow(token_hash=digest(token), user_name=name, label=label, created_at=now,
                         expires_at=now + dt.timedelta(days=days)))
    return token


def list_tokens(session: Session, name: str) -> list[TokenRow]:
    """The API tokens of `name`, oldest first (their ids, labels and dates: the tokens themselves are not kept)."""
    require_user(session, name)
    return list(session.scalars(select(TokenRow).where(TokenRow.user_name == name).order_by(TokenRow.id)))


def token_expired(row: TokenRow, now: dt.datetime | None = None) -> bool:
    return _aware(row.expires_at) <= (now or _now())


def revoke_tokens(session: Session, name: str, token_id: int | None = None) -> int:
    """Revoke one API token of `name` (by its id in `list_tokens`), or all of them; how many went."""
    require_user(session, name)
    where = [TokenRow.user_name == name] + ([TokenRow.id == token_id] if token_id is not None else [])
    gone = session.execute(delete(TokenRow).where(*where)).rowcount or 0
    if token_id is not None and not gone:
        raise AccountError(f"user {name!r} has no token {token_id} (see: warmonitor user tokens {name})")
    return gone


def by_token(session: Session, token: str) -> Principal | None:
    """Who an API token acts for, or None when it is unknown, revoked, expired or its user disabled."""
    row = session.scalar(select(TokenRow).where(TokenRow.token_hash == digest(token)))
    if row is None or token_expired(row):
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
    """Who a session cookie belongs to, or None when it is unknown, expired or its user disabled."""
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
