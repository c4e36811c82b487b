"""Quote facts: what a named speaker said, word for word, with the office they spoke for.

Quotes and speakers are found once per article (`speech.py`, kept on the `ArticleContext`); a quote
becomes a fact only when its speaker is known.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..model import Fact
from .attribution import speaker_claim

if TYPE_CHECKING:
    from .context import ArticleContext


def quote_facts(ctx: "ArticleContext") -> list[Fact]:
    facts = []
    for quote in ctx.quotes:
        if quote.speaker is None:
            continue
        first = ctx.sentences[quote.sentences[0]]
        last = ctx.sentences[quote.sentences[-1]]
        evidence = ctx.evidence(first.start, last.end)
        words = ctx.doc[quote.start:quote.end].text.strip().strip(",").strip()
        speaker = quote.speaker
        fields = {"speaker": speaker.name, "speaker_org": speaker.org, "text": words}
        confidence = 0.9 if speaker.rule.endswith(("after", "before")) else 0.7
        claimed = list(speaker_claim(ctx, speaker))
        if speaker.kind == "person" and not speaker.org and len(claimed) > 1:
            fields["speaker_org"] = claimed[-1]
        facts.append(Fact("quote", evidence, fields, claimed, confidence, speaker.rule))
    return facts
