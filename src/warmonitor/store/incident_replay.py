"""What an incremental linking run reads besides its articles: the stored incidents filed under its new
articles' keys (`incident_keys`, written with each incident from `Linker.keys`), those near them by day
and place that have no keys yet (`near`), those an analyst's decision ties to them (`decided_with`), all
closed over shared articles (`closure`); and the stored links of the articles it replays, so that the
linker files them into their incidents without scoring them again (`Linker.restore`); and what a run
files for the next ones to replay from: the incidents' keys (`write_keys`) and the reports' comparison
summaries (`write_summaries`, link_summaries). Kept apart from store/incidents.py, which reads and
writes the incidents themselves (`IncidentStore.link_state` and `write_links` put these together).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, delete, func, insert, or_, select
from sqlalchemy.orm import Session

from .rows import iso_date
from .schema import (ArticleRow, FactRow, IncidentArticleRow, IncidentDecisionRow, IncidentFactRow, IncidentKeyRow,
                     IncidentRow, LinkRefusalRow, LinkSummaryRow)

if TYPE_CHECKING:
    from warmonitor.link.model import LinkArticle

    from .incidents import Keys, LinkState

CHUNK = 500  # ids per IN (...) list: SQLite allows 32,766 parameters, old builds 999
ANY_DAY = -1  # incident_keys.day of a key that holds for any day (a named person, a place of an undated report)


def chunks(values: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


def keyed_incidents(session: Session, keys: Iterable[tuple[str, int | None]], max_block: int) -> set[str]:
    """Ids of the incidents filed under any of these (key, day) entries."""
    wanted = {(k, ANY_DAY if d is None else d) for k, d in keys}
    by_key: dict[str, list[int]] = {}
    for k, d in wanted:
        by_key.setdefault(k, []).append(d)
    found: dict[tuple[str, int], set[str]] = {}
    dayless = sorted(k for k, ds in by_key.items() if ds == [ANY_DAY])
    dated = sorted(set(by_key) - set(dayless))
    for part in chunks(dayless):
        for incident_id, k, d in session.execute(
                select(IncidentKeyRow.incident_id, IncidentKeyRow.key, IncidentKeyRow.day)
                .where(IncidentKeyRow.key.in_(part), IncidentKeyRow.day == ANY_DAY)):
            found.setdefault((k, d), set()).add(incident_id)
    for part in chunks(dated):
        lo = min(d for k in part for d in by_key[k])
        hi = max(d for k in part for d in by_key[k])
        for incident_id, k, d in session.execute(
                select(IncidentKeyRow.incident_id, IncidentKeyRow.key, IncidentKeyRow.day)
                .where(IncidentKeyRow.key.in_(part), IncidentKeyRow.day.between(lo, hi))):
            if (k, d) in wanted:
                found.setdefault((k, d), set()).add(incident_id)
    out: set[str] = set()
    for (k, _), ids in found.items():
        if not (max_block and k.startswith("e:") and len(ids) > max_block):
            out |= ids
    return out


def incident_ids_of(session: Session, article_ids: Iterable[int]) -> set[str]:
    """The stored incidents (hidden ones too) these article rows are members of, with or without facts."""
    found: set[str] = set()
    for part in chunks(sorted(set(article_ids))):
        found.update(session.scalars(select(IncidentArticleRow.incident_id).distinct()
                                     .where(IncidentArticleRow.article_id.in_(part))))
    return found


def members_of(session: Session, incident_ids: Iterable[str]) -> set[int]:
    """The article rows of these incidents: every article of their records, fact-less ones included."""
    found: set[int] = set()
    for part in chunks(sorted(set(incident_ids))):
        found.update(session.scalars(select(IncidentArticleRow.article_id).distinct()
                                     .where(IncidentArticleRow.incident_id.in_(part))))
    return found


def current_ids(session: Session, keys: Sequence[str]) -> dict[str, int]:
    """Row ids of the current versions of these article keys."""
    found = {}
    for part in chunks(sorted(set(keys))):
        found.update(session.execute(select(ArticleRow.article_key, ArticleRow.id)
                                     .where(ArticleRow.is_current, ArticleRow.article_key.in_(part))).all())
    return found

def near(session: Session, batch: list[LinkArticle], days: int, keyless: bool = False) -> set[str]:
    """Ids of stored incidents whose span comes within `days` of a day of `batch` (its articles'
    publication days and its facts' days) and that name one of its places or admin1s, in the incident's
    own place or in one of its facts' (hidden incidents too)."""
    found_days, names, admin1s, anywhere = set(), set(), set(), False
    for article in batch:
        day = iso_date(article.published)
        if day:
            found_days.add(day)
        if not article.facts:
            anywhere = True
        for fact in article.facts:
            for key in ("date",):
                if iso_date(fact.get(key)):
                    found_days.add(iso_date(fact.get(key)))
            period = fact.get("period") if isinstance(fact.get("period"), dict) else {}
            found_days.update(d for d in (iso_date(period.get("start")), iso_date(period.get("end"))) if d)
            place = fact.get("place") if isinstance(fact.get("place"), dict) else {}
            name, admin1 = place.get("name"), place.get("admin1")
            if isinstance(name, str) and name.strip():
                names.add(name.strip().lower())
            if isinstance(admin1, str) and admin1.strip():
                admin1s.add(admin1.strip().lower())
            if not (isinstance(name, str) and name.strip()) and not (isinstance(admin1, str) and admin1.strip()):
                anywhere = True
    spans = merged_spans(sorted(found_days), dt.timedelta(days=days))
    where_days = [and_(IncidentRow.day_start <= hi, IncidentRow.day >= lo) for lo, hi in spans]
    where_days.append(IncidentRow.day.is_(None))  # undated incidents: linked on strong evidence only
    # an incident is near when its own place or the place of one of its facts is one of the batch's: its
    # record names one place, but the linker compares every place its reports name (a street, the town)
    named = (select(IncidentFactRow.incident_id).join(FactRow, FactRow.id == IncidentFactRow.fact_id)
             .where(IncidentFactRow.incident_id == IncidentRow.id,
                    or_(func.lower(FactRow.place_name).in_(sorted(names)),
                        func.lower(FactRow.admin1).in_(sorted(admin1s)))).correlate(IncidentRow))
    area = [] if anywhere else [or_(func.lower(IncidentRow.place_name).in_(sorted(names)),
                                    func.lower(IncidentRow.admin1).in_(sorted(admin1s)),
                                    and_(IncidentRow.place_name.is_(None), IncidentRow.admin1.is_(None)),
                                    named.exists())]
    if keyless:  # incidents stored before their keys were (0007): found by day and place
        area.append(~select(IncidentKeyRow.incident_id).where(IncidentKeyRow.incident_id == IncidentRow.id)
                    .correlate(IncidentRow).exists())
    found: set[str] = set()
    for part in chunks(where_days, 200):
        found.update(session.scalars(select(IncidentRow.id).where(or_(*part), *area)))
    return found

def decided_with(session: Session, keys: Sequence[str]) -> set[str]:
    """Incidents of the articles an analyst's decision names together with one of `keys`."""
    wanted = set(keys)
    partners = set()
    for articles in session.scalars(select(IncidentDecisionRow.articles)):
        if wanted & set(articles or ()):
            partners |= set(articles) - wanted
    if not partners:
        return set()
    return incident_ids_of(session, current_ids(session, sorted(partners)).values())

def closure(session: Session, incidents: set[str]) -> tuple[set[str], set[int]]:
    """`incidents` and every incident sharing an article with one of them, transitively, with
    their articles' row ids: a run that links these articles again covers all their incidents."""
    incidents, members = set(incidents), set()
    fresh = set(incidents)
    while fresh:
        new_members = members_of(session, fresh) - members
        members |= new_members
        fresh = incident_ids_of(session, new_members) - incidents
        incidents |= fresh
    return incidents, members

def merged_spans(days: list[dt.date], pad: dt.timedelta) -> list[tuple[dt.date, dt.date]]:
    """Sorted days as few (low, high) spans, each day widened by `pad` on both sides."""
    spans: list[tuple[dt.date, dt.date]] = []
    for day in days:
        lo, hi = day - pad, day + pad
        if spans and lo <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], hi))
        else:
            spans.append((lo, hi))
    return spans




