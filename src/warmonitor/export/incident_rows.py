"""Incident records as the rows of each export: a flat table, ACLED's column layout, UCDP GED's.

Conflict analysts already hold ACLED and UCDP GED data and the tools built on them; an incident
written in their layouts joins those tables without a conversion step. The mappings from
warmonitor's values (kinds, causes, victims, actor types, place precision) to theirs live in
`data/incident_exports.toml`, where they can be read and checked against the codebooks; this module
only applies them. docs/export.md describes every column. Rows hold plain values (str, int, float,
None); escaping for spreadsheets is the writer's job.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date as Date
from typing import Any

from ..data_files import DataFileError, load_jsonl, load_toml

MEASURES = ("killed", "injured", "detained", "displaced")
SEP = "; "  # joins list values in one cell: names may hold commas, rarely semicolons

FLAT_FIELDS = (
    "id", "kind", "date", "period_start", "period_end", "period_precision",
    "place", "geonameid", "admin1", "admin2", "country", "lat", "lon", "precision",
    *(f"{m}_{end}" for m in MEASURES for end in ("low", "best", "high")),
    "victims", "perpetrators", "targets", "causes", "status", "sources", "independent_sources",
    "outlets", "articles", "contradictions", "notes",
)

ACLED_FIELDS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction",
    "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3", "location",
    "latitude", "longitude", "geo_precision", "source", "source_scale", "notes", "fatalities", "tags",
    "timestamp",
)

GED_FIELDS = (
    "id", "year", "type_of_violence", "side_a", "side_b", "source_article", "source_office",
    "number_of_sources", "where_prec", "where_coordinates", "adm_1", "adm_2", "latitude", "longitude",
    "country", "date_prec", "date_start", "date_end", "deaths_a", "deaths_b", "deaths_civilians",
    "deaths_unknown", "best", "high", "low",
)


@dataclass
class ExportMapping:
    """The loaded `incident_exports.toml` plus the actor types to look names up in, held by one
    export run (nothing is loaded at import time)."""
    civilian_victims: frozenset[str]
    inter: dict[str, int]
    time_precision: dict[str, int]
    where_prec: dict[str, int]
    events: list[dict[str, Any]]
    actor_types: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, actor_types: Mapping[str, str] | None = None) -> "ExportMapping":
        """The shipped mapping; `actor_types` (name -> actors.jsonl type) defaults to the shipped actor
        list's canonical names, which is what incident records' perpetrators hold."""
        data = load_toml("incident_exports.toml")
        try:
            acled, ged = data["acled"], data["ged"]
            events = list(acled["event"])
            for i, rule in enumerate(events, 1):
                for key in ("disorder_type", "event_type", "sub_event_type"):
                    if not isinstance(rule.get(key), str):
                        raise DataFileError(f"incident_exports.toml: [[acled.event]] #{i} needs '{key}'")
            mapping = cls(civilian_victims=frozenset(data["victims"]["civilian"]), inter=dict(acled["inter"]),
                          time_precision=dict(acled["time_precision"]),
                          where_prec={str(k): v for k, v in ged["where_prec"].items()}, events=events)
        except (KeyError, TypeError) as exc:
            raise DataFileError(f"incident_exports.toml: missing or malformed entry: {exc}") from exc
        if actor_types is None:
            actor_types = {row["name"]: row["type"] for row in load_jsonl("actors.jsonl")
                           if isinstance(row.get("name"), str) and isinstance(row.get("type"), str)}
        mapping.actor_types = dict(actor_types)
        return mapping

    def for_record(self, record: dict[str, Any]) -> "ExportMapping":
        """This mapping with the record's own `actor_types` (as fact records carry them) put first."""
        own = record.get("actor_types")
        if not isinstance(own, dict) or not own:
            return self
        return replace(self, actor_types={**self.actor_types, **own})


# -- reading a record --------------------------------------------------------------------------------

def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _names(value: Any) -> list[str]:
    """A list field's strings (a lone string is a list of one): records may come from older writers."""
    if isinstance(value, str):
        return [value] if value else []
    return [v for v in value or () if isinstance(v, str) and v] if isinstance(value, (list, tuple)) else []


