"""Where and when a fact happened: place phrases resolved through the gazetteer, time phrases against
the publication date.

"in northwestern Syria", "from western Aleppo", "towards Sheikh Barakat Mountain", "in western Aleppo
province": a preposition, an optional direction word, then a capitalised name with the words that
may follow it (province, countryside, governorate). The phrase is looked up among the article's
gazetteer mentions (`resolve.places`); a name the gazetteer does not know is kept as written.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .timing import report_day, sentence_times

if TYPE_CHECKING:
    from .context import ArticleContext, Sentence

def place_after(ctx: "ArticleContext", sentence: "Sentence", start: int, end: int | None = None,
                prepositions: frozenset[str] | None = None) -> dict[str, Any] | None:
    """The first place phrase after token `start` in the sentence, introduced by a preposition
    (by default the place prepositions of `data/words/place_prepositions.toml`)."""
    doc = ctx.doc
    if prepositions is None:
        prepositions = ctx.resources.places.prepositions["words"]
    end = sentence.end if end is None else min(end, sentence.end)
    actor_tokens = {i for m in ctx.actors.get(sentence.index, ()) for i in range(m.start, m.end)}
    i = start
    while i < end:
        token = doc.tokens[i]
        if token.lower_ in prepositions:
            phrase = place_phrase(ctx, i + 1, end, actor_tokens)
            if phrase:
                return phrase
        i += 1
    return None


def place_phrase(ctx: "ArticleContext", i: int, end: int, actor_tokens: set[int]) -> dict[str, Any] | None:
    doc = ctx.doc
    places = ctx.resources.places
    directions, area_words = places.phrase_directions, places.phrase_nouns
    not_names, prefixes = ctx.resources.names.not_names, places.place_prefixes
    first = i
    direction = None
    while i < end and doc.tokens[i].lower_ in directions:
        if doc.tokens[i].lower_ != "the":
            direction = doc.tokens[i].lower_
        i += 1
    if i + 1 < end and doc.tokens[i].lower_ in area_words and doc.tokens[i + 1].lower_ == "of":
        i += 2  # "the town of Damasak", "the province of Idlib": the name is what follows
        first = i
    name_start = i
    head = None  # the organisation word that ends the run ("Police Department", "University")
    while i < end:
        token = doc.tokens[i]
        prefix = token.lower_ in prefixes and i + 1 < end and doc.tokens[i + 1].text == "-"
        if prefix:
            i += 2
            continue
        if token.lower_ in places.headline_event_words and token.text[:1].isupper():
            break  # "In Fort Worth Shooting", "Near Kherson Strike": the headline's event, not the name
        if token.text[:1].isupper() and token.lower_ not in not_names and i not in actor_tokens \
                or (token.text == "-" and i > name_start) or (token.text[:1].isdigit() and i > name_start):
            if i > name_start and head is None and token.lower_.rstrip(".") in places.organisation_heads:
                head = i
            i += 1
            continue
        break
    if i == name_start or doc.tokens[name_start].text == "-":
        return None
    if doc.tokens[name_start].lower_.rstrip(".") in places.month_words:
        return None  # "on Aug. 31", "by May 17": a date
    if head is None and i - name_start == 1 and doc.tokens[name_start].lower_ in places.organisation_heads:
        return None  # "at Crimestoppers", "Back to Gallery": an organisation or a page's furniture
    if head is not None:
        return facility_town(ctx, first, name_start, head, i)
    if places.is_street_word(doc.tokens[i - 1]) or (first > 1 and doc.tokens[first - 1].lower_ == "of"
                                                     and doc.tokens[first - 2].lower_ == "block"):
        return None  # "on Elm Avenue", "the 3200 block of Main Street": a street; the town is named elsewhere
    toponym = doc[name_start:i].text
    if i + 2 < end and doc.tokens[i].lower_ in area_words and doc.tokens[i + 1].lower_ == "of" \
            and doc.tokens[i + 2].text[:1].isupper():
        # "in the Idlib town of Saraqib", "in the Florida city of Ocala": the region, then the town
        inner = place_phrase(ctx, i, end, actor_tokens)
        if inner is not None:
            return inner
    while i < end and doc.tokens[i].lower_ in area_words:
        i += 1
    if doc.tokens[first].lower_ == "the" and direction is None:
        first += 1
    resolved = gazetteer_place(ctx, first, i)
    if resolved is not None:
        resolved["name"] = doc[first:i].text  # as the article writes it; the gazetteer's own name beside it
        return resolved
    if i - name_start == 1 and places.gazetteer.is_common_word(doc.tokens[name_start].lower_):
        return None  # "at the Bank", "outside the Police headquarters": a capitalised common word, no place
    # a name the gazetteer does not know: kept as written, with no coordinates, in the article's area
    # (a village of the province the story is about, not a namesake the gazetteer holds elsewhere)
    country = ctx.place_country
    return {"name": doc[first:i].text, "geonameid": None, "admin1": ctx.place_region if country else None,
            "country": country, "lat": None, "lon": None, "precision": None, "toponym": toponym,
            "qualifier": direction}


def facility_town(ctx: "ArticleContext", first: int, name_start: int, head: int, end: int) -> dict[str, Any] | None:
    """The place of a phrase naming an organisation or facility ("at the Greene County Detention Center",
    "outside the Aleppo Health Directorate", "by Ridgeway Police Department"): the town its name holds,
    if the gazetteer knows it, else none (the run is no place; a later phrase or the context gives it).
    A gazetteer entry for the whole facility (a curated camp or air base) is read as itself."""
    doc = ctx.doc
    whole = gazetteer_place(ctx, first, end)
    if whole is not None and whole.get("text") and len(whole["text"]) >= len(doc[name_start:head + 1].text):
        whole["name"] = doc[first:end].text
        return whole
    finder = ctx.resources.places
    for stop in range(head, name_start, -1):  # "Aleppo Health": the name before the organisation's words
        for mention in finder.find(doc, name_start, stop, ctx.place_country):
            if mention.place.kind in ("city", "curated", "feature"):
                return place_record(mention)
    return None


def nearest_place(ctx: "ArticleContext", sentence: "Sentence", anchor: int) -> dict[str, Any] | None:
    """The gazetteer place nearest token `anchor`, for facts whose place is not introduced by a
    preposition ("fled western neighbourhoods of Mosul", "Aleppo bomb blast kills six"): in the fact's
    sentence first (after the anchor before before it), else in the next sentence of the paragraph,
    else in the one before it, where reports usually say where the figure applies."""
    for index in (sentence.index, sentence.index + 1, sentence.index - 1):
        if not 0 <= index < len(ctx.sentences) or ctx.sentences[index].paragraph != sentence.paragraph:
            continue
        mentions = free_places(ctx, index)
        if mentions:
            best = min(mentions, key=lambda m: (m.start < anchor, abs(m.start - anchor)))
            record = place_record(best)
            if index != sentence.index:
                record["from_context"] = True  # named in a neighbouring sentence
            return record
    return None


def free_places(ctx: "ArticleContext", index: int) -> list:
    """Place mentions of a sentence that are not part of an actor's or organisation's name
    ("Islamic State in Iraq and the Levant", "Syrian Observatory for Human Rights")."""
    taken = {i for m in ctx.actors.get(index, ()) for i in range(m.start, m.end)}
    taken |= {i for n in ctx.names.get(index, ()) if n.kind == "org" for i in range(n.start, n.end)}
    people = [n for n in ctx.names.get(index, ()) if n.kind == "person"]
    before = ctx.resources.places.place_prepositions
    return [m for m in ctx.places.get(index, ()) if not any(i in taken for i in range(m.start, m.end))
            and not any(n.start < m.end and m.start < n.end and not city_named(ctx, m, n, before) for n in people)]


def city_named(ctx: "ArticleContext", mention, name, prepositions: frozenset[str]) -> bool:
    """Whether a capitalised run taken for a person's name ("San Antonio", "Khan Younis", "Deir Hafer")
    is the gazetteer's place: the mention covers the whole run, of two words or more, and names a city
    of 100,000 people or a division, or follows a place preposition ("shells fell on Deir Hafer"); a
    one-word place inside a person's name ("Ahmad Hama") stays a name."""
    place = mention.place
    if not (mention.start <= name.start and name.end <= mention.end and name.end - name.start >= 2):
        return False
    if (place.population or 0) >= 100_000 or place.kind in ("admin1", "country"):
        return True
    return mention.start > 0 and ctx.doc.tokens[mention.start - 1].lower_ in prepositions