def stored_links(session: Session, state: LinkState) -> None:
    """Fill `state.known`, `member_of` and `refused` for the warm articles from their stored links."""
    from warmonitor.link.model import Link, Refusal

    key_of = {row_id: key for key, row_id in state.article_ids.items()}
    index_of = {fact_row: index for (key, index), fact_row in state.fact_rows.items()}
    warm = sorted(state.article_ids[a.id] for a in state.warm)
    for part in chunks(warm):
        for incident_id, fact_row, article_row, score, reasons, opened in session.execute(
                select(IncidentFactRow.incident_id, IncidentFactRow.fact_id, IncidentFactRow.article_id,
                       IncidentFactRow.score, IncidentFactRow.reasons, IncidentFactRow.opened)
                .where(IncidentFactRow.article_id.in_(part))):
            key = key_of.get(article_row)
            if key is not None and fact_row in index_of:
                link = Link(incident_id, key, [index_of[fact_row]], score or 0.0, reasons or {}, bool(opened))
                state.known.setdefault(key, {})[index_of[fact_row]] = (incident_id, link)
        for incident_id, article_row in session.execute(
                select(IncidentArticleRow.incident_id, IncidentArticleRow.article_id)
                .where(IncidentArticleRow.article_id.in_(part)).order_by(IncidentArticleRow.incident_id)):
            if article_row in key_of:
                state.member_of.setdefault(key_of[article_row], []).append(incident_id)
        for incident_id, article_row, score, reasons in session.execute(
                select(LinkRefusalRow.incident_id, LinkRefusalRow.article_id, LinkRefusalRow.score,
                       LinkRefusalRow.reasons).where(LinkRefusalRow.article_id.in_(part))):
            if article_row in key_of:
                state.refused.append(Refusal(incident_id, key_of[article_row], score or 0.0, reasons or {}))


