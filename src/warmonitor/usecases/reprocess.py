"""Reprocess: every stored article extracted again from its stored text, after an upgrade of the extractor."""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from warmonitor.model import ReadError
from warmonitor.pipeline import Pipeline
from warmonitor.store import Store
from warmonitor.usecases.version import extractor_version

if TYPE_CHECKING:
    from warmonitor.pipeline_pool import PipelinePool

log = logging.getLogger(__name__)


@dataclass
class ReprocessSummary:
    """How many articles got new facts, under which extractor version; `failed`: those that kept their old ones."""

    reprocessed: int
    extractor_version: str
    failed: list[ReadError] = field(default_factory=list)
    incidents: int | None = None  # incidents stored after linking again (None: not linked)


def reprocess_articles(store: Store, *, pipeline: Pipeline | PipelinePool | None = None,
                       progress: Callable[[int, int], None] | None = None,
                       on_error: Callable[[ReadError], None] | None = None, link: bool = True) -> ReprocessSummary:
    """Re-extract every current article (no refetching) and replace its facts; analysts' reviews are kept.
    With `link` (the default) the incidents are then built again from the new facts (`link --rebuild`),
    analysts' merge and split decisions applied again.

    `progress(done, total)` after each article; an article that fails keeps its facts and goes to
    `on_error` as it happens (default: a logged warning) and into the summary's `failed`."""
    version = extractor_version()
    failed: list[ReadError] = []

    def failing(error: ReadError) -> None:
        failed.append(error)
        if on_error:
            on_error(error)
        else:
            log.warning("%s", error.message)

    # a pool of workers drains between batches (results in order): give each worker a few dozen articles
    batch_size = 50 * getattr(pipeline, "jobs", 1)
    done = store.reprocess(pipeline or Pipeline(), extractor_version=version, batch_size=batch_size,
                           progress=progress, on_error=failing)
    summary = ReprocessSummary(done, version, failed)
    if link:
        from warmonitor.usecases.link import link_incidents

        summary.incidents = link_incidents(store, rebuild=True).incidents
    return summary
