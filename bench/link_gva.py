"""Link the gva-dev articles' extracted facts into incidents and write them as JSON Lines (issue 11).

usage: python bench/link_gva.py FACTS.jsonl CORPUS_DIR OUT.jsonl
  FACTS.jsonl  fact records as `warmonitor extract --format jsonl` writes them (summaries are skipped)
  CORPUS_DIR   ../shared/corpus/gva-dev (NAME.meta.json and NAME.txt)
then: python3 ../shared/eval/score_incidents.py ../shared/corpus/gva-dev OUT.jsonl

Prints the time spent loading and linking. The text is read raw (the facts' offsets refer to the
repaired text, which linking does not use: it reads the text only for similarity and datelines).
"""
from __future__ import annotations

import json
import sys
import time
from collections import defaultdict
from pathlib import Path

from warmonitor.link.linker import link_articles
from warmonitor.link.model import LinkArticle


def load(facts_path: str, corpus: str) -> list[LinkArticle]:
    facts = defaultdict(list)
    for line in Path(facts_path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            rec = json.loads(line)
            if rec.get("type") != "summary":
                facts[rec["article"]].append(rec)
    articles = []
    for meta_path in sorted(Path(corpus).glob("*.meta.json")):
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        key = meta.get("id") or meta_path.name[: -len(".meta.json")]
        text_path = meta_path.with_name(meta_path.name[: -len(".meta.json")] + ".txt")
        text = text_path.read_text(encoding="utf-8", errors="replace") if text_path.exists() else ""
        articles.append(LinkArticle(id=key, outlet=meta.get("outlet"), published=(meta.get("published") or None),
                                    title=meta.get("title"), text=text, facts=tuple(facts.get(key, ())),
                                    url=meta.get("url")))
    return articles


def main(argv: list[str]) -> int:
    if len(argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    articles = load(argv[1], argv[2])
    t1 = time.perf_counter()
    linker = link_articles(articles)
    t2 = time.perf_counter()
    incidents = linker.incidents()
    t3 = time.perf_counter()
    with open(argv[3], "w", encoding="utf-8") as out:
        for rec in incidents:
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
    n_facts = sum(len(a.facts) for a in articles)
    print(f"{len(articles)} articles, {n_facts} facts -> {len(incidents)} incidents, "
          f"{sum(1 for link in linker.links() if not link.opened)} links, {len(linker.refusals())} close refusals")
    print(f"load {t1 - t0:.2f} s, link {t2 - t1:.2f} s ({1000 * (t2 - t1) / max(1, len(articles)):.2f} ms/article), "
          f"records {t3 - t2:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