def write_keys(session: Session, state: LinkState, new: dict[str, Any], keep: set[str], keys: Keys) -> None:
    """The keys of the incidents this run wrote (a changed one's stored keys are dropped first). A kept
    incident keeps its stored keys: the same record means the same reports, filed under the same
    keys; only one stored before incidents had keys (0007) gets them now. Keys are most of what a run
    writes: an incident's reports give a few dozen, and a run replays every incident around its batch."""
    keys_of = keys if callable(keys) else (lambda i: keys.get(i, ()))
    if state.rebuild:
        session.execute(delete(IncidentKeyRow))
        file = list(new)
    else:
        keyed: set[str] = set()
        for part in chunks(sorted(keep)):
            keyed.update(session.scalars(select(IncidentKeyRow.incident_id).distinct()
                                         .where(IncidentKeyRow.incident_id.in_(part))))
        file = [i for i in new if i not in keep or i not in keyed]
    filed = [{"incident_id": i, "key": k, "day": ANY_DAY if d is None else d}
             for i in file for k, d in sorted(set(keys_of(i)), key=str)]
    for part in chunks(filed, 5000):
        session.execute(insert(IncidentKeyRow.__table__), list(part))


def write_summaries(session: Session, state: LinkState, summaries: dict[str, tuple[str, dict]]) -> None:
    """Store these articles' comparison summaries (replacing any stored), so that the next runs replay them
    without splitting them; a rebuild also drops those of article versions no longer current."""
    rows = {state.article_ids[key]: {"article_id": state.article_ids[key], "digest": digest, "summary": data}
            for key, (digest, data) in summaries.items() if key in state.article_ids}
    if state.rebuild:
        session.execute(delete(LinkSummaryRow).where(
            LinkSummaryRow.article_id.not_in(select(ArticleRow.id).where(ArticleRow.is_current))))
    for part in chunks(sorted(rows)):
        session.execute(delete(LinkSummaryRow).where(LinkSummaryRow.article_id.in_(part)))
    for part in chunks(list(rows.values()), 1000):
        session.execute(insert(LinkSummaryRow.__table__), list(part))
