"""`warmonitor user ...`: the dashboard's accounts, their API tokens and their login locks.

What each command does is in `serve.accounts` and `serve.login_limits` (no web code there); each command
is one transaction, and an `AccountError` is one line on stderr with exit status 1.
"""
from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Optional

import typer

from warmonitor.cli.options import DB_HELP, error_console, open_store

user_app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                       help="Accounts for the dashboard: viewers read, analysts also review facts, admins too.")
DB = typer.Option(None, "--db", envvar="WARMONITOR_DB", help=DB_HELP)


def register(app: typer.Typer) -> None:
    app.add_typer(user_app, name="user", help="Dashboard accounts, API tokens and login locks.")


@contextmanager
def _accounts(db: str | None) -> Iterator:
    """A session in one transaction over the store at `db`; account errors end the command in one line."""
    from sqlalchemy.orm import Session

    from warmonitor.serve import accounts

    err = error_console()
    store = open_store(db, err)
    try:
        with Session(store.engine) as session, session.begin():
            yield session
    except accounts.AccountError as exc:
        err.print(f"warmonitor: {exc}", markup=False)
        raise typer.Exit(1)
    finally:
        store.close()


def _read_password(password_stdin: bool) -> str:
    if password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return typer.prompt("Password", hide_input=True, confirmation_prompt=True)


def _say(message: str) -> None:
    error_console().print(f"warmonitor: {message}", markup=False)


@user_app.command("add")
def user_add(
    name: str = typer.Argument(..., help="User name (letters, digits, . _ - @)."),
    role: str = typer.Option("analyst", help="viewer (may read), analyst (may also review facts) or admin."),
    db: Optional[str] = DB,
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Read the password from standard input."),
    replace: bool = typer.Option(False, "--replace", help=(
        "Set a new password and role for an existing user (ends their sessions and revokes their API tokens).")),
) -> None:
    """Add a dashboard account (the password is asked for, or read from stdin)."""
    from warmonitor.serve import accounts

    password = _read_password(password_stdin)
    with _accounts(db) as session:
        accounts.add_user(session, name, password, role, replace=replace)
    _say(f"user {name} ({role}) saved" + ("; their sessions and API tokens ended" if replace else ""))


@user_app.command("password")
def user_password(
    name: str = typer.Argument(..., help="The user."),
    db: Optional[str] = DB,
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Read the password from standard input."),
) -> None:
    """Set a new password (role kept); the user's sessions end and their API tokens are revoked."""
    from warmonitor.serve import accounts

    password = _read_password(password_stdin)
    with _accounts(db) as session:
        accounts.set_password(session, name, password)
    _say(f"new password for {name}; their sessions and API tokens ended")


@user_app.command("token")
def user_token(
    name: str = typer.Argument(..., help="The user the token acts for."),
    label: Optional[str] = typer.Option(None, help="What the token is for (shown in lists)."),
    days: int = typer.Option(90, min=1, max=3650, help="Days until the token expires."),
    db: Optional[str] = DB,
) -> None:
    """Make an API token for scripts (printed once: keep it safe)."""
    from warmonitor.serve import accounts

    with _accounts(db) as session:
        token = accounts.new_token(session, name, label, days=days)
    print(token)
    _say(f"send it as 'Authorization: Bearer <token>'; it expires in {days} days")


@user_app.command("tokens")
def user_tokens(name: str = typer.Argument(..., help="The user."), db: Optional[str] = DB) -> None:
    """List a user's API tokens: id, label, made, expires, last used (never the token itself)."""
    from warmonitor.serve import accounts

    def day(value) -> str:
        return value.strftime("%Y-%m-%d %H:%M") if value is not None else "-"

    with _accounts(db) as session:
        rows = accounts.list_tokens(session, name)
        print("id\tlabel\tmade\texpires\tlast used")
        for row in rows:
            expires = "expired " + day(row.expires_at) if accounts.token_expired(row) else day(row.expires_at)
            print(f"{row.id}\t{row.label or '-'}\t{day(row.created_at)}\t{expires}\t{day(row.last_used_at)}")


@user_app.command("revoke")
def user_revoke(
    name: str = typer.Argument(..., help="The user."),
    token: Optional[int] = typer.Option(None, "--token", help="The id of the token (see: warmonitor user tokens NAME)."),
    every: bool = typer.Option(False, "--all", help="Every API token of the user."),
    db: Optional[str] = DB,
) -> None:
    """Revoke one API token of a user (--token ID) or all of them (--all)."""
    from warmonitor.serve import accounts

    if (token is None) == (not every):
        _say("say which tokens: --token ID (see: warmonitor user tokens NAME) or --all")
        raise typer.Exit(2)
    with _accounts(db) as session:
        gone = accounts.revoke_tokens(session, name, token)
    _say(f"{gone} API token(s) of {name} revoked")


@user_app.command("unlock")
def user_unlock(name: str = typer.Argument(..., help="The user."), db: Optional[str] = DB) -> None:
    """Lift the lock that failed logins put on a user name (it also lifts itself after 15 minutes)."""
    from warmonitor.serve import accounts, login_limits

    with _accounts(db) as session:
        accounts.require_user(session, name)
        forgotten = login_limits.clear_account(session, name)
    _say(f"{name} may log in again ({forgotten} failed login(s) forgotten)")


@user_app.command("list")
def user_list(db: Optional[str] = DB) -> None:
    """List the accounts."""
    from warmonitor.serve import accounts

    with _accounts(db) as session:
        for user in accounts.list_users(session):
            state = " (disabled)" if user.disabled else ""
            print(f"{user.name}\t{user.role}{state}")

