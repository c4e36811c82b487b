"""The one loader for language data (lexicons, patterns, actors, fixers) shipped in `warmonitor/data/`.

Language data lives apart from code so that analysts can read and extend it; every file is checked
on load so that a typo in a data file fails with the file and entry named, not deep in a matcher.
Files are TOML (tables of entries) or JSONL (one entry a line). Nothing is loaded at import time:
callers hold what they load (see `warmonitor.nlp.resources`).
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
