"""Incidents in the store: what linking reads (articles as `LinkArticle`s, the warm state around them,
the analysts' decisions) and writes (incidents, their facts with the reasons, close refusals), and the
`incidents` query.

Incidents are derived data, rebuilt from the facts whenever linking runs. Writing is idempotent and
all-or-nothing per call: `write_links` replaces, in one transaction, every row of the articles and
incidents one linking run covered, and keeps an incident row whose record did not change (its
`updated_at` with it). The store never holds half a linking run: a crash leaves the previous state,
and the next run links what is still unlinked.

Incremental linking replays, before the new articles, the stored articles of the incidents near them
(`link_state`: those filed under the keys the linker would look the new articles up under, kept in
`incident_keys`, store/incident_replay.py; for incidents stored before their keys were, a day window
and the places the new facts name; and anything an analyst's decision ties to them), closed over
shared articles, with their stored links so that the linker restores them without scoring, so that every article of a covered incident is linked again in the
same run and no incident is left with half its members. Membership is read from `incident_articles`
(every article of an incident's record, fact-less ones too), and hidden incidents (reports without an
event fact, `Linker.incidents(hidden=True)`) are stored and replayed like the others, so that a later
report of the event can still join them; no listing, count or export shows them
(store/incident_filters.py). Facts are replaced when an article is stored as
a new version or re-extracted: `forget_links` then drops the incidents those facts were in and marks
all their articles unlinked, so that the next run builds them again from the new facts.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import orjson
from sqlalchemy import delete, func, insert, select, true, update
from sqlalchemy.orm import Session

from .incident_filters import STATUSES, incident_conditions, visible
from .incident_replay import (chunks, closure, current_ids, decided_with, incident_ids_of, keyed_incidents, members_of,
                              near, stored_links, write_keys, write_summaries)
from .review import bump_facts_version
from .rows import iso_date, json_text
from .schema import (ArticleRow, FactRow, IncidentArticleRow, IncidentDecisionRow, IncidentFactRow, IncidentKeyRow,
                     IncidentRow, LinkedArticleRow, LinkRefusalRow, LinkSummaryRow)

if TYPE_CHECKING:
    from warmonitor.link.model import Constraint, LinkArticle

ACTIONS = ("merge", "split")
Keys = Mapping[str, Iterable[tuple[str, int | None]]] | Callable[[str], Iterable[tuple[str, int | None]]]


class LinkConflict(Exception):
    """Another linking run (a second ingest at once) changed these articles' incidents since this run
    read them: its output would undo that run's. The caller reads the state again and links again."""


class NeedsConfirmation(ValueError):
    """A merge an analyst must confirm: its articles' incidents lie in different countries."""


@dataclass(frozen=True)
class LinkInput:
    """A stored article as linking reads it, with its row id and its facts' row ids: `article.facts[i]`
    is the fact `fact_ids[i]`. Linking names a fact by that index, its index among the article's
    records (as `warmonitor extract` writes them), which re-extraction and another database keep, where
    the row id is only this database's: incident ids, made from it, stay the same."""

    article: LinkArticle
    row_id: int
    fact_ids: tuple[int, ...]
    summary: tuple[str, dict] | None = None  # (digest, its comparison summary) as stored, when asked for


@dataclass
class LinkState:
    """What one linking run covers: the articles it links (`batch`, not yet linked) and the stored ones it
    replays first (`warm`: every member of the stored incidents near the batch), those incidents'
    ids, and each covered article's row id, publication day and fact rows by key. `rebuild`: everything."""

    batch: list[LinkArticle] = field(default_factory=list)
    warm: list[LinkArticle] = field(default_factory=list)
    incident_ids: set[str] = field(default_factory=set)
    article_ids: dict[str, int] = field(default_factory=dict)  # article key -> articles.id
    published: dict[str, str | None] = field(default_factory=dict)
    fact_rows: dict[tuple[str, int], int] = field(default_factory=dict)  # (article key, index) -> facts.id
    rebuild: bool = False
    # what the store says of each `warm` article, so that the linker files it without scoring
    # (`Linker.restore`): fact index -> (incident id, its stored link), its incidents, its close refusals
    known: dict[str, dict[int, tuple[str, Any]]] = field(default_factory=dict)
    member_of: dict[str, list[str]] = field(default_factory=dict)
    refused: list[Any] = field(default_factory=list)
    # article key -> (digest, comparison summary) as stored (link_summaries): the linker files the article
    # from it instead of splitting it (`Linker.add`'s `stored`)
    summaries: dict[str, tuple[str, dict]] = field(default_factory=dict)

    def cover(self, inputs: Iterable[LinkInput]) -> list[LinkArticle]:
        """Count these articles as covered by this run; returns them."""
        out = []
        for found in inputs:
            key = found.article.id
            self.article_ids[key] = found.row_id
            self.published[key] = found.article.published
            self.fact_rows.update(((key, i), fact_id) for i, fact_id in enumerate(found.fact_ids))
            if found.summary is not None:
                self.summaries[key] = found.summary
            out.append(found.article)
        return out


