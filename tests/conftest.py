"""Shared fixtures and helpers for the extractor, trap and CLI tests.

All test texts in these files are invented for the tests; none is taken from an article or a corpus.
"""
from __future__ import annotations

import pytest

from warmonitor.model import Article
from warmonitor.pipeline import Pipeline


@pytest.fixture(scope="session")
def pipeline() -> Pipeline:
    return Pipeline()


def extract(pipeline: Pipeline, text: str, published: str | None = None) -> list[dict]:
    """The fact records (docs/format.md, summary last) that the pipeline makes of `text`."""
    return pipeline.extract(Article(id="t", text=text, published=published)).records()


def facts(records: list[dict], type_: str, **where) -> list[dict]:
    """Records of one type whose fields equal every `where` value."""
    return [r for r in records if r.get("type") == type_ and all(r.get(k) == v for k, v in where.items())]


def summary_of(records: list[dict]) -> dict:
    found = [r for r in records if r.get("type") == "summary"]
    assert len(found) == 1, f"expected one summary, got {len(found)}"
    return found[0]


def count_numbers(records: list[dict]) -> set:
    """Every low/best/high value of every count in the records (summary excluded)."""
    out = set()
    for r in records:
        count = r.get("count")
        if isinstance(count, dict):
            out |= {count.get(k) for k in ("low", "best", "high")} - {None}
    return out


def bests(records: list[dict], type_: str, **where) -> list:
    return [(r.get("count") or {}).get("best") for r in facts(records, type_, **where)]


def show(records: list[dict]) -> str:
    """Compact form of the records for assertion messages."""
    lines = []
    for r in records:
        r = {k: v for k, v in r.items() if k not in ("article", "evidence", "confidence", "rule")}
        lines.append(repr(r))
    return "\n".join(lines)


def place_name(value) -> str | None:
    return value.get("name") if isinstance(value, dict) else value


# --- Storage backends (tests/test_store.py) -----------------------------------------------------------
# "sqlite": a file in the test's tmp_path. "postgresql": a fresh database made for the test from the server
# that $WARMONITOR_TEST_PG_URL names (its user needs CREATEDB; without it, a fresh schema in that database)
# and dropped afterwards; skipped when the variable is unset.

import os
import time
import uuid

PG_URL_VAR = "WARMONITOR_TEST_PG_URL"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.skipif(
    not os.environ.get(PG_URL_VAR),
    reason=f"PostgreSQL backend not tested: set {PG_URL_VAR}=postgresql+psycopg://user:password@host:port/dbname "
           "(a user that may CREATEDB)"))])
def db_url(request, tmp_path):
    """A database URL with nothing in it, one per test and backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'warmonitor.db'}"
    else:
        yield from _fresh_postgresql(os.environ[PG_URL_VAR])


def _fresh_postgresql(url: str):
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ProgrammingError
    from sqlalchemy.pool import NullPool

    base = make_url(url)
    name = f"warmonitor_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        fresh, drop = base.set(database=name), f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
    except ProgrammingError:  # no CREATEDB: a schema of our own, first on the search path
        with admin.connect() as connection:
            connection.execute(text(f'CREATE SCHEMA "{name}"'))
        fresh = base.update_query_dict({"options": f"-csearch_path={name}"})
        drop = f'DROP SCHEMA IF EXISTS "{name}" CASCADE'
    try:
        yield fresh.render_as_string(hide_password=False)
    finally:
        for attempt in range(10):
            try:
                with admin.connect() as connection:
                    connection.execute(text(drop))
                break
            except ProgrammingError:  # an autovacuum worker (the server's, not ours) cannot be forced out
                if attempt == 9:
                    raise
                time.sleep(0.5)
        admin.dispose()
