"""Cluster ingest speed: `warmonitor ingest --dask local:N` over generated articles, 1 and 2 workers.

Prints one table (measure, figure, note); asserts nothing. Each LocalCluster's workers load the language
data before the clock starts (their plugin), so the figures are extraction, Parquet writing and loading
into a fresh SQLite store; linking is left out (it runs once, after, in the client: see usecases/link.py).
Wall time on a shared machine is noisy: the workers' CPU time (read from each worker process) gives the
per-worker rate an idle core would reach, and the load average is printed beside it.

    python bench/scale_dask.py                       # 400 articles of ~300 words, in 8 .jsonl.gz shards
    python bench/scale_dask.py --articles 2000 --workers 1 2 4

As a module: `rows(args)` returns the table's rows, for a scale benchmark that prints them with others.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate_articles import generate_texts  # noqa: E402


def parser() -> argparse.ArgumentParser:
    found = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    found.add_argument("--articles", type=int, default=400)
    found.add_argument("--words", type=int, default=300)
    found.add_argument("--shards", type=int, default=8, help=".jsonl.gz files the articles are written to")
    found.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="LocalCluster sizes to measure")
    found.add_argument("--seed", type=int, default=1)
    found.add_argument("--pg", default=None, help="an empty PostgreSQL database (URL) to time the load into as well")
    return found


def write_archive(folder: Path, articles: int, words: int, shards: int, seed: int) -> list[str]:
    texts = generate_texts(articles, words, seed=seed)
    paths = []
    for shard in range(shards):
        path = folder / f"shard-{shard:03d}.jsonl.gz"
        with gzip.open(path, "wt", encoding="utf-8") as handle:
            for number in range(shard, articles, shards):
                day = f"2024-{1 + number % 12:02d}-{1 + number % 28:02d}"
                handle.write(json.dumps({"id": f"bench-{number:06d}", "published": day, "text": texts[number]}) + "\n")
        paths.append(str(path))
    return paths


def load_only(folder: Path, workers: int, inputs: list[str], url: str | None = None) -> tuple[float, float, int]:
    """(seconds, this process's CPU seconds, articles) of loading the Parquet a run wrote into a fresh SQLite store: every partition is
    extracted already (its marker says so), so this is the client's single-writer rate, no worker at work."""
    from distributed import Client, LocalCluster

    from warmonitor.store import Store
    from warmonitor.usecases.cluster import cluster_ingest
    from warmonitor.usecases.cluster_worker import PLUGIN, WarmonitorPlugin

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as cluster, \
            Client(cluster) as client, Store(url or f"sqlite:///{folder / f'load-{workers}.db'}") as store:
        client.register_plugin(WarmonitorPlugin(), name=PLUGIN)  # before the clock, though no task will need it
        store.upgrade()
        started, cpu = time.perf_counter(), time.process_time()
        summary = cluster_ingest(store, inputs, client=client, out=folder / f"out-{workers}", link=False)
        return time.perf_counter() - started, time.process_time() - cpu, summary.new


def _rss() -> int:
    import psutil  # a dependency of distributed

    return psutil.Process().memory_info().rss


def measure(workers: int, inputs: list[str], folder: Path) -> tuple[float, float, int, int]:
    """(wall seconds, workers' CPU seconds, articles stored, the largest worker's resident memory in bytes)
    of one cluster ingest on `workers` processes."""
    from distributed import Client, LocalCluster

    from warmonitor.store import Store
    from warmonitor.usecases.cluster import cluster_ingest
    from warmonitor.usecases.cluster_worker import PLUGIN, WarmonitorPlugin

    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
    try:
        with Client(cluster) as client:
            client.register_plugin(WarmonitorPlugin(), name=PLUGIN)  # loads the language data, before the clock
            before = client.run(time.process_time)
            with Store(f"sqlite:///{folder / f'w{workers}.db'}") as store:
                store.upgrade()
                started = time.perf_counter()
                summary = cluster_ingest(store, inputs, client=client, out=folder / f"out-{workers}", link=False)
                wall = time.perf_counter() - started
            after = client.run(time.process_time)
            memory = max(client.run(_rss).values())
    finally:
        cluster.close()
    cpu = sum(after[address] - before.get(address, 0.0) for address in after)
    return wall, cpu, summary.new, memory


def rows(args: argparse.Namespace) -> list[tuple[str, str, str]]:
    load = os.getloadavg()
    out = [("machine", f"{platform.machine()}, {os.cpu_count()} cores", f"{platform.platform()}, python "
            f"{platform.python_version()}; load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} at start")]
    rates = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        inputs = write_archive(folder, args.articles, args.words, args.shards, args.seed)
        for workers in args.workers:
            wall, cpu, stored, memory = measure(workers, inputs, folder)
            rates[workers] = stored / wall
            out.append((f"dask local:{workers} articles/s", f"{stored / wall:.1f}",
                        f"{stored} articles of ~{args.words} words in {wall:.1f} s wall (extract, Parquet, load "
                        f"into SQLite); workers' CPU {cpu:.1f} s = {stored / cpu:.1f} articles per CPU-second per "
                        f"worker; largest worker {memory / 2**20:.0f} MiB; load average {os.getloadavg()[0]:.1f} after"))
        seconds, cpu, loaded = load_only(folder, args.workers[-1], inputs)
        out.append(("load only (client, SQLite) articles/s", f"{loaded / seconds:.1f}",
                    f"{loaded} articles from the Parquet files of local:{args.workers[-1]} into a fresh SQLite "
                    f"store in {seconds:.1f} s, {cpu:.1f} s CPU ({loaded / cpu:.0f} per CPU-second): the single writer"))
        if args.pg:
            seconds, cpu, loaded = load_only(folder, args.workers[-1], inputs, args.pg)
            out.append(("load only (client, PostgreSQL) articles/s", f"{loaded / seconds:.1f}",
                        f"the same into an empty PostgreSQL database (COPY) in {seconds:.1f} s, client CPU "
                        f"{cpu:.1f} s ({loaded / cpu:.0f} per CPU-second; the server's own CPU not counted)"))
    if 1 in rates and len(rates) > 1:
        for workers in sorted(rates):
            if workers != 1:
                out.append((f"dask local:{workers} / local:1", f"{rates[workers] / rates[1]:.2f}x",
                            "wall-clock ratio in the same run"))
    return out


def main() -> None:
    args = parser().parse_args()
    table = rows(args)
    width = max(len(measure) for measure, _, _ in table)
    for measure_, figure, note in table:
        print(f"{measure_:<{width}}  {figure:>14}  {note}")


if __name__ == "__main__":
    main()
