"""The fact types warmonitor extracts, each declared once.

Everything that treats a type by name (the pipeline's extractors, the API's accepted filter values,
the map's per-type tallies, the table export, the evaluator, the summary's totals and, through
`GET /api/fact-types`, the dashboard's badges, colours and map circles) reads `fact_types()`, so a new
type is one more entry here and an extractor, not an edit in every layer.

The declarations are code rather than a data file because each one names a Python function and
carries flags that code branches on; a new type needs an extractor written in Python anyway. The
extractor is a dotted reference ("package.module:function") resolved only when a pipeline is built,
so that reading the declarations imports no extraction code (the server and the evaluator never
need it) and so that moving an extract module is a one-string change here.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import Any

__all__ = ["FactType", "fact_types", "fact_type_names", "resolve_extractor"]


@dataclass(frozen=True)
class FactType:
    """One kind of fact: how it is found, what its records hold, how it is shown and what it adds up to.

    `needs_counts`: the extractor is called as `extractor(ctx, assignments)` with the counts that
    `extract.quantities.assign` paired with their triggers (the types that take them share one pairing,
    so a number is claimed by one type only); otherwise as `extractor(ctx)`.
    `label`: the word the dashboard shows for it (type filter toggles, badges).
    `fields`: the type-specific keys of its records, in record order (docs/format.md); keys that
    appear only sometimes are listed too.
    `colour` (badge, chart bar, highlight underline), `tint` (highlight background) and `map_colour`
    (circle on the map) are the dashboard's CSS colours for it.
    `counted`: its gold facts carry a count, so the evaluator pairs a prediction with a gold fact only
    when the counts agree, and leaves out predictions of it that have no count.
    `sums`: the figures its counts add to in article summaries ("killed", "displaced"), which the
    table export prints and the evaluator judges against gold summaries.
    With `sums_by`, a record adds to the measure its `sums_by` field names (a casualty's outcome) and
    is totalled per victim group; without it, every record adds to `sums[0]` and the largest figure is
    the total (see `extract.summary`).
    `describe`: the fact in a few words for the table export, a `str.format` template over its fields
    (`export.table.describe` says how counts, lists and long texts are written).
    """

    name: str
    label: str
    extractor: str
    needs_counts: bool
    fields: tuple[str, ...]
    colour: str
    tint: str
    map_colour: str
    describe: str = ""
    counted: bool = False
    sums: tuple[str, ...] = ()
    sums_by: str | None = None

    def extract_function(self) -> Callable[..., list[Any]]:
        return resolve_extractor(self.extractor)

    def to_dict(self) -> dict[str, Any]:
        """The declaration as `GET /api/fact-types` gives it (the extractor stays server-side)."""
        return {"name": self.name, "label": self.label, "fields": list(self.fields), "colour": self.colour,
                "tint": self.tint, "map_colour": self.map_colour, "counted": self.counted,
                "sums": list(self.sums), "sums_by": self.sums_by}


def fact_types() -> tuple[FactType, ...]:
    """Every fact type, in the one order used everywhere (pipeline, filters, dashboard, reports)."""
    return (
        FactType(
            name="casualty", label="casualty", extractor="warmonitor.extract.casualty:casualty_facts",
            needs_counts=True,
            fields=("outcome", "victims", "count", "cause", "perpetrators", "perpetrator_share", "place", "date",
                    "period", "period_text", "subset_of_previous"),
            colour="#b42318", tint="#fde3df", map_colour="#c0392b",
            describe="{outcome} {count} {victims}", counted=True,
            sums=("killed", "injured", "detained"), sums_by="outcome"),
        FactType(
            name="displacement", label="displacement",
            extractor="warmonitor.extract.displacement:displacement_facts", needs_counts=True,
            fields=("count", "unit", "term", "origin", "destination", "place", "date", "period", "period_text"),
            colour="#175cd3", tint="#dde8fb", map_colour="#2471a3",
            describe="{count} {unit} {term}", counted=True, sums=("displaced",)),
        FactType(
            name="attack", label="attack", extractor="warmonitor.extract.attack:attack_facts", needs_counts=False,
            fields=("targets", "target_count", "perpetrators", "place", "date", "period", "period_text"),
            colour="#b54708", tint="#fcead7", map_colour="#e67e22", describe="{targets:target_count}"),
        FactType(
            name="control", label="control", extractor="warmonitor.extract.control:control_facts",
            needs_counts=False, fields=("actor", "change", "place", "date", "period", "period_text"),
            colour="#6941c6", tint="#ebe4fa", map_colour="#8e44ad", describe="{actor} {change}"),
        FactType(
            name="population", label="population", extractor="warmonitor.extract.population:population_facts",
            needs_counts=True, fields=("count", "place"),
            colour="#0e7c86", tint="#d9f1f2", map_colour="#148f77",
            describe="{count} people live there", counted=True),
        FactType(
            name="quote", label="quote", extractor="warmonitor.extract.quote:quote_facts", needs_counts=False,
            fields=("speaker", "speaker_org", "text"),
            colour="#3b7d23", tint="#e3f1dc", map_colour="#7f8c8d", describe="{speaker}: \u201c{text:60}\u201d"),
    )


def fact_type_names() -> tuple[str, ...]:
    return tuple(kind.name for kind in fact_types())


def resolve_extractor(reference: str) -> Callable[..., list[Any]]:
    """The function a "package.module:function" reference names; a ValueError says which part is wrong."""
    module_name, _, function_name = reference.partition(":")
    if not module_name or not function_name:
        raise ValueError(f"extractor reference {reference!r}: expected 'package.module:function'")
    try:
        module = import_module(module_name)
    except ImportError as exc:
        raise ValueError(f"extractor reference {reference!r}: cannot import {module_name} ({exc})") from exc
    function = getattr(module, function_name, None)
    if not callable(function):
        raise ValueError(f"extractor reference {reference!r}: {module_name} has no function {function_name}")
    return function