def causes(record: dict[str, Any]) -> list[str]:
    """The incident's causes: `causes` (merged from its casualty facts) or a single `cause`."""
    return _names(record.get("causes")) or _names(record.get("cause"))


def control_actor(record: dict[str, Any]) -> str | None:
    """Who gained or lost ground in a control incident (`actor`, else the first of `actors`)."""
    found = _names(record.get("actor")) or _names(record.get("actors"))
    return found[0] if found else None


def control_change(record: dict[str, Any]) -> str | None:
    found = _names(record.get("change")) or _names(record.get("changes"))
    return found[0] if found else None


def figure(record: dict[str, Any], measure: str) -> dict[str, Any]:
    """`{"low", "best", "high"}` of a measure, all None when the record gives none."""
    value = _dict(record.get(measure))
    return {end: value.get(end) if isinstance(value.get(end), int) else None for end in ("low", "best", "high")}


def when(record: dict[str, Any]) -> tuple[str | None, str | None, str | None]:
    """(start, end, precision): a date is a one-day span of precision "day"; a period is itself."""
    if isinstance(record.get("date"), str):
        return record["date"], record["date"], "day"
    period = _dict(record.get("period"))
    return period.get("start"), period.get("end"), period.get("precision")


def span_days(start: str | None, end: str | None) -> int | None:
    try:
        return (Date.fromisoformat(end) - Date.fromisoformat(start)).days if start and end else None
    except ValueError:
        return None


def civilian_only(record: dict[str, Any], mapping: ExportMapping) -> bool:
    """True when no victim is a fighter: unstated victims count as civilians, as monitors count them."""
    return all(v in mapping.civilian_victims for v in _names(record.get("victims")))


def _killed_any(record: dict[str, Any]) -> bool:
    k = figure(record, "killed")
    return any((k[end] or 0) > 0 for end in ("low", "best", "high"))


# -- notes -------------------------------------------------------------------------------------------

def figure_text(fig: dict[str, Any]) -> str | None:
    """"15 (12-20)", "24-99" for a vague figure, None when there is none."""
    low, best, high = (f"{fig[end]:,}" if fig[end] is not None else None for end in ("low", "best", "high"))
    span = f"{low or '?'}-{high or '?'}"
    if best is None:
        return span if low or high else None
    return best + (f" ({span})" if (low and low != best) or (high and high != best) else "")


def notes(record: dict[str, Any]) -> str:
    """A one-line account of the incident with its figures and sourcing, in the spirit of ACLED's notes:
    what, where, when, how many, by whom, and on how many sources it rests."""
    kind = record.get("kind") or "incident"
    what = causes(record)[0] if causes(record) else kind
    if kind == "control" and control_actor(record):
        what = f"{control_actor(record)} {control_change(record) or 'control change'}"
    place = _dict(record.get("place"))
    where = place.get("name")
    detail = [p for p in (place.get("admin2"), place.get("admin1"), place.get("country")) if p and p != where]
    text = what[:1].upper() + what[1:]
    if where:
        text += f" in {where}" + (f" ({', '.join(detail)})" if detail else "")
    start, end, _ = when(record)
    if start:
        text += f" on {start}" if start == end else f" between {start} and {end}"
    figures = [f"{t} {m}" for m in MEASURES if (t := figure_text(figure(record, m)))]
    text += ": " + (", ".join(figures) if figures else "no figures reported")
    for label, key in (("victims", "victims"), ("by", "perpetrators"), ("targets", "targets")):
        if _names(record.get(key)):
            text += f"; {label}: {', '.join(_names(record.get(key)))}"
    sources, independent = record.get("sources"), record.get("independent_sources")
    if isinstance(sources, int):
        text += f". {sources} source{'s' if sources != 1 else ''}"
        if isinstance(independent, int) and independent != sources:
            text += f" ({independent} independent)"
        text += f", {record.get('status') or 'unrated'}"
    disputed = [c.get("field") for c in record.get("contradictions") or () if isinstance(c, dict)]
    if disputed:
        text += f"; disputed: {', '.join(str(d) for d in disputed)}"
    return text + "."


