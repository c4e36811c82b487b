"""Linking: each article's facts join the incident they report, or open a new one.

Linking is incremental (an article is compared with the incidents already built, as ingest hands
articles over one batch at a time) and deterministic for a given order: `link_articles` (and
`warmonitor link --rebuild`) orders articles by (published, id) first, so a rebuild gives the same
incidents and the same ids. Candidates come from an index keyed by event day and place (gazetteer
id, folded name, region), by the people an article names and by copies of one text, so that a new
article is compared with the few incidents of its days and places, never with all of them. The
evidence and its weights are in `evidence.py`, what an incident's reports say together in `state.py`;
the incident record is built by `records.py`. A report a store replays is filed from its stored
comparison summary (`summary.py`) instead of being split again.

A new report is compared with an incident's *core*, the day(s) and place(s) most of its independent
reports give, not with every day and place any report gave: otherwise one weak link (a report naming
the next town, or dated a day later) widens what the incident matches, the next report widens it
again, and on dense reporting one incident swallows a district's strikes for a year. A report beyond
`near_km` of the core place or `day_window` days of the core day needs evidence that alone identifies
the event (a copy, or the same named victims with their toll).

An incident whose reports give no single-event fact (only situation figures such as "since 2011",
quotes, or no facts at all) stays latent: later reports can join it, but it is not listed until one
of its reports states an event, so that cumulative figures never make incidents by themselves.
"""
from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, replace
from itertools import islice
from typing import Callable, Iterable

from . import records, resources, summary
from .copies import CopyIndex, from_values
from .evidence import Mention, day_number, fact_id, score, split_article
from .model import Constraint, Link, LinkArticle, Refusal
from .rarity import Rarity
from .state import IncidentState

__all__ = ["IncidentState", "LinkSettings", "Linker", "link_articles"]


@dataclass(frozen=True)
class LinkSettings:
    """Thresholds, weights and windows of linking. The defaults were set on reasoning about news
    reports (events are told on the day or the next two days; a town is a few km across) and checked
    on ../shared/corpus/gva-dev (bench/link_gva.py)."""

    day_window: int = 3  # candidates: incidents with an event day this close
    name_window: int = 30  # candidates found by a named person: this many days apart at most
    days_before_publication: int = 2  # an undated event: on the publication day or up to this before
    max_event_days: int = 3  # a period longer than this is a situation figure, not an event
    split_days: int = 2  # an article's facts this many days apart are separate events
    near_km: float = 15.0  # also the spread of an incident: a report farther from its core place is another event
    same_place_km: float = 3.0  # two resolved places this close are one place (a camp or quarter and its town)
    far_km: float = 50.0
    threshold: float = 4.0  # link at or above this score
    refusal_margin: float = 2.5  # keep refusals scoring within this of the threshold
    copy_threshold: float = 0.6  # shingle similarity of a copy (copies.CopyIndex)
    strong_text: float = 0.2  # entity similarity that, with a named person, links unanchored reports
    max_compared: int = 8  # text signatures an incident keeps for comparison (its first reports)
    open_eventless: bool = False  # whether reports with no event fact are listed as incidents
    min_terms: int = 8  # names and figures a text needs for its similarity to count
    lead_chars: int = 600  # the lead whose names and figures are blocking keys
    max_block: int = 40  # a lead term shared by more incidents in one day than this is no key
    rare_length: int = 4  # words shorter than this are never rare evidence (rarity.Rarity)
    rare_block: int = 3  # ... nor one that more reports than this used in leads published these days
    max_lead: int = 300  # lead words an incident keeps for comparison
    max_undated: int = 200  # an undated report is compared with this many latest incidents of its places
    not_places: frozenset = frozenset()  # words that begin no headline place (Linker loads the calendar)
    labels: frozenset = frozenset()  # all-capital labels that open a story and are no dateline (Linker loads them)
    # weights (evidence.score)
    day_same: float = 2.0
    day_near: float = 1.0
    day_far: float = 2.0
    place_same: float = 2.5
    place_near: float = 1.5
    place_far: float = 4.0
    area_same: float = 0.5
    kind_same: float = 0.3
    count_agree: float = 1.0
    count_disagree: float = 1.0
    cause_same: float = 0.5
    cause_differs: float = 1.0
    target_same: float = 0.5
    target_differs: float = 1.5
    control_same: float = 1.0  # both report who holds or took the same town
    actor_same: float = 1.0
    actor_differs: float = 1.5
    name_same: float = 3.0
    rare_term: float = 1.5
    rare_cap: float = 3.0
    text_weight: float = 12.0
    text_floor: float = 0.05
    text_cap: float = 4.0
    copy: float = 8.0


