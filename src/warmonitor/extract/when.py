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
- a fact still without a day (a headline, an opening told before its day) takes the article's own date
  (`date.article`): the day its dated event facts give most, else the first its opening (or text) states;
- a killing or wounding dated by the day of what followed it (an arrest, a charge, a court hearing, the
  naming of the dead, a burial: `timing.follow_up_day`) takes the earlier event day its sentence or
  article states (`date.before-follow-up`); such a day is never carried to other facts either;
- an event dated by a night that spans two days ("overnight") takes the day the article names for it
  when that is one of the two ("overnight shelling ... in the early hours of Sunday": `date.night-named`);
- a running-toll update ("the toll rose to 45 on Sunday") is dated by the update's day only when the
  article states no event day before it: the event's day is the incident's (`date.event-before-update`);
- a day that only says when a source spoke ("police said on Tuesday"), or the dateline's date, is never an event day
  (`timing.report_day`, used by `phrases.time_of` too); an event is on or before its report, so a day after
  the publication day is no event day either.
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from ..data_files import load_words
from .timing import follow_up_day, patterns, report_day, sentence_times

if TYPE_CHECKING:
    from ..model import Fact
    from .context import ArticleContext

EVENT_TYPES = ("casualty", "attack", "control", "displacement")


def day_refs(ctx: "ArticleContext", index: int, follow_ups: bool = False) -> list:
    """The event days sentence `index` states, as (start, end, TimeRef): single days that are no report
    day, not after the publication day, in a sentence that is no toll update; and no follow-up's day
    ("a suspect was arrested on Tuesday") unless `follow_ups` (for a detention, the arrest is the event)."""
    _, _, update = patterns()
    sentence = ctx.sentences[index]
    if update.search(ctx.doc[sentence.start:sentence.end].text):
        return []
    out = []
    for ref in sentence_times(ctx, index):
        r = ref[2]
        if r.date is None or r.kind not in ("day", "ago") or (r.precision or "day") != "day":
            continue
        if ctx.published and r.date > str(ctx.published)[:10]:
            continue
        if report_day(ctx, ref[0]) or not follow_ups and follow_up_day(ctx, ref[0], ref[1]):
            continue
        out.append(ref)
    return out


def event_day(ctx: "ArticleContext", index: int, follow_ups: bool = False):
    """The first event day sentence `index` states (`day_refs`), or None."""
    refs = day_refs(ctx, index, follow_ups)
    return refs[0] if refs else None


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


def lead_time(ctx: "ArticleContext", follow_ups: bool = False) -> dict | None:
    """{"date", "period_text"} of the first event day the opening states, or None: the article's date
    for its summary when no fact states one."""
    for index in lead_window(ctx):
        found = event_day(ctx, index, follow_ups)
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


FOLLOWED = ("killed", "injured")  # outcomes an arrest, a charge or a burial follows (a detention is its own event)


def attach_dates(ctx: "ArticleContext", facts: list["Fact"]) -> None:
    _, _, update = patterns()
    memo: dict[tuple, object] = {}

    def day_of(index: int, follow_ups: bool = False):
        if (index, follow_ups) not in memo:
            memo[index, follow_ups] = event_day(ctx, index, follow_ups)
        return memo[index, follow_ups]

    for fact in facts:
        if fact.type not in EVENT_TYPES or fact.fields.get("period"):
            continue
        index = ctx.sentence_of_char(fact.evidence.start)
        own = fact.fields.get("date")
        is_update = own is not None and bool(update.search(fact.evidence.text))
        if own is not None and not is_update:
            _check_own(ctx, fact, index, day_of)
            continue
        if own is None and fact.fields.get("period_text") and any(
                not report_day(ctx, r[0]) for r in sentence_times(ctx, index)):
            continue  # a phrase the article lacks a publication day for: nothing to carry over it
        keep = not _follows(fact)
        found, rule = _carried(ctx, index, lambda j: day_of(j, keep), not is_update)
        if found is None:
            continue
        if is_update:
            rule = "date.event-before-update"
        _set(fact, found, rule)
        _name_night(ctx, fact, index, ctx.sentence_of_char(found[0]))
    _article_day(ctx, facts)


def _article_day(ctx: "ArticleContext", facts: list["Fact"]) -> None:
    """The article's own date for the event facts still without a day (a headline, an opening told before
    its day: "Four soldiers were killed in an ambush near Kidal. ... The convoy was attacked on Sunday
    night"): the day its dated event facts give most (the summary's date), else the first event day of
    its opening (`lead_time`), else the first it states anywhere. Rule `date.article`."""
    events = [f for f in facts if f.type in EVENT_TYPES]
    bare = [f for f in events if not f.fields.get("date") and not f.fields.get("period")
            and not f.fields.get("period_text")]
    if not bare:
        return
    leads: dict[bool, dict | None] = {}
    for fact in bare:
        # an arrest is often the follow-up of the killing the article reports: its day is no killing's
        dated = [(f.fields["date"], f.fields.get("period_text")) for f in events if f.fields.get("date")
                 and (_detention(fact) or not _detention(f))]
        if dated:
            counts: dict = {}
            for d, _ in dated:
                counts[d] = counts.get(d, 0) + 1
            day, phrase = max(dated, key=lambda d: counts[d[0]])  # a tie: the first stated
        else:
            keep = not _follows(fact)
            if keep not in leads:
                leads[keep] = lead_time(ctx, keep) or _first_day(ctx, keep)
            if leads[keep] is None:
                continue
            day, phrase = leads[keep]["date"], leads[keep]["period_text"]
        fact.fields.update(date=day, period=None, period_text=phrase, date_rule="date.article")


