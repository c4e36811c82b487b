"""Victims counted one by one or described without a numeral.

Reports of a single attack seldom write "1 killed": they describe each victim ("a 15-year-old boy was
killed", "a man and his son", "the victim, a 34-year-old farmer"), continue a count ("two men were
wounded and a third was killed", "one soldier died and another was wounded"), come back to a victim
already introduced ("the boy later died of his wounds", "he was pronounced dead") or say that nobody
was harmed ("no one was hurt"). `individual_mentions` turns each such description into a count that
`quantities.assign` gives to an outcome trigger like a written number, with its own rule id, so that
every fact says which description it rests on. A group of victims joined by "and" ("a woman and her
two children") is counted once as a whole (the figure the article is about), and each member whose
class says more than the whole's is kept as a breakdown of it (`subset_of_previous`), as "including
five children" is.

Ages are never counts ("a 15-year-old boy" is one boy), and a single victim counts only towards a
casualty outcome, never as one displaced person or resident.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from ..data_files import load_word_table, load_words
from ..model import Count
from ..nlp.lexicon import Hit
from ..nlp.numbers import NumberMention
from .named_victims import named_victims

if TYPE_CHECKING:
    from .context import ArticleContext, Sentence

MODIFIERS = 3        # words between "a" and the victim noun ("a 34-year-old Palestinian farmer")
BRIDGE = 4           # words between a definite victim or pronoun and its outcome ("he was later pronounced dead")
ADULT_AGE = 18       # "a 15-year-old" on its own is a child
CIVILIAN_CLASSES = frozenset({"civilians", "children", "women", "medical workers", "aid workers", "journalists"})


@dataclass(frozen=True)
class VictimWords:
    """`data/words/victims.toml`, loaded once per pipeline (resources.py)."""

    one: frozenset[str]
    possessives: frozenset[str]
    definite: frozenset[str]
    pronouns: frozenset[str]
    bridge: frozenset[str]
    modifier_stops: frozenset[str]
    continuation: frozenset[str]
    nobody: frozenset[str]
    pronoun_after: frozenset[str]
    after_head: frozenset[str]
    person_heads: frozenset[str]
    outcome_nouns: frozenset[str]
    shot: frozenset[str]
    shot_passive: frozenset[str]
    shot_fatal: frozenset[str]
    shot_not: frozenset[str]
    died_of_wounds: frozenset[str]
    death_verbs: frozenset[str]
    later_cues: frozenset[str]
    more_before: frozenset[str]
    more_after: frozenset[str]
    death_bridge: frozenset[str]
    among_wounded: frozenset[str]
    unharmed: frozenset[str]
    rates: frozenset[str]
    groups: dict

    @classmethod
    def load(cls) -> "VictimWords":
        def words(key: str) -> frozenset[str]:
            return frozenset(load_words("victims", key))

        return cls(one=words("one"),
                   possessives=words("possessives"),
                   definite=words("definite"),
                   pronouns=words("pronouns"),
                   pronoun_after=words("pronoun_after"),
                   bridge=words("bridge"),
                   modifier_stops=words("modifier_stops"),
                   continuation=words("continuation"),
                   nobody=words("nobody"),
                   after_head=words("after_head"),
                   person_heads=words("person_heads"),
                   outcome_nouns=words("outcome_nouns"),
                   shot=words("shot"),
                   shot_passive=words("shot_passive"),
                   shot_fatal=words("shot_fatal"),
                   shot_not=words("shot_not"),
                   died_of_wounds=words("died_of_wounds"),
                   death_verbs=words("death_verbs"),
                   later_cues=words("later_cues"),
                   more_before=words("more_before"),
                   more_after=words("more_after"),
                   death_bridge=words("death_bridge"),
                   among_wounded=words("among_wounded"),
                   unharmed=words("unharmed"),
                   rates=frozenset(load_words("situation", "rates")),
                   groups=dict(load_word_table("victims", "groups")))


@dataclass
class Individual:
    """A count made from a description: the mention, the victim noun it rests on, and its rule."""

    mention: NumberMention
    noun: Hit | None
    rule: str
    parts: tuple = ()      # the members of a group ("a woman and her two children"), counted inside it
    trigger: Hit | None = None  # the outcome, when the description fixes it ("no one was hurt")
    told: tuple = ()       # the members whose class the whole does not say, kept as its breakdown


def one_count(start: int, end: int, n: int, text: str) -> NumberMention:
    return NumberMention(start, end, start, Count(n, n, n, None), "count", text)


def individual_mentions(ctx: "ArticleContext", sentence: "Sentence", mentions: list[NumberMention],
                        noun_of: Callable[[NumberMention], Hit | None]) -> list[Individual]:
    """The single victims, relatives, continuations, definite victims, pronouns, zeros and groups of
    the sentence; `mentions` are the written counts, which a description never overlaps, and
    `noun_of` gives the noun a written count quantifies (quantities.quantified_noun)."""
    words: VictimWords = ctx.resources.victim_words
    doc = ctx.doc
    taken = {i for m in mentions for i in range(m.start, m.end)}
    ages = {m.start: m for m in ctx.numbers.get(sentence.index, ()) if m.kind == "age"}
    victims = sorted((h for h in ctx.hits.get(sentence.index, ()) if h.kind == "victim"),
                     key=lambda h: (h.start, -(h.end - h.start)))
    heads: dict[int, Hit] = {}
    for hit in victims:  # the longest victim phrase at each position
        heads.setdefault(hit.start, hit)
    out: list[Individual] = []
    used: set[int] = set()

    def add(ind: Individual) -> None:
        out.append(ind)
        used.update(range(ind.mention.start, (ind.noun.end if ind.noun else ind.mention.end)))

    for start, hit in heads.items():
        if start in taken or start in used or hit.value == "people" and doc.tokens[hit.start].lower_ not in ("victim", "suspect", "person", "shooter"):
            continue
        if not singular(ctx, hit) or followed_by_possessive(ctx, hit) or not heads_phrase(ctx, sentence, hit, words):
            continue  # "an elderly woman": "elderly" describes the woman; "a rebel offensive" is no one
        opener = opener_before(ctx, sentence, hit, ages, words) or headline_victim(ctx, sentence, hit, words)
        if opener is None:
            continue
        first, kind = opener
        if kind in ("definite", "possessive") and not (outcome_after(ctx, sentence, hit.end, words) or (
                kind == "possessive" and in_list(ctx, sentence, first, hit.end))):
            continue  # "the boy later died", "a man and his son"; not "the boy's school", ", his son said"
        if any(i in taken for i in range(first, hit.start)):
            continue
        n = words.groups.get(doc.tokens[hit.end - 1].lower_, 1)
        rule = {"one": "individual.one-described", "possessive": "individual.relative",
                "definite": "individual.definite-victim", "bare": "individual.coordinated-noun",
                "headline": "individual.headline"}[kind]
        if kind == "bare" and not coordinated_after_victim(ctx, sentence, first - 1, out, mentions):
            continue
        add(Individual(one_count(first, hit.start, n, doc.tokens[first].text), hit, rule))
    out += lone_ages(ctx, sentence, ages, taken | used, words)
    out += continuations(ctx, sentence, taken | used, out, mentions, words, noun_of)
    out += pronoun_victims(ctx, sentence, taken | used, words)
    out += [Individual(one_count(s, e, 1, doc.tokens[s].text), Hit("victim", "people", s, e), "individual.named")
            for s, e in named_victims(ctx, sentence, taken | used)]  # "Ali Hassan, 26, was killed"
    out += zeros(ctx, sentence, taken | used, words)
    out = drop_appositions(ctx, out)
    out.sort(key=lambda ind: ind.mention.start)
    out += groups(ctx, out, mentions, noun_of)
    parts_of = [ind for ind in out if among_after(ctx, sentence, ind, words) and not (
        ind.rule == "individual.one-described" and ind.mention.start + 1 == ind.noun.start)]  # "a child" stays
    dropped = {id(ind.mention) for ind in parts_of} | {id(p) for ind in parts_of for p in ind.parts}
    return [ind for ind in out if id(ind.mention) not in dropped]


def among_after(ctx, sentence, ind: Individual, words: VictimWords) -> bool:
    """"A girl and her mother were among 14 people killed": named parts of a figure told after them,
    left out ("including a child were among": a bare "a child" is kept, a part the summary reads
    as one of the children among the total)."""
    i = ind.noun.end if ind.noun is not None else ind.mention.end
    while i < sentence.end and ctx.doc.tokens[i].lower_ in words.bridge:
        i += 1
    return i < sentence.end and ctx.doc.tokens[i].lower_ == "among"


def singular(ctx: "ArticleContext", hit: Hit) -> bool:
    """"a child", not "children" (NORM is the lemma: a singular noun is its own lemma)."""
    token = ctx.doc.tokens[hit.end - 1]
    return token.lower_ == token.norm_ or token.lower_ in ctx.resources.victim_words.groups


def heads_phrase(ctx, sentence, hit: Hit, words: VictimWords) -> bool:
    """Whether the victim word ends its noun phrase: what follows is punctuation, a function word, an
    outcome or one of `after_head` ("a man was", "a boy died", "a man identified as"), not another
    noun it describes ("a rebel offensive", "a civilian car", "an elderly woman")."""
    if hit.end >= sentence.end:
        return True
    token = ctx.doc.tokens[hit.end]
    low = token.lower_
    if not token.is_alpha:
        return token.text != "-"
    if low in words.outcome_nouns:
        return False  # "the civilian deaths"
    if any(h.start == hit.end and h.kind == "outcome" for h in ctx.hits.get(sentence.index, ())):
        return True
    return low in words.modifier_stops or low in words.bridge or low in words.after_head or low in words.person_heads


def followed_by_possessive(ctx: "ArticleContext", hit: Hit) -> bool:
    """"a child's body", "the man's brother": the victim word modifies another noun."""
    doc = ctx.doc
    return hit.end < len(doc) and doc.tokens[hit.end].lower_ in ("'s", "’s", "'")


def opener_before(ctx, sentence, hit: Hit, ages: dict, words: VictimWords) -> tuple[int, str] | None:
    """(first token, kind) of what opens the victim's noun phrase: "a"/"an"/"another" (one), "his"/"her"
    (possessive), "the" (definite), or nothing after "and" (bare: "a father and son"); up to
    MODIFIERS words and an age may stand between."""
    doc = ctx.doc
    i = hit.start - 1
    skipped = 0
    while i >= sentence.start:
        token = doc.tokens[i]
        low = token.lower_
        age = next((m for m in ages.values() if m.start <= i < m.end), None)
        if age is not None:
            i = age.start - 1
            skipped += 1
            continue
        if low in words.one:
            return (i, "one") if skipped <= MODIFIERS else None
        if low in words.possessives:
            return (i, "possessive") if skipped <= MODIFIERS else None
        if low in words.definite:
            ordinal = any(doc.tokens[k].lower_ in words.continuation for k in range(i + 1, hit.start))
            return (i, "definite") if skipped <= MODIFIERS and not ordinal else None  # "the fifth staff member killed since"
        if low == "and" and skipped == 0:
            return hit.start, "bare"
        if skipped >= MODIFIERS or low in words.modifier_stops or not (token.is_alpha or token.text == "-"):
            return None
        skipped += token.text != "-"
        i -= 1
    return None


def headline_victim(ctx, sentence, hit: Hit, words: VictimWords) -> tuple[int, str] | None:
    """"Soldier wounded in Kandahar blast", "Child killed, three hurt as shell hits school", "Man, 66,
    killed": a headline's victim opens its sentence without an article, its outcome right after (over
    an age between commas)."""
    doc = ctx.doc
    if hit.start != sentence.start or not doc.tokens[hit.start].text[:1].isupper():
        return None
    end = hit.end
    if end + 2 < sentence.end and doc.tokens[end].text == "," and doc.tokens[end + 1].like_num \
            and doc.tokens[end + 2].text == ",":
        end += 3  # "Man, 66, killed"
    starts = {h.start for h in ctx.hits.get(sentence.index, ()) if h.kind == "outcome"}
    return (hit.start, "headline") if end in starts else None


def in_list(ctx, sentence, first: int, end: int) -> bool:
    """"a man and his son", "her husband and two sons", "a man, his wife and their children": a member
    of a list of victims."""
    doc = ctx.doc
    before = doc.tokens[first - 1].lower_ if first > sentence.start else ""
    after = doc.tokens[end].lower_ if end < sentence.end else ""
    return before == "and" or after == "and" or (before == "," and after == ",")


def outcome_after(ctx, sentence, end: int, words: VictimWords) -> bool:
    """An outcome trigger right after the victim, over bridge words ("the boy later died")."""
    doc = ctx.doc
    starts = {h.start for h in ctx.hits.get(sentence.index, ()) if h.kind == "outcome"}
    i, bridged = end, 0
    if i < sentence.end and doc.tokens[i].text == ",":  # "the victim, a 34-year-old farmer, died"
        return False
    while i < sentence.end and bridged <= BRIDGE:
        if i in starts:
            return not negated(ctx, range(end, i))
        if doc.tokens[i].lower_ not in words.bridge:
            return False
        i += 1
        bridged += 1
    return False


def negated(ctx, span) -> bool:
    return any(ctx.doc.tokens[i].lower_ in ("not", "n't", "never") for i in span)


def coordinated_after_victim(ctx, sentence, and_at: int, found: list[Individual], mentions) -> bool:
    """A bare noun counts only straight after another victim: "a father and son", "a man and woman"."""
    prev = and_at - 1
    ends = {ind.noun.end for ind in found if ind.noun is not None}
    return prev in {e - 1 for e in ends}


def lone_ages(ctx, sentence, ages: dict, taken: set, words: VictimWords) -> list[Individual]:
    """"A 15-year-old was killed": an age without a noun is one person, a child below 18."""
    doc = ctx.doc
    out = []
    for m in ages.values():
        if m.start == 0 or m.start - 1 in taken or doc.tokens[m.start - 1].lower_ not in ("a", "an"):
            continue
        if not (doc.tokens[m.end - 1].lower_ == "old" and m.end < sentence.end):
            continue
        nxt = doc.tokens[m.end]
        if nxt.is_alpha and nxt.lower_ not in words.bridge and nxt.lower_ not in ("who", "died"):
            continue  # "a 15-year-old boy" is read through its noun; "a 15-year-old car" is no one
        if not outcome_after(ctx, sentence, m.end, words):
            continue
        age = digits_of(doc.tokens[m.start].text)
        value = "children" if age is not None and age < ADULT_AGE else "people"
        out.append(Individual(one_count(m.start - 1, m.end, 1, doc.tokens[m.start - 1].text),
                              Hit("victim", value, m.start, m.end), "individual.age-as-noun"))
    return out


def digits_of(text: str) -> int | None:
    return int(text) if text.isdigit() and len(text) < 4 else None


def continuations(ctx, sentence, taken: set, found: list[Individual], mentions, words: VictimWords,
                  noun_of) -> list[Individual]:
    """"Two were wounded and a third was killed", "one soldier died and another was wounded": one
    more victim after a victim already counted in the sentence."""
    doc = ctx.doc
    out = []
    counted = [m.end for m in mentions] + [ind.mention.end for ind in found]
    for i in range(sentence.start, sentence.end):
        low = doc.tokens[i].lower_
        if low not in words.continuation or i in taken or not any(e <= i for e in counted):
            continue
        first = i - 1 if low != "another" and i > sentence.start and doc.tokens[i - 1].lower_ in ("a", "an") else i
        if low != "another" and first == i:
            continue  # "the third strike": an ordinal, not one more victim
        if not outcome_after(ctx, sentence, i + 1, words) and not outcome_elided(ctx, sentence, i + 1):
            continue
        before = [ind.noun for ind in found if ind.noun is not None and ind.noun.end <= i]
        before += [n for m in mentions if m.end <= i for n in [noun_of(m)] if n is not None and n.kind == "victim"]
        value = max(before, key=lambda h: h.end).value if before else "people"  # "another": one more of them
        out.append(Individual(one_count(first, i + 1, 1, doc.tokens[first].text), Hit("victim", value, i, i + 1),
                              "individual.one-more"))
    return out


def outcome_elided(ctx, sentence, at: int) -> bool:
    """"a civilian was killed and another injured": the outcome right after "another", no verb."""
    return any(h.kind == "outcome" and h.start == at for h in ctx.hits.get(sentence.index, ()))


def pronoun_victims(ctx, sentence, taken: set, words: VictimWords) -> list[Individual]:
    """"He was pronounced dead at the scene", "she later died of her wounds": a pronoun that is the
    subject of an outcome is one victim (its first mention may be a name the rules cannot count)."""
    doc = ctx.doc
    out = []
    for i in range(sentence.start, sentence.end):
        token = doc.tokens[i]
        if token.lower_ not in words.pronouns or i in taken:
            continue
        if i > sentence.start and doc.tokens[i - 1].lower_ not in words.pronoun_after:
            continue
        if outcome_after(ctx, sentence, i + 1, words):
            out.append(Individual(one_count(i, i + 1, 1, token.text), Hit("victim", "people", i, i + 1),
                                  "individual.pronoun"))
    return out


def zeros(ctx, sentence, taken: set, words: VictimWords) -> list[Individual]:
    """"No one was hurt", "nobody was killed or injured", "no civilians were harmed", "there were no
    casualties": a count of 0 for each outcome named (casualties: both killed and injured), so that
    an incident can say that none died rather than nothing; "escaped unhurt", "was unharmed": 0
    killed and 0 injured."""
    doc = ctx.doc
    hits = ctx.hits.get(sentence.index, ())
    outcomes = {h.start: h for h in hits if h.kind == "outcome"}
    victim_at = {h.start: h for h in hits if h.kind == "victim"}
    out = []
    for i in range(sentence.start, sentence.end):
        low = doc.tokens[i].lower_
        nxt = doc.tokens[i + 1].lower_ if i + 1 < sentence.end else ""
        if i in taken or ctx.hedged(sentence, i):
            continue
        if low == "no" and nxt == "one" or low in words.nobody:
            end = i + 2 if low == "no" else i + 1
            noun = Hit("victim", "people", i, end)
        elif low == "no" and i + 1 in victim_at and i + 1 not in outcomes:
            noun = victim_at[i + 1]  # "no civilians were hurt"
            end = noun.end
        elif low == "no" and i + 1 in outcomes and outcomes[i + 1].value in ("killed", "injured"):
            noun, end = Hit("victim", "people", i, i + 1), i + 1  # "no casualties", "no deaths"
        elif low in words.unharmed and not negated(ctx, range(max(sentence.start, i - 2), i)):
            for value in ("killed", "injured"):  # "the driver escaped unhurt": neither
                out.append(Individual(NumberMention(i, i + 1, i, Count(0, 0, 0, None), "count", doc.tokens[i].text),
                                      Hit("victim", "people", i, i + 1), "individual.unharmed",
                                      trigger=Hit("outcome", value, i, i + 1)))
            continue
        else:
            continue
        if end in outcomes and noun.end == end:
            said = [outcomes[end]]
        else:
            if not outcome_after(ctx, sentence, end, words):
                continue
            said = [h for h in outcomes.values() if end <= h.start <= end + BRIDGE + 3]
            said = [h for h in said if not any(doc.tokens[k].text in ",;." for k in range(end, h.start))]
        if low == "no" and i + 1 in outcomes and not said:
            said = [outcomes[i + 1]]
        values = {h.value for h in said if h.value in ("killed", "injured")}
        if noun.start + 1 in outcomes and doc.tokens[noun.start + 1].lower_ == "casualties":
            values = {"killed", "injured"}
        for value in sorted(values):
            trigger = next((h for h in said if h.value == value), said[0] if said else None)
            out.append(Individual(NumberMention(i, end, i, Count(0, 0, 0, None), "count", doc.tokens[i].text),
                                  noun, "individual.none", trigger=Hit("outcome", value, trigger.start, trigger.end)))
    return out


def drop_appositions(ctx, found: list[Individual]) -> list[Individual]:
    """"The victim, a 34-year-old farmer, died": one person told twice; the description is kept."""
    doc = ctx.doc
    ends = {ind.noun.end: ind for ind in found if ind.noun is not None}
    drop = set()
    for ind in found:
        s = ind.mention.start
        if s >= 1 and doc.tokens[s - 1].text == "," and s - 1 in ends and ind.rule == "individual.one-described" \
                and doc.tokens[s].lower_ != "another":
            drop.add(id(ends[s - 1]))
    return [ind for ind in found if id(ind) not in drop]


def groups(ctx, found: list[Individual], mentions: list[NumberMention], noun_of) -> list[Individual]:
    """Victims joined by "and" or commas ("a woman and her two children", "a father and son", "a man,
    his wife and their three children", "four adults and two children", "20 soldiers and 10
    militants"): one count of the whole, its members kept as parts, and given facts of their own only
    when their class says more than the whole's ("her two children" of a family of civilians:
    children; "his son" adds nothing to "a man and his son"). Written counts alone make a group when
    each names another class of people (or all are fighters), none partitive ("12 civilians, three
    of them children" is 12): "three women and two women" is no list, and fighters and civilians stay apart (the summary adds the two sides)."""
    doc = ctx.doc
    members: list[tuple[int, int, NumberMention, Hit | None, Individual | None]] = []
    for ind in found:
        if ind.noun is not None and ind.rule != "individual.pronoun":
            members.append((ind.mention.start, ind.noun.end, ind.mention, ind.noun, ind))
    for m in mentions:
        noun = noun_of(m)
        if noun is not None and noun.kind == "victim" and m.count.best is not None:
            members.append((m.start, noun.end, m, noun, None))
    members.sort(key=lambda t: t[0])
    out: list[Individual] = []
    chain: list = []

    def close() -> None:
        classes = {t[3].value for t in chain}
        written = all(t[4] is None for t in chain)
        partitive = any(t[2].end < len(doc) and doc.tokens[t[2].end].lower_ == "of" for t in chain)
        listed = not written or (not partitive and (len(chain) == len(classes) or classes == {"fighters"}))
        if len(chain) >= 2 and listed and ("fighters" not in classes or len(classes) == 1):
            total = sum(t[2].count.best for t in chain)
            value = classes.pop() if len(classes) == 1 else (
                "civilians" if classes <= CIVILIAN_CLASSES | {"people"} and "people" not in classes else "people")
            whole = Individual(one_count(chain[0][0], chain[-1][1], total, doc.tokens[chain[0][0]].text),
                               Hit("victim", value, chain[0][0], chain[-1][1]), "individual.group")
            whole.parts = tuple(t[2] for t in chain)
            whole.told = tuple(t[2] for t in chain if t[3].value != value)  # "her two children": children
            out.append(whole)

    for member in members:
        if chain and joins(ctx, chain[-1][1], member[0]):
            chain.append(member)
            continue
        close()
        chain = [member]
    close()
    return out


def joins(ctx, end: int, start: int) -> bool:
    between = [ctx.doc.tokens[i].lower_ for i in range(end, start)]
    return bool(between) and len(between) <= 3 and any(w in ("and", ",") for w in between) \
        and all(w in ("and", ",", "his", "her", "their") for w in between)


def shot_triggers(ctx, sentence, triggers: list[Hit]) -> list[Hit]:
    """"Was shot" as an outcome: injured, or killed when "fatally" stands before it; none when the
    sentence already says the death right after it ("shot dead", "shot and killed": that trigger
    counts). "Three people were shot, one fatally": "fatally" after a count is a death."""
    words: VictimWords = ctx.resources.victim_words
    doc = ctx.doc
    killed_at = {h.start for h in triggers if h.kind == "outcome" and h.value == "killed"}
    out = []
    for i in range(sentence.start, sentence.end):
        low = doc.tokens[i].lower_
        prev = doc.tokens[i - 1].lower_ if i > sentence.start else ""
        if low in words.shot_fatal and i > sentence.start and doc.tokens[i - 1].like_num:
            out.append(Hit("outcome", "killed", i, i + 1))  # "one fatally"
            continue
        if low not in words.shot or not (prev in words.shot_passive or prev in words.shot_fatal):
            continue
        nxt = doc.tokens[i + 1].lower_ if i + 1 < sentence.end else ""
        if nxt in words.shot_not and not (nxt == "at" and i + 2 < sentence.end and place_follows(ctx, sentence, i + 2)):
            continue  # "shot at them", "shot down"; but "shot at a checkpoint" is where
        if i + 1 in killed_at or (nxt in ("and", "to") and i + 2 in killed_at):
            continue  # "shot dead", "shot and killed", "shot to death": that trigger counts
        out.append(Hit("outcome", "killed" if prev in words.shot_fatal else "injured", i, i + 1))
    return out


def place_follows(ctx, sentence, at: int) -> bool:
    """"shot at a checkpoint", "shot at the market": a place after "at", not someone fired on."""
    doc = ctx.doc
    token = doc.tokens[at]
    if token.lower_ not in ("a", "an", "the", "his", "her", "their") and not token.text[:1].isupper():
        return False
    return not any(h.kind == "victim" and at <= h.start <= at + 2 for h in ctx.hits.get(sentence.index, ()))


def less_fatal(ctx, sentence_assignments: list) -> None:
    """"Three people were shot, one fatally": three hit by gunfire, one of them killed, so two
    injured; the injured count is lowered in place (its rule says so)."""
    words: VictimWords = ctx.resources.victim_words
    doc = ctx.doc
    for fatal in sentence_assignments:
        if not (fatal.trigger.value == "killed" and doc.tokens[fatal.trigger.start].lower_ in words.shot_fatal
                and fatal.mention.end == fatal.trigger.start and fatal.mention.count.best is not None):
            continue
        for shot in sentence_assignments:
            c = shot.mention.count
            if (shot.trigger.value == "injured" and doc.tokens[shot.trigger.start].lower_ in words.shot
                    and shot.mention.end <= fatal.mention.start and c.best is not None and c.low == c.best == c.high
                    and c.best > fatal.mention.count.best):
                n = c.best - fatal.mention.count.best
                m = shot.mention
                shot.mention = NumberMention(m.start, m.end, m.num_start, Count(n, n, n, c.qualifier), m.kind, m.text)
                shot.rule = "individual.shot-less-fatal"
                break


def died_of_wounds(ctx, assignments: list) -> set[int]:
    """"A 12-year-old girl was wounded ... The girl later died of her wounds": one victim, now killed,
    not one killed and one injured. A single victim's death told with a cue of a wound before
    ("later", "succumbed", "of his wounds", "in hospital") after a single victim injured earlier in
    the article takes that injury's place: the death gets its own rule and the ids of the injuries
    it replaces are returned, to be left out."""
    words: VictimWords = ctx.resources.victim_words
    doc = ctx.doc
    replaced: set[int] = set()
    injured: list = []
    for a in assignments:
        single = a.type == "casualty" and a.rule.startswith("individual.") and a.mention.count.best == 1 \
            and a.rule not in ("individual.group", "individual.none")
        if not single or a.subset:
            continue
        if a.trigger.value == "injured":
            injured.append(a)
            continue
        if a.trigger.value != "killed" or not injured or injured[-1].sentence is a.sentence:
            continue
        cue = range(a.mention.end, min(a.sentence.end, a.trigger.end + 6))
        if a.trigger.start > a.mention.start and any(doc.tokens[i].lower_ in words.died_of_wounds for i in cue):
            replaced.add(id(injured.pop()))
            a.rule = "individual.died-of-wounds"
    return replaced
