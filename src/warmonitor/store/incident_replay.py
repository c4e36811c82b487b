"""What an incremental linking run reads besides its articles: the stored incidents filed under its new
articles' keys (`incident_keys`, written with each incident from `Linker.keys`), and the stored links of
the articles it replays, so that the linker files them into their incidents without scoring them again
(`Linker.restore`). Kept apart from store/incidents.py, which reads and writes the incidents themselves.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .schema import IncidentArticleRow, IncidentFactRow, IncidentKeyRow, LinkRefusalRow

if TYPE_CHECKING:
    from .incidents import LinkState

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
