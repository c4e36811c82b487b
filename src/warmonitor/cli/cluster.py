"""`warmonitor ingest --dask`: the cluster ingest's arguments in, its one-line errors and summary out
(usecases/cluster.py does the work)."""
from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from warmonitor.cli.output import print_summary, skipped_printer
from warmonitor.model import ReadError

DASK_HELP = ("Extract on a Dask cluster: a scheduler address (tcp://host:8786) or local:N for N local worker "
             "processes; facts are written as Parquet under --out, then loaded (docs/scale.md).")
OUT_HELP = "With --dask: the folder (seen by every worker) for the Parquet facts and the manifest a re-run resumes from."


def ingest_on_cluster(store, inputs: list[str], *, scheduler: str, out: Path, err: Console, batch_size: int,
                      published: str | None, outlet: str | None, time_budget: float | None) -> None:
    from warmonitor.usecases.cluster import ClusterError, cluster_ingest

    print_skip = skipped_printer(err)

    def loaded(label: str, marker: dict) -> None:
        for source, message in marker["skipped"]:
            print_skip(ReadError(source, message))

    try:
        summary = cluster_ingest(store, inputs, scheduler=scheduler, out=out, batch_size=batch_size,
                                 published=published, outlet=outlet, time_budget=time_budget,
                                 on_partition=loaded)
    except ClusterError as exc:
        err.print(f"warmonitor: {exc}", markup=False)
        raise typer.Exit(2) from None
    print_summary(summary, err)
    err.print(f"partitions {summary.partitions}: {summary.partitions_done_before} done before (manifest), "
              f"{summary.partitions_extracted} extracted, {summary.partitions_loaded} loaded; Parquet under {out}",
              markup=False)
    if summary.read == 0 and summary.skipped:
        raise typer.Exit(1)
