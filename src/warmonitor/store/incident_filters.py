"""The filters over stored incidents, defined once: `IncidentStore.incidents` (the CLI, Python callers) and
the HTTP API and dashboard (store/incident_query.py: the list, exports, aggregates, the map) build their
WHERE clauses here, so that one filter means the same on every path, as store/fact_filters.py does for
facts.

Semantics (docs/api.md, "Incidents"): `type` is the incident's kind; `since`/`until` test its span
(`day_start`..`day`: its date, else its period, else its first report's publication day); `place` is a
name (case folded) or a GeoNames id, `admin1` folded, `country` an ISO code; `status` one of `STATUSES`.
The filters only facts carry (`actor`, `claimant`, `victims`, `min_confidence`, `review`, `q`, `article`)
keep an incident when at least one of its linked facts passes them. Hidden incidents (reports without an
event fact, kept only so that later reports can join them) never pass: they are linking's working state,
not events.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import ColumnElement, func, select

from .fact_filters import as_date
from .query import fact_conditions
from .schema import FactRow, IncidentFactRow, IncidentRow

STATUSES = ("single-source", "corroborated", "contested")
INCIDENT_COLUMN_FILTERS = ("type", "since", "until", "place", "admin1", "country")


def visible() -> ColumnElement[bool]:
    """The incidents that are listed, counted and exported: not hidden."""
    return IncidentRow.hidden.is_(False)


def incident_conditions(values: Mapping[str, Any], *, status: str | Iterable[str] | None = None
                        ) -> list[ColumnElement[bool]]:
    """WHERE clauses over `IncidentRow` for filter values (the names of `INCIDENT_COLUMN_FILTERS`, and
    any of the facts API's, `serve.filters.Filters.arguments`; None: no filter) and an incident `status`
    (one or a list), hidden incidents always left out. A bad status or date is a ValueError."""
    where: list[ColumnElement[bool]] = [visible()]
    types = values.get("type")
    if types:
        where.append(IncidentRow.kind.in_([types] if isinstance(types, str) else list(types)))
    if values.get("since") is not None:
        where.append(IncidentRow.day >= as_date(values["since"], "since"))
    if values.get("until") is not None:
        where.append(IncidentRow.day_start <= as_date(values["until"], "until"))
    place = values.get("place")
    if place is not None:
        if isinstance(place, int) or str(place).strip().isdigit():
            where.append(IncidentRow.place_geonameid == int(place))
        else:
            where.append(func.lower(IncidentRow.place_name) == str(place).strip().lower())
    if values.get("admin1") is not None:
        where.append(func.lower(IncidentRow.admin1) == str(values["admin1"]).strip().lower())
    if values.get("country") is not None:
        where.append(IncidentRow.country == str(values["country"]).strip().upper())
    if status is not None:
        statuses = [status] if isinstance(status, str) else list(status)
        unknown = [s for s in statuses if s not in STATUSES]
        if unknown:
            raise ValueError(f"status: {unknown[0]!r} is no incident status (expected {', '.join(STATUSES)})")
        where.append(IncidentRow.status.in_(statuses))
    per_fact = {k: v for k, v in values.items() if k not in INCIDENT_COLUMN_FILTERS and v is not None}
    if per_fact:  # incidents with at least one linked fact that passes the facts' own filters
        passing = (select(IncidentFactRow.incident_id).join(FactRow, FactRow.id == IncidentFactRow.fact_id)
                   .where(*fact_conditions(**per_fact)))
        where.append(IncidentRow.id.in_(passing))
    return where
