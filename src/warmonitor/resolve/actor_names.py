"""How actor names are written and compared, and how the rows of `data/actors.jsonl` are read and checked.

Names are folded: case, diacritics, apostrophes and dots dropped ("U.N." = "UN", "Türk" = "Turk",
"People's" = "Peoples"), other punctuation made a space, a leading "the" and a trailing possessive
dropped. Short acronyms and persons' one-word aliases carry a rule on how they must be written (see
`Key.written_ok`), so that ordinary words never become actors.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from ..data_files import DataFileError

_LATIN = (("ı", "i"), ("ø", "o"), ("ß", "ss"), ("æ", "ae"), ("œ", "oe"), ("ł", "l"), ("đ", "d"))
_DROP = re.compile(r"['’‘`´.]")
_SPACE = re.compile(r"[^a-z0-9]+")
_POSSESSIVE = re.compile(r"['’]s$")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}$")


def fold(name: str) -> str:
    """Case, diacritics and punctuation folded; "the" in front and a possessive at the end dropped."""
    text = unicodedata.normalize("NFKD", _POSSESSIVE.sub("", name.strip()))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    for char, plain in _LATIN:
        text = text.replace(char, plain)
    text = _SPACE.sub(" ", _DROP.sub("", text.replace("&", " and "))).strip()
    return text[4:] if text.startswith("the ") else text


def as_written(name: str) -> str:
    """The name as written, without a leading "the", a trailing possessive or dots ("U.N." -> "UN")."""
    text = _POSSESSIVE.sub("", name.strip())
    text = text[4:] if text[:4].lower() == "the " else text
    return text.replace(".", "")


def is_acronym(alias: str) -> bool:
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


def covers(start: str | None, end: str | None, when: str | None) -> bool:
    return when is None or ((start is None or start <= when) and (end is None or when <= end))


def row_label(i: int, row: Any) -> str:
    name = row.get("name") if isinstance(row, dict) else None
    return f"actors.jsonl entry {i}" + (f" ('{name}')" if isinstance(name, str) else "")


def row_names(row: dict[str, Any], where: str) -> list[str]:
    """The canonical name, its parts around a parenthesised acronym ("Rapid Support Forces (RSF)"), aliases."""
    name = row["name"]
    names = [name, *row_strings(row, "aliases", where)]
    inner = re.fullmatch(r"(.+?)\s*\(([^()]+)\)", name)
    if inner:
        names += [inner.group(1), inner.group(2)]
    return names


def row_strings(row: dict[str, Any], field_name: str, where: str) -> list[str]:
    values = row.get(field_name, [])
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise DataFileError(f"{where}: field '{field_name}' should be a list of strings")
    return values


def alias_rule(alias: str, person: bool) -> str | None:
    if is_acronym(alias) and any(c.isalpha() for c in alias):
        return "caps" if len(alias.replace(".", "")) <= 3 else "cased"
    if person and " " not in alias.strip():
        return "cased"
    return None


def row_dates(row: dict[str, Any], where: str) -> tuple[str | None, str | None]:
    start, end = row.get("valid_from"), row.get("valid_to")
    for label, value in (("valid_from", start), ("valid_to", end)):
        if value is not None and not (isinstance(value, str) and _DATE.match(value)):
            raise DataFileError(f"{where}: {label} should be an ISO date (YYYY-MM-DD) or null, got {value!r}")
    if start and end and end < start:
        raise DataFileError(f"{where}: valid_to {end} is before valid_from {start}")
    return start, end
