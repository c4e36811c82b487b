"""Link: stored facts into incidents (one record per event across all its reports), kept in the store.

Incremental by default: only the articles not linked yet are linked, each batch against the stored
incidents filed under the keys its articles would be looked up under (store/incidents.py, `link_state`),
whose stored reports are restored into them without scoring (`Linker.restore`), one transaction per
batch: as a rebuild would have linked them, since lead-word rarity does not depend on the run either. `rebuild` links every
current article again in (publication day, key) order in one run and replaces all incidents in one
transaction: the same facts and decisions give the same incidents, with the same ids. Either way a
crash leaves the store as the last committed batch left it, and running again finishes the work.

Two runs at once (two ingests) each check, when they write, that the other has not linked the same
articles or incidents since they read them; one that finds so reads and links its batch again.

Analysts' merge and split decisions (`Store.decide_incidents`) are given to the linker as constraints
on every run, so neither `link --rebuild` nor `reprocess` undoes them.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from warmonitor.store.incidents import LinkConflict, LinkState, chunks, link_order

if TYPE_CHECKING:
    from warmonitor.link.linker import LinkSettings
    from warmonitor.store import Store

Progress = Callable[[int, int], None]
BATCH = 200  # unlinked articles linked (and committed) together
DEFAULT_WINDOW = 7  # days around a new article within which stored incidents are replayed
ATTEMPTS = 5  # a batch another linking run (a second ingest at once) got to first is read and linked again


@dataclass
class LinkSummary:
    """What one linking run did: articles linked (the stored ones it replayed aside), incidents written
    (new or changed), removed and stored in all after it."""

    articles: int = 0
    incidents_written: int = 0
    incidents_removed: int = 0
    incidents: int = 0
    rebuilt: bool = False

    def __str__(self) -> str:
        how = "re-linked" if self.rebuilt else "linked"
        return (f"{how} {self.articles} articles: {self.incidents_written} incidents new or changed, "
                f"{self.incidents_removed} removed, {self.incidents} incidents stored")


def link_incidents(store: Store, *, rebuild: bool = False, settings: LinkSettings | None = None,
                   progress: Progress | None = None, batch_size: int = BATCH) -> LinkSummary:
    """Link the store's unlinked articles into incidents (every article with `rebuild`), as
    `warmonitor link` does. `settings`: the linker's (`warmonitor.link.linker.LinkSettings`; default
    its defaults). `progress(done, total)` after each article the run links."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    constraints = store.incident_constraints()
    summary = LinkSummary(rebuilt=rebuild)
    order = store.articles_to_link(everything=rebuild)
    total = len(order)
    if rebuild:
        state = store.rebuild_state()
        linker = _linker(settings, constraints)
        done = 0
        for part in chunks(order, batch_size):
            for article in state.cover(store.link_inputs([row_id for _, row_id in part], summaries=True)):
                linker.add(article, state.summaries.pop(article.id, None))
                done += 1
                if progress:
                    progress(done, total)
        _write(store, state, linker, summary)
        summary.articles = total
    else:
        window = _window(settings)
        done = 0
        for part in chunks(order, batch_size):
            row_ids = [row_id for _, row_id in part]
            for attempt in range(1, ATTEMPTS + 1):
                if not row_ids:
                    break
                batch = store.link_inputs(row_ids)
                linker = _linker(settings, constraints)
                keys = set().union(*(linker.lookup_keys(found.article) for found in batch))
                state = store.link_state(batch, days=window, keys=keys, max_block=linker.settings.max_block)
                restored = _replay(linker, state)
                try:
                    _write(store, state, linker, summary, restored)
                    break
                except LinkConflict:
                    if attempt == ATTEMPTS:
                        raise
                    still = {row_id for _, row_id in store.articles_to_link()}
                    row_ids = [row_id for row_id in row_ids if row_id in still]  # the others were linked
            done += len(part)
            summary.articles += len(row_ids)
            if progress:
                progress(done, total)
    summary.incidents = store.incident_count()
    return summary


def _linker(settings: Any, constraints: list) -> Any:
    from warmonitor.link.linker import Linker  # the linking stage loads its own data: only when linking

    return Linker(settings=settings, constraints=tuple(constraints))


def _window(settings: Any) -> int:
    """Days around a new article within which stored incidents are replayed: twice the linker's own
    day window (an incident's span may lie on either side of the article's day), a week by default."""
    found = getattr(settings, "day_window", None) if settings is not None else None
    if found is None:
        from warmonitor.link.linker import LinkSettings

        found = getattr(LinkSettings(), "day_window", None)
    return max(DEFAULT_WINDOW, 2 * int(found) + 1) if isinstance(found, (int, float)) else DEFAULT_WINDOW


def _replay(linker: Any, state: LinkState) -> set[str]:
    """Give the linker the run's articles in linking order: the stored ones that come before the batch's
    first article are filed into their stored incidents without scoring (`Linker.restore`: what a rebuild
    decided for them cannot change, nothing new came before them); the rest, the batch and any stored
    article after its first one (a late report of earlier days), are linked again. Returns the keys restored."""
    batch = {a.id for a in state.batch}
    ordered = sorted(state.warm + state.batch, key=lambda a: link_order(a.id, a.published))
    first = next((i for i, a in enumerate(ordered) if a.id in batch), len(ordered))
    for article in ordered[:first]:
        linker.restore(article, state.known.get(article.id, {}), state.member_of.get(article.id, ()),
                       state.summaries.get(article.id))
    for article in ordered[first:]:
        linker.add(article, state.summaries.get(article.id))
    return {a.id for a in ordered[:first]}


def _write(store: Store, state: LinkState, linker: Any, summary: LinkSummary, restored: set[str] = frozenset()
           ) -> None:
    # hidden incidents too: stored, they are replayed by the next incremental run (a report of the event
    # may join them), where a rebuild would have kept them in memory. Restored articles keep their stored
    # rows, refusals included (they were not scored again); those of incidents this run no longer has go
    # with them. The articles it had to split get their comparison summaries stored: the next runs replay
    # them without.
    records = linker.incidents(hidden=True)
    written = store.write_links(state, records, linker.links(), linker.refusals(), linker.keys,
                                linker.fresh_summaries(), restored)
    summary.incidents_written += written.written
    summary.incidents_removed += written.removed
