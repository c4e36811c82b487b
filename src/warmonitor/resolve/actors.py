"""Actor names as written -> canonical actors (`data/actors.jsonl`), with dates, offices and context.

`ActorResolver` answers what the extractor's phrase matcher cannot: which actor an alias, surname or
acronym means at a date (`valid_from`/`valid_to`, `successor` chains: "Nusra Front" in 2019 is HTS),
which office a person spoke for then (Lowcock -> OCHA until mid-2021), which actor a shared acronym means
in an article about a given country ("SNA" in Somalia), and which actor a full name means when a
mistranslated acronym in parentheses contradicts it ("High Commissioner for Human Rights (UNHCR)").

Matching rules. Names are folded: case, diacritics, apostrophes and dots dropped ("U.N." = "UN",
"Türk" = "Turk", "People's" = "Peoples"), other punctuation made a space, a leading "the" and a trailing
possessive dropped. Two exceptions keep ordinary words from becoming actors: a one-word ALL-CAPS alias
of up to three letters must be written in capitals ("IS", "WHO", "AP" but not "is", "who", "Ap"); a
longer one, and a person's one-word alias (surname), must not be all lower case ("Unicef" is UNICEF and
"al-Jolani" is al-Sharaa, but "care" is not CARE and "an elder" is not James Elder). When several actors share a name,
a date keeps those valid then; a country keeps those of that country, its context aliases and its
government for a generic phrase ("government forces"); names and aliases beat office-holder titles.
What is still ambiguous resolves to nothing rather than to a guess.

Person rows are read from an office row's `people` (the shipped layout, see the file's header) or as
top-level rows of type "person" with an `office`. Nothing is loaded at import.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from ..data_files import DataFileError, check_entry, load_jsonl

TYPES = frozenset({"state forces", "foreign state forces", "non-state armed group", "UN agency", "UN body",
                   "NGO", "monitor", "media", "person"})
# Phrases that name the state forces of the article's country (compare ActorIndex.GENERIC), folded.
GENERIC_FORCES = frozenset({"government forces", "government troops", "government soldiers", "pro government forces",
                            "regime forces", "regime", "army", "army troops", "security forces", "state forces",
                            "military", "armed forces"})
_LATIN = (("ı", "i"), ("ø", "o"), ("ß", "ss"), ("æ", "ae"), ("œ", "oe"), ("ł", "l"), ("đ", "d"))
_DROP = re.compile(r"['’‘`´.]")
_SPACE = re.compile(r"[^a-z0-9]+")
_POSSESSIVE = re.compile(r"['’]s$")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}$")
_ISO2 = re.compile(r"[A-Z]{2}$")
_PARENS = re.compile(r"\(\s*([A-Za-z][A-Za-z0-9.&/-]{1,14})\s*\)")
_WORDS = re.compile(r"\S+")


def fold(name: str) -> str:
    """Case, diacritics and punctuation folded; "the" in front and a possessive at the end dropped."""
    text = unicodedata.normalize("NFKD", _POSSESSIVE.sub("", name.strip()))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    for char, plain in _LATIN:
        text = text.replace(char, plain)
    text = _SPACE.sub(" ", _DROP.sub("", text.replace("&", " and "))).strip()
    return text[4:] if text.startswith("the ") else text


def _written(name: str) -> str:
    """The name as written, without a leading "the", a trailing possessive or dots ("U.N." -> "UN")."""
    text = _POSSESSIVE.sub("", name.strip())
    text = text[4:] if text[:4].lower() == "the " else text
    return text.replace(".", "")


def _acronym(alias: str) -> bool:
    compact = alias.replace(".", "")
    return " " not in compact and compact.isupper() and len(compact) <= 6


@dataclass(frozen=True)
class Key:
    """One way of writing an actor's name."""

    actor: str
    kind: str  # "name" (canonical name or alias), "context", "title", "generic"
    country: str | None = None  # for "context": the article country it needs
    rule: str | None = None  # "caps": a short acronym; "cased": a longer acronym or a person's one-word alias

    def written_ok(self, written: str) -> bool:
        if self.rule == "caps":
            return written.isupper()
        return self.rule != "cased" or not written.islower()


@dataclass(frozen=True)
class Tenure:
    office: str
    role: str | None
    valid_from: str | None
    valid_to: str | None


@dataclass
class Actor:
    name: str
    type: str
    country: str | None = None
    government: bool = False
    valid_from: str | None = None
    valid_to: str | None = None
    successor: str | None = None
    tenures: list[Tenure] = field(default_factory=list)

    def valid(self, when: str | None) -> bool:
        return _covers(self.valid_from, self.valid_to, when)


def _covers(start: str | None, end: str | None, when: str | None) -> bool:
    return when is None or ((start is None or start <= when) and (end is None or when <= end))