def gazetteer_place(ctx: "ArticleContext", start: int, end: int) -> dict[str, Any] | None:
    """The gazetteer's reading of the phrase doc[start:end]: the place mention overlapping it most."""
    best, overlap = None, 0
    for mention in free_places(ctx, ctx.sentence_of[start]):
        shared = min(end, mention.end) - max(start, mention.start)
        if shared > overlap:
            best, overlap = mention, shared
    if best is None:
        return None
    return place_record(best)


def place_record(mention) -> dict[str, Any]:
    """A gazetteer mention as a fact's place: named as the article writes it, the gazetteer's name beside it."""
    record = mention.to_record()
    record["gazetteer_name"] = record["toponym"] = mention.place.name
    record["name"] = mention.text
    return record


def place_before(ctx: "ArticleContext", sentence: "Sentence", token: int) -> dict[str, Any] | None:
    """The subject place of "Idlib, in northwestern Syria, is home to ...": the sentence's first name."""
    actor_tokens = {i for m in ctx.actors.get(sentence.index, ()) for i in range(m.start, m.end)}
    actor_tokens |= {i for n in ctx.names.get(sentence.index, ()) if n.kind in ("person", "org")
                     for i in range(n.start, n.end)}
    actor_tokens |= {i for m in ctx.numbers.get(sentence.index, ()) for i in range(m.start, m.end)}
    not_names = ctx.resources.names.not_names
    i = sentence.start
    for hit in ctx.hits.get(sentence.index, ()):
        if hit.kind == "speech" and hit.end <= token:
            i = max(i, hit.end)  # "X said that Idlib ... is home to": the place follows the attribution
    while i < token:
        if ctx.doc.tokens[i].text[:1].isupper() and ctx.doc.tokens[i].lower_ not in not_names and i not in actor_tokens:
            return place_phrase(ctx, i, token, actor_tokens)
        i += 1
    return None


def time_of(ctx: "ArticleContext", sentence: "Sentence", anchor: int) -> dict[str, Any]:
    """The date or period a fact at token `anchor` is stated for, resolved against the publication date.

    The time phrase nearest the fact in its sentence wins ("killed on Tuesday ... since 2011": Tuesday
    for the killing). The day a source spoke ("police said on Tuesday", "told reporters Monday") is
    the report's, not the event's: it is passed over (`timing.report_day`), and a fact whose
    sentence gives only that day gets its date from the sentences around it (`extract.when`).
    Without a publication date the phrase is kept and nothing is invented.
    """
    refs = [r for r in sentence_times(ctx, sentence.index) if not report_day(ctx, r[0])]
    if not refs:
        return {"date": None, "period": None, "period_text": None}
    at = ctx.doc.tokens[anchor].idx
    _, _, ref = min(refs, key=lambda r: 0 if r[0] <= at < r[1] else min(abs(r[0] - at), abs(r[1] - at)))
    return {"date": ref.date, "period": ref.period, "period_text": ref.phrase}
