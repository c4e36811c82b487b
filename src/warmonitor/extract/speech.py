"""Quotes and their speakers: what an article quotes and who it says spoke.

Quote marks in scraped copy are unreliable: closing marks come spaced ("accidental. "), glued to the
next word (', "the charity'), or missing at a paragraph's end when the quote runs on. Marks are
therefore paired in order within a paragraph, and an unclosed one runs to the paragraph's end.
The speaker comes from the attribution after the quote ('," Bachelet said'; '," said Rami Abdel
Rahman, head of ...'; '," the UN coordinator said on Monday, Mark Lowcock'), else from the words
before it ('X said in a briefing: "'), and a pronoun goes to the last named person (he/she, whatever
the grammatical gender, since machine translation garbles it) or organisation (it/they).
`attribution.py` reads the same speakers for every fact's `claimed_by`, `quote.py` makes quote facts.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..nlp.names import Name

if TYPE_CHECKING:
    from .context import ArticleContext

MIN_QUOTE_WORDS = 3  # shorter quoted runs are scare quotes or single words ("horrified"), not statements


@dataclass
class Speaker:
    name: str
    kind: str  # person / org
    org: str | None = None
    rule: str = ""


@dataclass
class Quote:
    start: int  # first token inside the marks
    end: int    # token after the last one inside
    open_token: int
    close_token: int | None
    speaker: Speaker | None = None
    sentences: list[int] = field(default_factory=list)


def find_quotes(ctx: "ArticleContext") -> list["Quote"]:
    doc = ctx.doc
    by_paragraph: dict[int, list[int]] = {}
    for sentence in ctx.each_sentence():
        by_paragraph.setdefault(sentence.paragraph, []).append(sentence.index)
    quotes: list[Quote] = []
    for paragraph, indices in sorted(by_paragraph.items()):
        first, last = ctx.sentences[indices[0]], ctx.sentences[indices[-1]]
        marks = [t.i for t in doc[first.start:last.end] if t.text in ('"', "''", "``")]
        for k in range(0, len(marks), 2):
            open_i = marks[k]
            close_i = marks[k + 1] if k + 1 < len(marks) else None
            end = close_i if close_i is not None else last.end
            inner = [t for t in doc[open_i + 1:end] if not t.is_punct]
            if len(inner) < MIN_QUOTE_WORDS:
                continue
            quote = Quote(open_i + 1, end, open_i, close_i)
            quote.sentences = sorted({ctx.sentence_of[i] for i in range(open_i, (close_i or end - 1) + 1)})
            quotes.append(quote)
    previous: Quote | None = None
    for quote in quotes:
        quote.speaker = find_speaker(ctx, quote)
        if quote.speaker is None and previous is not None and previous.close_token is None \
                and ctx.sentences[quote.sentences[0]].paragraph == ctx.sentences[previous.sentences[-1]].paragraph + 1:
            quote.speaker = previous.speaker  # a quote running on over paragraphs keeps its speaker
        previous = quote
    return quotes


def find_speaker(ctx: "ArticleContext", quote: Quote) -> Speaker | None:
    doc = ctx.doc
    if quote.close_token is not None:
        sentence = ctx.sentences[ctx.sentence_of[quote.close_token]]
        tail_end = sentence.end
        # an attribution never runs into the next quote
        for i in range(quote.close_token + 1, sentence.end):
            if doc.tokens[i].text == '"':
                tail_end = i
                break
        speaker = speaker_in(ctx, quote.close_token + 1, tail_end, quote.open_token, "quote.after")
        if speaker:
            return speaker
    sentence = ctx.sentences[ctx.sentence_of[quote.open_token]]
    lead_start = sentence.start
    for i in range(quote.open_token - 1, sentence.start - 1, -1):
        if doc.tokens[i].text == '"':
            lead_start = i + 1
            break
    if quote.open_token > lead_start:
        return speaker_in(ctx, lead_start, quote.open_token, lead_start, "quote.before")
    return None


def speaker_in(ctx: "ArticleContext", start: int, end: int, before: int, rule: str) -> Speaker | None:
    """The speaker an attribution clause doc[start:end] names, if it holds a speech verb."""
    if start >= end:
        return None
    speech = [h for h in ctx.hits.get(ctx.sentence_of[start], ()) if h.kind == "speech" and start <= h.start < end]
    if not speech and ctx.doc.tokens[end - 1].text != ":":
        return None
    verb = speech[0].start if speech else end
    return who(ctx, start, end, verb, before, rule)


def who(ctx: "ArticleContext", start: int, end: int, verb: int, before: int, rule: str) -> Speaker | None:
    """Pick the speaker among the names in doc[start:end] around a speech verb at `verb`.

    A person beats an organisation beats a pronoun beats a descriptor: "UN spokesman David Swanson"
    is Swanson (of the UN), "the UN coordinator said on Monday, Mark Lowcock" is Lowcock.
    """
    doc = ctx.doc
    names = [n for n in names_between(ctx, start, end) if n.kind in ("person", "org")]
    names += actor_names_between(ctx, start, end, names)
    names.sort(key=lambda n: n.start)
    persons = [n for n in names if n.kind == "person"]
    orgs = [n for n in names if n.kind == "org"]
    if persons:
        # the name nearest the verb before it, else the first after it
        before_verb = [n for n in persons if n.end <= verb]
        person = before_verb[-1] if before_verb else persons[0]
        return Speaker(person.text, "person", org_near(ctx, person, orgs), rule)
    after_verb = [n for n in orgs if n.start >= verb]
    before_verb = [n for n in orgs if n.end <= verb]
    words = ctx.resources.speaker_anaphors
    pronoun = next((doc.tokens[i].lower_ for i in range(start, min(end, verb + 1))
                    if doc.tokens[i].lower_ in words.person_pronouns | words.org_pronouns), None)
    if pronoun in words.person_pronouns and not before_verb:
        person = last_named(ctx, before, "person")
        if person:
            return Speaker(person.text, "person", None, rule + ".pronoun")
    if before_verb or after_verb:
        org = (before_verb or after_verb)[-1] if before_verb else after_verb[0]
        return Speaker(canonical_org(ctx, org), "org", None, rule)
    descriptor = any(doc.tokens[i].lower_ in words.org_nouns for i in range(start, min(end, verb + 1)))
    if pronoun in words.org_pronouns or descriptor:
        org = last_named(ctx, before, "org")
        if org:
            return Speaker(canonical_org(ctx, org), "org", None, rule + ".anaphor")
    return unnamed_speaker(ctx, start, end, verb, rule)


def unnamed_speaker(ctx: "ArticleContext", start: int, end: int, verb: int, rule: str) -> Speaker | None:
    """A speaker the article does not name in full: "a trader who gave his name only as Getachew",
    "A federal government spokesman denied ...": the lone name, else the title phrase as written."""
    doc = ctx.doc
    for name in names_between(ctx, max(start, verb), end):
        if len(name.text.split()) == 1 and name.start > 0 and doc.tokens[name.start - 1].lower_ in ("as", "named", "called"):
            return Speaker(name.text, "person", None, rule + ".named-as")
    for name in names_between(ctx, start, end):
        if is_first_name(ctx, name, verb):
            return Speaker(name.text, "person", None, rule + ".first-name")
    titles = ctx.resources.lexicon.words.get("title_word", set())
    lo, hi = (start, verb) if verb > start else (verb + 1, end)
    words = [t for t in doc[lo:hi] if not t.is_punct]
    for i, token in enumerate(words):
        if token.norm_ in titles and len(words) <= 8:
            phrase = [t for t in words[: i + 1] if t.lower_ not in ("a", "an", "the")]
            if phrase:
                return Speaker(" ".join(t.text for t in phrase), "descriptor", None, rule + ".descriptor")
    return None


def is_first_name(ctx: "ArticleContext", name: Name, verb: int) -> bool:
    """A witness cited by one name, as reporters cite people for their safety: "said Fatima, whose
    brother was killed", "Yusuf said": one capitalised word right beside the speech verb that is
    no place, organisation, acronym, demonym or calendar word."""
    doc = ctx.doc
    if name.kind != "other" or name.end - name.start != 1 or not (name.start == verb + 1 or name.end == verb):
        return False
    token = doc.tokens[name.start]
    actors = ctx.resources.actors
    if not token.is_alpha or token.text.isupper() or len(token.text) < 3 \
            or token.lower_ in actors.adjectives or token.lower_ in actors.country_words:
        return False  # "KHARTOUM", "UN", "Syrian state television reported"
    after = doc.tokens[name.end] if name.end < len(doc) else None
    if name.start == verb + 1 and after is not None and not after.is_punct:
        return False  # "said Tuesday that", "said Hama residents": not a lone name
    places = ctx.places.get(ctx.sentence_of[name.start], ())
    return not any(p.start <= name.start < p.end for p in places)


def names_between(ctx: "ArticleContext", start: int, end: int) -> list[Name]:
    out = []
    for index in range(ctx.sentence_of[start], ctx.sentence_of[max(start, end - 1)] + 1):
        out.extend(n for n in ctx.names.get(index, ()) if n.start >= start and n.end <= end)
    return out


def actor_names_between(ctx: "ArticleContext", start: int, end: int, names: list[Name]) -> list[Name]:
    """Actors the names miss ("the Israeli military said"), as organisations with their canonical name."""
    out = []
    for index in range(ctx.sentence_of[start], ctx.sentence_of[max(start, end - 1)] + 1):
        for m in ctx.actors.get(index, ()):
            if start <= m.start and m.end <= end and not m.generic \
                    and not any(n.start < m.end and m.start < n.end for n in names):
                out.append(Name(m.actor, m.start, m.end, "org"))
    return out


def last_named(ctx: "ArticleContext", before: int, kind: str) -> Name | None:
    """The last person or organisation named outside quotes before token `before`."""
    quoted = getattr(ctx, "quoted_tokens", set())
    index = ctx.sentence_of[before]
    for name in reversed(ctx.names.get(index, ())):
        if name.end <= before and name.kind == kind and name.start not in quoted:
            return name
    return last_named_by_sentence(ctx, kind, quoted)[index - 1] if index > 0 else None


def last_named_by_sentence(ctx: "ArticleContext", kind: str, quoted) -> list[Name | None]:
    """For each sentence, the last `kind` named outside quotes up to its end: one pass per article,
    kept on the context (a walk back through every sentence per pronoun was quadratic). Quotes are
    known only once found, so the table made while finding them is kept apart."""
    key = (kind, hasattr(ctx, "quoted_tokens"))
    table = ctx.last_named_memo.get(key)
    if table is None:
        table, last = [], None
        for index in range(len(ctx.sentences)):
            for name in ctx.names.get(index, ()):
                if name.kind == kind and name.start not in quoted:
                    last = name
            table.append(last)
        ctx.last_named_memo[key] = table
    return table


def org_near(ctx: "ArticleContext", person: Name, orgs: list[Name]) -> str | None:
    """The organisation a person is introduced with: "UN spokesman X", "X of Al Jazeera"."""
    for org in orgs:
        if 0 <= person.start - org.end <= 3 or 0 <= org.start - person.end <= 4:
            return canonical_org(ctx, org)
    return None


def canonical_org(ctx: "ArticleContext", name: Name) -> str:
    """An organisation's canonical name when the actor list knows it ("Syrian Human Rights Observatory" -> SOHR).

    A full name beats the acronym after it: "the UN High Commissioner for Human Rights (UNHCR)" is OHCHR.
    """
    tokens = ctx.doc.tokens
    if name.end + 2 < len(tokens) and tokens[name.end].text == "(" and tokens[name.end + 2].text == ")":
        corrected = ctx.resources.actors.correct_acronym(ctx.doc[name.start:name.end + 3].text)
        if corrected:
            return corrected
    for mention in ctx.actors.get(ctx.sentence_of[name.start], ()):
        if mention.start < name.end and name.start < mention.end and not mention.generic:
            return mention.actor
    return name.text