# -- rows --------------------------------------------------------------------------------------------

def flat_incident(record: dict[str, Any]) -> dict[str, Any]:
    """One row of the plain CSV, HXL and GeoJSON exports: nested fields spread into columns, lists
    joined with "; "."""
    place = _dict(record.get("place"))
    period = _dict(record.get("period"))
    row: dict[str, Any] = {
        "id": record.get("id"), "kind": record.get("kind"), "date": record.get("date"),
        "period_start": period.get("start"), "period_end": period.get("end"),
        "period_precision": period.get("precision"), "place": place.get("name"),
        "geonameid": place.get("geonameid"), "admin1": place.get("admin1"), "admin2": place.get("admin2"),
        "country": place.get("country"), "lat": place.get("lat"), "lon": place.get("lon"),
        "precision": place.get("precision"),
    }
    for m in MEASURES:
        for end, value in figure(record, m).items():
            row[f"{m}_{end}"] = value
    row.update({
        "victims": SEP.join(_names(record.get("victims"))),
        "perpetrators": SEP.join(_names(record.get("perpetrators"))),
        "targets": SEP.join(_names(record.get("targets"))), "causes": SEP.join(causes(record)),
        "status": record.get("status"), "sources": record.get("sources"),
        "independent_sources": record.get("independent_sources"),
        "outlets": SEP.join(_names(record.get("outlets"))), "articles": SEP.join(_names(record.get("articles"))),
        "contradictions": SEP.join(str(c.get("field")) for c in record.get("contradictions") or ()
                                   if isinstance(c, dict)),
        "notes": notes(record),
    })
    return row


def acled_event(record: dict[str, Any], mapping: ExportMapping) -> dict[str, Any]:
    """The first `[[acled.event]]` rule of the mapping whose conditions the incident meets."""
    kind, found_causes = record.get("kind"), set(causes(record))
    actor = actor1(record)
    for rule in mapping.events:
        if "kind" in rule and kind not in rule["kind"]:
            continue
        if "cause" in rule and not found_causes & set(rule["cause"]):
            continue
        if "victims" in rule and civilian_only(record, mapping) != (rule["victims"] == "civilians"):
            continue
        if "change" in rule and control_change(record) not in rule["change"]:
            continue
        if "actor_type" in rule and mapping.actor_types.get(actor or "") not in rule["actor_type"]:
            continue
        if "killed" in rule and _killed_any(record) != rule["killed"]:
            continue
        return rule
    raise DataFileError("incident_exports.toml: no [[acled.event]] rule applies; the last one should have no conditions")


def actor1(record: dict[str, Any]) -> str | None:
    """ACLED's actor1: the control actor of a control incident, else the first perpetrator."""
    if record.get("kind") == "control" and control_actor(record):
        return control_actor(record)
    found = _names(record.get("perpetrators"))
    return found[0] if found else None