@dataclass
class WriteSummary:
    """What `write_links` changed: incidents written (new or with a changed record), kept as they were,
    and removed; articles marked linked."""

    written: int = 0
    kept: int = 0
    removed: int = 0
    articles: int = 0


def link_order(key: str, published: Any) -> tuple:
    """The order linking sees articles in, that of `link.linker.link_articles` (and so of a rebuild): by
    publication day, undated first, then key. Sorted in Python, never by the database, whose collation
    of keys differs between SQLite and PostgreSQL."""
    day = iso_date(published)
    return (day.isoformat() if day else "", key)


def forget_links(session: Session, article_ids: Sequence[int]) -> None:
    """Before the facts of these article rows are deleted (new version, re-extraction) or after an
    analyst's decision about them: drop the incidents they are in and mark every member of those
    incidents unlinked, so that the next `link` builds them again. Other incidents are untouched."""
    ids = sorted(set(article_ids))
    if not ids:
        return
    incidents = incident_ids_of(session, ids)
    members = set(ids) | members_of(session, incidents)
    _delete_incidents(session, sorted(incidents))
    for part in chunks(ids):
        session.execute(delete(IncidentFactRow).where(IncidentFactRow.article_id.in_(part)))
        session.execute(delete(IncidentArticleRow).where(IncidentArticleRow.article_id.in_(part)))
        session.execute(delete(LinkRefusalRow).where(LinkRefusalRow.article_id.in_(part)))
    for part in chunks(sorted(members)):
        session.execute(delete(LinkedArticleRow).where(LinkedArticleRow.article_id.in_(part)))


def _delete_incidents(session: Session, ids: Sequence[str]) -> None:
    """Incidents and what hangs on them (explicitly: a SQLite connection may run without foreign keys)."""
    for part in chunks(ids):
        session.execute(delete(IncidentFactRow).where(IncidentFactRow.incident_id.in_(part)))
        session.execute(delete(IncidentArticleRow).where(IncidentArticleRow.incident_id.in_(part)))
        session.execute(delete(LinkRefusalRow).where(LinkRefusalRow.incident_id.in_(part)))
        session.execute(delete(IncidentKeyRow).where(IncidentKeyRow.incident_id.in_(part)))
        session.execute(delete(IncidentRow).where(IncidentRow.id.in_(part)))


def incident_values(record: dict[str, Any], published: dict[str, str | None]) -> dict[str, Any]:
    """The `incidents` columns of one incident record (the record itself included); `published`: the
    publication day of its articles, for the day an undated incident is filed under."""
    period = record.get("period") if isinstance(record.get("period"), dict) else {}
    place = record.get("place") if isinstance(record.get("place"), dict) else {}
    killed = record.get("killed") if isinstance(record.get("killed"), dict) else {}
    injured = record.get("injured") if isinstance(record.get("injured"), dict) else {}
    date, start, end = iso_date(record.get("date")), iso_date(period.get("start")), iso_date(period.get("end"))
    if date:
        day, day_start = date, date
    elif start or end:
        day, day_start = end or start, start or end
    else:
        days = sorted(d for d in (iso_date(published.get(a)) for a in record.get("articles") or ()) if d)
        day = day_start = days[0] if days else None
    return {
        "id": str(record["id"]), "kind": _text(record.get("kind")), "date": date, "period_start": start,
        "period_end": end, "day": day, "day_start": day_start, "country": _text(place.get("country")),
        "admin1": _text(place.get("admin1")), "place_name": _text(place.get("name")),
        "place_geonameid": _int(place.get("geonameid")), "lat": _float(place.get("lat")),
        "lon": _float(place.get("lon")), "status": _text(record.get("status")),
        "killed_low": _int(killed.get("low")), "killed_best": _int(killed.get("best")),
        "killed_high": _int(killed.get("high")), "injured_best": _int(injured.get("best")),
        "sources": _int(record.get("sources")) or len(record.get("articles") or ()) or 1,
        "independent_sources": _int(record.get("independent_sources")) or 1, "hidden": record.get("hidden") is True,
        "record": record,
    }


