"""The wounded who later died, and victims added to a toll: changes told after the first figure.

Reports follow the wounded: "three soldiers were wounded; one later died of his wounds", "five
civilians were injured, two of whom later succumbed", "two were killed and two wounded ... a third
died in hospital the next day". Each later death moves victims from the wounded to the dead, so
that the report counts each victim once, in the outcome they came to:
- the wounded figure told before drops by as many (rule `casualty.later-died.fewer-wounded`; none
  left: it is dropped), and
- the death gets a fact of its own (rule `casualty.later-died`) whose count is the toll after the
  change: the killed figure told with those wounded plus the later deaths ("two were killed and
  three wounded ... one of the wounded later died": 3), or the ordinal's rank ("a third died": 3).
A written count that adds to a toll told before ("eleven were killed ..., and another four died in
a second blast", "two more bodies were found") keeps its own count with rule `casualty.more`; a
report's figure adds it to the figure of that outcome told last before it in its sentence
(`tolls.running_totals`).
A report's figure (link/records.report_figure, extract/summary) takes these as the latest state of
its tolls. A death told with a number ("one", "two of whom") or an ordinal ("a third") counts here;
a single victim told again ("the girl later died", "he succumbed") is `individuals.died_of_wounds`.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..model import Count
from ..nlp.lexicon import Hit
from ..nlp.numbers import NumberMention
from .individuals import one_count

if TYPE_CHECKING:
    from .context import ArticleContext
    from .quantities import Assignment

ALL = -1  # "both", "all" of the wounded died
CUE_WINDOW = 8  # words after the verb that may hold the cue of a later death ("died in hospital on Sunday")


def later_deaths(ctx: "ArticleContext", assignments: list["Assignment"]) -> list["Assignment"]:
    """`assignments` with the later deaths applied (see the module docstring), in text order."""
    from .quantities import Assignment

    words = ctx.resources.victim_words
    doc = ctx.doc
    out = list(assignments)
    for sentence in ctx.sentences:
        for v in range(sentence.start, sentence.end):
            if doc.tokens[v].lower_ not in words.death_verbs:
                continue
            subject = _subject(ctx, sentence, v)
            if subject is None:
                continue
            start, n, ordinal = subject
            cue = range(start, min(sentence.end, v + 1 + CUE_WINDOW))
            if not any(doc.tokens[i].lower_ in words.later_cues for i in cue):
                continue
            before = [a for a in out if a.type == "casualty" and a.mention.end <= start and not a.subset
                      and _exact(a) is not None]
            wounded = [a for a in before if a.trigger.value == "injured"]
            killed = [a for a in before if a.trigger.value == "killed"]
            ref = wounded[-1] if wounded else None
            if ordinal:
                if not killed or _exact(killed[-1]) != n - 1:
                    continue  # "the third strike", "a second man was wounded": no running toll
                total, moved, noun = n, 1, killed[-1].noun
            else:
                if ref is not None and n == ALL:
                    n = _exact(ref)
                if ref is None or _exact(ref) < n or n < 1:
                    continue
                told_with = [a for a in killed if a.sentence is ref.sentence]
                total, moved, noun = n + (_exact(told_with[-1]) if told_with else 0), n, ref.noun
            out = [a for a in out if not (a.type == "casualty" and start <= a.mention.start < v)]
            death = Assignment(one_count(start, v, total, doc.tokens[start].text), sentence, "casualty",
                               Hit("outcome", "killed", v, v + 1), noun if noun and noun.kind == "victim" else None,
                               None, 0, "later-died")
            out.append(death)
            if ref is not None and _exact(ref) >= moved:
                left = _exact(ref) - moved
                if left == 0:
                    out.remove(ref)
                else:
                    m = ref.mention
                    ref.mention = NumberMention(m.start, m.end, m.num_start, Count(left, left, left, None), m.kind, m.text)
                    ref.rule = "later-died.fewer-wounded"
    out.sort(key=lambda a: (a.sentence.index, a.mention.start))
    return out


def _exact(a: "Assignment") -> int | None:
    c = a.mention.count
    return c.best if c.best is not None and c.low == c.best == c.high and c.qualifier is None else None


def _subject(ctx, sentence, v: int) -> tuple[int, int, bool] | None:
    """(first token, how many, whether an ordinal) of who died at verb v: "one (of them|of whom|of the
    wounded)", "two", "a third (victim)"; None for anyone else."""
    words = ctx.resources.victim_words
    numbers = ctx.resources.numbers
    doc = ctx.doc
    i = v - 1
    while i >= sentence.start and doc.tokens[i].lower_ in words.death_bridge:
        i -= 1
    if i >= sentence.start + 2 and doc.tokens[i].lower_ in words.among_wounded:
        k = i - 1
        if doc.tokens[k].lower_ in ("the", "those"):
            k -= 1
        if k > sentence.start and doc.tokens[k].lower_ == "of":
            i = k - 1  # "one of the wounded", "two of whom"
    if i < sentence.start:
        return None
    low = doc.tokens[i].lower_
    if low in numbers.ordinals and i > sentence.start and doc.tokens[i - 1].lower_ in ("a", "an"):
        return i - 1, numbers.ordinals[low], True
    if low in ("both", "all"):
        value = ALL  # "both later died": as many as were wounded
    else:
        value = numbers.words.get(low) if low in numbers.words else (int(low) if low.isdigit() and len(low) < 4 else None)
    if value is None or value == 0 or value < ALL:
        return None
    opens = i == sentence.start or doc.tokens[i - 1].is_punct or doc.tokens[i - 1].lower_ in ("and", "but", "while")
    return (i, value, False) if opens else None


def adds_more(ctx: "ArticleContext", a: "Assignment") -> bool:
    """"another four", "a further three", "two more (bodies)": a written count that adds to a toll."""
    words = ctx.resources.victim_words
    doc = ctx.doc
    m = a.mention
    if m.count.best is None or m.count.best < 1 or m.text.lower() in ("a", "an", "another"):
        return False
    before = doc.tokens[m.start - 1].lower_ if m.start > 0 else ""
    after = [doc.tokens[i].lower_ for i in (m.end, a.noun.end if a.noun is not None else m.end) if i < len(doc)]
    if before in words.more_before:
        return True
    return any(w in words.more_after and (i + 1 >= len(doc) or doc.tokens[i + 1].lower_ != "than")
               for i, w in zip((m.end, a.noun.end if a.noun is not None else m.end), after))  # not "39 more than"

