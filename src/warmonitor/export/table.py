"""The default, human output of `warmonitor extract`: one rich table per article and its summary for the
first `TABLE_ARTICLES` articles (what a reader looks at on a screen), then one plain line per fact.

Laying out a rich table (measuring and wrapping every cell) costs about as much CPU as extracting the
article (36 ms against 0.7 ms for its JSON Lines, measured over 120 generated articles), which made the
default format 1.9 times slower than `-f jsonl` on a large input. Past the first screens nobody reads
tables in a terminal, so the rest is written as rows as it comes; `-f jsonl` is the format for files.
"""
from __future__ import annotations

from string import Formatter
from typing import Any, TextIO

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .. import facttypes
from ..model import ArticleResult, Count

TABLE_ARTICLES = 10  # articles shown as tables; the ones after as one line per fact


def describe(fact_type: str, fields: dict[str, Any]) -> str:
    """The fact in a few words: "killed 300 civilians (about)", "gained Idlib", from its type's
    `describe` template (`facttypes`); "" for a type that is not declared."""
    kind = next((k for k in facttypes.fact_types() if k.name == fact_type), None)
    if kind is None or not kind.describe:
        return ""
    return _FactFormatter().vformat(kind.describe, (), fields).strip()


class _FactFormatter(Formatter):
    """`str.format` over a fact's fields, as `describe` templates use it.

    A missing field is written "None" (as an f-string would); a count is written as `count_text`
    writes it, and a missing count as nothing. Two format specs: digits cut a text to that many
    characters with an ellipsis ("{text:60}"); a field name writes a list with each item's figure
    from that field ("{targets:target_count}" -> "3 schools, market").
    """

    def vformat(self, format_string: str, args: Any, kwargs: Any) -> str:
        self._fields = kwargs
        return super().vformat(format_string, args, kwargs)

    def get_value(self, key: Any, args: Any, kwargs: Any) -> Any:
        value = kwargs.get(key)
        if key == "count" and not isinstance(value, Count):
            return ""
        return value

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, Count):
            return count_text(value)
        if format_spec.isdigit():
            text, limit = value or "", int(format_spec)
            return f"{text[:limit]}{'…' if len(text) > limit else ''}"
        if format_spec:
            counts = self._fields.get(format_spec) or {}
            return ", ".join(f"{counts[t]} {t}" if t in counts else t for t in value or [])
        return format(value, format_spec)


def count_text(count: Count) -> str:
    if count.best is not None:
        text = f"{count.best:,}"
    else:
        text = f"{count.low or '?':,}–{count.high or '?':,}" if count.low and count.high else "?"
    return f"{count.qualifier} {text}" if count.qualifier and count.qualifier not in text else text


def place_text(fields: dict[str, Any]) -> str:
    for key, label in (("place", ""), ("origin", "from "), ("destination", "to ")):
        place = fields.get(key)
        if isinstance(place, dict) and place.get("name"):
            return label + place["name"]
    return ""


def print_table(result: ArticleResult, stream: TextIO) -> None:
    probe = Console(file=stream)
    console = Console(file=stream, highlight=False, width=probe.width if probe.is_terminal else 140)
    a = result.article
    title = f"[bold]{escape(a.id)}[/bold]" + (f" — {escape(a.title)}" if a.title else "") \
        + (f" ({a.published})" if a.published else "")
    table = Table(title=title, title_justify="left", show_lines=True, expand=True)
    table.add_column("type", style="bold", no_wrap=True)
    table.add_column("fact, and the evidence it rests on", ratio=3)
    table.add_column("where", ratio=1)
    table.add_column("claimed by", ratio=1)
    table.add_column("conf", justify="right", no_wrap=True)
    for fact in result.facts:
        ev = fact.evidence
        snippet = ev.text if len(ev.text) <= 160 else ev.text[:160] + "…"
        cell = f"{escape(describe(fact.type, fact.fields))}\n[dim]{escape(snippet)} @{ev.start}–{ev.end} ({fact.rule})[/dim]"
        table.add_row(fact.type, cell, escape(place_text(fact.fields)), escape(", ".join(fact.claimed_by)),
                      f"{fact.confidence:.2f}")
    if not result.facts:
        table.add_row("—", "no facts found", "", "", "")
    console.print(table)
    console.print(summary_line(result.summary))
    console.print()


def print_rows(result: ArticleResult, stream: TextIO) -> None:
    """The article as plain lines: its name, one line per fact (type, what, where, who claims it, confidence,
    rule), its summary. No layout to measure: as cheap to write as its JSON Lines."""
    a = result.article
    lines = [a.id + (f" — {a.title}" if a.title else "") + (f" ({a.published})" if a.published else "")]
    for fact in result.facts:
        cells = [fact.type, describe(fact.type, fact.fields), place_text(fact.fields), ", ".join(fact.claimed_by),
                 f"{fact.confidence:.2f}", f"({fact.rule})"]
        lines.append("  " + " | ".join(cell for cell in cells if cell))
    if not result.facts:
        lines.append("  no facts found")
    lines.append("  summary " + summary_text(result.summary))
    stream.write("\n".join(lines) + "\n\n")


def summary_line(summary: dict[str, Any]) -> str:
    return "[bold]summary[/bold] " + escape(summary_text(summary))


def summary_text(summary: dict[str, Any]) -> str:
    parts = []
    for outcome in (measure for kind in facttypes.fact_types() for measure in kind.sums):
        groups = summary.get(outcome)
        if groups:
            detail = ", ".join(f"{k} {v:,}" for k, v in groups.items() if k != "total")
            parts.append(f"{outcome} {groups.get('total', 0):,}" + (f" ({detail})" if detail else ""))
    places = [p.get("name") for p in summary.get("places") or [] if isinstance(p, dict)]
    if places:
        parts.append("places: " + ", ".join(places[:4]))
    if summary.get("perpetrators"):
        parts.append("by: " + ", ".join(summary["perpetrators"][:4]))
    return "; ".join(parts) if parts else "no figures"
