"""Ingest on a Dask cluster (`warmonitor ingest --dask ADDRESS|local:N`): archives extracted on many machines.

The inputs (folders, `.jsonl`/`.jsonl.gz` shards, Parquet files of articles) are cut into partitions
(read/archives.py); each is a dask.distributed task that extracts it on a worker (usecases/cluster_worker.py)
and writes its facts as Parquet, partitioned by country and month, to the output folder
(usecases/cluster_output.py). This process, the only writer, loads each partition into the store in
input order as soon as it and those before it are done, while the workers go on: so the store ends up as
a single `warmonitor ingest` of the same inputs leaves it. The incidents are linked once at the end
(usecases/link.py).

Resuming: the manifest in the output folder lists the partitions loaded into each database; a re-run
skips them, and loads without extracting again those whose files are written. A worker killed mid-task
loses nothing: Dask runs the task again on another worker (it writes the same file names, after
removing what the killed try left), and loading is idempotent.

dask.distributed is an optional extra (`pip install 'warmonitor[dask]'`), imported only here, when asked for.
"""
from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from warmonitor.read.archives import partition_inputs
from warmonitor.read.common import normalise_date
from warmonitor.store.engine import masked
from warmonitor.usecases.cluster_output import (append_manifest, loaded_results, manifest_entries, read_marker,
                                                remove_partition)
from warmonitor.usecases.ingest import IngestSummary, is_url

if TYPE_CHECKING:
    from warmonitor.link.linker import LinkSettings
    from warmonitor.store import Store

INSTALL = "pip install 'warmonitor[dask]'"
TASK_PREFIX = "warmonitor-extract-"
RETRIES = 3  # a task that raises is tried again this often; a worker that dies is Dask's allowed-failures


class ClusterError(ValueError):
    """A cluster run that cannot start (no dask, a scheduler not reached, an input no worker can read):
    one line, naming what."""


@dataclass
class ClusterSummary(IngestSummary):
    """`IngestSummary` plus the partitions: in all, found done in the manifest, extracted now, loaded now."""

    partitions: int = 0
    partitions_done_before: int = 0
    partitions_extracted: int = 0
    partitions_loaded: int = 0


OnPartition = Callable[[str, dict[str, Any]], None]


