"""The records that flow between stages: an article as read, a count, a fact.

Kept as plain dataclasses so that a worker in another process can build and pickle them without the
pipeline, and so that the JSON shape of FORMAT.md is produced in exactly one place (`Fact.to_record`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Article:
    """One article as a reader found it, before any repair.

    `source` names where it came from (a path, `path:line`, `-`) so that errors can name the item.
    """

    id: str
    text: str
    title: str | None = None
    published: str | None = None
    outlet: str | None = None
    url: str | None = None
    language: str | None = None
    source: str = ""


@dataclass
class ReadError:
    """An input that could not be turned into an article; `message` is one line written for a user."""

    source: str
    message: str


@dataclass
class Count:
    """A count with its uncertainty: "about 300" is best 300, qualifier "about"."""

    low: int | None
    best: int | None
    high: int | None
    qualifier: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"low": self.low, "best": self.best, "high": self.high, "qualifier": self.qualifier}

    @property
    def value(self) -> int | None:
        """The single number a total should add: best, else the bound we have."""
        if self.best is not None:
            return self.best
        return self.low if self.low is not None else self.high


@dataclass
class Evidence:
    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end}


@dataclass
class Fact:
    """One fact an article states, with the evidence, the claimant and the rule that found it.

    `fields` holds the type-specific fields of FORMAT.md (count as a `Count`, the rest plain JSON).
    """

    type: str
    evidence: Evidence
    fields: dict[str, Any] = field(default_factory=dict)
    claimed_by: list[str] = field(default_factory=list)
    confidence: float = 0.5
    rule: str = ""

    def to_record(self, article_id: str) -> dict[str, Any]:
        record: dict[str, Any] = {"article": article_id, "type": self.type}
        for key, value in self.fields.items():
            record[key] = value.to_dict() if isinstance(value, Count) else value
        record["evidence"] = self.evidence.to_dict()
        record["claimed_by"] = list(self.claimed_by)
        record["confidence"] = round(self.confidence, 3)
        record["rule"] = self.rule
        return record


@dataclass
class ArticleResult:
    """What extraction makes of one article: the repaired text the offsets point into, facts, summary."""

    article: Article
    text: str
    facts: list[Fact]
    summary: dict[str, Any]
    repairs: list[dict[str, Any]] = field(default_factory=list)

    def records(self) -> list[dict[str, Any]]:
        out = [fact.to_record(self.article.id) for fact in self.facts]
        out.append({"article": self.article.id, "type": "summary", **self.summary})
        return out
