"""Aggregates (killed, injured, displaced per day/week/month and group) and the map's places.

Two rules keep the sums honest, and are stated in docs/api.md: within one article a figure repeated in
headline, lead and body counts once (per article, period and group the largest figure is taken, then
articles are added up), and tolls over long spans ("since 2011", more than `MAX_SPAN_DAYS`) stay out
of timelines, where they would swamp one day. Rejected facts never count unless asked for.

Incidents or mentions (`count`): once linking has stored incidents, the aggregates and the map count
INCIDENTS by default, each event's best figure once however many articles report it (five reports of
one strike are one incident, not five); `count=mentions` gives the facts' sums above. Before any
linking they count mentions, as before. The answer says which (`"count"`).

Sums cannot overflow: only figures up to `model.MAX_PLAUSIBLE_COUNT` are added (`plausible_figure`; the
store writes no other, but rows stored before the bound, or written by hand, may hold up to 2**63 - 1), so a
sum over N articles stays at most N x 9e9, which SQLite's 64-bit SUM (an error past it) holds for up to a
billion articles; PostgreSQL sums bigints as numeric.
"""
from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, Request
from sqlalchemy import Date, and_, case, cast, func, literal, or_, select
from sqlalchemy.orm import Session

from .. import facttypes
from ..model import MAX_PLAUSIBLE_COUNT
from ..store.incident_query import has_incidents, incident_aggregate_rows, incident_conditions, incident_places
from ..store.schema import FactRow
from .dependencies import FastJSON, db_session, reader, state
from .filters import Filters, filters
from .snapshot import MAX_SPAN_DAYS
from .state import AppState

router = APIRouter(prefix="/api", tags=["aggregates"], dependencies=[Depends(reader)])

Measure = Literal["killed", "injured", "displaced"]
Interval = Literal["day", "week", "month"]
GroupBy = Literal["none", "admin1", "country", "perpetrator", "victims"]
Count = Literal["incidents", "mentions"]
COUNTED = ("unreviewed", "confirmed", "corrected")


def plausible_figure():
    """A fact whose count_best may be added (see the module docstring); NULL fails it too."""
    return FactRow.count_best <= MAX_PLAUSIBLE_COUNT


def measure_condition(measure: str):
    if measure == "displaced":
        return FactRow.type == "displacement"
    return and_(FactRow.type == "casualty", FactRow.outcome == measure)


def bucket(dialect: str, interval: str):
    """The first day of the fact's day, week (Monday) or month, as a date (ISO text on SQLite)."""
    day = FactRow.day
    if interval == "day":
        return day
    if dialect == "postgresql":
        return cast(func.date_trunc(interval, day), Date)
    if interval == "week":  # back six days, then forward to the next Monday: the week's Monday
        return func.date(day, "-6 days", "weekday 1")
    return func.strftime("%Y-%m-01", day)


def group_column(by: str):
    return {"none": literal("all"), "admin1": FactRow.admin1, "country": FactRow.country,
            "perpetrator": FactRow.actors, "victims": FactRow.victims}[by]


def _key(request: Request, count: str) -> tuple:
    return request.url.path, count, tuple(sorted(request.query_params.multi_items()))


def counting(session: Session, count: str | None) -> str:
    """What the answer counts: `count` when given, else incidents once linking has stored any."""
    if count is not None:
        return count
    return "incidents" if has_incidents(session) else "mentions"


@router.get("/aggregates", response_class=FastJSON, summary="Killed, injured or displaced per day, week or month, by group")
def aggregates(request: Request, measure: Measure = "killed", interval: Interval = "week", by: GroupBy = "none",
               count: Count | None = None, f: Filters = Depends(filters), session: Session = Depends(db_session),
               app_state: AppState = Depends(state)) -> FastJSON:
    count = counting(session, count)

    def compute() -> dict[str, Any]:
        if count == "incidents":
            where = incident_conditions(f.arguments(default_review=COUNTED))
            rows = incident_aggregate_rows(session, where, measure, interval, by, max_span_days=MAX_SPAN_DAYS)
            return series_out(rows, measure, interval, by, count)
        snapshot = app_state.snapshot(session)
        if snapshot is not None:
            rows = snapshot.aggregate(snapshot.mask(**f.arguments(default_review=COUNTED)), measure, interval, by)
        else:
            rows = aggregate_rows(session, measure, interval, by, f)
        return series_out(rows, measure, interval, by, count)

    return FastJSON(app_state.cached(_key(request, count), session, compute))