def _first_day(ctx: "ArticleContext", follow_ups: bool = False) -> dict | None:
    """{"date", "period_text"} of the first event day the article states anywhere, or None: an opening
    that says only what happened ("A man was charged with manslaughter in the shooting death of his
    daughter") leaves when to a later paragraph ("She was killed on 21 September ...")."""
    for index in range(len(ctx.sentences)):
        found = event_day(ctx, index, follow_ups)
        if found:
            return {"date": found[2].date, "period_text": found[2].phrase}
    return None


def _detention(fact: "Fact") -> bool:
    return fact.type == "casualty" and fact.fields.get("outcome") not in FOLLOWED


def _follows(fact: "Fact") -> bool:
    """Whether an arrest, a charge or a burial may follow the fact's event: a killing, a wounding, an attack.
    "No civilians were hurt" tells of the operation itself (a raid, a detention), not of a killing."""
    if fact.type == "attack":
        return True
    count = fact.fields.get("count")
    best = count.get("best") if isinstance(count, dict) else getattr(count, "best", None)
    return fact.type == "casualty" and fact.fields.get("outcome") in FOLLOWED and best != 0


def _set(fact: "Fact", ref, rule: str) -> None:
    fact.fields.update(date=ref[2].date, period=None, period_text=ref[2].phrase)
    fact.fields["date_rule"] = rule


def _carried(ctx: "ArticleContext", index: int, day_of, forward: bool):
    """(ref, rule) of the event day carried to a fact of sentence `index` that states none: the day stated
    nearest before it in its paragraph, else in the next sentence of its paragraph, else in an earlier
    paragraph (`forward`: not for a toll update, which keeps its own day rather than a later one)."""
    sentence = ctx.sentences[index]
    for j in range(index - 1, -1, -1):
        if ctx.sentences[j].paragraph != sentence.paragraph:
            break
        if day_of(j):
            return day_of(j), "date.paragraph"
    if forward and index + 1 < len(ctx.sentences) \
            and ctx.sentences[index + 1].paragraph == sentence.paragraph and day_of(index + 1):
        return day_of(index + 1), "date.next-sentence"
    for j in range(index - 1, -1, -1):
        if ctx.sentences[j].paragraph != sentence.paragraph and day_of(j):
            return day_of(j), "date.earlier"
    return None, None


def _own_ref(ctx: "ArticleContext", fact: "Fact", index: int):
    """The time phrase of the fact's sentence that gave it its own date, or None."""
    return next((r for r in sentence_times(ctx, index)
                 if r[2].date == fact.fields.get("date") and r[2].phrase == fact.fields.get("period_text")), None)


def _check_own(ctx: "ArticleContext", fact: "Fact", index: int, day_of) -> None:
    """A killing dated by the day of what followed it ("a man was charged on Friday in the killing of
    ...") takes the earlier event day its sentence states, else the one carried to it, else the first
    earlier one its article states (`date.before-follow-up`); a
    two-day night ("overnight") takes the day the article names for it (`date.night-named`)."""
    ref = _own_ref(ctx, fact, index)
    if ref is None:
        return
    if _follows(fact) and follow_up_day(ctx, ref[0], ref[1]):
        own = fact.fields["date"]
        earlier = [r for r in day_refs(ctx, index) if r[2].date < own]
        found = earlier[0] if earlier else _carried(ctx, index, day_of, True)[0]
        if found is None or found[2].date >= own:
            # "... was charged Friday in the shooting death of ..." and, paragraphs later, "on 27 December"
            found = next((day_of(j) for j in range(len(ctx.sentences)) if day_of(j) and day_of(j)[2].date < own),
                         None)
        if found is not None:
            _set(fact, found, "date.before-follow-up")
        return
    _name_night(ctx, fact, index, index)


def _is_night(phrase: str | None) -> bool:
    words = (phrase or "").lower().split()
    return any(w in words for w in load_words("time_words", "two_day_nights"))


def _name_night(ctx: "ArticleContext", fact: "Fact", index: int, origin: int) -> None:
    """An event dated by a night that spans two days ("overnight", resolved to the day before the
    report) takes the day the article names for it when that is one of the two: "Overnight shelling
    killed four ... in the early hours of Sunday" is Sunday's. The sentence of the night word
    (`origin`) is read first, then the fact's own, the opening, the fact's paragraph and the rest."""
    if not _is_night(fact.fields.get("period_text")) or not fact.fields.get("date"):
        return
    night = date.fromisoformat(fact.fields["date"])
    days = (night.isoformat(), (night + timedelta(days=1)).isoformat())
    paragraph = ctx.sentences[index].paragraph
    near = [j for j in range(len(ctx.sentences)) if ctx.sentences[j].paragraph == paragraph]
    for j in dict.fromkeys([origin, index, *lead_window(ctx), *near, *range(len(ctx.sentences))]):
        for ref in day_refs(ctx, j):
            if ref[2].date in days and not _is_night(ref[2].phrase):
                _set(fact, ref, "date.night-named")
                return