def cluster_ingest(store: Store, inputs: Sequence[str], *, scheduler: str | None = None, client: Any = None,
                   out: str | Path, files_per_partition: int = 200, rows_per_partition: int = 10_000,
                   published: str | None = None, outlet: str | None = None, time_budget: float | None = None,
                   batch_size: int = 500, link: bool = True, link_settings: LinkSettings | None = None,
                   on_partition: OnPartition | None = None) -> ClusterSummary:
    """Ingest `inputs` on the cluster at `scheduler` (a scheduler address, or `local:N` for N local worker
    processes) or on `client` (a `distributed.Client` the caller owns), writing Parquet under `out`.

    `on_partition(label, marker)` hears of each partition loaded. Raises `ClusterError` (one line) for
    what stops the run before it starts; an input that cannot be read is skipped with its line, as ingest does."""
    _need_distributed()
    from warmonitor.usecases.cluster_worker import PLUGIN, RunSettings, WarmonitorPlugin, extract_partition

    for given in inputs:
        if given == "-" or is_url(given):
            raise ClusterError(f"{given}: --dask reads files and folders (shards, Parquet), not standard input "
                               "or URLs; ingest those without --dask")
    if published is not None and str(published).strip() and normalise_date(published) is None:
        raise ClusterError(f"--published: {published!r} is not a date; give it as YYYY-MM-DD")
    out = Path(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ClusterError(f"{out}: cannot make the output folder ({exc.strerror or exc})") from exc
    summary = ClusterSummary()
    partitions = partition_inputs(list(inputs), files=files_per_partition, rows=rows_per_partition,
                                  leave_out=str(out))
    summary.partitions = len(partitions)
    database = masked(store.url)
    done = manifest_entries(out, database)
    todo = [p for p in partitions if p.id not in done]
    summary.partitions_done_before = len(partitions) - len(todo)
    run = RunSettings(db=store.url, out=str(out.resolve()), published=published, outlet=outlet,
                      time_budget=time_budget)
    owned = None
    if client is None:
        owned = client = connect(scheduler)
    try:
        client.register_plugin(WarmonitorPlugin(), name=PLUGIN)  # idempotent: kept where registered
        tag = uuid.uuid4().hex[:8]
        futures = {}
        for partition in todo:
            if read_marker(out, partition.id) is None:
                futures[partition.id] = client.submit(extract_partition, partition, run, retries=RETRIES, pure=False,
                                                      key=f"{TASK_PREFIX}{partition.id}-{tag}")
        summary.partitions_extracted = len(futures)
        for partition in todo:  # loaded in input order, while the workers extract the rest
            future = futures.pop(partition.id, None)
            try:
                marker = future.result() if future is not None else read_marker(out, partition.id)
            except Exception as exc:  # a partition that failed for good: named, left for the next run
                summary.skipped.append((partition.label, f"{partition.label}: not extracted "
                                                         f"({type(exc).__name__}: {exc}); run again to retry it"))
                continue
            finally:
                if future is not None:
                    future.release()
            if marker is None:  # its files went away between the check and now
                remove_partition(out, partition.id)
                summary.skipped.append((partition.label, f"{partition.label}: its output files are gone; "
                                                         "run again to extract it"))
                continue
            _load(store, out, marker, database, batch_size, summary)
            if on_partition:
                on_partition(partition.label, marker)
    finally:
        if owned is not None:
            _close(owned)
    if link and (summary.new or summary.updated):
        from warmonitor.usecases.link import link_incidents

        summary.linked = link_incidents(store, settings=link_settings).articles
    return summary


def _load(store: Store, out: Path, marker: dict[str, Any], database: str, batch_size: int,
          summary: ClusterSummary) -> None:
    """One extracted partition into the store, then its manifest line (after the commit: see the module)."""
    summary.read += marker["read"]
    summary.unchanged += len(marker["unchanged_hashes"])
    summary.skipped.extend((source, message) for source, message in marker["skipped"])
    saved = store.save(loaded_results(out, marker), extractor_version=marker["extractor_version"],
                       batch_size=batch_size)
    store.mark_seen(marker["unchanged_hashes"])
    summary.add_saved(saved)
    summary.partitions_loaded += 1
    append_manifest(out, {"partition": marker["partition"], "label": marker["label"], "db": database,
                          "new": saved.new, "updated": saved.updated, "unchanged": saved.unchanged,
                          "facts": saved.facts_stored})


def _need_distributed() -> None:
    try:
        import distributed  # noqa: F401
    except ImportError as exc:
        raise ClusterError(f"--dask needs dask.distributed: {INSTALL}") from exc


def connect(scheduler: str | None):
    """A `distributed.Client` for a scheduler address, or for a new LocalCluster of N worker processes
    (`local:N`, one thread each: extraction holds the GIL)."""
    _need_distributed()
    from distributed import Client, LocalCluster

    if not scheduler:
        raise ClusterError("--dask needs a scheduler address (tcp://host:8786) or local:N")
    if scheduler.startswith("local:"):
        try:
            workers = int(scheduler.split(":", 1)[1])
        except ValueError:
            workers = 0
        if workers < 1:
            raise ClusterError(f"--dask {scheduler}: give local:N with N the number of worker processes (1 or more)")
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                               silence_logs=logging.ERROR)  # Dask's own notices are not the user's business
        return Client(cluster)
    try:
        return Client(scheduler, timeout=30)
    except OSError as exc:
        raise ClusterError(f"--dask {scheduler}: cannot reach the scheduler ({exc}); start dask-scheduler "
                           "there, or check the address") from exc


def _close(client) -> None:
    cluster = getattr(client, "cluster", None)
    client.close()
    if cluster is not None:
        cluster.close()
