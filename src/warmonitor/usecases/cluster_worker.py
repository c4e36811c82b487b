"""What runs on a Dask worker for `warmonitor ingest --dask`: one partition read, extracted and written.

Each worker process builds one `Pipeline` (spaCy, the gazetteer, the word lists: seconds to load) and
reuses it for every partition it is given; it lives on a worker plugin (`WarmonitorPlugin`), that is on
the Dask worker object, never in a warmonitor module. The plugin also keeps one read-only `Store` per
database URL, to skip what is stored before extracting it, as `warmonitor ingest` does
(`Store.prior_version`: an unchanged article is not extracted, a new version of one is extracted with the
stored metadata filling in what its input lacks).

This module imports dask.distributed at the top: only usecases/cluster.py imports it, and only once
the dask extra is known to be installed.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from distributed import WorkerPlugin, get_worker

from warmonitor.model import ReadError
from warmonitor.pipeline import Pipeline, failure
from warmonitor.read.archives import Partition, read_partition
from warmonitor.store import Store, content_hash
from warmonitor.store.versions import merged
from warmonitor.usecases.cluster_output import read_marker, write_marker, write_partition
from warmonitor.usecases.version import extractor_version

PLUGIN = "warmonitor"


@dataclass(frozen=True)
class RunSettings:
    """What every partition of one run shares (sent with each task: small, and picklable)."""

    db: str  # the store's URL, unmasked: workers open it to skip stored articles
    out: str  # the output folder, seen by the client and every worker alike
    published: str | None = None
    outlet: str | None = None
    time_budget: float | None = None


class WarmonitorPlugin(WorkerPlugin):
    """Per worker process: the loaded language data, the extractor version, a Store per database URL.
    Idempotent: registering it again (the next run on the same cluster) keeps the one loaded."""

    idempotent = True

    def __init__(self) -> None:
        self._base: Pipeline | None = None
        self._version: str | None = None
        self._stores: dict[str, Store] = {}

    def setup(self, worker) -> None:
        self._base = Pipeline()
        self._base.resources  # noqa: B018 - load now, once, not inside the first partition's timing

    def teardown(self, worker) -> None:
        for store in self._stores.values():
            store.close()
        self._stores.clear()

    def pipeline(self, time_budget: float | None) -> Pipeline:
        """A pipeline with this run's time budget over the worker's one set of loaded resources."""
        if self._base is None:
            self._base = Pipeline()
        return Pipeline(time_budget=time_budget, _resources=self._base.resources)

    def version(self) -> str:
        if self._version is None:
            self._version = extractor_version()
        return self._version

    def store(self, url: str) -> Store:
        if url not in self._stores:
            self._stores[url] = Store(url, create=False)
        return self._stores[url]


def extract_partition(partition: Partition, run: RunSettings) -> dict[str, Any]:
    """Extract one partition on this worker and write it to the output folder; returns its marker
    (what the client loads: the files, the counts, the content hashes found unchanged, the inputs skipped).

    A partition whose marker is there already (a try that finished before its worker died) is not
    extracted again."""
    out = Path(run.out)
    done = read_marker(out, partition.id)
    if done is not None:
        return done
    plugin: WarmonitorPlugin = get_worker().plugins[PLUGIN]
    pipeline, store = plugin.pipeline(run.time_budget), plugin.store(run.db)
    read, unchanged, skipped = 0, [], []

    def to_extract():
        nonlocal read
        repairer = pipeline.resources.repairer
        for item in read_partition(partition, published=run.published, outlet=run.outlet):
            if isinstance(item, ReadError):
                skipped.append((item.source or "?", item.message))
                continue
            read += 1
            try:
                repaired = repairer.repair(item.text)
            except Exception as exc:  # a bug must cost one article, never the partition
                error = failure(item, "text repair", exc)
                skipped.append((error.source, error.message))
                continue
            hash_ = content_hash(repaired.text)
            prior = store.prior_version(item, hash_)
            if prior.unchanged:
                unchanged.append(hash_)
                continue
            yield merged(item, prior.previous), repaired

    results = []
    for result in pipeline.extract_repaired(to_extract()):
        if isinstance(result, ReadError):
            skipped.append((result.source or "?", result.message))
        else:
            results.append(result)
    files = write_partition(out, partition.id, results)
    marker = {"partition": partition.id, "label": partition.label, "read": read, "unchanged_hashes": unchanged,
              "skipped": skipped, "articles": len(results), "facts": sum(len(r.facts) for r in results),
              "files": files, "extractor_version": plugin.version()}
    write_marker(out, partition.id, marker)
    return marker
