"""The records that flow between stages: an article as read, a count, a fact.

Kept as plain dataclasses so that a worker in another process can build and pickle them without the
pipeline, and so that the record shape of docs/format.md is produced in exactly one place (`Fact.to_record`).
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


# The largest figure taken as a count of anything the extractors count: about the number of people alive
# (8.2 billion in 2025). A larger "count" is a typo, a hoax or a number that counts nothing ("9,000,000,000,000,000,000
# people were killed"); the number parser gives it the kind "implausible" instead of "count", so no fact carries it.
# Families, households and targets are bounded by it too: each holds at least one person or is fewer than people.
# Why this matters for the numbers downstream: a sum over N facts stays at most N x 9e9, which fits a 64-bit integer
# (9.2e18) for up to a billion facts, so the store's sums and the server's int64 arrays cannot wrap.
MAX_PLAUSIBLE_COUNT = 9_000_000_000


def is_plausible_count(value: Any) -> bool:
    """Whether `value` can stand in a count's low/best/high: None, or a whole number from 0 to `MAX_PLAUSIBLE_COUNT`
    (a bool is no number here). Everything that stores or adds counts asks this, so that a figure from before
    the bound existed, or a hand-made record, is left out rather than summed."""
    if value is None:
        return True
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_PLAUSIBLE_COUNT


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


# The record fields (docs/format.md) that name actors (besides `claimed_by`): store/rows.py's `record_actors` reads the same.
ACTOR_FIELDS = ("perpetrators", "actor", "speaker", "speaker_org")


@dataclass
class Fact:
    """One fact an article states, with the evidence, the claimant and the rule that found it.

    `fields` holds the type-specific fields of docs/format.md (count as a `Count`, the rest plain JSON).
    `actor_types` maps the actors and claimants it names (`actor_names`) to their type in
    `data/actors.jsonl`, for those the list knows: written at extraction so that whoever stores or
    reads the facts types them without loading the actor list again.
    """

    type: str
    evidence: Evidence
    fields: dict[str, Any] = field(default_factory=dict)
    claimed_by: list[str] = field(default_factory=list)
    confidence: float = 0.5
    rule: str = ""
    actor_types: dict[str, str] = field(default_factory=dict)

    def actor_names(self) -> list[str]:
        """The actors and claimants the fact names: perpetrators, a control actor, a quote's speaker and
        their organisation, then `claimed_by`."""
        names: list[Any] = []
        for key in ACTOR_FIELDS:
            value = self.fields.get(key)
            names += value if isinstance(value, list) else [value]
        names += self.claimed_by
        return [n for n in dict.fromkeys(names) if isinstance(n, str) and n.strip()]

    def to_record(self, article_id: str) -> dict[str, Any]:
        record: dict[str, Any] = {"article": article_id, "type": self.type}
        for key, value in self.fields.items():
            record[key] = value.to_dict() if isinstance(value, Count) else value
        record["evidence"] = self.evidence.to_dict()
        record["claimed_by"] = list(self.claimed_by)
        if self.actor_types:
            record["actor_types"] = dict(self.actor_types)
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
