"""What casualty and attack facts share about perpetrators: armed actors named after "by", once each.

Both fact types read perpetrators the same way ("killed by X", "shelled by X and Y"), so the
helpers live here rather than in one of them.
"""
from __future__ import annotations

from collections.abc import Iterable

from ..resolve.actors import ActorMention


def actors_after(mentions: Iterable[ActorMention], start: int, end: int) -> list[str]:
    """The actors of mentions that begin after token `start`, up to token `end` ("by" at `start`)."""
    return [m.actor for m in mentions if start < m.start <= end]


def unique(values: list[str]) -> list[str]:
    """The names in order, once each, empty ones dropped."""
    return list(dict.fromkeys(v for v in values if v))
