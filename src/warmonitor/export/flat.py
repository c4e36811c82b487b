"""Fact records as flat rows: the fields analysts filter and sort on, one column each.

The columns of `warmonitor facts --format csv` and of `warmonitor.open(...).facts(as_frame=True)`,
defined once so that a spreadsheet and a notebook see the same table.
"""
from __future__ import annotations

from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

FLAT_FIELDS = ["article", "type", "count", "outcome", "victims", "unit", "term", "place", "admin1", "country",
               "date", "period_start", "period_end", "actors", "claimed_by", "confidence", "rule", "evidence"]


def flat_record(record: dict[str, Any]) -> dict[str, Any]:
    """One row: nested fields picked out (the best count, the place's name), lists joined with ';'."""
    place = record.get("place") or record.get("origin") or record.get("destination") or {}
    count = record.get("count") or {}
    period = record.get("period") or {}
    actors = list(record.get("perpetrators") or []) + [a for a in (record.get("actor"), record.get("speaker")) if a]
    return {
        "article": record.get("article"), "type": record.get("type"), "count": count.get("best"),
        "outcome": record.get("outcome"), "victims": record.get("victims"), "unit": record.get("unit"),
        "term": record.get("term"), "place": place.get("name"), "admin1": place.get("admin1"),
        "country": place.get("country"), "date": record.get("date"), "period_start": period.get("start"),
        "period_end": period.get("end"), "actors": ";".join(actors), "claimed_by": ";".join(record.get("claimed_by") or []),
        "confidence": record.get("confidence"), "rule": record.get("rule"),
        "evidence": (record.get("evidence") or {}).get("text"),
    }


def spreadsheet_cell(value: Any) -> Any:
    """Spreadsheets run a cell that starts with = + - @ (or a tab or carriage return) as a formula, so
    text an article supplied ("=HYPERLINK(...)" in a headline) could act on an analyst's machine: such
    text gets a leading apostrophe, which spreadsheets show as text. Numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def spreadsheet_row(row: dict[str, Any]) -> dict[str, Any]:
    return {key: spreadsheet_cell(value) for key, value in row.items()}
