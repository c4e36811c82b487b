"""Gazetteer benchmark: index size on disk, load time, name lookups per second, place finding speed.

    python bench/gazetteer_speed.py            # figures as text
    python bench/gazetteer_speed.py --json     # one JSON object

Load time is that of a fresh `Gazetteer()` up to the answer of its first lookup (the shipped index,
the curated places; no user imports), median of --repeat runs; memory is what one more such load
holds afterwards and at its peak (tracemalloc, Python allocations; run apart from the timings, which
tracing would slow). `--load-only` stops there. Lookups: `Gazetteer.lookup(name)` and
`Gazetteer.resolve(name, country)` over names as news prints them (tests/data/geocoding_cases.csv)
and names drawn from the index, in a fixed shuffled order; each name is normalised afresh on every
call (nothing caches it). Place finding: `PlaceFinder.find` over whole synthetic articles
(bench/generate_articles.py), tokens per second. Nothing here asserts: it prints figures.
"""
from __future__ import annotations

import argparse
import csv
import gzip
import json
import random
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
TARGET_LOOKUPS_PER_S = 50_000  # the issue: >= 50,000 name lookups per second


def names_to_look_up(n: int, seed: int = 7) -> list[tuple[str, str]]:
    from warmonitor.data_files import data_path

    cases = [(r["text"], r["country"]) for r in csv.DictReader(
        (ROOT / "tests" / "data" / "geocoding_cases.csv").open(encoding="utf-8"))]
    with gzip.open(data_path("gazetteer/places.tsv.gz"), "rt", encoding="utf-8") as f:
        rows = [line.split("\t", 10) for line in f if not line.startswith("#")]
    rng = random.Random(seed)
    picked = rng.sample(rows, min(n, len(rows)))
    names = [(r[9], r[3]) for r in picked] + cases * max(1, n // (4 * len(cases)))
    rng.shuffle(names)
    return names[:n]


def load_memory() -> tuple[float, float]:
    """MB held by a freshly loaded Gazetteer, and the peak while loading."""
    from warmonitor.resolve.gazetteer import Gazetteer

    tracemalloc.start()
    gaz = Gazetteer(user_dir=False)
    gaz.lookup("Aleppo")
    held, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del gaz
    return round(held / 1e6, 1), round(peak / 1e6, 1)


def bench(repeat: int, n_names: int, n_articles: int, load_only: bool = False) -> dict:
    from warmonitor.data_files import data_path
    from warmonitor.resolve.gazetteer import Gazetteer
    from warmonitor.resolve.places import PlaceFinder

    folder = data_path("gazetteer")
    sizes = {p.name: p.stat().st_size for p in sorted(folder.iterdir())}
    sizes["places_curated.jsonl"] = data_path("places_curated.jsonl").stat().st_size
    loads = []
    for _ in range(repeat):
        t = time.perf_counter()
        gaz = Gazetteer(user_dir=False)
        gaz.lookup("Aleppo")
        loads.append(time.perf_counter() - t)
    held, peak = load_memory()
    loaded = {"index_bytes": sizes, "index_total_mb": round(sum(sizes.values()) / 1e6, 2),
              "entries": len(gaz), "keys": len(gaz._index), "load_s_median": round(statistics.median(loads), 3),
              "load_s_min_max": [round(min(loads), 3), round(max(loads), 3)], "load_mb_held": held,
              "load_mb_peak": peak}
    if load_only:
        return loaded
    names = names_to_look_up(n_names)
    lookup_rates, resolve_rates = [], []
    for _ in range(repeat):
        t = time.perf_counter()
        for name, _cc in names:
            gaz.lookup(name)
        lookup_rates.append(len(names) / (time.perf_counter() - t))
        t = time.perf_counter()
        for name, cc in names:
            gaz.resolve(name, cc)
        resolve_rates.append(len(names) / (time.perf_counter() - t))
    found = sum(1 for name, _ in names if gaz.lookup(name))

    from generate_articles import generate_texts
    from warmonitor.nlp.pipeline import build_language
    from warmonitor.nlp.tokens import TokenView

    nlp = build_language()
    views = [TokenView(nlp(text)) for text in generate_texts(n_articles)]
    tokens = sum(len(v) for v in views)
    find_rates = []
    for _ in range(repeat):
        finder = PlaceFinder(gaz)  # a fresh span cache each run
        t = time.perf_counter()
        mentions = sum(len(finder.find(v, 0, len(v), "SY")) for v in views)
        find_rates.append(tokens / (time.perf_counter() - t))
    return {
        **loaded, "names": len(names), "names_found": found,
        "lookups_per_s_median": round(statistics.median(lookup_rates)),
        "resolves_per_s_median": round(statistics.median(resolve_rates)),
        "lookups_target": TARGET_LOOKUPS_PER_S,
        "find_tokens_per_s_median": round(statistics.median(find_rates)), "find_articles": len(views),
        "find_tokens": tokens, "find_mentions": mentions, "python": sys.version.split()[0],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--names", type=int, default=50_000)
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--load-only", action="store_true", help="only the index size, load time and memory")
    args = parser.parse_args()
    r = bench(args.repeat, args.names, args.articles, args.load_only)
    if args.json:
        print(json.dumps(r, indent=2))
        return 0
    files = ", ".join(f"{k} {v / 1e6:.2f} MB" for k, v in r["index_bytes"].items())
    print(f"index on disk: {r['index_total_mb']} MB ({files})")
    print(f"entries: {r['entries']:,}, keys: {r['keys']:,}")
    print(f"load (fresh Gazetteer to first answer): median {r['load_s_median']} s, min/max {r['load_s_min_max']}")
    print(f"memory of a loaded Gazetteer: {r['load_mb_held']} MB held, {r['load_mb_peak']} MB peak while loading")
    if args.load_only:
        return 0
    print(f"lookup(): {r['lookups_per_s_median']:,} names/s (target >= {TARGET_LOOKUPS_PER_S:,}); "
          f"resolve(name, country): {r['resolves_per_s_median']:,}/s; {r['names_found']:,} of {r['names']:,} found")
    print(f"PlaceFinder.find: {r['find_tokens_per_s_median']:,} tokens/s over {r['find_articles']} articles "
          f"({r['find_tokens']:,} tokens, {r['find_mentions']} mentions)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
