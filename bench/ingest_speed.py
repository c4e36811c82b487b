"""Ingest speed: generated articles extracted and stored in SQLite and PostgreSQL, beside extract alone.

Prints figures, asserts nothing. The target (issue 4): storing costs at most 20 % over extract-only.

    python bench/ingest_speed.py                      # 5,000 articles of ~300 words; SQLite only
    python bench/ingest_speed.py --pg postgresql+psycopg://user:pw@127.0.0.1:5432/db
    WARMONITOR_TEST_PG_URL=... python bench/ingest_speed.py --articles 5000
"""
from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate_articles import generate_texts  # noqa: E402

TARGET_COST = 0.20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--words", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=100)
    parser.add_argument("--pg", default=os.environ.get("WARMONITOR_TEST_PG_URL"),
                        help="PostgreSQL URL (default $WARMONITOR_TEST_PG_URL); omitted: SQLite only")
    args = parser.parse_args()

    from sqlalchemy import create_engine, text

    from warmonitor.cli_store import extractor_version
    from warmonitor.model import Article, ReadError
    from warmonitor.pipeline import Pipeline
    from warmonitor.store import Store

    texts = generate_texts(args.articles, args.words, seed=args.seed)
    articles = [Article(id=f"bench-{i:05d}", text=t, published="2024-03-01", outlet="bench") for i, t in enumerate(texts)]
    words = sum(len(t.split()) for t in texts)
    pipeline = Pipeline()
    list(pipeline.extract_many(articles[:8]))  # load and warm up
    version = extractor_version()
    print(f"machine: {platform.platform()}, python {platform.python_version()}; {args.articles} articles, "
          f"{words / args.articles:.0f} words each, batch {args.batch_size}")

    t0 = time.perf_counter()
    results = [r for r in pipeline.extract_many(articles) if not isinstance(r, ReadError)]
    extract_s = time.perf_counter() - t0
    facts = sum(len(r.facts) for r in results)
    print(f"extract only:        {args.articles / extract_s:8.1f} articles/s  ({extract_s:.1f} s, {facts:,} facts)")
    del results

    targets = []
    with tempfile.TemporaryDirectory() as tmp:
        targets.append(("SQLite", f"sqlite:///{Path(tmp) / 'bench.db'}"))
        if args.pg:
            targets.append(("PostgreSQL", args.pg))
        for label, url in targets:
            store = Store(url)
            store.upgrade()
            if label == "PostgreSQL":  # start from empty tables
                engine = create_engine(url)
                with engine.begin() as conn:
                    conn.execute(text("DELETE FROM facts"))
                    conn.execute(text("DELETE FROM articles"))
                engine.dispose()
            t0 = time.perf_counter()
            summary = store.save(pipeline.extract_many(articles), extractor_version=version, batch_size=args.batch_size)
            total_s = time.perf_counter() - t0
            cost = total_s / extract_s - 1
            verdict = "reached" if cost <= TARGET_COST else "NOT reached"
            print(f"extract + {label:<10} {args.articles / total_s:8.1f} articles/s  ({total_s:.1f} s; "
                  f"new {summary.new}, facts {summary.facts_stored:,}); storing costs {cost:+.1%} "
                  f"(target <= {TARGET_COST:.0%}: {verdict})")
            t0 = time.perf_counter()
            again = store.save(pipeline.extract_many(articles[:500]), extractor_version=version,
                               batch_size=args.batch_size)
            print(f"  re-run of 500 stored articles: unchanged {again.unchanged} in {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
