"""Incidents read for the HTTP API and the dashboard: the filters as SQL over the `incidents` table, a
sorted page, aggregates per day/week/month and group, and the map's places.

Why a module of its own: `IncidentStore.incidents` (store/incidents.py) answers the CLI and Python
callers with whole lists; the dashboard needs paging, totals and sums that count each incident once
(five reports of one strike are one incident, its toll counted once), computed from the same filters
the facts API takes, so that one set of dashboard filters means the same on both counts.

The filters are defined once, in store/incident_filters.py (`incident_conditions`), which
`IncidentStore.incidents` uses too; every `where` given here comes from it, so hidden incidents (linking's
working state, not events) are never listed, counted, summed, mapped or exported.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from ..model import MAX_PLAUSIBLE_COUNT
from .incident_filters import INCIDENT_COLUMN_FILTERS, STATUSES, incident_conditions, visible
from .rows import iso_date, joined
from .schema import IncidentFactRow, IncidentRow

SORTS = MappingProxyType({"date": IncidentRow.day, "killed": IncidentRow.killed_best,
                          "sources": IncidentRow.sources, "id": IncidentRow.id})
MEASURES = ("killed", "injured", "displaced")


def incident_page(session: Session, where: Sequence[ColumnElement[bool]], sort: str, offset: int,
                  limit: int) -> tuple[int, list[dict[str, Any]]]:
    """(total, the page's incident records) under `where`, sorted by `sort` (date, killed, sources, id;
    "-" first for descending), ties by id."""
    total = session.scalar(select(func.count()).select_from(IncidentRow).where(*where)) or 0
    column = SORTS[sort.lstrip("-")]
    order = (column.desc().nulls_last() if sort.startswith("-") else column.asc().nulls_last())
    records = list(session.scalars(select(IncidentRow.record).where(*where).order_by(order, IncidentRow.id)
                                   .offset(offset).limit(limit)))
    return total, records


def has_incidents(session: Session) -> bool:
    """Whether linking has stored any incident: the dashboard counts incidents then, mentions before."""
    return session.scalar(select(IncidentRow.id).where(visible()).limit(1)) is not None


def figure(record: Mapping[str, Any], measure: str) -> int | None:
    """The incident's best figure for `measure` (killed, injured, displaced), None when it gives none
    or one beyond `MAX_PLAUSIBLE_COUNT` (never added, as for facts)."""
    value = record.get(measure)
    best = value.get("best") if isinstance(value, dict) else None
    if isinstance(best, bool) or not isinstance(best, (int, float)) or not 0 <= best <= MAX_PLAUSIBLE_COUNT:
        return None
    return int(best)


def _period(day: dt.date, interval: str) -> dt.date:
    if interval == "week":
        return day - dt.timedelta(days=day.weekday())
    if interval == "month":
        return day.replace(day=1)
    return day


def _group(row: Any, record: Mapping[str, Any], by: str) -> str | None:
    if by == "none":
        return "all"
    if by == "admin1":
        return row.admin1
    if by == "country":
        return row.country
    names = record.get("perpetrators" if by == "perpetrator" else "victims")
    return joined(names if isinstance(names, list) else [])


def incident_aggregate_rows(session: Session, where: Sequence[ColumnElement[bool]], measure: str, interval: str,
                            by: str, *, max_span_days: int) -> list[tuple[str, str | None, int, int]]:
    """(period, group, value, incidents): each incident's best figure once, summed per period (of its
    day) and group. Incidents without the figure, without a day, or over a span longer than
    `max_span_days` (a situation figure) stay out, as such facts do in the facts' aggregates."""
    cells: dict[tuple[str, str | None], list[int]] = {}
    stmt = select(IncidentRow.day, IncidentRow.day_start, IncidentRow.admin1, IncidentRow.country,
                  IncidentRow.record).where(*where, IncidentRow.day.isnot(None))
    for row in session.execute(stmt.execution_options(yield_per=2000)):
        record = row.record if isinstance(row.record, dict) else {}
        value = figure(record, measure)
        day, start = iso_date(row.day), iso_date(row.day_start) or iso_date(row.day)
        if value is None or day is None or (day - start).days > max_span_days:
            continue
        cell = cells.setdefault((_period(day, interval).isoformat(), _group(row, record, by)), [0, 0])
        cell[0] += value
        cell[1] += 1
    return [(period, group, value, n) for (period, group), (value, n)
            in sorted(cells.items(), key=lambda item: (item[0][1] or "", item[0][0]))]


def incident_places(session: Session, where: Sequence[ColumnElement[bool]], limit: int = 5000) -> dict[str, Any]:
    """The incidents with coordinates as GeoJSON points, one per place (GeoNames id, else coordinates):
    how many incidents and linked facts, their killed/injured/displaced (each incident's best figure
    once) and their kinds."""
    facts = (select(func.count()).where(IncidentFactRow.incident_id == IncidentRow.id)
             .correlate(IncidentRow).scalar_subquery())
    stmt = (select(IncidentRow.place_geonameid, IncidentRow.lat, IncidentRow.lon, IncidentRow.place_name,
                   IncidentRow.admin1, IncidentRow.country, IncidentRow.kind, IncidentRow.record, facts.label("facts"))
            .where(*where, IncidentRow.lat.isnot(None), IncidentRow.lon.isnot(None)))
    places: dict[tuple, dict[str, Any]] = {}
    for row in session.execute(stmt.execution_options(yield_per=2000)):
        record = row.record if isinstance(row.record, dict) else {}
        key = (row.place_geonameid,) if row.place_geonameid is not None else (None, row.lat, row.lon)
        place = places.setdefault(key, {"type": "Feature",
                                        "geometry": {"type": "Point", "coordinates": [float(row.lon), float(row.lat)]},
                                        "properties": {"name": row.place_name, "geonameid": row.place_geonameid,
                                                       "admin1": row.admin1, "country": row.country, "incidents": 0,
                                                       "facts": 0, "killed": 0, "injured": 0, "displaced": 0,
                                                       "types": {}}})
        props = place["properties"]
        props["incidents"] += 1
        props["facts"] += int(row.facts or 0)
        for measure in MEASURES:
            props[measure] += figure(record, measure) or 0
        if row.kind:
            props["types"][row.kind] = props["types"].get(row.kind, 0) + 1
        for name in ("name", "admin1", "country"):
            if props[name] is None:
                props[name] = getattr(row, "place_name" if name == "name" else name)
    features = sorted(places.values(), key=lambda f: (-f["properties"]["incidents"], str(f["properties"]["name"])))
    return {"type": "FeatureCollection", "features": features[:limit]}


__all__ = ["INCIDENT_COLUMN_FILTERS", "STATUSES", "figure", "has_incidents", "incident_aggregate_rows",
           "incident_conditions", "incident_page", "incident_places", "visible"]
