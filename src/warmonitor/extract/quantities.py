"""Which fact each number in a sentence counts: killed, injured, displaced, living somewhere, or nothing.

A count belongs to the trigger nearest to it in its sentence ("killed six people and injured 32":
six to killed, 32 to injured), a trigger with another count between them being a poor second choice.
The noun the count quantifies decides the rest: its victim class, its unit, or that it counts
buildings ("two hospitals": a target of an attack, not a casualty). Fears and conditions ("will be
killed", "if they capture") carry no event, and ages, shares, years and durations are no counts at all.
The casualty, displacement and population modules turn these assignments into facts.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..nlp.lexicon import Hit
from .individuals import individual_mentions, less_fatal, shot_triggers

if TYPE_CHECKING:
    from ..nlp.numbers import NumberMention
    from .context import ArticleContext, Sentence

TRIGGER_KINDS = ("outcome", "displacement", "population")
MAX_DISTANCE = 14  # tokens between a count and its trigger
NOUN_WINDOW = 5    # tokens between a count and the noun it quantifies


@dataclass
class Assignment:
    """A count, the trigger it belongs to, and the noun it quantifies."""

    mention: "NumberMention"
    sentence: "Sentence"
    type: str            # casualty / displacement / population
    trigger: Hit
    noun: Hit | None     # a victim, unit or target hit
    term: Hit | None     # a displacement term written into the noun phrase ("newly displaced people")
    distance: int
    rule: str
    subset: bool = False  # a breakdown of the count before it ("including five children")


def quantified_noun(ctx: "ArticleContext", sentence: "Sentence", mention: "NumberMention") -> tuple[Hit | None, Hit | None, Hit | None]:
    """(victim-or-unit noun, target noun, displacement term inside the noun phrase) after the count.
    A count of things ("3 vehicles", "40 trucks", "three districts") gives a target of kind "thing":
    like a building an attack hit, it is no count of people."""
    doc = ctx.doc
    numbers = ctx.resources.numbers
    noun_stops = numbers.noun_stops
    by_start: dict[int, list[Hit]] = {}
    for hit in ctx.hits.get(sentence.index, ()):
        if hit.kind in ("victim", "unit", "target", "displacement"):
            by_start.setdefault(hit.start, []).append(hit)
    term = None
    i = mention.end
    if i < sentence.end and doc.tokens[i].lower_ == "of" and i + 1 < sentence.end:
        i += 1  # "tens of thousands of people", "of whom"
    limit = min(sentence.end, i + NOUN_WINDOW)
    while i < limit:
        token = doc.tokens[i]
        hits = by_start.get(i, [])
        nouns = [h for h in hits if h.kind in ("victim", "unit")]
        targets = [h for h in hits if h.kind == "target"]
        if targets and not nouns:
            return None, max(targets, key=lambda h: h.end - h.start), term
        if nouns:
            best = max(nouns, key=lambda h: (h.end - h.start, h.kind == "victim"))
            if not (best.end - best.start == 1 and token.norm_ in ("displaced",) and i + 1 < limit
                    and by_start.get(i + 1)):
                return best, None, term
        if not hits and (token.lower_ in numbers.things or token.lower_ in numbers.thing and (
                i + 1 >= sentence.end or doc.tokens[i + 1].is_punct or doc.tokens[i + 1].lower_ in noun_stops)):
            return None, Hit("thing", token.lower_, i, i + 1), term
        terms = [h for h in hits if h.kind == "displacement"]
        if terms:
            term = terms[0]
        if token.is_punct and token.text != "-" or token.like_num or (token.lower_ in noun_stops and i > mention.end):
            break
        i += 1
    return None, None, term


def assign(ctx: "ArticleContext") -> list[Assignment]:
    out: list[Assignment] = []
    for sentence in ctx.each_sentence():
        mentions = [m for m in ctx.numbers.get(sentence.index, ()) if m.kind == "count"]
        described = {id(ind.mention): ind for ind in individual_mentions(
            ctx, sentence, mentions, lambda m: quantified_noun(ctx, sentence, m)[0])}
        group_of = {id(part): ind for ind in described.values() for part in ind.parts}
        mentions = sorted(mentions + [ind.mention for ind in described.values()], key=lambda m: (m.start, -m.end))
        if not mentions:
            continue
        triggers = [h for h in ctx.hits.get(sentence.index, ()) if h.kind in TRIGGER_KINDS]
        triggers += shot_triggers(ctx, sentence, triggers)
        positions = [m.start for m in mentions]
        groups: dict[int, Assignment] = {}
        for mention in mentions:
            ind = described.get(id(mention))
            if ind is not None:
                noun, target, term = ind.noun, None, None
            else:
                noun, target, term = quantified_noun(ctx, sentence, mention)
            loose = noun is None or noun.start > mention.end  # "Reeves, 64 were found dead": "dead" is no noun of 64
            if loose and (noun is None and (looks_like_year(mention) or is_frequency(ctx, mention))
                          or is_age_after_name(ctx, mention)):
                continue  # a dateline ("19 June 2016"), "three times a week", "Ahmed Karimi, 34,"
            if target is not None:
                continue  # "two hospitals": counted by the attack extractor
            if is_speaker(ctx, sentence, mention, noun):
                continue  # "one woman told us that ...", "two witnesses said": who speaks, not a victim
            whole = groups.get(id(group_of[id(mention)])) if id(mention) in group_of else None
            if whole is not None and not any(part is mention for part in group_of[id(mention)].told):
                continue  # "a man and his son": the son is counted in the whole, and says nothing more
            if whole is not None:
                # "a woman and her two children were killed": each member shares the group's outcome
                out.append(Assignment(mention, sentence, "casualty", whole.trigger, noun, None, whole.distance,
                                      "individual.group-member", True))
                continue
            chosen = choose_trigger(ctx, sentence, mention, triggers, positions, noun, term)
            if ind is not None and ind.trigger is not None:
                chosen = (ind.trigger, 0, ind.rule)  # "no one was hurt": the description names its outcome
            previous = out[-1] if out and out[-1].sentence is sentence else None
            subset = previous is not None and is_breakdown(ctx, previous.mention, mention)
            if subset and among_a_larger(ctx, previous.mention, mention):
                previous.subset, subset = True, False  # "seven children were among the 31 dead": 31, seven of them children
            if subset and ind is not None and ind.noun is not None and ind.mention.start + 1 != ind.noun.start:
                continue  # "seven children, including a seven-month-old boy": a described part adds nothing
            if subset:
                # "killed 12 civilians, including five children, and injured 30": the part shares the whole's outcome
                chosen = (previous.trigger, previous.distance, "breakdown-of-previous-count")
            if chosen is None or ((ind is not None or mention.num_start == mention.start
                                   and mention.text.lower() in ("a", "an", "another")) and chosen[0].kind != "outcome"):
                continue  # "a child" counts one victim, never one displaced or resident
            trigger, distance, rule = chosen
            if ind is not None and not subset:
                rule = ind.rule
            kind = {"outcome": "casualty", "displacement": "displacement", "population": "population"}[trigger.kind]
            made = Assignment(mention, sentence, kind, trigger, noun, term, distance, rule, subset)
            out.append(made)
            if ind is not None and ind.parts:
                groups[id(ind)] = made
        less_fatal(ctx, [a for a in out if a.sentence is sentence])
    return out


BREAKDOWN_WORDS = frozenset(["including", "among", "incl"])


def is_breakdown(ctx: "ArticleContext", whole: "NumberMention", part: "NumberMention") -> bool:
    doc = ctx.doc
    if part.start <= whole.end:
        return False
    window = [doc.tokens[i].lower_ for i in range(max(whole.end, part.start - 3), part.start)]
    return any(w in BREAKDOWN_WORDS for w in window) and not any(w in (";", ".") for w in window)


def among_a_larger(ctx: "ArticleContext", part: "NumberMention", whole: "NumberMention") -> bool:
    """"Seven children were among the 31 dead": the figure after "among" is the whole, the one before
    it a part, when it is the larger."""
    doc = ctx.doc
    window = [doc.tokens[i].lower_ for i in range(max(part.end, whole.start - 3), whole.start)]
    small, large = part.count.best, whole.count.best
    return "among" in window and small is not None and large is not None and large > small


def is_speaker(ctx: "ArticleContext", sentence: "Sentence", mention: "NumberMention", noun: Hit | None) -> bool:
    """The counted people open the sentence and speak: a speech verb right after their noun ("One
    woman told us"), or one word after the count with no trigger between ("Two witnesses said")."""
    doc = ctx.doc
    if mention.start != sentence.start:
        return False  # "... including five children, said the Observatory": an attribution after the fact
    hits = ctx.hits.get(sentence.index, ())
    at = noun.end if noun is not None else mention.end + 1
    if noun is None and not (doc.tokens[mention.end].is_alpha
                             and not any(h.start == mention.end and h.kind in TRIGGER_KINDS for h in hits)):
        return False
    if noun is not None and noun.kind != "victim":
        return False
    return at < sentence.end and doc.tokens[at].text.islower() and doc.tokens[at].lower_ != "according" \
        and any(h.kind == "speech" and h.start == at for h in hits)


def is_frequency(ctx: "ArticleContext", mention: "NumberMention") -> bool:
    doc = ctx.doc
    return mention.end < len(doc) and doc.tokens[mention.end].lower_ in ("times", "time")


def is_age_after_name(ctx: "ArticleContext", mention: "NumberMention") -> bool:
    """"Ahmed Karimi, 34, was wounded", "the man, 34, died": a bare number after a comma right after a
    name or a victim noun is an age; so is the number after an age in a list ("aged 8 and 11"). The
    age may close the sentence or a list ("killed Ali Hassan, 34."; "Omar Saleh, 29 and his son"),
    give the hometown ("Yusuf Adam, 32 of Nyala") or follow "all" ("the three men, all 23, were"): with the number at the end of its phrase, never before a noun
    ("in Aleppo, 12 people") and never before lower-case "of" ("in Homs, 12 of the dead")."""
    doc = ctx.doc
    s, e = mention.start, mention.end
    if e - s == 1 and s >= 2 and doc.tokens[s - 1].lower_ in ("and", ",") and doc.tokens[s].text.isdigit() \
            and any(m.kind == "age" and m.end == s - 1 for m in ctx.numbers.get(mention_sentence(ctx, s), ())):
        return True  # "two children, aged 8 and 11, were killed"
    if not (e - s == 1 and s >= 2 and doc.tokens[s].text.isdigit() and int(doc.tokens[s].text) < 120):
        return False
    comma = s - 1
    if doc.tokens[comma].lower_ == "all" and comma >= 2:
        comma -= 1  # "the three men, all 23, were"
    if doc.tokens[comma].text != ",":
        return False
    if not phrase_ends(doc, e) and not in_name_age_list(doc, s, e, comma):
        return False
    before = doc.tokens[comma - 1]
    if comma != s - 1:
        return True
    return before.text[:1].isupper() or any(h.kind == "victim" and h.end == s - 1
                                            for h in ctx.hits.get(mention_sentence(ctx, s), ()))


def in_name_age_list(doc, s: int, e: int, comma: int) -> bool:
    """Names with their ages joined by "and": "Dennie Reeves, 66 and Ginger Reeves, 64 were found
    dead": the first number is followed by "and", a name, a comma and a number; the second is
    preceded by a number, "and" and a name."""
    def name_run(i: int, step: int) -> int:
        while 0 <= i < len(doc) and doc.tokens[i].text[:1].isupper() and doc.tokens[i].is_alpha:
            i += step
        return i

    if e + 1 < len(doc) and doc.tokens[e].lower_ == "and":
        after = name_run(e + 1, 1)
        if after > e + 1 and after + 1 < len(doc) and doc.tokens[after].text == "," \
                and doc.tokens[after + 1].text.isdigit():
            return True
    before = name_run(comma - 1, -1)
    return before < comma - 1 and before >= 2 and doc.tokens[before].lower_ == "and" \
        and doc.tokens[before - 1].text.isdigit() and doc.tokens[before - 2].text == ","


def phrase_ends(doc, e: int) -> bool:
    """Whether the phrase of a number ending at token e ends there: punctuation, the end of the text,
    "and" before a lower-case word, or "of" and a capitalised name (a hometown)."""
    if e >= len(doc):
        return True
    token = doc.tokens[e]
    if token.is_punct and token.text not in ("(", "[", "'", '"'):
        return True  # ",", ".", ";", ")", a dash
    nxt = doc.tokens[e + 1].text if e + 1 < len(doc) else ""
    if token.lower_ == "and":
        return nxt[:1].islower() or nxt.lower() in ("his", "her", "their")
    return token.lower_ == "of" and nxt[:1].isupper()


def mention_sentence(ctx: "ArticleContext", token: int) -> int:
    return ctx.sentence_of[token]


def looks_like_year(mention: "NumberMention") -> bool:
    text = mention.text.strip()
    return text.isdigit() and len(text) == 4 and 1900 <= int(text) <= 2100


def choose_trigger(ctx, sentence, mention, triggers, positions, noun, term):
    doc = ctx.doc
    triggers_as_nouns = ctx.resources.numbers.triggers_as_nouns
    best = None
    for trigger in triggers:
        if trigger.start >= mention.start and trigger.end <= mention.end:
            continue
        if noun is not None and trigger.start >= noun.start and trigger.end <= noun.end \
                and doc.tokens[trigger.start].lower_ not in triggers_as_nouns:
            continue  # "displaced people" is a noun here, the term is recorded separately
        if trigger.start >= mention.end:
            distance = trigger.start - mention.end
            between = range(mention.end, trigger.start)
        else:
            distance = mention.start - trigger.end
            between = range(trigger.end, mention.start)
        if distance > MAX_DISTANCE:
            continue
        if any(p in between for p in positions):
            if trigger.start > mention.end and any(doc.tokens[i].text == ";" for i in between):
                continue  # "40 trucks carrying 300 troops were hit; four soldiers died": the four died
            distance += 10
        if trigger.start < mention.start and any(doc.tokens[i].lower_ in ("and", "while", "but", "whereas") for i in between):
            distance += 3  # "killed four and 6 were wounded", "one is dead and three others are hurt": a clause of its own
        if any(doc.tokens[i].text in (";", ":") or (doc.tokens[i].text == "," and trigger.start > mention.end and distance > 6)
               for i in between):
            distance += 6
        if trigger.kind == "population" and distance > 3:
            continue
        if trigger.kind == "population" and any(h.kind == "displacement" and h.value == "in relief camp"
                                                and 0 <= h.start - trigger.end <= 3 for h in triggers):
            continue  # "living in relief camps": displaced people in camps, not residents  # "home to N", "a town of N people", "N inhabitants": the figure sits by its trigger
        if trigger.kind == "displacement" and trigger.value in ("destroyed housing", "partially destroyed housing") \
                and not (noun is not None and noun.kind == "unit" and noun.value == "households"):
            continue  # "destroyed" speaks of homes, not of people
        if trigger.kind == "displacement" and trigger.value == "in relief camp" \
                and not any(doc.tokens[i].lower_ in ("in", "to", "into", "at") for i in range(max(0, trigger.start - 3), trigger.start)):
            continue  # "living in 60 camps" is sheltering in camps; "the camp was shelled" is not
        if ctx.hedged(sentence, trigger.start):
            continue
        score = distance - (2 if trigger.end - trigger.start > 1 else 0)
        if best is None or score < best[1]:
            best = (trigger, score, f"{trigger.kind}.nearest-trigger")
    if term is not None and (best is None or best[0].kind != "outcome" or best[1] > 3):
        if not ctx.hedged(sentence, term.start):
            return term, 0, "displacement.term-in-noun-phrase"
    return best
