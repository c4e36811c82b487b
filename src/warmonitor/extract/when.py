"""Where and when the events of an article happened, for facts whose own sentence does not say.

Reports state the event's day and place once, in the lead or the dateline, and then tell the rest
without repeating them: "Gunmen attacked a checkpoint on Sunday night. Four soldiers were killed and
two wounded." An analyst reads the second sentence as Sunday's; so does this module, after the
extractors have run (`attach`):

- place: a fact that names no place (no place, origin or destination) takes the first place below
  country level that the article's opening names ("during an operation in Marjeh district, Helmand
  province"), marked `from_context`, else the dateline's town ("KHARKIV, Ukraine (Reuters) —"),
  resolved within the region the dateline names (`resolve.datelines`), marked `from_dateline`. The
  opening outranks the dateline: a dateline names where the story was filed, often a capital
  ("KABUL" on every release of a press office), while the opening names where it happened;
- date: an event fact whose sentence states no time takes the event day stated nearest before it in
  its paragraph, else in the next sentence of its paragraph, else in an earlier paragraph; the
  fact's `date_rule` says which (`date.paragraph`, `date.next-sentence`, `date.earlier`);
- a running-toll update ("the toll rose to 45 on Sunday") is dated by the update's day only when the
  article states no event day before it: the event's day is the incident's (`date.event-before-update`);
- a day that only says when a source spoke ("police said on Tuesday"), or the dateline's date, is never an event day
  (`timing.report_day`, used by `phrases.time_of` too); an event is on or before its report, so a day after
  the publication day is no event day either.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .timing import patterns, report_day, sentence_times

if TYPE_CHECKING:
    from ..model import Fact
    from .context import ArticleContext

EVENT_TYPES = ("casualty", "attack", "control", "displacement")


def event_day(ctx: "ArticleContext", index: int):
    """The event day sentence `index` states, as (start, end, TimeRef), or None: a single day that is no
    report day, not after the publication day, and not the day of a toll update."""
    _, _, update = patterns()
    sentence = ctx.sentences[index]
    if update.search(ctx.doc[sentence.start:sentence.end].text):
        return None
    for ref in sentence_times(ctx, index):
        r = ref[2]
        if r.date is None or r.kind not in ("day", "ago") or (r.precision or "day") != "day":
            continue
        if ctx.published and r.date > str(ctx.published)[:10]:
            continue
        if report_day(ctx, ref[0]):
            continue
        return ref
    return None


def attach(ctx: "ArticleContext", facts: list["Fact"]) -> None:
    """Give the event facts that lack them the dateline's place and the day stated around them."""
    if not ctx.resources.resolve:
        return
    attach_places(ctx, facts)
    attach_dates(ctx, facts)


LEAD_SENTENCES = 4  # the headline and the opening sentences, where reports say where and when


def lead_window(ctx: "ArticleContext") -> list[int]:
    """The sentences of the article's opening: the headline (or first sentence) and the first sentences
    after the dateline (all of them from the start when there is none)."""
    if not ctx.sentences:
        return []
    start = 0
    if ctx.dateline is not None:
        start = ctx.sentence_of_char(ctx.dateline.end)
    return list(dict.fromkeys([0, *range(start, min(len(ctx.sentences), start + LEAD_SENTENCES))]))


def lead_place(ctx: "ArticleContext") -> tuple[int, dict] | None:
    """(sentence, place) of the first place below country level that the opening names ("during an
    operation in Marjeh district, Helmand province"), or None: the place of the article's events
    when a fact does not name its own."""
    from .phrases import free_places, place_record

    for index in lead_window(ctx):
        for mention in free_places(ctx, index):
            if mention.place.kind != "country":
                return index, place_record(mention)
    return None


def lead_time(ctx: "ArticleContext") -> dict | None:
    """{"date", "period_text"} of the first event day the opening states, or None: the article's date
    for its summary when no fact states one."""
    for index in lead_window(ctx):
        found = event_day(ctx, index)
        if found:
            return {"date": found[2].date, "period_text": found[2].phrase}
    return None


def attach_places(ctx: "ArticleContext", facts: list["Fact"]) -> None:
    """A fact that names no place takes the place the article's opening names (when the opening comes
    before it: `from_context`), else the dateline's town (`from_dateline`)."""
    lead = lead_place(ctx)
    dateline = ctx.dateline.record() if ctx.dateline is not None else None
    for fact in facts:
        if fact.type not in EVENT_TYPES:
            continue
        keys = ("place", "origin", "destination") if fact.type == "displacement" else ("place",)
        if any(fact.fields.get(k) for k in keys):
            continue
        if lead is not None and lead[0] <= ctx.sentence_of_char(fact.evidence.start):
            fact.fields["place"] = dict(lead[1], from_context=True)
        elif dateline is not None:
            fact.fields["place"] = dict(dateline)


def attach_dates(ctx: "ArticleContext", facts: list["Fact"]) -> None:
    _, _, update = patterns()
    memo: dict[int, object] = {}

    def day_of(index: int):
        if index not in memo:
            memo[index] = event_day(ctx, index)
        return memo[index]

    for fact in facts:
        if fact.type not in EVENT_TYPES or fact.fields.get("period"):
            continue
        index = ctx.sentence_of_char(fact.evidence.start)
        sentence = ctx.sentences[index]
        own = fact.fields.get("date")
        is_update = own is not None and bool(update.search(fact.evidence.text))
        if own is not None and not is_update:
            continue
        if own is None and fact.fields.get("period_text") and any(
                not report_day(ctx, r[0]) for r in sentence_times(ctx, index)):
            continue  # a phrase the article lacks a publication day for: nothing to carry over it
        found, rule = None, None
        for j in range(index - 1, -1, -1):
            if ctx.sentences[j].paragraph != sentence.paragraph:
                break
            if day_of(j):
                found, rule = day_of(j), "date.paragraph"
                break
        if found is None and not is_update and index + 1 < len(ctx.sentences) \
                and ctx.sentences[index + 1].paragraph == sentence.paragraph and day_of(index + 1):
            found, rule = day_of(index + 1), "date.next-sentence"
        if found is None:
            for j in range(index - 1, -1, -1):
                if ctx.sentences[j].paragraph != sentence.paragraph and day_of(j):
                    found, rule = day_of(j), "date.earlier"
                    break
        if found is None:
            continue
        ref = found[2]
        fact.fields.update(date=ref.date, period=None, period_text=ref.phrase)
        fact.fields["date_rule"] = "date.event-before-update" if is_update else rule
