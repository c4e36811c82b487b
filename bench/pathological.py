"""Pathological-input benchmark: time and memory of each extraction stage against article length.

Issue 10: one article must never stall a batch; every stage should be linear in the article's length.
For each input shape (below) and each size (10 KB, 40 KB, 160 KB, ... up to --max-kb), one run in a
fresh subprocess times each stage separately -- text repair, the spaCy pipeline, the article context,
the count assignment, each fact type's extractor, actor typing, scene places, the summary -- and
reports the process's peak resident memory (ru_maxrss, which includes the loaded pipeline; the
"base" row is the same process with an empty article). A shape's series stops after the first run
that takes longer than --limit seconds (or is killed at 3 x --limit), and says so.

The texts are generated here from a few words written for this benchmark (see generate_articles.py
for the control article). Nothing asserts: it prints a table, or JSON lines with --json.

    python bench/pathological.py                          # every shape, 10 KB .. 2.5 MB
    python bench/pathological.py --shape commas --max-kb 10240 --limit 60
    python bench/pathological.py --budget 0               # no per-article time budget (see Pipeline)
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

_WORDS = ["shelling", "hit", "the", "market", "in", "Dara", "on", "Monday", "killing", "12", "civilians",
          "officials", "said", "and", "rebels", "fled", "north", "toward", "Kalabad"]
_MOJIBAKE_SOURCE = "The mayor’s office said “12 people” died — café owners fled; à bientôt. "


def commas(size: int) -> str:
    """One run of comma-joined words with no whitespace at all."""
    out, i, n = [], 0, 0
    while n < size:
        word = _WORDS[i % len(_WORDS)]
        out.append(word)
        n += len(word) + 1
        i += 1
    return ",".join(out)[:size]


def parens(size: int) -> str:
    """Nested parentheses around a few words: "(((( killed 12 ))))", half opening, half closing."""
    depth = max(1, (size - 20) // 2)
    return "(" * depth + " 12 killed " + ")" * depth


def entities(size: int) -> str:
    """Words among broken HTML entities of every kind the fixers know, with spaces."""
    pieces = ["officials& # 39;", ",quot;said&amp;amp;quot;", "12 &amp;#39;killed&amp;quot;", "&#8220;in",
              "Dara& #039;s", "&amp;amp;amp;", "market,quot;."]
    return _repeat(" ".join(pieces) + " ", size)


def mojibake(size: int) -> str:
    """UTF-8 text decoded as cp1252 (curly quotes, dashes, accents), repeated."""
    broken = _MOJIBAKE_SOURCE.encode("utf-8").decode("cp1252", errors="replace")
    return _repeat(broken, size)


def sentence(size: int) -> str:
    """One sentence without a full stop: words and commas, never a sentence end."""
    return _repeat("shelling hit the market in Dara on Monday, killing 12 civilians and wounding 30 more, ", size)


def control(size: int) -> str:
    """Normal wire-style articles (bench/generate_articles.py) joined into one, as a control."""
    from generate_articles import generate_texts

    texts, n, seed = [], 0, 0
    while n < size:
        for text in generate_texts(20, words=700, seed=seed):
            texts.append(text)
            n += len(text) + 2
        seed += 1
    return "\n\n".join(texts)[:size]


def _repeat(piece: str, size: int) -> str:
    return (piece * (size // len(piece) + 1))[:size]


SHAPES = {"commas": commas, "parens": parens, "entities": entities, "mojibake": mojibake,
          "sentence": sentence, "control": control}


def maxrss_mib() -> float:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def run_one(shape: str, size: int, budget: float) -> dict:
    """Time each stage of one article of `shape` and `size` characters, in this process."""
    from warmonitor.pipeline import Pipeline, collector_paused

    # no size limit here (the benchmark measures what a longer article would cost); the budget as asked
    pipeline = Pipeline(time_budget=budget or None, max_article_chars=sys.maxsize)
    resources = pipeline.resources
    text = SHAPES[shape](size) if size else ""
    list(pipeline.extract_many([]))
    base_rss = maxrss_mib()
    times: dict[str, float] = {}

    def timed(name, fn, *args):
        t0 = time.perf_counter()
        value = fn(*args)
        times[name] = time.perf_counter() - t0
        return value

    with collector_paused():  # as in the pipeline
        facts, doc, ctx, total = _stages(resources, text, timed)
    # the same article through the Pipeline, as a batch would see it (budget included)
    t0 = time.perf_counter()
    result = list(pipeline.extract_many([_article(text)]))[0]
    piped = time.perf_counter() - t0
    outcome = "ok" if hasattr(result, "facts") else result.message[:80]
    return {"shape": shape, "size": size, "chars": len(text), "tokens": len(doc), "sentences": len(ctx.sentences),
            "facts": len(facts), "total_s": total, "pipeline_s": piped, "outcome": outcome, "stages": times,
            "base_rss_mib": base_rss, "peak_rss_mib": maxrss_mib()}


def _stages(resources, text: str, timed):
    """The pipeline's stages one by one (as `Pipeline._extract_repaired` and `extract_facts` run them)."""
    from warmonitor import facttypes
    from warmonitor.extract.attribution import type_named_actors
    from warmonitor.extract.context import ArticleContext
    from warmonitor.extract.quantities import assign
    from warmonitor.extract.summary import scene_places, summarize

    t_all = time.perf_counter()
    fixed = timed("repair", resources.repairer.repair, text)
    doc = timed("nlp", resources.nlp, fixed.text)
    ctx = timed("context", ArticleContext, resources, doc, None, fixed.text)
    kinds = facttypes.fact_types()
    assignments = timed("assign", assign, ctx)
    facts = []
    for kind in kinds:
        extractor = kind.extract_function()
        facts += timed(kind.name, extractor, ctx, assignments) if kind.needs_counts else timed(kind.name, extractor, ctx)
    facts.sort(key=lambda f: (f.evidence.start, f.type))
    timed("actors", type_named_actors, resources.actors, facts)
    scene = timed("scene", scene_places, ctx, facts)
    timed("summary", summarize, facts, scene)
    return facts, doc, ctx, time.perf_counter() - t_all


