"""The one loader for language data (lexicons, patterns, actors, fixers) shipped in `warmonitor/data/`.

Language data lives apart from code so that analysts can read and extend it; every file is checked
on load so that a typo in a data file fails with the file and entry named, not deep in a matcher.
Files are TOML (tables of entries) or JSONL (one entry a line). Nothing is loaded at import time:
callers hold what they load (see `warmonitor.resources`).
"""
from __future__ import annotations

import json
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any


class DataFileError(ValueError):
    """A shipped or user-supplied data file is malformed."""


def data_path(name: str) -> Path:
    return Path(str(resources.files("warmonitor") / "data" / name))


def load_toml(name: str, path: Path | None = None) -> dict[str, Any]:
    path = path or data_path(name)
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DataFileError(f"{path}: cannot load data file: {exc}") from exc


def load_jsonl(name: str, path: Path | None = None) -> list[dict[str, Any]]:
    path = path or data_path(name)
    rows = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise DataFileError(f"{path}: cannot load data file: {exc}") from exc
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise DataFileError(f"{path}:{number}: not valid JSON: {exc.msg}") from exc
    return rows


def load_words(kind: str, key: str = "words", path: Path | None = None) -> tuple[str, ...]:
    """One word list of `data/words/KIND.toml`, in file order.

    Word lists are language data: each kind lives in one file (as spaCy keeps its stop words and
    lexical attributes apart from code) with a `source` line saying where its words come from, so a
    list exists once and an analyst can extend it without reading code. A file may hold several
    named lists of one kind (`key`); a duplicate word is an error, since it usually means two
    lists were merged carelessly.
    """
    table = _word_file(kind, path)
    where = f"{path or data_path(f'words/{kind}.toml')}"
    words = table.get(key)
    if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
        raise DataFileError(f"{where}: '{key}' should be a list of non-empty strings")
    seen: set[str] = set()
    for word in words:
        if word in seen:
            raise DataFileError(f"{where}: '{key}' lists '{word}' twice")
        seen.add(word)
    return tuple(words)


def load_word_lines(name: str, path: Path | None = None) -> tuple[str, ...]:
    """A long word list kept one word a line (`data/words/NAME.txt`), for lists too long to parse as TOML
    each time a stage starts (tens of thousands of words): the first line is `# source: ...`, saying
    where its words come from; other lines starting with `#` are comments."""
    path = path or data_path(f"words/{name}.txt")
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise DataFileError(f"{path}: cannot load data file: {exc}") from exc
    if not lines or not lines[0].startswith("# source:") or not lines[0][len("# source:"):].strip():
        raise DataFileError(f"{path}: needs a first line '# source: ...' saying where its words come from")
    return tuple(line for line in lines[1:] if line and line[0] != "#" and not line.isspace())


def load_word_table(kind: str, key: str, path: Path | None = None) -> dict[str, Any]:
    """A mapping kept with a kind's word lists (`[KEY]` in `data/words/KIND.toml`), e.g. month names to numbers."""
    table = _word_file(kind, path)
    mapping = table.get(key)
    if not isinstance(mapping, dict) or not all(isinstance(k, str) and k for k in mapping):
        raise DataFileError(f"{path or data_path(f'words/{kind}.toml')}: '[{key}]' should be a table keyed by words")
    return mapping


def _word_file(kind: str, path: Path | None) -> dict[str, Any]:
    table = load_toml(f"words/{kind}.toml", path)
    source = table.get("source")
    if not isinstance(source, str) or not source.strip():
        raise DataFileError(f"{path or data_path(f'words/{kind}.toml')}: needs a 'source' line saying where its words come from")
    return table


def entries(table: dict[str, Any], key: str, required: dict[str, type], where: str) -> list[dict[str, Any]]:
    """Return `table[key]` (a list of entries), checking that each has the `required` typed fields."""
    items = table.get(key)
    if not isinstance(items, list):
        raise DataFileError(f"{where}: expected a list of [[{key}]] entries")
    for i, item in enumerate(items, 1):
        check_entry(item, required, f"{where} [[{key}]] #{i}")
    return items


def check_entry(item: Any, required: dict[str, type], where: str) -> None:
    if not isinstance(item, dict):
        raise DataFileError(f"{where}: expected a table, got {type(item).__name__}")
    for field, kind in required.items():
        if field not in item:
            raise DataFileError(f"{where}: missing field '{field}'")
        if not isinstance(item[field], kind):
            raise DataFileError(f"{where}: field '{field}' should be {getattr(kind, '__name__', kind)}")