class IncidentStore:
    """`Store`'s incident methods (a mixin: `Store` gives `engine`, `_ready`, `_writable`, `_errors`)."""

    # -- what linking reads ------------------------------------------------------------------------

    def articles_to_link(self, *, everything: bool = False) -> list[tuple[str, int]]:
        """(key, row id) of the current articles not yet linked (every current one with `everything`),
        in linking order (`link_order`)."""
        self._ready()
        # ids first, from the is_current index alone (SQLite reads no article text: `= true` and NOT IN, where
        # a correlated NOT EXISTS scanned the table, 20 times slower on a large store); then the few rows
        current = ArticleRow.is_current == true()
        with self._errors("read"), Session(self.engine) as session:
            if everything:
                found = session.execute(select(ArticleRow.article_key, ArticleRow.id, ArticleRow.published)
                                        .where(current)).all()
            else:
                ids = list(session.scalars(select(ArticleRow.id).where(
                    current, ArticleRow.id.not_in(select(LinkedArticleRow.article_id)))))
                found = []
                for part in chunks(sorted(ids)):
                    found += session.execute(select(ArticleRow.article_key, ArticleRow.id, ArticleRow.published)
                                             .where(ArticleRow.id.in_(part))).all()
        found.sort(key=lambda row: link_order(row[0], row[2]))
        return [(key, row_id) for key, row_id, _ in found]

    def link_inputs(self, row_ids: Sequence[int], *, summaries: bool = False) -> list[LinkInput]:
        """These article rows as linking reads them (`LinkInput`): metadata, repaired text and fact
        records (summaries aside) in the article's order; in linking order. `summaries`: with their stored
        comparison summaries (link_summaries), for articles linked before."""
        from warmonitor.link.model import LinkArticle

        self._ready()
        out = []
        with self._errors("read"), Session(self.engine) as session:
            for part in chunks(sorted(set(row_ids))):
                facts: dict[int, list[tuple[int, dict]]] = {}
                for article_id, fact_id, record in session.execute(
                        select(FactRow.article_id, FactRow.id, FactRow.record)
                        .where(FactRow.article_id.in_(part), FactRow.type != "summary").order_by(FactRow.id)):
                    facts.setdefault(article_id, []).append((fact_id, record))
                stored = {}
                if summaries:
                    stored = {article_id: (digest, summary) for article_id, digest, summary in session.execute(
                        select(LinkSummaryRow.article_id, LinkSummaryRow.digest, LinkSummaryRow.summary)
                        .where(LinkSummaryRow.article_id.in_(part)))}
                for row_id, key, outlet, published, title, text, url in session.execute(  # columns: no ORM objects
                        select(ArticleRow.id, ArticleRow.article_key, ArticleRow.outlet, ArticleRow.published,
                               ArticleRow.title, ArticleRow.text, ArticleRow.canonical_url)
                        .where(ArticleRow.id.in_(part))):
                    found = facts.get(row_id, [])
                    article = LinkArticle(id=key, outlet=outlet, published=published.isoformat() if published else None,
                                          title=title, text=text, facts=tuple(r for _, r in found), url=url)
                    out.append(LinkInput(article, row_id, tuple(i for i, _ in found), stored.get(row_id)))
        out.sort(key=lambda f: link_order(f.article.id, f.article.published))
        return out

    def link_articles(self, row_ids: Sequence[int]) -> list[LinkArticle]:
        """`link_inputs`' articles alone."""
        return [found.article for found in self.link_inputs(row_ids)]

    def link_state(self, batch: list[LinkInput], *, days: int = 7, keys: Iterable[tuple[str, int | None]] | None = None,
                   max_block: int = 0) -> LinkState:
        """The run that links `batch` (unlinked articles, `link_inputs`): the stored incidents filed under one
        of `keys` (what the linker would look the batch up under, `Linker.lookup_keys`; an `e:` lead term
        held by more than `max_block` incidents on a day is no key, as for the linker) and, among incidents
        with no stored keys (or all, without `keys`), those within `days` of its articles' days that name
        one of its places (any place when one of its facts names none); those an analyst's decision ties to
        it; closed over shared articles, with their articles."""
        self._ready()
        state = LinkState()
        state.batch = state.cover(batch)
        with self._errors("read"), Session(self.engine) as session:
            start = near(session, state.batch, days, keyless=keys is not None)
            if keys is not None:
                start |= keyed_incidents(session, keys, max_block)
            start |= decided_with(session, list(state.article_ids))
            incidents, members = closure(session, start)
        state.incident_ids = incidents
        state.warm = state.cover(self.link_inputs(sorted(members - {f.row_id for f in batch}), summaries=True))
        with self._errors("read"), Session(self.engine) as session:
            stored_links(session, state)
        return state

    def rebuild_state(self) -> LinkState:
        """A run over every current article and every incident (`link --rebuild`); its articles are read
        in chunks by the caller (`articles_to_link(everything=True)`, `link_inputs`) and `cover`ed."""
        self._ready()
        with self._errors("read"), Session(self.engine) as session:
            incidents = set(session.scalars(select(IncidentRow.id)))
        return LinkState(incident_ids=incidents, rebuild=True)

    def incident_constraints(self) -> list[Constraint]:
        """Every analyst decision, oldest first, as the linker's constraints."""
        from warmonitor.link.model import Constraint

        self._ready()
        with self._errors("read"), Session(self.engine) as session:
            rows = session.scalars(select(IncidentDecisionRow).order_by(IncidentDecisionRow.id)).all()
        return [Constraint(action=r.action, articles=tuple(r.articles), reason=r.reason, by=r.user_name)
                for r in rows]

    # -- what linking writes -----------------------------------------------------------------------

    def write_links(self, state: LinkState, incidents: list[dict[str, Any]], links: Iterable[Any] = (),
                    refusals: Iterable[Any] = (), keys: Keys | None = None,
                    summaries: dict[str, tuple[str, dict]] | None = None, restored: Iterable[str] = ()
                    ) -> WriteSummary:
        """Replace, in one transaction, the incidents and links of the articles and incidents `state`
        covers with a linker's output (`incidents()`, `links()`, `refusals()` of a linker that was given
        exactly those articles). A fact is an incident's if the incident record lists it; `links` give
        its score and reasons. An incident whose record is unchanged keeps its row, and its keys.
        `keys`: incident id -> the keys it is filed under (a mapping, or `Linker.keys`); `summaries`:
        article key -> (digest, comparison summary) to store (`Linker.fresh_summaries`); `restored`: keys of
        articles filed from their stored links (`Linker.restore`), whose rows (links, membership, refusals)
        stay as stored: most of what an incremental run covers, and none of it changed."""
        self._ready()
        self._writable()
        summary = WriteSummary()
        now = dt.datetime.now(dt.timezone.utc)
        why = {}
        for link in links:
            for fact in link.facts:
                why[(link.article, fact)] = link
        with self._errors("write to"), Session(self.engine) as session, session.begin():
            # A write first: it waits for any other linking writer to commit (SQLite's write lock, the
            # counter row's lock on PostgreSQL), so that what is read next is what that writer left.
            bump_facts_version(session)
            if not state.rebuild:
                self._check_unchanged(session, state)
            valid_facts = self._existing_facts(session, set(state.fact_rows.values()))
            old = {}
            for part in chunks(sorted(state.incident_ids)):
                old.update(session.execute(select(IncidentRow.id, IncidentRow.record)
                                           .where(IncidentRow.id.in_(part))).all())
            covered = sorted(state.article_ids.values())
            stay = set() if state.rebuild else {k for k in restored if k in state.article_ids}
            staying = {state.article_ids[k] for k in stay}
            relinked = [i for i in covered if i not in staying]
            if state.rebuild:
                for table in (IncidentFactRow, IncidentArticleRow, LinkRefusalRow, LinkedArticleRow):
                    session.execute(delete(table))
            else:
                for part in chunks(relinked):
                    session.execute(delete(IncidentFactRow).where(IncidentFactRow.article_id.in_(part)))
                    session.execute(delete(IncidentArticleRow).where(IncidentArticleRow.article_id.in_(part)))
                    session.execute(delete(LinkRefusalRow).where(LinkRefusalRow.article_id.in_(part)))
                    session.execute(delete(LinkedArticleRow).where(LinkedArticleRow.article_id.in_(part)))
            new = {str(r["id"]): orjson.loads(json_text(r)) for r in incidents}  # as stored and read back
            keep = {i for i, record in new.items() if i in old and old[i] == record}
            # a changed incident's row is updated in place: the rows of its restored members stay
            _delete_incidents(session, sorted(set(old) - set(new)))
            summary.removed = len(set(old) - set(new))
            summary.kept = len(keep)
            rows = [{**incident_values(r, state.published), "updated_at": now} for i, r in new.items() if i not in keep]
            if [r for r in rows if r["id"] not in old]:
                session.execute(insert(IncidentRow), [r for r in rows if r["id"] not in old])
            if [r for r in rows if r["id"] in old]:
                session.execute(update(IncidentRow), [r for r in rows if r["id"] in old])
                for part in chunks(sorted(r["id"] for r in rows if r["id"] in old)):  # filed again below
                    session.execute(delete(IncidentKeyRow).where(IncidentKeyRow.incident_id.in_(part)))
            if keys is not None:
                write_keys(session, state, new, keep, keys)
            if summaries or state.rebuild:
                write_summaries(session, state, summaries or {})
            summary.written = len(rows)
            members = {}
            for incident_id, record in new.items():
                for item in record.get("facts") or ():
                    article, fact = item.get("article"), item.get("fact")
                    row = state.fact_rows.get((article, fact))
                    if row is None or row not in valid_facts or article in stay:
                        continue
                    link = why.get((article, fact))
                    members[(incident_id, row)] = {
                        "incident_id": incident_id, "fact_id": row, "article_id": state.article_ids[article],
                        "score": getattr(link, "score", None), "reasons": getattr(link, "reasons", None),
                        "opened": bool(getattr(link, "opened", False))}
            if members:
                session.execute(insert(IncidentFactRow), list(members.values()))
            articles = {(incident_id, state.article_ids[key]): {"incident_id": incident_id,
                                                               "article_id": state.article_ids[key]}
                        for incident_id, record in new.items() for key in record.get("articles") or ()
                        if key in state.article_ids and key not in stay}
            if articles:
                session.execute(insert(IncidentArticleRow), list(articles.values()))
            refused = {}
            for refusal in refusals:
                if refusal.incident in new and refusal.article in state.article_ids and refusal.article not in stay:
                    key = (refusal.incident, state.article_ids[refusal.article])
                    if key not in refused or refused[key]["score"] < refusal.score:
                        refused[key] = {"incident_id": key[0], "article_id": key[1], "score": refusal.score,
                                        "reasons": refusal.reasons}
            if refused:
                session.execute(insert(LinkRefusalRow), list(refused.values()))
            if relinked:
                session.execute(insert(LinkedArticleRow), [{"article_id": i, "linked_at": now} for i in relinked])
            summary.articles = len(covered)
        return summary

    @staticmethod
    def _check_unchanged(session: Session, state: LinkState) -> None:
        """`LinkConflict` unless the batch is still unlinked, the covered incidents are all still there
        and the covered articles are in no other incident."""
        batch = [state.article_ids[a.id] for a in state.batch]
        for part in chunks(batch):
            if session.scalar(select(func.count()).select_from(LinkedArticleRow)
                              .where(LinkedArticleRow.article_id.in_(part))):
                raise LinkConflict("another run linked some of these articles")
        present = 0
        for part in chunks(sorted(state.incident_ids)):
            present += session.scalar(select(func.count()).select_from(IncidentRow).where(IncidentRow.id.in_(part))) or 0
        if present != len(state.incident_ids):
            raise LinkConflict("another run re-linked some of these incidents")
        if incident_ids_of(session, state.article_ids.values()) - state.incident_ids:
            raise LinkConflict("another run linked these articles into other incidents")

    @staticmethod
    def _existing_facts(session: Session, fact_ids: set[int]) -> set[int]:
        """The facts still stored: another writer may have replaced some since they were read."""
        found = set()
        for part in chunks(sorted(fact_ids)):
            found.update(session.scalars(select(FactRow.id).where(FactRow.id.in_(part))))
        return found

    # -- decisions ---------------------------------------------------------------------------------

    def decide_incidents(self, action: str, articles: Sequence[str], reason: str, *, by: str | None = None,
                         confirmed: bool = False) -> int:
        """Record an analyst's decision: `merge` (these articles report one incident) or `split` (never in
        one incident), with a reason; returns its id. It is applied from the next linking run on, and on
        every `link --rebuild` and `reprocess` after: the incidents of these articles are dropped now and
        built again by the next `link`. A merge of incidents in different countries is refused
        (`NeedsConfirmation`) unless `confirmed`. An unknown action or article, fewer than two articles
        or an empty reason is a ValueError."""
        if action not in ACTIONS:
            raise ValueError(f"action {action!r}: expected merge or split")
        keys = list(dict.fromkeys(str(a).strip() for a in articles if str(a).strip()))
        if len(keys) < 2:
            raise ValueError(f"a {action} names at least two articles (their keys), got {len(keys)}")
        if not (reason or "").strip():
            raise ValueError(f"a {action} needs a reason: say why, for the audit trail")
        self._ready()
        self._writable()
        with self._errors("write to"), Session(self.engine) as session, session.begin():
            ids = current_ids(session, keys)
            missing = [k for k in keys if k not in ids]
            if missing:
                raise ValueError(f"article {missing[0]!r} is not stored: give article keys as "
                                 "`warmonitor incidents -f jsonl` lists them under \"articles\"")
            if action == "merge" and not confirmed:
                countries = set()
                for part in chunks(sorted(ids.values())):
                    countries.update(session.scalars(
                        select(IncidentRow.country).distinct()
                        .join(IncidentArticleRow, IncidentArticleRow.incident_id == IncidentRow.id)
                        .where(IncidentArticleRow.article_id.in_(part), IncidentRow.country.is_not(None))))
                if len(countries) > 1:
                    raise NeedsConfirmation(f"these articles' incidents are in different countries "
                                            f"({', '.join(sorted(countries))}): confirm the merge to record it")
            row = IncidentDecisionRow(action=action, articles=keys, reason=reason.strip(), user_name=by,
                                      at=dt.datetime.now(dt.timezone.utc))
            session.add(row)
            forget_links(session, list(ids.values()))
            bump_facts_version(session)
            session.flush()
            return row.id

    def incident_decisions(self) -> list[dict[str, Any]]:
        """The audit trail of merges and splits, oldest first."""
        self._ready()
        with self._errors("read"), Session(self.engine) as session:
            rows = session.scalars(select(IncidentDecisionRow).order_by(IncidentDecisionRow.id)).all()
            return [{"id": r.id, "action": r.action, "articles": list(r.articles), "reason": r.reason,
                     "by": r.user_name, "at": r.at.isoformat() if r.at else None} for r in rows]

    # -- reading -----------------------------------------------------------------------------------

    def incidents(self, *, type: str | Iterable[str] | None = None, place: str | int | None = None,
                  admin1: str | None = None, country: str | None = None, since: Any = None, until: Any = None,
                  status: str | Iterable[str] | None = None, limit: int | None = None) -> list[dict[str, Any]]:
        """Incident records (docs/format.md, "Incident records"), newest first. `type`: the incident's kind
        (casualty, attack, displacement, control; one or a list); `place`: a name (case folded) or a
        geonameid; `admin1` (folded), `country` (ISO code); `since`/`until` (YYYY-MM-DD, a bad one is a
        ValueError): the incident's span overlaps them, an undated one counts as of its first report's
        day; `status`: single-source, corroborated or contested (one or a list). The filters are
        store/incident_filters.py's, as the API's; hidden incidents are never listed."""
        where = incident_conditions({"type": type, "place": place, "admin1": admin1, "country": country,
                                     "since": since, "until": until}, status=status)
        stmt = select(IncidentRow.record).where(*where).order_by(IncidentRow.day.desc().nulls_last(), IncidentRow.id)
        if limit is not None:
            stmt = stmt.limit(int(limit))
        self._ready()
        with self._errors("read"), Session(self.engine) as session:
            return list(session.scalars(stmt))

    def incident_sources(self, names: Sequence[str]) -> list[str]:
        """Article keys for a decision from article keys and (listed) incident ids, an incident standing for
        all its articles, in the order given; a name that is neither is a ValueError."""
        self._ready()
        keys: list[str] = []
        with self._errors("read"), Session(self.engine) as session:
            known = current_ids(session, names)
            for name in names:
                record = session.scalar(select(IncidentRow.record).where(IncidentRow.id == name, visible()))
                if isinstance(record, dict):
                    keys += [str(a) for a in record.get("articles") or ()]
                elif name in known:
                    keys.append(name)
                else:
                    raise ValueError(f"{name!r} is neither a stored article nor an incident: give article keys or "
                                     "incident ids as `warmonitor incidents -f jsonl` lists them")
        return list(dict.fromkeys(keys))

    def incidents_of(self, keys: Sequence[str]) -> list[dict[str, Any]]:
        """The listed incident records these articles (keys) are in now, by id."""
        self._ready()
        with self._errors("read"), Session(self.engine) as session:
            ids = incident_ids_of(session, current_ids(session, keys).values())
            return list(session.scalars(select(IncidentRow.record).where(IncidentRow.id.in_(sorted(ids)), visible())
                                        .order_by(IncidentRow.id)))

    def link_refusals(self, *, limit: int | None = None) -> list[dict[str, Any]]:
        """The close calls linking did not make, closest first: {incident, article (key), score, reasons}."""
        self._ready()
        stmt = (select(LinkRefusalRow.incident_id, ArticleRow.article_key, LinkRefusalRow.score, LinkRefusalRow.reasons)
                .join(ArticleRow, ArticleRow.id == LinkRefusalRow.article_id)
                .order_by(LinkRefusalRow.score.desc().nulls_last(), LinkRefusalRow.incident_id, ArticleRow.article_key))
        if limit is not None:
            stmt = stmt.limit(int(limit))
        with self._errors("read"), Session(self.engine) as session:
            return [{"incident": i, "article": a, "score": s, "reasons": r or {}} for i, a, s, r in session.execute(stmt)]

    def incident_facts(self, incident_id: str) -> list[dict[str, Any]]:
        """The facts of one incident with why each was linked: {article (key), fact_id (facts.id), score,
        reasons, opened, record}."""
        self._ready()
        stmt = (select(ArticleRow.article_key, FactRow.id, IncidentFactRow.score, IncidentFactRow.reasons,
                       IncidentFactRow.opened, FactRow.record)
                .join(FactRow, FactRow.id == IncidentFactRow.fact_id)
                .join(ArticleRow, ArticleRow.id == IncidentFactRow.article_id)
                .where(IncidentFactRow.incident_id == incident_id).order_by(FactRow.id))
        with self._errors("read"), Session(self.engine) as session:
            return [{"article": a, "fact_id": f, "score": s, "reasons": r or {}, "opened": o, "record": rec}
                    for a, f, s, r, o, rec in session.execute(stmt)]

    def incident_count(self) -> int:
        """The listed incidents: all, less the hidden ones (counted on the partial index of hidden incidents,
        where counting the listed ones would read every incident row of a large store)."""
        self._ready()
        with self._errors("read"), Session(self.engine) as session:
            total = session.scalar(select(func.count()).select_from(IncidentRow)) or 0
            return total - (session.scalar(select(func.count()).select_from(IncidentRow).where(IncidentRow.hidden)) or 0)

    def link_counts(self) -> dict[str, int]:
        """incidents (listed ones), hidden incidents (kept for linking only), linked facts, refusals, and
        current articles linked and not yet linked."""
        self._ready()
        with self._errors("read"), Session(self.engine) as session:
            def count(*what) -> int:
                return session.scalar(select(func.count()).select_from(what[0]).where(*what[1:])) or 0

            linked = count(LinkedArticleRow, LinkedArticleRow.article_id.in_(
                select(ArticleRow.id).where(ArticleRow.is_current)))
            hidden = count(IncidentRow, IncidentRow.hidden)
            return {"incidents": count(IncidentRow) - hidden, "hidden_incidents": hidden,
                    "incident_facts": count(IncidentFactRow),
                    "refusals": count(LinkRefusalRow), "linked_articles": linked,
                    "unlinked_articles": count(ArticleRow, ArticleRow.is_current) - linked}


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _int(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    number = int(value)
    return number if -2**63 <= number < 2**63 else None


def _float(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None
