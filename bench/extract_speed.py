"""Extraction speed benchmark: warmonitor's Pipeline against spaCy's bare English tokenizer.

Generates deterministic synthetic wire-style articles (bench/generate_articles.py), then in one process,
pinned to one CPU where the OS allows it:

  (a) spacy.blank("en") tokenizing the texts (nlp.pipe, batch 64): articles/s, words/s
  (b) warmonitor extraction, list(Pipeline().extract_many(articles)): articles/s, words/s
      (the Pipeline is built and warmed up on a few articles first; load time is reported apart)
  (c) peak memory: ru_maxrss after each stage; optionally (--tracemalloc) the Python-heap peak of
      one extraction pass over a subset, in a separate, untimed pass
  (d) the ratio of extraction to tokenizer speed
  and, for reference, warmonitor's own spaCy pipeline (no repair, no extraction) on the same texts.

Each timed measurement is repeated --repeat times; the median and min/max are printed. "words" are
whitespace-separated words of the article text. Nothing here asserts: it prints figures.

    python bench/extract_speed.py                     # defaults: 2000 articles x ~700 words, 3 repeats
    python bench/extract_speed.py --repeat 5 --json   # figures as one JSON object
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate_articles import generate_texts  # noqa: E402

TARGET_ARTICLES_PER_S = 200.0  # the issue: >= 200 articles/s on one core
TARGET_RATIO = 0.5  # the issue: at least half the bare tokenizer's speed
TARGET_RESOLUTION_COST = 0.30  # issue 3: resolution costs at most 30 % of extract's articles/s
WARMUP_ARTICLES = 8


def pin_to_one_cpu(cpu: int | None = None) -> str:
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (os.sched_setaffinity unavailable on this platform)"
    try:
        allowed = sorted(os.sched_getaffinity(0))
        chosen = allowed[0] if cpu is None else cpu
        os.sched_setaffinity(0, {chosen})
        return f"pinned to CPU {chosen} (of allowed {allowed})"
    except OSError as exc:
        return f"not pinned ({exc})"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def loadavg() -> list[float] | None:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def maxrss_mib() -> float:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024  # bytes on macOS, KiB on Linux


def summary(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def time_runs(fn, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return times


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=2000, help="number of articles (default 2000)")
    ap.add_argument("--words", type=int, default=700, help="approximate words per article (default 700)")
    ap.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    ap.add_argument("--repeat", type=int, default=3, help="timed repetitions of each measurement (default 3)")
    ap.add_argument("--tracemalloc", type=int, default=0, metavar="N",
                    help="also run one untimed extraction pass over the first N articles under tracemalloc")
    ap.add_argument("--cpu", type=int, default=None, help="CPU to pin to (default: the first one allowed)")
    ap.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    args = ap.parse_args(argv)

    pinning = pin_to_one_cpu(args.cpu)
    load_before = loadavg()

    import spacy

    from warmonitor.model import Article
    from warmonitor.pipeline import Pipeline

    info = {
        "platform": platform.platform(),
        "cpu": cpu_model(),
        "cpus_online": os.cpu_count(),
        "pinning": pinning,
        "python": sys.version.split()[0],
        "spacy": spacy.__version__,
    }

    t0 = time.perf_counter()
    texts = generate_texts(args.articles, args.words, args.seed)
    gen_s = time.perf_counter() - t0
    articles = [Article(id=f"bench-{i:05d}", text=t, source=f"generated:{i}") for i, t in enumerate(texts)]
    n_words = sum(len(t.split()) for t in texts)
    n_chars = sum(len(t) for t in texts)
    rss_after_gen = maxrss_mib()

    # (b, load) build the warmonitor pipeline first, so its load time is a cold one (spaCy's English data
    # not yet loaded by the tokenizer stage)
    t0 = time.perf_counter()
    pipeline = Pipeline()
    _ = pipeline.resources  # the lazy load
    load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    warm = list(pipeline.extract_many(articles[:WARMUP_ARTICLES]))
    warm_s = time.perf_counter() - t0
    del warm
    rss_after_load = maxrss_mib()

    # (a) the bare tokenizer
    tok = spacy.blank("en")
    for _ in tok.pipe(texts[:WARMUP_ARTICLES], batch_size=64):
        pass
    n_tokens = 0

    def tokenize() -> None:
        nonlocal n_tokens
        n_tokens = sum(len(doc) for doc in tok.pipe(texts, batch_size=64))

    tok_times = time_runs(tokenize, args.repeat)
    rss_after_tok = maxrss_mib()
    del tok
    gc.collect()

    # (a2) for reference: warmonitor's own spaCy pipeline alone (tokenizer, sentencizer, line breaks,
    # lemma NORMs), without text repair or extraction -- the ceiling extraction could reach
    nlp = pipeline.resources.nlp

    def nlp_only() -> None:
        for _ in nlp.pipe(texts, batch_size=pipeline.batch_size):
            pass

    nlp_times = time_runs(nlp_only, args.repeat)

    # (b) warmonitor extraction, timed
    counts: dict[str, int] = {}

    def extract() -> None:
        results = list(pipeline.extract_many(articles))
        counts["results"] = len(results)
        counts["errors"] = sum(1 for r in results if not hasattr(r, "facts"))
        counts["facts"] = sum(len(r.facts) for r in results if hasattr(r, "facts"))

    ext_times = time_runs(extract, args.repeat)
    rss_after_ext = maxrss_mib()

    # (b2) the same without resolution (no gazetteer places, dates or claimant resolution): what
    # resolution costs (issue 3's target: at most 30 % fewer articles/s)
    bare = Pipeline(resolve=False)
    list(bare.extract_many(articles[:WARMUP_ARTICLES]))

    def extract_unresolved() -> None:
        list(bare.extract_many(articles))

    bare_times = time_runs(extract_unresolved, args.repeat)

    # (c, optional) Python-heap peak of one extraction pass, untimed
    traced = None
    if args.tracemalloc:
        import tracemalloc

        subset = articles[: args.tracemalloc]
        gc.collect()
        tracemalloc.start()
        base, _ = tracemalloc.get_traced_memory()
        results = list(pipeline.extract_many(subset))
        current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        traced = {"articles": len(subset), "peak_mib": (peak - base) / 2**20,
                  "retained_results_mib": (current - base) / 2**20}
        del results

    def rates(times: list[float]) -> dict:
        return {
            "seconds": summary(times),
            "seconds_per_run": times,
            "articles_per_s": summary([args.articles / t for t in times]),
            "words_per_s": summary([n_words / t for t in times]),
        }

    tok_r, nlp_r, ext_r, bare_r = rates(tok_times), rates(nlp_times), rates(ext_times), rates(bare_times)
    resolution_cost = 1 - ext_r["articles_per_s"]["median"] / bare_r["articles_per_s"]["median"]
    ratio = ext_r["articles_per_s"]["median"] / tok_r["articles_per_s"]["median"]
    info["loadavg_1_5_15_before"] = load_before
    info["loadavg_1_5_15_after"] = loadavg()
    figures = {
        "machine": info,
        "input": {"articles": args.articles, "seed": args.seed, "words_requested": args.words,
                  "words_total": n_words, "words_per_article": n_words / args.articles,
                  "chars_total": n_chars, "spacy_tokens_total": n_tokens, "generate_s": gen_s,
                  "repeat": args.repeat},
        "tokenizer": tok_r,
        "warmonitor_spacy_pipeline_only": {**nlp_r, "components": list(nlp.pipe_names)},
        "extraction": {**ext_r, "load_s": load_s, "warmup_s": warm_s, **counts},
        "extraction_without_resolution": bare_r,
        "resolution_cost": resolution_cost,
        "ratio_extract_to_tokenizer": ratio,
        "memory_mib": {"maxrss_after_generate": rss_after_gen, "maxrss_after_load": rss_after_load,
                       "maxrss_after_tokenizer": rss_after_tok, "maxrss_after_extraction": rss_after_ext,
                       "tracemalloc": traced},
        "targets": {
            "articles_per_s": {"target": TARGET_ARTICLES_PER_S, "measured": ext_r["articles_per_s"]["median"],
                               "reached": ext_r["articles_per_s"]["median"] >= TARGET_ARTICLES_PER_S},
            "ratio_to_tokenizer": {"target": TARGET_RATIO, "measured": ratio, "reached": ratio >= TARGET_RATIO},
            "resolution_cost": {"target": TARGET_RESOLUTION_COST, "measured": resolution_cost,
                                "reached": resolution_cost <= TARGET_RESOLUTION_COST},
        },
    }
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        report(figures)
    return figures


def report(f: dict) -> None:
    m, i, t, e = f["machine"], f["input"], f["tokenizer"], f["extraction"]
    n = f["warmonitor_spacy_pipeline_only"]

    def line(label: str, s: dict, fmt: str = ",.0f") -> str:
        return f"{label:<16}{s['median']:>12{fmt}}   (min {s['min']:{fmt}}, max {s['max']:{fmt}})"

    def runs(r: dict) -> str:
        return "   runs: " + ", ".join(f"{x:.2f}" for x in r["seconds_per_run"])

    print("warmonitor extraction speed benchmark")
    print(f"  platform        {m['platform']}")
    print(f"  cpu             {m['cpu']} ({m['cpus_online']} online); {m['pinning']}")
    print(f"  python          {m['python']}; spacy {m['spacy']}")
    print(f"  load average    before {m['loadavg_1_5_15_before']}, after {m['loadavg_1_5_15_after']} "
          "(other processes on the machine skew the timings)")
    print(f"  input           {i['articles']} generated articles, seed {i['seed']}, "
          f"{i['words_per_article']:.0f} words/article ({i['words_total']:,} words, {i['chars_total']:,} chars, "
          f"{i['spacy_tokens_total']:,} spaCy tokens); generated in {i['generate_s']:.2f} s")
    print(f"  repeats         {i['repeat']} (median, min/max; the first run of each also grows spaCy's vocab)")
    print()
    print("(a) spacy.blank('en') tokenizer, nlp.pipe batch 64")
    print("  " + line("articles/s", t["articles_per_s"]))
    print("  " + line("words/s", t["words_per_s"]))
    print("  " + line("seconds/run", t["seconds"], ".2f") + runs(t))
    print(f"(a2) reference: warmonitor's spaCy pipeline alone ({', '.join(['tokenizer', *n['components']])}), "
          "no repair/extraction")
    print("  " + line("articles/s", n["articles_per_s"]))
    print("  " + line("words/s", n["words_per_s"]))
    print("  " + line("seconds/run", n["seconds"], ".2f") + runs(n))
    print("(b) warmonitor Pipeline.extract_many")
    print(f"  cold load (Pipeline resources, built before the tokenizer stage) {e['load_s']:.2f} s; warm-up on {WARMUP_ARTICLES} articles {e['warmup_s']:.2f} s "
          "(both excluded from the timings)")
    print("  " + line("articles/s", e["articles_per_s"]))
    print("  " + line("words/s", e["words_per_s"]))
    print("  " + line("seconds/run", e["seconds"], ".2f") + runs(e))
    print(f"  {e.get('results', 0)} results per run, {e.get('facts', 0):,} facts, {e.get('errors', 0)} read errors")
    b = f["extraction_without_resolution"]
    print("(b2) the same with Pipeline(resolve=False): no gazetteer, dates or claimant resolution")
    print("  " + line("articles/s", b["articles_per_s"]))
    print(f"  resolution costs {f['resolution_cost']:.1%} of extraction's articles/s")
    print("(c) memory, peak RSS (ru_maxrss) of the process after each stage")
    mem = f["memory_mib"]
    print(f"  after generating texts {mem['maxrss_after_generate']:.0f} MiB; after pipeline load "
          f"{mem['maxrss_after_load']:.0f} MiB; after tokenizer runs {mem['maxrss_after_tokenizer']:.0f} MiB; "
          f"after extraction runs {mem['maxrss_after_extraction']:.0f} MiB")
    if mem["tracemalloc"]:
        tm = mem["tracemalloc"]
        print(f"  tracemalloc (separate untimed pass, {tm['articles']} articles): Python-heap peak "
              f"{tm['peak_mib']:.1f} MiB, results retained {tm['retained_results_mib']:.1f} MiB")
    print(f"(d) extraction / tokenizer speed ratio (medians): {f['ratio_extract_to_tokenizer']:.3f}"
          f"   [warmonitor spaCy pipeline alone / tokenizer: "
          f"{n['articles_per_s']['median'] / t['articles_per_s']['median']:.3f}]")
    print()
    print("targets (from the issue), on one core:")
    for name, label, fmt in (("articles_per_s", "extraction articles/s", ".0f"),
                             ("ratio_to_tokenizer", "ratio to bare tokenizer", ".3f"),
                             ("resolution_cost", "resolution cost (share)", ".3f")):
        tg = f["targets"][name]
        sign = "<=" if name == "resolution_cost" else ">="
        print(f"  {label:<26} {sign} {tg['target']:{fmt}}: measured {tg['measured']:{fmt}} -> "
              f"{'REACHED' if tg['reached'] else 'NOT reached'}")


if __name__ == "__main__":
    main()
