"""Who every fact comes from: the `claimed_by` of casualty, displacement, attack, control,
population and quote facts alike.

A fact inside a quote is the speaker's; otherwise its sentence's attribution ("according to X",
"..., he said", "X said that ..."), else the attribution carried over from the sentence before;
else nobody (the outlet states it). Speakers are resolved to canonical actors, and persons to the
office they spoke for at the article's date.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .speech import Quote, Speaker, who

if TYPE_CHECKING:
    from ..model import Fact
    from ..resolve.actors import Actors
    from .context import ArticleContext, Sentence


def type_named_actors(actors: "Actors", facts: list["Fact"]) -> None:
    """Write on every fact the type of each actor and claimant it names (`Fact.actor_types`), once the
    facts are final: the store files names by type without loading the actor list again."""
    for fact in facts:
        fact.actor_types = actors.types_of(fact.actor_names())


def speaker_claim(ctx: "ArticleContext", speaker: Speaker) -> tuple[str, ...]:
    """What `claimed_by` holds for a speaker: the person and the office they spoke for (Bachelet ->
    OHCHR, at the article's date), the organisation's canonical name, or the name as written."""
    actors = ctx.resources.actors
    if speaker.kind == "descriptor" or not ctx.resources.resolve:
        return (speaker.name,) + ((speaker.org,) if speaker.org else ())
    names = actors.claimant(speaker.name, ctx.published, ctx.country)
    if speaker.org and speaker.org not in names:
        names.append(speaker.org)
    return tuple(dict.fromkeys(n for n in names if n))


def quote_around(ctx: "ArticleContext", token: int) -> Quote | None:
    return ctx.quote_at.get(token)  # indexed: a scan of every quote per fact was quadratic


def claimants(ctx: "ArticleContext", sentence: "Sentence", token: int) -> list[str]:
    """Who the article says a fact at `token` comes from: the quote around it, else its sentence's
    attribution ("according to X", "..., he said", "X said that ..."), else the attribution carried
    over from the sentence before in the paragraph (or from a lead-in ending in a colon: "SOHR
    documented 17 deaths, as follows:"), else nobody (the outlet states it)."""
    quote = quote_around(ctx, token)
    if quote is not None:
        if quote.speaker is None:
            return []
        return list(speaker_claim(ctx, quote.speaker))
    return list(sentence_claim(ctx, sentence.index))


def sentence_claim(ctx: "ArticleContext", index: int) -> tuple[str, ...]:
    memo = ctx.claims
    if index in memo:
        return memo[index]
    sentence = ctx.sentences[index]
    claim = own_claim(ctx, sentence)
    if not claim and index > 0:
        previous = ctx.sentences[index - 1]
        follows = previous.paragraph == sentence.paragraph or ctx.doc.tokens[previous.end - 1].text == ":" \
            or ctx.doc.tokens[sentence.start].text in ("-", "•", "*")
        if follows and previous.start not in ctx.quoted_tokens:
            claim = sentence_claim(ctx, index - 1)
    memo[index] = claim
    return claim


def own_claim(ctx: "ArticleContext", sentence: "Sentence") -> tuple[str, ...]:
    doc = ctx.doc
    hits = [h for h in ctx.hits.get(sentence.index, ()) if h.kind == "speech" and h.start not in ctx.quoted_tokens]
    for hit in hits:
        if doc.tokens[hit.start].lower_ == "according":
            end = sentence.end
            for i in range(hit.end, sentence.end):
                if doc.tokens[i].text in ",.;" and i > hit.end + 1 and doc.tokens[i - 1].text != ")":
                    end = i
                    break
            speaker = who(ctx, hit.end, end, hit.end, hit.start, "claim.according-to")
            if speaker:
                return speaker_claim(ctx, speaker)
            phrase = doc[hit.end:end].text.strip()
            if phrase:  # "according to reports received by humanitarian partners": keep the words
                return (phrase[4:] if phrase.lower().startswith("the ") else phrase,)
    for hit in hits:
        # the subject next to the verb ("..., he said"), the sentence's subject ("X of Y, reporting
        # from Z, said that"), then a name after the verb ("said an aid group ..., Hurras Network")
        clause = hit.start
        while clause > sentence.start and doc.tokens[clause - 1].text not in ",;:":
            clause -= 1
        windows = [(clause, hit.start, "claim.subject")]
        if clause == hit.start:  # "X of Y, reporting from Z, said that": the subject is further back
            windows.append((sentence.start, hit.start, "claim.subject"))
        windows.append((hit.end, sentence.end, "claim.said-after"))
        for start, end, rule in windows:
            if start >= end:
                continue
            speaker = who(ctx, start, end, hit.start if end == hit.start else start, hit.start, rule)
            if speaker:
                return speaker_claim(ctx, speaker)
    return ()