class Linker:
    """Incremental linker: `add` articles one at a time (or `add_many`), read `incidents()`."""

    def __init__(self, settings: LinkSettings | None = None, constraints: Iterable[Constraint] = ()):
        self.settings = settings or LinkSettings()
        if not self.settings.not_places:
            self.settings = replace(self.settings, not_places=resources.calendar_words())
        if not self.settings.labels:
            self.settings = replace(self.settings, labels=resources.story_labels())
        self.constraints = tuple(constraints)
        self._together: dict[str, list[Constraint]] = defaultdict(list)
        self._apart: dict[str, set[str]] = defaultdict(set)
        for c in self.constraints:
            for a in c.articles:
                if c.action == "merge":
                    self._together[a].append(c)
                elif c.action == "split":
                    self._apart[a] |= set(c.articles) - {a}
        self._copies = CopyIndex(threshold=self.settings.copy_threshold)
        self._cues = resources.toll_cues()
        self._incidents: dict[str, IncidentState] = {}
        # (key, day) -> incident ids, in the order they were filed (a dict: membership costs nothing)
        self._index: dict[tuple, dict[str, None]] = defaultdict(dict)
        self._of_article: dict[str, list[str]] = defaultdict(list)  # article -> incident ids
        self._articles: dict[str, LinkArticle] = {}
        self._links: list[Link] = []
        self._rarity = Rarity(self.settings.rare_length, self.settings.not_places)
        self._used: dict[tuple[str, int], int] = defaultdict(int)  # (rare word, publication day) -> reports
        self._split: dict[str, list[Mention]] = {}  # articles `lookup_keys` split, until `add` takes them
        self._mentions: dict[str, list[Mention]] = {}  # every article's mentions, main first
        self._fresh: list[str] = []  # the articles split (not read from a stored summary), in order
        self._fingerprint: str | None = None
        self._refusals: list[Refusal] = []

    # -- adding ---------------------------------------------------------------------------------
    def add(self, article: LinkArticle, stored: tuple[str, dict] | None = None) -> list[Link]:
        """Link one article's facts; return the links made (one per mention: joined or opened). `stored`:
        the article's stored comparison summary (`summary_of`), used instead of splitting it if it is
        this article's under these settings."""
        if article.id in self._articles:
            return []
        self._articles[article.id] = article
        mentions, sig = self._mentions_of(article, stored)
        copy_of = self._copies.add(article.id, article.text, sig)
        made = []
        rare = self._rare(mentions[0].lead, mentions[0].published) if mentions else set()
        for m in mentions:
            m.copy_of = copy_of
            m.rare = rare
            made.append(self._link(m))
        self._count_rare(mentions)
        self._links += made
        return made

    def restore(self, article: LinkArticle, known: dict[int, tuple[str, Link | None]],
                member_of: Iterable[str] = (), stored: tuple[str, dict] | None = None) -> list[Link]:
        """File a stored article straight into the incidents a previous run linked it to, without looking
        for candidates or scoring: an incremental run replays the stored incidents near its new articles
        this way, at the cost of splitting them, unless `stored` is their comparison summary (as `add`).
        `known`: fact index -> (incident id, its stored link or None); `member_of`: the incidents the article
        is a member of (a fact-less part is filed in the first). Given in the order linking saw them, restored articles rebuild the incidents and ids a
        full run made; a mention whose incident is not known is linked as `add` would."""
        if article.id in self._articles:
            return []
        self._articles[article.id] = article
        mentions, sig = self._mentions_of(article, stored)
        copy_of = self._copies.add(article.id, article.text, sig)
        rare = self._rare(mentions[0].lead, mentions[0].published) if mentions else set()
        fallback = next(iter(member_of), None)
        made = []
        for m in mentions:
            m.copy_of = copy_of
            m.rare = rare
            found = [known[f] for f in m.facts if f in known]
            inc_id = found[0][0] if found else (fallback if not m.facts else None)
            if inc_id is None:
                made.append(self._link(m))
                continue
            inc = self._incidents.get(inc_id)
            if inc is None:
                inc = self._incidents[inc_id] = IncidentState(inc_id, len(self._incidents))
            self._join(inc, m)
            stored = found[0][1] if found else None
            made.append(Link(inc_id, m.article, list(m.facts), getattr(stored, "score", 0.0) or 0.0,
                             dict(getattr(stored, "reasons", None) or {}), opened=bool(getattr(stored, "opened", False))))
        self._count_rare(mentions)
        self._links += made
        return made

    def _mentions_of(self, article: LinkArticle, stored: tuple[str, dict] | None) -> tuple[list[Mention], object]:
        """The article's mentions and its text's copy signature (None: the copy index makes it): from its
        stored summary when that is this article's under these settings, else split (and remembered as
        fresh, for `fresh_summaries`)."""
        if stored is not None and stored[0] and stored[0] == summary.digest(article, self.run_fingerprint):
            try:
                mentions, sig = summary.from_summary(article, stored[1], fact_id, lambda v: from_values(v, len(v)))
            except (KeyError, IndexError, TypeError, ValueError, AttributeError):
                pass  # a summary this release cannot read: split as if there were none
            else:
                self._mentions[article.id] = mentions
                return mentions, sig
        mentions = self._split.pop(article.id, None) or split_article(article, self.settings, self._cues,
                                                                      self._copies.signature)
        self._mentions[article.id] = mentions
        self._fresh.append(article.id)
        return mentions, None

    @property
    def run_fingerprint(self) -> str:
        """What a comparison summary depends on besides its article (`summary.fingerprint`)."""
        if self._fingerprint is None:
            self._fingerprint = summary.fingerprint(self.settings)
        return self._fingerprint

    def summary_of(self, article_id: str) -> tuple[str, dict] | None:
        """(digest, comparison summary) of an article this linker split, for a store to keep (`add`'s
        `stored`); None when it has none to give."""
        article, mentions = self._articles.get(article_id), self._mentions.get(article_id)
        if article is None or not mentions:
            return None
        digest = summary.digest(article, self.run_fingerprint)
        data = summary.to_summary(article, mentions, self._copies.signature_filed(article_id)) if digest else None
        return (digest, data) if data is not None else None

    def fresh_summaries(self) -> dict[str, tuple[str, dict]]:
        """`summary_of` every article this linker split rather than read from a summary."""
        out = {}
        for key in self._fresh:
            found = self.summary_of(key)
            if found is not None:
                out[key] = found
        return out

    def _count_rare(self, mentions: list[Mention]) -> None:
        """Count the report's rare lead words on its publication day (`_rare`)."""
        day = day_number(mentions[0].published) if mentions else None
        if day is not None:
            for t in self._rarity.rare(mentions[0].lead):
                self._used[(t, day)] += 1

    def add_many(self, articles: Iterable[LinkArticle],
                 progress: Callable[[int], None] | None = None) -> list[Link]:
        """Add articles in the order given; `progress(n)` is called after each with the count so far."""
        made = []
        for n, article in enumerate(articles, 1):
            made += self.add(article)
            if progress:
                progress(n)
        return made

    def _link(self, m: Mention) -> Link:
        s = self.settings
        forced = self._forced(m)
        scored = []
        for inc_id in self._candidates(m):
            inc = self._incidents[inc_id]
            if self._apart[m.article] & inc.sources or m.article in inc.sources:
                continue  # an analyst's split, or another event of this same article
            value, reasons, strong = score(m, inc, s)
            allowed = strong or (m.anchored and inc.anchored and not reasons.get("counts_conflict")
                                 and not reasons.get("beyond_core"))
            if not allowed:
                reasons["needs_strong_evidence"] = True
            scored.append((value, allowed, -inc.order, inc_id, reasons))
        scored.sort(reverse=True)
        chosen = forced
        if chosen is None:
            chosen = next((c for c in scored if c[1] and c[0] >= s.threshold), None)
        for value, allowed, _, inc_id, reasons in scored:
            if (chosen is None or inc_id != chosen[3]) and value >= s.threshold - s.refusal_margin:
                self._refusals.append(Refusal(inc_id, m.article, value, dict(reasons)))
        if chosen is None:
            inc = self._open(m)
            return Link(inc.id, m.article, list(m.facts), 0.0, {"opened": True}, opened=True)
        value, _, _, inc_id, reasons = chosen
        self._join(self._incidents[inc_id], m)
        return Link(inc_id, m.article, list(m.facts), value, reasons, opened=False)

    def _rare(self, lead: set, published: str | None = None) -> set:
        """The lead words that are rare in the language (rarity.py: no common English word, calendar
        word or figure): a street, a school, a surname, a small town's name; and that no more than
        `rare_block` earlier reports published in the days around `published` used in their leads (a name
        in the news every day is no evidence, however rare in English). Both are independent of the
        reports outside those days, so an incremental run, which replays every incident filed under these
        words and days (and so every such report), decides as a rebuild does."""
        s = self.settings
        rare = self._rarity.rare(lead)
        day = day_number(published)
        if day is None:
            return rare
        window = range(day - s.day_window, day + s.day_window + 1)
        return {t for t in rare if sum(self._used.get((t, d), 0) for d in window) <= s.rare_block}

    def _forced(self, m: Mention):
        """An analyst's merge: the incident of an article this one must be with, if linked already."""
        for c in self._together.get(m.article, ()):
            for other in c.articles:
                for inc_id in self._of_article.get(other, ()):
                    if not (self._apart[m.article] & self._incidents[inc_id].sources):
                        return (float(self.settings.threshold), True, 0, inc_id,
                                {"constraint": "merge", "reason": c.reason, "by": c.by})
        return None

    def _candidates(self, m: Mention) -> list[str]:
        s = self.settings
        found: dict[str, None] = {}
        if m.copy_of:
            found.update(dict.fromkeys(self._of_article.get(m.copy_of, ())))
        published = day_number(m.published)
        if published is not None:
            # reports of one event appear within days of each other even when their event days differ
            # (a misread date, "last week's attack"): the rare words of their leads find one another
            for term in sorted(m.rare):
                for d in range(published - s.day_window, published + s.day_window + 1):
                    found.update(dict.fromkeys(self._index.get(("r:" + term, d), ())))
        if m.day is not None:
            lo, hi = m.day[0] - s.day_window, m.day[1] + s.day_window
            for key in sorted(m.towns | m.areas):
                for d in range(lo, hi + 1):
                    found.update(dict.fromkeys(self._index.get((key, d), ())))
            for term in sorted(m.lead):
                for d in range(lo, hi + 1):
                    bucket = self._index.get(("e:" + term, d), ())
                    if len(bucket) <= s.max_block:  # a term every report of the day holds is no key
                        found.update(dict.fromkeys(bucket))
            for name in sorted(m.names):
                for inc_id in self._index.get(("p:" + name, None), ()):
                    gap = self._incidents[inc_id].day_gap(m.day)
                    if gap is None or gap <= s.name_window:
                        found[inc_id] = None
            for key in sorted(m.towns | m.areas):  # undated reports of this place
                found.update(dict.fromkeys(self._index.get(("u:" + key, None), ())))
        else:
            # an undated report (a communique, a statement without a date line): looked up by its places
            # on any day (the latest incidents there first) and by the people it names
            for key in sorted(m.towns | m.areas):
                found.update(dict.fromkeys(islice(reversed(self._index.get(("t:" + key, None), {})), s.max_undated)))
            for name in sorted(m.names):
                found.update(dict.fromkeys(self._index.get(("p:" + name, None), ())))
        return list(found)

    def _open(self, m: Mention) -> IncidentState:
        first = m.facts[0] if m.facts else ""
        inc_id = "inc-" + hashlib.sha1(f"{m.article}#{first}".encode("utf-8")).hexdigest()[:12]
        while inc_id in self._incidents:  # the same article key opened twice: keep ids unique
            inc_id = "inc-" + hashlib.sha1(inc_id.encode("utf-8")).hexdigest()[:12]
        inc = IncidentState(inc_id, len(self._incidents))
        self._incidents[inc_id] = inc
        self._join(inc, m)
        return inc

    def _join(self, inc: IncidentState, m: Mention) -> None:
        inc.add(m, self.settings.max_compared, self.settings.max_lead)
        if inc.id not in self._of_article[m.article]:
            self._of_article[m.article].append(inc.id)
        for key in _filing_keys(m, self._rarity.rare):
            self._index[key][inc.id] = None

    def keys(self, incident_id: str) -> set[tuple[str, int | None]]:
        """The (key, day ordinal or None) an incident is filed under in the candidate index: a store keeps
        them so that an incremental run finds the stored incidents a new article could be compared with."""
        inc = self._incidents.get(incident_id)
        return {key for m in inc.members for key in _filing_keys(m, self._rarity.rare)} if inc else set()

    def lookup_keys(self, article: LinkArticle) -> set[tuple[str, int | None]]:
        """The (key, day) index entries `add` would look candidates up under for this article (dated
        reports: places, lead terms, rare words and named people; an undated report's places by publication
        day): a store finds the incidents filed under any of them. Copies are found by the store otherwise."""
        s = self.settings
        found: set[tuple[str, int | None]] = set()
        mentions = self._split[article.id] = split_article(article, s, self._cues, self._copies.signature)
        for m in mentions:
            published = day_number(m.published)
            if published is not None:
                for term in self._rare(m.lead):
                    found.update(("r:" + term, d) for d in range(published - s.day_window, published + s.day_window + 1))
            for name in m.names:
                found.add(("p:" + name, None))
            if m.day is not None:
                days = range(m.day[0] - s.day_window, m.day[1] + s.day_window + 1)
                for key in list(m.towns | m.areas) + ["e:" + t for t in m.lead]:
                    found.update((key, d) for d in days)
                found.update(("u:" + key, None) for key in m.towns | m.areas)
            elif published is not None:
                found.update((key, d) for key in m.towns | m.areas
                             for d in range(published - s.day_window, published + s.day_window + 1))
        return found

    # -- reading --------------------------------------------------------------------------------
    def incidents(self, hidden: bool = False) -> list[dict]:
        """Incident records (docs/format.md "Incident records"), in the order they were opened.

        An incident whose reports give no event fact (fact-less reports, quotes, situation figures) is
        hidden: not listed, since a fact-less article is seldom an event report, but kept so that a
        later report of the event can join it. `hidden=True` returns those too, each marked
        `"hidden": true`, for a store that must persist them between runs (an incremental run replays
        stored incidents only: a hidden incident not written would be lost, with its articles)."""
        out = []
        for inc in self._incidents.values():
            listed = inc.eventful or self.settings.open_eventless
            if listed or hidden:
                record = records.build(inc.id, inc.members, self._copies.source_of, self._cues)
                if not listed:
                    record["hidden"] = True
                out.append(record)
        return out

    def links(self) -> list[Link]:
        return list(self._links)

    def refusals(self) -> list[Refusal]:
        return list(self._refusals)

    def incident_of(self, article_id: str) -> list[str]:
        """The incidents an article's facts joined (its main one first)."""
        return list(self._of_article.get(article_id, ()))