def acled_row(record: dict[str, Any], mapping: ExportMapping) -> dict[str, Any]:
    """The incident in ACLED's column layout (docs/export.md, "ACLED layout")."""
    rule = acled_event(record, mapping)
    place = _dict(record.get("place"))
    country = place.get("country")
    start, end, precision = when(record)
    days = span_days(start, end)
    time_precision = mapping.time_precision.get(precision or "")
    if time_precision == 1 and days:
        time_precision = mapping.time_precision.get("week")
    first = actor1(record)
    others = [p for p in _names(record.get("perpetrators")) if p != first]
    civilian_target = bool(rule.get("civilian_targeting"))
    # Civilians are actor2 when they were the target, or when the reports name only civilian victims
    # of a violent event (an airstrike that killed civilians); "(SY)" as ACLED writes "(Syria)".
    hit_civilians = bool(_names(record.get("victims"))) and civilian_only(record, mapping) \
        and rule["disorder_type"] == "Political violence"
    actor2 = (f"Civilians ({country})" if country else "Civilians") if civilian_target or hit_civilians else None
    inter1 = mapping.inter.get(mapping.actor_types.get(first or "", ""))
    inter2 = mapping.inter.get("civilians") if actor2 else None
    interaction = None  # ACLED's: the two inter codes, lower first (17); a lone actor's code then 0 (10)
    if inter1 is not None:
        interaction = int("".join(str(c) for c in sorted((inter1, inter2)))) if inter2 else inter1 * 10
    killed = figure(record, "killed")
    fatalities = killed["best"] if killed["best"] is not None else killed["low"] if killed["low"] is not None else 0
    disputed = [str(c.get("field")) for c in record.get("contradictions") or () if isinstance(c, dict)]
    return {
        "event_id_cnty": f"{country or 'XX'}-{record.get('id')}", "event_date": start,
        "year": int(start[:4]) if start and start[:4].isdigit() else None, "time_precision": time_precision,
        "disorder_type": rule["disorder_type"], "event_type": rule["event_type"],
        "sub_event_type": rule["sub_event_type"], "actor1": first, "assoc_actor_1": SEP.join(others) or None,
        "inter1": inter1, "actor2": actor2, "assoc_actor_2": None, "inter2": inter2, "interaction": interaction,
        "civilian_targeting": "Civilian targeting" if civilian_target else None, "iso": None, "region": None,
        "country": country, "admin1": place.get("admin1"), "admin2": place.get("admin2"), "admin3": None,
        "location": place.get("name"), "latitude": place.get("lat"), "longitude": place.get("lon"),
        "geo_precision": place.get("precision"), "source": SEP.join(_names(record.get("outlets"))) or None,
        "source_scale": None, "notes": notes(record), "fatalities": fatalities,
        "tags": SEP.join([f"status: {record.get('status')}", *(f"disputed: {d}" for d in disputed)]),
        "timestamp": None,
    }


def date_prec(start: str | None, end: str | None, precision: str | None) -> int | None:
    """UCDP GED's date_prec: 1 the day, 2 a span of 2-6 days, 3 the week, 4 up to a month, 5 longer."""
    days = span_days(start, end)
    if days is None:
        return None
    if precision == "week" and days <= 7:
        return 3
    return 1 if days == 0 else 2 if days <= 6 else 3 if days == 7 else 4 if days <= 31 else 5


def ged_row(record: dict[str, Any], mapping: ExportMapping) -> dict[str, Any]:
    """The incident as a UCDP GED-style event (docs/export.md, "UCDP GED-style"). GED counts deaths:
    best/low/high come from `killed`, a missing end taking best (GED's range never excludes it)."""
    place = _dict(record.get("place"))
    start, end, precision = when(record)
    killed = figure(record, "killed")
    best = killed["best"]
    low = killed["low"] if killed["low"] is not None else best
    high = killed["high"] if killed["high"] is not None else best
    civilians = bool(_names(record.get("victims"))) and civilian_only(record, mapping)
    prec = place.get("precision")
    where_prec = mapping.where_prec.get(str(prec)) if prec is not None else None
    if prec == 3 and not place.get("admin1"):
        where_prec = mapping.where_prec.get("country_only")
    deaths = dict.fromkeys(("deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown"), None)
    if best is not None:
        deaths = dict.fromkeys(deaths, 0)
        deaths["deaths_civilians" if civilians else "deaths_unknown"] = best
    return {
        "id": record.get("id"), "year": int(start[:4]) if start and start[:4].isdigit() else None,
        "type_of_violence": None, "side_a": SEP.join(_names(record.get("perpetrators"))) or None,
        "side_b": "Civilians" if civilians else None,
        "source_article": SEP.join(_names(record.get("articles"))) or None,
        "source_office": SEP.join(_names(record.get("outlets"))) or None,
        "number_of_sources": record.get("sources"), "where_prec": where_prec,
        "where_coordinates": place.get("name"), "adm_1": place.get("admin1"), "adm_2": place.get("admin2"),
        "latitude": place.get("lat"), "longitude": place.get("lon"), "country": place.get("country"),
        "date_prec": date_prec(start, end, precision), "date_start": start, "date_end": end,
        **deaths, "best": best, "high": high, "low": low,
    }
