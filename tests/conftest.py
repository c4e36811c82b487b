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
    """The fact records (FORMAT.md shape, summary last) that the pipeline makes of `text`."""
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