def _article(text: str):
    from warmonitor.model import Article

    return Article(id="pathological", text=text, source="pathological")


def run_child(shape: str, size: int, budget: float, limit: float) -> dict:
    cmd = [sys.executable, __file__, "--child", shape, str(size), "--budget", str(budget)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=3 * limit, env=os.environ)
    except subprocess.TimeoutExpired:
        return {"shape": shape, "size": size, "killed_after_s": 3 * limit}
    if proc.returncode != 0:
        return {"shape": shape, "size": size, "error": proc.stderr.strip().splitlines()[-1:]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def sizes_up_to(max_kb: int) -> list[int]:
    sizes, kb = [], 10
    while kb <= max_kb:
        sizes.append(kb * 1024)
        kb *= 4
    return sizes


def row(r: dict, stage_names: list[str]) -> str:
    head = f"{r['shape']:9} {r['size'] // 1024:>6} KB"
    if "killed_after_s" in r:
        return f"{head}  killed after {r['killed_after_s']:.0f} s"
    if "error" in r:
        return f"{head}  error: {r['error']}"
    top = sorted(r["stages"].items(), key=lambda kv: -kv[1])[:3]
    slow = ", ".join(f"{k} {v:.2f}" for k, v in top)
    return (f"{head} {r['tokens']:>9} {r['sentences']:>7} {r['total_s']:>8.2f} {r['pipeline_s']:>8.2f} "
            f"{r['peak_rss_mib'] - r['base_rss_mib']:>8.0f} {r['peak_rss_mib']:>7.0f}  {slow}  [{r['outcome']}]")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shape", action="append", choices=sorted(SHAPES), help="shape(s) to run (default: all)")
    ap.add_argument("--max-kb", type=int, default=2560, help="largest size in KB (default 2560; 10240 = 10 MB)")
    ap.add_argument("--limit", type=float, default=60.0, help="stop a shape's series after a run this slow (s)")
    ap.add_argument("--budget", type=float, default=0.0,
                    help="Pipeline time budget per article in s for the whole-pipeline run (default 0: none)")
    ap.add_argument("--json", action="store_true", help="print one JSON object per run")
    ap.add_argument("--child", nargs=2, metavar=("SHAPE", "SIZE"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        print(json.dumps(run_one(args.child[0], int(args.child[1]), args.budget)))
        return

    print(f"# {platform.platform()}, python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
          f"load {[round(x, 2) for x in os.getloadavg()]}")
    print("# seconds per stage of one article; total = the stages called one by one; pipeline = the same "
          "article through Pipeline.extract_many; +MiB = peak RSS over the loaded pipeline's")
    if not args.json:
        print(f"{'shape':9} {'size':>9} {'tokens':>9} {'sents':>7} {'total':>8} {'pipeline':>8} "
              f"{'+MiB':>8} {'peakMiB':>7}  slowest stages")
    for shape in args.shape or list(SHAPES):
        for size in sizes_up_to(args.max_kb):
            r = run_child(shape, size, args.budget, args.limit)
            print(json.dumps(r) if args.json else row(r, []), flush=True)
            slow = r.get("killed_after_s") or max(r.get("total_s", 0), r.get("pipeline_s", 0))
            if "error" in r or slow > args.limit:
                print(f"# {shape}: stopped after {size // 1024} KB ({slow:.0f} s > {args.limit:.0f} s limit)")
                break


if __name__ == "__main__":
    main()