def _filing_keys(m: Mention, rare: Callable[[Iterable[str]], set]) -> list[tuple[str, int | None]]:
    """The candidate index entries a mention files its incident under (`Linker._candidates` looks them up).
    Rare-word keys only for the lead words `rare` (`Rarity.rare`) keeps: `_candidates` looks up no
    other (`Mention.rare` is a part of them), and most lead words are common."""
    out: list[tuple[str, int | None]] = []
    places = sorted(m.towns | m.areas)
    published = day_number(m.published)
    if published is not None:
        out += [("r:" + t, published) for t in sorted(rare(m.lead))]
    if m.day is not None:
        out += [(key, d) for key in places + ["e:" + t for t in sorted(m.lead)] for d in range(m.day[0], m.day[1] + 1)]
    for key in places:
        out.append(("t:" + key, None))
        if m.day is None:
            out.append(("u:" + key, None))
    out += [("p:" + name, None) for name in sorted(m.names)]
    return out


def link_articles(articles: Iterable[LinkArticle], settings: LinkSettings | None = None,
                  constraints: Iterable[Constraint] = (),
                  progress: Callable[[int], None] | None = None) -> Linker:
    """Link a whole collection in the rebuild order, (published, id): same input, same incidents and ids."""
    linker = Linker(settings, constraints)
    ordered = sorted(articles, key=lambda a: (a.published or "", a.id))
    linker.add_many(ordered, progress)
    return linker
