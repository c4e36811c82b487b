"""JSON Schemas (draft 2020-12) of the records warmonitor writes, the machine-readable half of docs/format.md.

`load("fact")`, `load("summary")`, `load("incident")` return a schema as a dict, read from the package
files on each call (nothing is read at import). `schema_name(record)` says which one a record answers
to. Validating needs the `jsonschema` package (the `test` extra), which warmonitor itself does not use:

    from jsonschema import Draft202012Validator
    Draft202012Validator(load(schema_name(record))).validate(record)
"""
from __future__ import annotations

import json
from importlib.resources import files
from typing import Any

NAMES = ("fact", "summary", "incident")


def load(name: str) -> dict[str, Any]:
    """The schema `name` ("fact", "summary" or "incident") as a dict."""
    if name not in NAMES:
        raise ValueError(f"no schema {name!r}; there are: {', '.join(NAMES)}")
    return json.loads(files(__name__).joinpath(f"{name}.schema.json").read_text(encoding="utf-8"))


def schema_name(record: dict[str, Any]) -> str:
    """The schema a record answers to, by its `type`: "summary", "incident", else "fact"."""
    kind = record.get("type")
    return kind if kind in ("summary", "incident") else "fact"