def aggregate_rows(session: Session, measure: str, interval: str, by: str, f: Filters) -> list[tuple]:
    """(period, group, value, facts) in SQL: per article, period and group the largest figure, then summed."""
    dialect = session.get_bind().dialect.name
    period = bucket(dialect, interval).label("period")
    group = group_column(by).label("grp")
    where = [*f.conditions(default_review=COUNTED), measure_condition(measure), plausible_figure(),
             FactRow.day.isnot(None), or_(FactRow.span_days.is_(None), FactRow.span_days <= MAX_SPAN_DAYS)]
    per_article = (select(FactRow.article_id, period, group, func.max(FactRow.count_best).label("value"),
                          func.count().label("facts")).where(*where)
                   .group_by(FactRow.article_id, period, group).subquery())
    return [tuple(row) for row in session.execute(
        select(per_article.c.period, per_article.c.grp, func.sum(per_article.c.value), func.sum(per_article.c.facts))
        .group_by(per_article.c.period, per_article.c.grp).order_by(per_article.c.grp, per_article.c.period))]


def series_out(rows: list[tuple], measure: str, interval: str, by: str, count: str = "mentions") -> dict[str, Any]:
    """The API's answer from (period, group, value, n) rows, periods ascending within each group; `n` is
    the number of facts (mentions) or of incidents, as `count` says."""
    unit = "incidents" if count == "incidents" else "facts"
    series: dict[str, dict[str, Any]] = {}
    for when, grp, value, n in rows:
        name = grp if grp is not None else "(unknown)"
        entry = series.setdefault(name, {"group": name, "total": 0, "points": []})
        entry["points"].append({"period": str(when)[:10], "value": int(value or 0), unit: int(n or 0)})
        entry["total"] += int(value or 0)
    ordered = sorted(series.values(), key=lambda s: (-s["total"], s["group"]))
    return {"measure": measure, "interval": interval, "by": by, "count": count,
            "total": sum(s["total"] for s in ordered), "series": ordered}


@router.get("/places", response_class=FastJSON, summary="Places of the filtered facts as GeoJSON points with their figures")
def places(request: Request, count: Count | None = None, f: Filters = Depends(filters),
           session: Session = Depends(db_session), app_state: AppState = Depends(state)) -> FastJSON:
    count = counting(session, count)

    def compute() -> dict[str, Any]:
        if count == "incidents":
            found = incident_places(session, incident_conditions(f.arguments(default_review=COUNTED)))
        else:
            found = _places(session, f)
        return {**found, "count": count}

    return FastJSON(app_state.cached(_key(request, count), session, compute))


def _places(session: Session, f: Filters) -> dict[str, Any]:
    where = [*f.conditions(default_review=COUNTED), FactRow.lat.isnot(None), FactRow.lon.isnot(None)]
    # Per article and place, each measure's largest figure (repeats in one article count once).
    killed, injured, displaced = (func.max(case((and_(measure_condition(m), plausible_figure()), FactRow.count_best),
                                                else_=None)) for m in ("killed", "injured", "displaced"))
    map_types = facttypes.fact_type_names()
    type_counts = [func.sum(case((FactRow.type == t, 1), else_=0)).label(f"type_{t}") for t in map_types]
    lat, lon = FactRow.lat.label("lat"), FactRow.lon.label("lon")
    per_article = (select(FactRow.article_id, FactRow.place_geonameid.label("gid"), lat, lon,
                          func.max(FactRow.place_name).label("name"), func.max(FactRow.admin1).label("admin1"),
                          func.max(FactRow.country).label("country"), func.count().label("facts"),
                          killed.label("killed"), injured.label("injured"), displaced.label("displaced"), *type_counts)
                   .where(*where)
                   .group_by(FactRow.article_id, FactRow.place_geonameid, lat, lon).subquery())
    c = per_article.c
    rows = session.execute(select(c.gid, c.lat, c.lon, func.max(c.name), func.max(c.admin1), func.max(c.country),
                                  func.sum(c.facts), func.sum(c.killed), func.sum(c.injured), func.sum(c.displaced),
                                  *[func.sum(getattr(c, f"type_{t}")) for t in map_types])
                           .group_by(c.gid, c.lat, c.lon).order_by(func.sum(c.facts).desc()).limit(5000)).all()
    features = []
    for gid, la, lo, name, admin1, country, facts, k, i, d, *types in rows:
        features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [float(lo), float(la)]},
                         "properties": {"name": name, "geonameid": gid, "admin1": admin1, "country": country,
                                        "facts": int(facts or 0), "killed": int(k or 0), "injured": int(i or 0),
                                        "displaced": int(d or 0),
                                        "types": {t: int(n) for t, n in zip(map_types, types) if n}}})
    return {"type": "FeatureCollection", "features": features}