class ActorResolver:
    """Canonical actors and persons from `actors.jsonl` (or `rows`), looked up by any name as written."""

    def __init__(self, rows: list[dict[str, Any]] | None = None):
        rows = rows if rows is not None else load_jsonl("actors.jsonl")
        self.actors: dict[str, Actor] = {}
        self.index: dict[str, list[Key]] = {}
        self.governments: dict[str, str] = {}  # ISO2 -> the state forces "government forces" means there
        people: list[tuple[str, dict[str, Any], str | None]] = []
        for i, row in enumerate(rows, 1):
            where = _where(i, row)
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
        actor = Actor(name, type_, country, bool(row.get("government")), *_dates(row, where), row.get("successor"))
        self.actors[name] = actor
        if actor.government and country:
            if country in self.governments:
                raise DataFileError(f"{where}: '{self.governments[country]}' is already the government of {country}")
            self.governments[country] = name
        for alias in _names(row, where):
            self._key(alias, Key(name, "name", rule=_rule(alias, person=False)))
        contexts = row.get("context_aliases", {})
        if not isinstance(contexts, dict):
            raise DataFileError(f"{where}: field 'context_aliases' should be an object of ISO2 -> list")
        for code, aliases in contexts.items():
            if not _ISO2.match(code) or not isinstance(aliases, list):
                raise DataFileError(f"{where}: context_aliases: expected ISO2 -> list, got {code!r}")
            for alias in aliases:
                self._key(alias, Key(name, "context", code, _rule(alias, person=False)))
        for title in _strings(row, "head_titles", where):
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
            person = self.actors[name] = Actor(name, "person")
        elif person.type != "person":
            raise DataFileError(f"{where}: '{name}' is already an actor of type {person.type}")
        start, end = _dates(entry, where)
        if office is not None:
            person.tenures.append(Tenure(office, entry.get("role"), start, end))
        for alias in _names(entry, where):
            self._key(alias, Key(name, "name", rule=_rule(alias, person=True)))

    def _key(self, alias: str, key: Key) -> None:
        folded = fold(alias)
        if folded:
            keys = self.index.setdefault(folded, [])
            if key not in keys:
                keys.append(key)

    # --- lookup ----------------------------------------------------------------------------------------------

    def canonical(self, name: str, when: str | None = None, country: str | None = None) -> str | None:
        """The canonical actor or person `name` means (at `when`, in an article about `country`), or None."""
        if not name or not name.strip():
            return None
        when = str(when)[:10] if when else None
        written = _written(name)
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
        if country and fold(name) in GENERIC_FORCES and country in self.governments:
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
                   if t.office == office and t.role == "head" and _covers(t.valid_from, t.valid_to, when)}
        return holders.pop() if len(holders) == 1 else None

    def office(self, person: str, when: str | None = None) -> str | None:
        """The actor a person spoke for at `when` (without a date: the current office, else the last one)."""
        name = self.canonical(person, when)
        actor = self.actors.get(name) if name else None
        if actor is None or actor.type != "person" or not actor.tenures:
            return None
        when = str(when)[:10] if when else None
        if when:
            active = [t for t in actor.tenures if _covers(t.valid_from, t.valid_to, when)]
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
        """The type of a canonical actor (or of what a name resolves to), None when unknown."""
        actor = self.actors.get(canonical)
        if actor is None:
            found = self.canonical(canonical)
            actor = self.actors.get(found) if found else None
        return actor.type if actor else None

    def clashes(self) -> list[tuple[str, tuple[str, ...]]]:
        """Folded names that several actors share as names or aliases (context aliases and titles aside)."""
        out = []
        for folded, keys in sorted(self.index.items()):
            actors = tuple(sorted({k.actor for k in keys if k.kind == "name"}))
            if len(actors) > 1:
                out.append((folded, actors))
        return out


def _where(i: int, row: Any) -> str:
    name = row.get("name") if isinstance(row, dict) else None
    return f"actors.jsonl entry {i}" + (f" ('{name}')" if isinstance(name, str) else "")


def _names(row: dict[str, Any], where: str) -> list[str]:
    """The canonical name, its parts around a parenthesised acronym ("Rapid Support Forces (RSF)"), aliases."""
    name = row["name"]
    names = [name, *_strings(row, "aliases", where)]
    inner = re.fullmatch(r"(.+?)\s*\(([^()]+)\)", name)
    if inner:
        names += [inner.group(1), inner.group(2)]
    return names


def _strings(row: dict[str, Any], field_name: str, where: str) -> list[str]:
    values = row.get(field_name, [])
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise DataFileError(f"{where}: field '{field_name}' should be a list of strings")
    return values


def _rule(alias: str, person: bool) -> str | None:
    if _acronym(alias) and any(c.isalpha() for c in alias):
        return "caps" if len(alias.replace(".", "")) <= 3 else "cased"
    if person and " " not in alias.strip():
        return "cased"
    return None


def _dates(row: dict[str, Any], where: str) -> tuple[str | None, str | None]:
    start, end = row.get("valid_from"), row.get("valid_to")
    for label, value in (("valid_from", start), ("valid_to", end)):
        if value is not None and not (isinstance(value, str) and _DATE.match(value)):
            raise DataFileError(f"{where}: {label} should be an ISO date (YYYY-MM-DD) or null, got {value!r}")
    if start and end and end < start:
        raise DataFileError(f"{where}: valid_to {end} is before valid_from {start}")
    return start, end
