"""Throughput of extraction with --jobs 1 and --jobs N over the same generated articles, and their ratio.

Articles come from bench/generate_articles.py (invented, deterministic). Jobs 1 is `Pipeline` in this
process (what `--jobs 1` runs); jobs N is `PipelinePool(N)` (what `--jobs N` runs: N worker processes,
this process reading and yielding results in input order). Both are warmed up first (the language data
loaded, the pool's workers started, on `--warmup` articles) so the figures are the steady rate; the
pool's start-up (to its first result) is reported apart. Each rate is the median of `--repeat` runs of
wall time: parallel speed-up only shows in wall time, so on a shared machine other processes depress
the ratio. The load average before and after is printed beside it; read the ratio with it.

    python bench/scale_jobs.py                      # 120 articles x ~400 words, jobs 1 vs 2, 3 runs
    python bench/scale_jobs.py --articles 300 --jobs 4

`rows(args)` gives (measure, figure, note) rows for a table of all scale benchmarks; `main()` prints them.
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

TARGET_RATIO_2 = 1.8  # issue 13: >= 1.8x the one-job throughput with 2 jobs on 2 cores


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=120, help="articles per run (default 120)")
    parser.add_argument("--words", type=int, default=400, help="words per article (default 400)")
    parser.add_argument("--jobs", type=int, default=2, help="jobs compared with one (default 2)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each; the median is reported (default 3)")
    parser.add_argument("--warmup", type=int, default=20, help="articles extracted before timing (default 20)")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--ingest", action="store_true",
                        help="also ingest the articles into a new SQLite store with each (one run each)")
    return parser


def articles(count: int, words: int, seed: int) -> list:
    from generate_articles import generate_texts

    from warmonitor.model import Article

    return [Article(id=f"gen-{i:05d}", text=text, published="2024-03-01", source=f"gen-{i:05d}")
            for i, text in enumerate(generate_texts(count, words=words, seed=seed))]


def timed(pipeline, batch: list) -> tuple[float, float, float]:
    """Wall seconds, this process's CPU seconds and the workers' CPU seconds of one run over `batch`."""
    workers_before = workers_cpu(pipeline)
    started, cpu = time.perf_counter(), time.process_time()
    for _ in pipeline.extract_many(batch):
        pass
    return time.perf_counter() - started, time.process_time() - cpu, workers_cpu(pipeline) - workers_before


def workers_cpu(pipeline) -> float:
    """CPU seconds the pool's worker processes have used (Linux /proc; 0 elsewhere or for one job)."""
    total = 0.0
    for worker in getattr(pipeline, "_workers", ()):
        try:
            fields = Path(f"/proc/{worker.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError, IndexError):
            return 0.0
    return total


def rows(args: argparse.Namespace) -> list[tuple[str, str, str]]:
    from warmonitor.pipeline import Pipeline
    from warmonitor.pipeline_pool import PipelinePool

    batch = articles(args.articles, args.words, args.seed)
    warm = articles(max(args.warmup, 1), args.words, args.seed + 1)
    load_before = os.getloadavg()[0]
    one = Pipeline()
    timed(one, warm)
    pool = PipelinePool(args.jobs, start_after=1)
    started = time.perf_counter()
    first = next(iter(pool.extract_many(warm[:1])))
    start_up = time.perf_counter() - started
    assert first is not None
    try:
        timed(pool, warm)
        one_s, many_s = [], []
        for _ in range(args.repeat):  # alternated, so that a burst of load from elsewhere hits both
            one_s.append(timed(one, batch))
            many_s.append(timed(pool, batch))
        if args.ingest:
            ingest_run(one, warm[:4])  # the store's and the linker's imports, paid once by either
            ingested = [ingest_run(one, batch), ingest_run(pool, batch)]
    finally:
        pool.close()
    load_after = os.getloadavg()[0]
    rate_one = args.articles / statistics.median(run[0] for run in one_s)
    rate_many = args.articles / statistics.median(run[0] for run in many_s)
    ratio = rate_many / rate_one
    # CPU per article, which the load does not change: one job's, the pool's caller's and its workers'.
    # On idle cores the pool's rate is bounded by its busiest process: the ratio it would reach there.
    cpu_one = statistics.median(run[1] for run in one_s) / args.articles
    cpu_main = statistics.median(run[1] for run in many_s) / args.articles
    cpu_workers = statistics.median(run[2] for run in many_s) / args.articles
    cores = os.cpu_count() or 1
    idle_ratio = (cpu_one / max(cpu_main, cpu_workers / args.jobs, (cpu_main + cpu_workers) / cores)
                  if cpu_workers else float("nan"))
    machine = f"{os.cpu_count()} CPUs, load {load_before:.1f} -> {load_after:.1f}"
    runs = f"median of {args.repeat}, {args.articles} articles x ~{args.words} words, wall time"
    table = []
    if args.ingest:
        (wall_1, cpu_1, _), (wall_n, cpu_n, workers_n) = ingested
        table += [
            ("ingest --jobs 1", f"{args.articles / wall_1:.1f} articles/s",
             f"one run, new SQLite store, linking on; {1000 * cpu_1 / args.articles:.1f} ms CPU per article"),
            (f"ingest --jobs {args.jobs}", f"{args.articles / wall_n:.1f} articles/s",
             f"one run; {1000 * workers_n / args.articles:.1f} ms CPU per article in the workers + "
             f"{1000 * cpu_n / args.articles:.1f} ms in the caller (repair, hashing, storing, linking)"),
        ]
    return [
        ("extract --jobs 1", f"{rate_one:.1f} articles/s", runs),
        (f"extract --jobs {args.jobs}", f"{rate_many:.1f} articles/s", runs),
        (f"jobs {args.jobs} / jobs 1", f"{ratio:.2f}x",
         f"target >= {TARGET_RATIO_2}x with 2 jobs on 2 cores; {machine}"
         + ("; other processes share the cores: the ratio is depressed" if load_before > 1.5 else "")),
        ("CPU per article", f"{1000 * cpu_one:.1f} ms",
         f"jobs 1; jobs {args.jobs}: {1000 * cpu_workers:.1f} ms in the workers + {1000 * cpu_main:.1f} ms in the "
         "caller (reading, ordering, unpickling results)"),
        (f"jobs {args.jobs} / jobs 1 on idle cores", f"{idle_ratio:.2f}x",
         "from CPU time, which the load does not change: one job's CPU per article over the largest of the "
         f"caller's, the workers' / {args.jobs} and all of it / the cores"),
        ("cores obtained", f"{cpu_one * rate_one:.2f} / {(cpu_main + cpu_workers) * rate_many:.2f}",
         f"CPU seconds per wall second, jobs 1 / jobs {args.jobs}: what the scheduler gave (with "
         "sched_autogroup, every process of a session shares one share of a busy machine)"),
        (f"pool start-up ({args.jobs} workers)", f"{start_up:.1f} s", "spawn, import, load the language data; "
         "paid once per run of 16 or more articles"),
    ] + table


def ingest_run(pipeline, batch: list) -> tuple[float, float, float]:
    """`ingest_inputs` of `batch` (as a JSON Lines file) into a new SQLite store with `pipeline`: wall, the
    caller's CPU and the workers' CPU seconds."""
    import json
    import tempfile

    from warmonitor.store import Store
    from warmonitor.usecases.ingest import ingest_inputs

    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "articles.jsonl"
        source.write_text("".join(json.dumps({"id": a.id, "text": a.text, "published": a.published}) + "\n"
                                  for a in batch), encoding="utf-8")
        with Store(f"sqlite:///{folder}/bench.db") as store:
            store.upgrade()
            workers_before = workers_cpu(pipeline)
            started, cpu = time.perf_counter(), time.process_time()
            ingest_inputs(store, [str(source)], pipeline=pipeline)
            return time.perf_counter() - started, time.process_time() - cpu, workers_cpu(pipeline) - workers_before


def main(argv: list[str] | None = None) -> None:
    args = parser().parse_args(argv)
    print(f"# {platform.platform()}, python {platform.python_version()}, {os.cpu_count()} CPUs")
    table = rows(args)
    width = max(len(measure) for measure, _, _ in table)
    for measure, figure, note in table:
        print(f"{measure:<{width}}  {figure:>16}  {note}")


if __name__ == "__main__":
    main()
