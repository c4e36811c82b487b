"""Actors: the one list of `data/actors.jsonl`, found in documents and resolved to canonical names.

Matching finds actors in running text with one PhraseMatcher on NORM (every name and alias of every
organisation or force, the generic state-forces phrases of `data/words/state_forces.toml`, and
demonyms before a force noun: "Syrian and Russian forces"). Resolving answers what the matcher
cannot: which actor an alias, surname or acronym means at a date (`valid_from`/`valid_to`,
`successor` chains: "Nusra Front" in 2019 is HTS), which office a person spoke for then (Lowcock ->
OCHA until mid-2021), which actor a shared acronym means in an article about a given country ("SNA"
in Somalia), and which actor a full name means when a mistranslated acronym in parentheses
contradicts it ("High Commissioner for Human Rights (UNHCR)"). Both read the same `Actor`s, so an
actor's type is known wherever it is found and is written on the facts that name it.

Matching rules (see `actor_names.py` for folding). A one-word ALL-CAPS alias of up to three letters
must be written in capitals ("IS", "WHO", "AP" but not "is", "who", "Ap"); a longer one, and a
person's one-word alias (surname), must not be all lower case ("Unicef" is UNICEF and "al-Jolani" is
al-Sharaa, but "care" is not CARE and "an elder" is not James Elder). When several actors share a
name, a date keeps those valid then; a country keeps those of that country, its context aliases and
its government for a generic phrase ("government forces"); names and aliases beat office-holder
titles. What is still ambiguous resolves to nothing rather than to a guess.

Person rows are read from an office row's `people` (the shipped layout, see the file's header) or as
top-level rows of type "person" with an `office`. Persons are resolved, never matched: the matcher
would make one an actor (a perpetrator) or an organisation name. Nothing is loaded at import.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from ..data_files import DataFileError, check_entry, load_jsonl, load_words
from .actor_names import (Key, Tenure, alias_rule, as_written, covers, fold, row_dates, row_label, row_names,
                          row_strings)

TYPES = frozenset({"state forces", "foreign state forces", "non-state armed group", "UN agency", "UN body",
                   "NGO", "monitor", "media", "person"})
ARMED_TYPES = frozenset({"state forces", "foreign state forces", "non-state armed group"})
_ISO2 = re.compile(r"[A-Z]{2}$")
_PARENS = re.compile(r"\(\s*([A-Za-z][A-Za-z0-9.&/-]{1,14})\s*\)")
_WORDS = re.compile(r"\S+")


@dataclass
class Actor:
    """An organisation, force or person of `actors.jsonl`, as matching and resolving both read it."""

    name: str
    type: str
    country: str | None = None
    government: bool = False  # the state forces "government forces" means in an article about `country`
    aliases: list[str] = field(default_factory=list)
    adjectives: list[str] = field(default_factory=list)  # demonyms: "Syrian" in "Syrian forces"
    valid_from: str | None = None
    valid_to: str | None = None
    successor: str | None = None
    tenures: list[Tenure] = field(default_factory=list)  # a person's offices

    def valid(self, when: str | None) -> bool:
        return covers(self.valid_from, self.valid_to, when)


@dataclass(frozen=True)
class ActorMention:
    actor: str  # canonical name, or a generic phrase ("government forces") when no country resolves it
    start: int
    end: int
    generic: bool = False
    combined: bool = False  # one of several demonyms sharing a noun: "Syrian and Russian forces"


class Actors:
    """Canonical actors and persons from `actors.jsonl` (or `rows`): found in documents once
    `match_with` has built the matcher on a pipeline's vocabulary, looked up by any name as written."""

    def __init__(self, rows: list[dict[str, Any]] | None = None, nlp: Language | None = None):
        rows = rows if rows is not None else load_jsonl("actors.jsonl")
        self.actors: dict[str, Actor] = {}   # every actor and person, by canonical name
        self.matched: dict[str, Actor] = {}  # those the matcher finds: organisations and forces, in file order
        self.index: dict[str, list[Key]] = {}
        self.governments: dict[str, str] = {}  # ISO2 -> the state forces "government forces" means there
        self.adjectives: dict[str, str] = {}      # lower-case demonym -> actor name
        self.country_words: dict[str, str] = {}   # lower-case demonym -> ISO code
        self.generic_phrases = load_words("state_forces")  # matched in text (and resolved)
        self.generic_forces = frozenset(fold(p) for p in (*self.generic_phrases,
                                                          *load_words("state_forces", "resolved_only")))
        self.group_phrases = load_words("non_state_forces")  # "rebels", "insurgents": armed, name unknown
        people: list[tuple[str, dict[str, Any], str | None]] = []
        for i, row in enumerate(rows, 1):
            where = row_label(i, row)
            check_entry(row, {"name": str, "type": str, "aliases": list}, where)
            if row["type"] == "person":
                people.append((where, row, row.get("office")))
                continue
            self._add_actor(row, where)
            nested = row.get("people", [])
            if not isinstance(nested, list):
                raise DataFileError(f"{where}: field 'people' should be list")
            for j, entry in enumerate(nested, 1):
                people.append((f"{where} people #{j}", entry, row["name"]))
        for where, entry, office in people:
            self._add_person(entry, office, where)
        for actor in self.actors.values():
            if actor.successor is not None and actor.successor not in self.actors:
                raise DataFileError(f"actors.jsonl: '{actor.name}': successor '{actor.successor}' is not an actor")
            for tenure in actor.tenures:
                if tenure.office not in self.actors:
                    raise DataFileError(f"actors.jsonl: person '{actor.name}': office '{tenure.office}' "
                                        "is not an actor")
        self.matcher: PhraseMatcher | None = None  # built by match_with, on the pipeline's vocabulary
        self.by_key: dict[int, str] = {}             # match id -> actor
        self.generic_key = 0                         # match id of the generic state-forces phrases
        self.group_key = 0                           # match id of the generic non-state phrases
        self.group_by_norm: dict[tuple[str, ...], str] = {}  # matched norms -> the phrase as listed
        self.acronyms: set[str] = set()
        self.single_words: dict[str, set[str]] = {}  # actor -> its one-word names, lower-case
        if nlp is not None:
            self.match_with(nlp)

    # --- loading ---------------------------------------------------------------------------------------------

    def _add_actor(self, row: dict[str, Any], where: str) -> None:
        name, type_ = row["name"], row["type"]
        if type_ not in TYPES:
            raise DataFileError(f"{where}: unknown type '{type_}' (known: {sorted(TYPES)})")
        if name in self.actors:
            raise DataFileError(f"{where}: '{name}' is listed twice")
        country = row.get("country")
        if country is not None and not (isinstance(country, str) and _ISO2.match(country)):
            raise DataFileError(f"{where}: country should be an ISO 3166 alpha-2 code, got {country!r}")
        valid_from, valid_to = row_dates(row, where)
        actor = Actor(name, type_, country, bool(row.get("government")), list(row["aliases"]),
                      list(row.get("adjectives", [])), valid_from, valid_to, row.get("successor"))
        self.actors[name] = self.matched[name] = actor
        if actor.government and country:
            if country in self.governments:
                raise DataFileError(f"{where}: '{self.governments[country]}' is already the government of {country}")
            self.governments[country] = name
        for adjective in actor.adjectives:
            self.adjectives.setdefault(adjective.lower(), name)
            if country:
                self.country_words.setdefault(adjective.lower(), country)
        for alias in row_names(row, where):
            self._key(alias, Key(name, "name", rule=alias_rule(alias, person=False)))
        contexts = row.get("context_aliases", {})
        if not isinstance(contexts, dict):
            raise DataFileError(f"{where}: field 'context_aliases' should be an object of ISO2 -> list")
        for code, aliases in contexts.items():
            if not _ISO2.match(code) or not isinstance(aliases, list):
                raise DataFileError(f"{where}: context_aliases: expected ISO2 -> list, got {code!r}")
            for alias in aliases:
                self._key(alias, Key(name, "context", code, alias_rule(alias, person=False)))
        for title in row_strings(row, "head_titles", where):
            self._key(title, Key(name, "title"))

    def _add_person(self, entry: Any, office: str | None, where: str) -> None:
        check_entry(entry, {"name": str, "aliases": list}, where)
        if entry.get("type", "person") != "person":
            raise DataFileError(f"{where}: a person entry must have type 'person'")
        if entry.get("office", office) != office:
            raise DataFileError(f"{where}: office '{entry.get('office')}' is not the row it sits in ('{office}')")
        name = entry["name"]
        person = self.actors.get(name)
        if person is None:
            person = self.actors[name] = Actor(name, "person", aliases=list(entry["aliases"]))
        elif person.type != "person":
            raise DataFileError(f"{where}: '{name}' is already an actor of type {person.type}")
        start, end = row_dates(entry, where)
        if office is not None:
            person.tenures.append(Tenure(office, entry.get("role"), start, end))
        for alias in row_names(entry, where):
            self._key(alias, Key(name, "name", rule=alias_rule(alias, person=True)))

    def _key(self, alias: str, key: Key) -> None:
        folded = fold(alias)
        if folded:
            keys = self.index.setdefault(folded, [])
            if key not in keys:
                keys.append(key)

    # --- matching --------------------------------------------------------------------------------------------

    def phrases(self) -> list[str]:
        """Every phrase the matcher looks for, for the pipeline's lemma table (`build_language`)."""
        return ([n for a in self.matched.values() for n in (a.name, *a.aliases)] + list(self.generic_phrases)
                + list(self.group_phrases))

    def match_with(self, nlp: Language) -> None:
        """Build the phrase matcher on `nlp`'s vocabulary (the pipeline is built after `phrases`)."""
        self.matcher = PhraseMatcher(nlp.vocab, attr="NORM")
        self.by_key, self.acronyms, self.single_words = {}, set(), {}
        for actor in self.matched.values():
            key = nlp.vocab.strings.add(f"actor|{actor.name}")
            self.by_key[key] = actor.name
            names = sorted({actor.name, *actor.aliases})
            self.matcher.add(f"actor|{actor.name}", list(nlp.pipe(names)))
            self.acronyms.update(n for n in names if n.isupper() and len(n) <= 6)
            self.single_words[actor.name] = {n.lower() for n in names if " " not in n}
        self.generic_key = nlp.vocab.strings.add("actor|generic")
        self.matcher.add("actor|generic", list(nlp.pipe(self.generic_phrases)))
        self.group_key = nlp.vocab.strings.add("actor|group")
        group_docs = list(nlp.pipe(self.group_phrases))
        self.matcher.add("actor|group", group_docs)
        self.group_by_norm = {tuple(t.norm_ for t in d): p for p, d in zip(self.group_phrases, group_docs)}

    def get(self, name: str) -> Actor | None:
        """The organisation or force the matcher knows by this canonical name; None for persons."""
        return self.matched.get(name)

    def is_armed(self, mention: ActorMention) -> bool:
        """Whether a mention can be a perpetrator or take ground: armed forces and groups, not agencies or media."""
        actor = self.matched.get(mention.actor)
        return mention.generic or (actor is not None and actor.type in ARMED_TYPES)

    def mentions(self, doc: Doc, view, force_nouns: set[str], country: str | None) -> list[ActorMention]:
        """Named actors, "Syrian and Russian forces" combinations, and generic forces of `country`.

        `doc` is matched; `view` (a `TokenView` of it, or the Doc itself) is read token by token.
        """
        if self.matcher is None:
            raise RuntimeError("Actors.match_with(nlp) must build the matcher before mentions are found")
        found: list[ActorMention] = []
        for match_id, start, end in self.matcher(doc):
            span = view[start:end]
            if match_id == self.generic_key:
                name = self.governments.get(country or "")
                found.append(ActorMention(name or span.text.lower(), start, end, generic=name is None))
                continue
            if match_id == self.group_key:
                # "rebels" is the Syrian opposition in a Syria article (a context alias), an unnamed
                # armed group elsewhere: never a guess at one country's group in another's war. One
                # word matches as written ("rebels", not the "rebel" of "rebel-held")
                if len(span) == 1 and span.text.lower() not in self.group_phrases:
                    continue
                listed = self.group_by_norm.get(tuple(t.norm_ for t in doc[start:end]), span.text.lower())
                name = self.canonical(listed, None, country) if country else None
                found.append(ActorMention(name or listed, start, end, generic=name is None))
                continue
            name = self.by_key[match_id]
            # one-word names match as written, acronyms in capitals: "IS" the group, not "is" or "'s"
            if len(span) == 1 and (span.text.lower() not in self.single_words[name]
                                   or span.text.upper() in self.acronyms and span.text != span.text.upper()):
                continue
            found.append(ActorMention(name, start, end))
        found.extend(self._demonym_forces(view, force_nouns))
        return dedupe_mentions(found)

    def in_country(self, mention: ActorMention, country: str) -> ActorMention:
        """An unnamed armed group ("rebels") as the actor it means in an article about `country`, once
        the article's places have told which country that is; any other mention unchanged."""
        if not mention.generic or mention.actor not in self.group_phrases:
            return mention
        name = self.canonical(mention.actor, None, country)
        return ActorMention(name, mention.start, mention.end) if name else mention

    def _demonym_forces(self, doc, force_nouns: set[str]) -> list[ActorMention]:
        out = []
        for token in doc:
            if token.norm_ not in force_nouns:
                continue
            i = token.i - 1
            modifiers = 0  # "Russian glide bombs", "Israeli air strikes": one word may sit between
            while i >= 0:
                word = doc.tokens[i]
                name = self.adjectives.get(word.lower_)
                if name and word.text[:1].isupper():
                    out.append(ActorMention(name, i, token.i + 1, combined=True))
                    modifiers = 1
                elif word.lower_ in ("and", ",", "-", "led"):
                    pass
                elif modifiers == 0 and word.text.islower() and word.is_alpha and i > 0 \
                        and self.adjectives.get(doc.tokens[i - 1].lower_):
                    modifiers = 1
                else:
                    break
                i -= 1
        return out

    def main_country(self, doc) -> str | None:
        """The country an article is mostly about, by its names and demonyms: "government forces" there."""
        votes: dict[str, int] = {}
        for token in doc:
            if token.text[:1].isupper():
                code = self.country_words.get(token.lower_)
                if code:
                    votes[code] = votes.get(code, 0) + 1
        governed = {c: v for c, v in votes.items() if c in self.governments}
        return max(governed, key=governed.get) if governed else None

    # --- lookup ----------------------------------------------------------------------------------------------

    def canonical(self, name: str, when: str | None = None, country: str | None = None) -> str | None:
        """The canonical actor or person `name` means (at `when`, in an article about `country`), or None."""
        if not name or not name.strip():
            return None
        when = str(when)[:10] if when else None
        written = as_written(name)
        found: list[tuple[str, Key]] = []
        for key in self.index.get(fold(name), ()):
            if not key.written_ok(written) or (key.kind == "context" and key.country != country):
                continue
            if key.kind == "title":
                holder = self._holder(key.actor, when) if when else None
                actor = holder or self.at(key.actor, when)
            else:
                actor = self.at(key.actor, when)
            if actor is not None:
                found.append((actor, key))
        if country and fold(name) in self.generic_forces and country in self.governments:
            actor = self.at(self.governments[country], when)
            if actor is not None:
                found.append((actor, Key(actor, "generic", country)))
        if country:
            local = [(a, k) for a, k in found if k.kind in ("context", "generic") or self.actors[a].country == country]
            found = local or found
        named = [(a, k) for a, k in found if k.kind != "title"]
        found = named or found
        actors = {a for a, _ in found}
        if len(actors) > 1 and all(k.kind == "title" for _, k in found):
            offices = {k.actor for _, k in found}  # several holders of one office, no date: the office
            actors = offices if len(offices) == 1 else actors
        return actors.pop() if len(actors) == 1 else None

    def at(self, name: str, when: str | None) -> str | None:
        """`name` itself if valid at `when`, else the member of its successor chain valid then, else None."""
        actor = self.actors.get(name)
        if actor is None:
            return None
        if actor.type == "person" or actor.valid(when):
            return name
        return next((member for member in self._lineage(name) if self.actors[member].valid(when)), None)

    def _lineage(self, name: str) -> list[str]:
        """Every actor linked to `name` by successor links, earliest first."""
        first, seen = name, {name}
        while True:
            before = next((a.name for a in self.actors.values() if a.successor == first and a.name not in seen), None)
            if before is None:
                break
            first = before
            seen.add(first)
        chain = [first]
        while self.actors[chain[-1]].successor and self.actors[chain[-1]].successor not in chain:
            chain.append(self.actors[chain[-1]].successor)
        return chain

    def _holder(self, office: str, when: str) -> str | None:
        holders = {a.name for a in self.actors.values() if a.type == "person" for t in a.tenures
                   if t.office == office and t.role == "head" and covers(t.valid_from, t.valid_to, when)}
        return holders.pop() if len(holders) == 1 else None

    def office(self, person: str, when: str | None = None) -> str | None:
        """The actor a person spoke for at `when` (without a date: the current office, else the last one)."""
        name = self.canonical(person, when)
        actor = self.actors.get(name) if name else None
        if actor is None or actor.type != "person" or not actor.tenures:
            return None
        when = str(when)[:10] if when else None
        if when:
            active = [t for t in actor.tenures if covers(t.valid_from, t.valid_to, when)]
            if not active:
                return None
            return max(active, key=lambda t: t.valid_from or "").office
        current = [t for t in actor.tenures if t.valid_to is None]
        if current:
            return max(current, key=lambda t: t.valid_from or "").office
        return max(actor.tenures, key=lambda t: t.valid_to or "").office

    def claimant(self, name: str, when: str | None = None, country: str | None = None) -> list[str]:
        """What to put in `claimed_by` for a name as written: [person, office], [actor], or [name] unknown."""
        found = self.canonical(name, when, country)
        if found is None:
            return [name.strip()] if name and name.strip() else []
        if self.actors[found].type != "person":
            return [found]
        office = self.office(found, when)
        return [found, office] if office else [found]

    def correct_acronym(self, text: str) -> str | None:
        """The actor of a full name followed by an acronym in parentheses that names another actor
        ("the United Nations High Commissioner for Human Rights (UNHCR)" -> "OHCHR"); None when no clash."""
        for match in _PARENS.finditer(text):
            acronym = match.group(1)
            if sum(c.isupper() for c in acronym) < 2:
                continue
            meant = {k.actor for k in self.index.get(fold(acronym), ()) if k.kind in ("name", "context")}
            if not meant:
                continue
            words = _WORDS.findall(text[:match.start()])[-12:]
            for n in range(len(words), 1, -1):
                keys = [k for k in self.index.get(fold(" ".join(words[-n:])), ()) if k.kind in ("name", "context")]
                full = {k.actor for k in keys if k.rule is None}
                if full:
                    if len(full) == 1 and not full & meant:
                        return full.pop()
                    break
        return None

    def actor_type(self, canonical: str) -> str | None:
        """The type of a canonical actor (or of what a name resolves to), None when unknown; an unnamed
        armed group ("insurgents") is a non-state armed group whoever it is."""
        actor = self.actors.get(canonical)
        if actor is None:
            found = self.canonical(canonical)
            actor = self.actors.get(found) if found else None
        if actor is None and canonical in self.group_phrases:
            return "non-state armed group"
        return actor.type if actor else None

    def types_of(self, names: list[str]) -> dict[str, str]:
        """Each name's actor type (`actor_type`), for the names the list knows, in order."""
        types = {}
        for name in names:
            found = self.actor_type(name)
            if found is not None:
                types[name] = found
        return types

    def clashes(self) -> list[tuple[str, tuple[str, ...]]]:
        """Folded names that several actors share as names or aliases (context aliases and titles aside)."""
        out = []
        for folded, keys in sorted(self.index.items()):
            actors = tuple(sorted({k.actor for k in keys if k.kind == "name"}))
            if len(actors) > 1:
                out.append((folded, actors))
        return out


def dedupe_mentions(found: list[ActorMention]) -> list[ActorMention]:
    """Keep the longest mention where several overlap ("Syrian army" over "army")."""
    found.sort(key=lambda m: (m.start, -(m.end - m.start)))
    kept: list[ActorMention] = []
    last_end = -1
    for m in found:
        if m.start >= last_end:
            kept.append(m)
            last_end = m.end
        elif m.combined and kept[-1].combined and m.end == kept[-1].end and m.actor != kept[-1].actor:
            # "Syrian and Russian forces": both demonyms share the noun but are distinct actors
            kept.append(m)
    return kept
