"""Linking speed (issue 11): the rebuild curve, one new article against a large store, and linking's
share of ingest time. Prints figures, asserts nothing.

    python bench/link_speed.py                          # rebuild curve at 10k, 30k, 100k articles (in memory)
    python bench/link_speed.py --sizes 10000 --store 100000 --new 200
                                                        # + a SQLite store of 100,000 articles (~1,000,000 facts)
    python bench/link_speed.py --sizes "" --ingest 300  # linking's share of ingest (extract + store + link)
    python bench/link_speed.py --sizes "" --quality 3000,10000,30000
                                                        # B-cubed / pairwise against the generated events

Reports are generated, never extracted (extracting 100,000 articles takes about an hour here): each
generated event (a strike, a shelling, a shooting at a real town of the shipped gazetteer, on a day of
one year) is told by one to five outlets over the next days, in sentences assembled from templates
written for this benchmark, each report with the fact records the extractor would write (killed,
injured, attack, sometimes displaced, a quote), about ten per report. Same `--seed`, same reports.

Targets (issue 11): linking adds at most 15 % to ingest time; one new article against a store of
1,000,000 facts links in at most 5 ms at the median; `link --rebuild` near linear from 10k to 100k.
"""
from __future__ import annotations

import argparse
import datetime as dt
import gzip
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

OUTLETS = ("Wire", "Daily Bench", "Bench Post", "Field Report", "Radio Bench", "Valley Herald", "Monitor")
COUNTRIES = ("SY", "UA", "SD", "YE", "CD", "MM", "PS", "IQ", "SO", "ML")
CAUSES = ("airstrike", "shelling", "gunfire", "drone strike", "bombing")
TARGETS = ("market", "hospital", "school", "camp", "checkpoint", "mosque", "bakery")
FIRST = ("Amina", "Yusuf", "Olena", "Ibrahim", "Marta", "Fatou", "Hassan", "Leila", "Samir", "Nadia")
LAST = ("Haddad", "Koval", "Diallo", "Mensah", "Rahimi", "Okafor", "Petrenko", "Nasser", "Traore", "Abebe")


def towns(per_country: int = 300) -> list[dict]:
    """Real towns of ten countries at war (shipped GeoNames index), as fact records' place objects."""
    from warmonitor.data_files import data_path

    found: dict[str, list] = {c: [] for c in COUNTRIES}
    with gzip.open(data_path("gazetteer/places.tsv.gz"), "rt", encoding="utf-8") as rows:
        for line in rows:
            if line.startswith("#"):
                continue
            cells = line.rstrip("\n").split("\t")
            if cells[1] == "city" and cells[3] in found and cells[8].isdigit():
                found[cells[3]].append((int(cells[8]), cells))
    out = []
    for country, cities in found.items():
        for _, cells in sorted(cities, key=lambda c: -c[0])[:per_country]:
            out.append({"name": cells[9], "geonameid": int(cells[0]), "admin1": cells[4] or None, "country": country,
                        "lat": float(cells[6]), "lon": float(cells[7]), "precision": 1, "qualifier": None})
    return out


def count(n: int) -> dict:
    return {"low": n, "best": n, "high": n, "qualifier": None}


def report_facts(article: str, event: dict, r: random.Random, day: str | None) -> tuple[str, list[dict]]:
    """One report of `event`: its text and fact records (each fact's evidence is one sentence of it)."""
    place, cause, target = event["place"], event["cause"], event["target"]
    killed = max(1, event["killed"] + r.choice((0, 0, 0, 1, -1)))
    injured = event["injured"] + r.choice((0, 0, 2))
    sentences = [
        (f"A {cause} hit a {target} in {place['name']} on {event['weekday']}, killing {killed} people, "
         f"{event['witness']} said.", "casualty", {"outcome": "killed", "victims": "people", "count": count(killed)}),
        (f"At least {injured} others were wounded and taken to hospital.", "casualty",
         {"outcome": "injured", "victims": "people", "count": {**count(injured), "qualifier": "at least"}}),
        (f"The {target} in {place['name']} was badly damaged by the {cause}.", "attack",
         {"target": target, "target_name": None, "damage": "damaged", "attacker": []}),
        (f"\"We heard the {cause} and ran,\" said {event['witness']}.", "quote",
         {"speaker": event["witness"], "speaker_org": None, "quote": f"We heard the {cause} and ran"}),
    ]
    if r.random() < 0.3:
        fled = r.randint(50, 3000)
        sentences.append((f"About {fled} people fled the area after the attack.", "displacement",
                          {"count": {**count(fled), "qualifier": "about"}, "unit": "people", "term": "fled",
                           "origin": place, "destination": None}))
    for _ in range(r.randint(2, 5)):  # background: more facts in the article, as real reports have
        other = r.randint(2, 90)
        sentences.append((f"Earlier this month {other} people were killed in the province, monitors said.",
                          "casualty", {"outcome": "killed", "victims": "people", "count": count(other),
                                       "period": {"start": day, "end": day} if day else None}))
    text, facts, pos = "", [], 0
    for sentence, kind, fields in sentences:
        start = len(text)
        text += sentence + " "
        record = {"article": article, "type": kind, **fields}
        if kind in ("casualty", "attack"):
            record.update(cause=cause, perpetrators=[], place=place, date=event["date"] if pos == 0 else None)
        record.update(evidence={"text": sentence, "start": start, "end": start + len(sentence)},
                      claimed_by=[], confidence=0.8, rule="bench.generated")
        facts.append(record)
        pos += 1
    return text.strip(), facts


def generate_reports(n: int, seed: int = 1, start: dt.date = dt.date(2025, 1, 1), days: int = 365,
                     prefix: str = "link") -> list:
    """About `n` reports (LinkArticles) of generated events, each told by 1-5 outlets over 0-3 days."""
    from warmonitor.link.model import LinkArticle

    r = random.Random(seed)
    places = towns()
    out: list = []
    event_no = 0
    while len(out) < n:
        day = start + dt.timedelta(days=r.randrange(days))
        event = {"place": r.choice(places), "cause": r.choice(CAUSES), "target": r.choice(TARGETS),
                 "killed": r.randint(1, 60), "injured": r.randint(0, 80), "date": day.isoformat(),
                 "weekday": day.strftime("%A"), "witness": f"{r.choice(FIRST)} {r.choice(LAST)}"}
        outlets = r.sample(OUTLETS, k=min(len(OUTLETS), r.choice((1, 1, 1, 2, 2, 3, 4, 5))))
        for outlet in outlets:
            key = f"{prefix}-{event_no:06d}-{outlet.replace(' ', '').lower()}"
            published = (day + dt.timedelta(days=r.randint(0, 3))).isoformat()
            text, facts = report_facts(key, event, r, published)
            title = f"{event['cause'].capitalize()} kills {event['killed']} in {event['place']['name']}"
            out.append(LinkArticle(id=key, outlet=outlet, published=published, title=title,
                                   text=title + "\n\n" + text, facts=tuple(facts), url=None))
        event_no += 1
    return out[:n]


def _peak_rss_mib() -> float:
    """The process's peak resident memory so far (MiB; Linux reports KiB, macOS bytes)."""
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


def rebuild_curve(sizes: list[int], seed: int, repeat: int = 1) -> None:
    """`link_articles` over n generated reports, timed without tracing (tracemalloc slows linking
    several-fold and unevenly): the median of `repeat` runs, wall and CPU time (CPU time is what to
    compare on a shared machine). Memory: the process's peak resident size after the size's runs, so
    a curve's sizes should rise."""
    from warmonitor.link.linker import link_articles

    print(f"# rebuild in memory (link_articles), median of {repeat}: seconds, ms per article (CPU), peak RSS")
    print(f"{'articles':>9} {'facts':>9} {'incidents':>9} {'wall s':>8} {'cpu s':>8} {'cpu ms/art':>10} {'RSS MiB':>8} {'largest':>8}")
    per = []
    for n in sizes:
        reports = generate_reports(n, seed)
        walls, cpus = [], []
        for _ in range(repeat):
            t0, c0 = time.perf_counter(), time.process_time()
            linker = link_articles(reports)
            incidents = linker.incidents()
            walls.append(time.perf_counter() - t0)
            cpus.append(time.process_time() - c0)
            del linker
        wall, cpu = statistics.median(walls), statistics.median(cpus)
        per.append(1000 * cpu / n)
        print(f"{n:>9} {sum(len(a.facts) for a in reports):>9} {len(incidents):>9} {wall:>8.1f} {cpu:>8.1f} "
              f"{per[-1]:>10.2f} {_peak_rss_mib():>8.0f} {max((len(r['articles']) for r in incidents), default=0):>8}",
              flush=True)
    if len(per) > 1:
        print(f"# CPU ms per article at the largest size / at the smallest: {per[-1] / per[0]:.2f} (1.00 = linear)")


def quality(n: int, seed: int = 1) -> dict:
    """How well linking recovers the generated events: each report's key is `link-EVENTNO-outlet`, so the
    true incidents are known. Each report counts in its main incident (`incident_of(...)[0]`);
    B-cubed and pairwise-link precision, recall and F1, and the largest incident's size."""
    from collections import Counter

    from warmonitor.link.linker import link_articles

    reports = generate_reports(n, seed)
    linker = link_articles(reports)
    pred = {a.id: (linker.incident_of(a.id) or [a.id])[0] for a in reports}
    gold = {a.id: a.id.rsplit("-", 1)[0] for a in reports}
    pairs = Counter((pred[k], gold[k]) for k in pred)
    psize, gsize = Counter(pred.values()), Counter(gold.values())
    # B-cubed: for each report, the share of its predicted cluster in its true event, and vice versa
    bp = sum(c * c / psize[p] for (p, g), c in pairs.items()) / len(pred)
    br = sum(c * c / gsize[g] for (p, g), c in pairs.items()) / len(pred)
    both = sum(c * (c - 1) / 2 for c in pairs.values())
    ppairs = sum(c * (c - 1) / 2 for c in psize.values())
    gpairs = sum(c * (c - 1) / 2 for c in gsize.values())
    lp, lr = (both / ppairs if ppairs else 1.0), (both / gpairs if gpairs else 1.0)

    def f1(a, b):
        return 2 * a * b / (a + b) if a + b else 0.0
    return {"reports": n, "events": len(gsize), "incidents": len(psize), "largest": max(psize.values()),
            "bcubed": (round(bp, 3), round(br, 3), round(f1(bp, br), 3)),
            "pairwise": (round(lp, 3), round(lr, 3), round(f1(lp, lr), 3))}


def to_result(article):
    """A generated report as an extraction result, for Store.save."""
    from warmonitor.model import Article, ArticleResult, Count, Evidence, Fact

    facts = []
    for rec in article.facts:
        fields = {k: v for k, v in rec.items()
                  if k not in ("article", "type", "evidence", "claimed_by", "confidence", "rule")}
        if isinstance(fields.get("count"), dict):
            c = fields["count"]
            fields["count"] = Count(c["low"], c["best"], c["high"], c.get("qualifier"))
        ev = rec["evidence"]
        facts.append(Fact(rec["type"], Evidence(ev["text"], ev["start"], ev["end"]), fields, [], rec["confidence"],
                          rec["rule"]))
    art = Article(id=article.id, text=article.text, title=article.title, published=article.published,
                  outlet=article.outlet, source=f"generated:{article.id}")
    return ArticleResult(art, article.text, facts, {"generated": True})


def store_bench(n: int, new: int, seed: int, batch: int, profile: bool = False) -> None:
    """A SQLite store of `n` generated reports, linked; then `new` reports saved and linked one at a time."""
    from warmonitor.store import Store
    from warmonitor.usecases.link import link_incidents

    reports = generate_reports(n + new, seed)
    r = random.Random(seed + 1)
    r.shuffle(reports)
    old, fresh = reports[:n], reports[n:]
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{Path(tmp) / 'link.db'}")
        store.upgrade()
        t0 = time.perf_counter()
        for i in range(0, len(old), batch):
            store.save((to_result(a) for a in old[i:i + batch]), extractor_version="bench")
        saved = time.perf_counter() - t0
        facts = store.counts().get("facts", 0)
        print(f"# store: {n} reports, {facts} facts saved in {saved:.1f} s")
        t0 = time.perf_counter()
        summary = link_incidents(store, rebuild=True)
        print(f"# link --rebuild: {time.perf_counter() - t0:.1f} s ({summary})")
        save_ms, link_ms, cpu_ms = [], [], []
        for article in fresh:
            t0 = time.perf_counter()
            store.save([to_result(article)], extractor_version="bench")
            t1, c1 = time.perf_counter(), time.process_time()
            link_incidents(store)
            t2, c2 = time.perf_counter(), time.process_time()
            save_ms.append(1000 * (t1 - t0))
            link_ms.append(1000 * (t2 - t1))
            cpu_ms.append(1000 * (c2 - c1))
        q = statistics.quantiles(link_ms, n=20) if len(link_ms) > 1 else link_ms * 19
        print(f"# one new article against {facts} facts: link median {statistics.median(link_ms):.1f} ms "
              f"(CPU {statistics.median(cpu_ms):.1f} ms), p95 {q[-1]:.1f} ms; its save median "
              f"{statistics.median(save_ms):.1f} ms ({len(fresh)} articles)")
        if profile:
            import cProfile
            import pstats

            prof = cProfile.Profile()
            extra = generate_reports(20, seed + 7, prefix="prof")
            for article in extra:
                store.save([to_result(article)], extractor_version="bench")
                prof.enable()
                link_incidents(store)
                prof.disable()
            pstats.Stats(prof).sort_stats("cumulative").print_stats(25)
        store.close()


def ingest_share(n: int, seed: int) -> None:
    """Extract + store + link of generated texts, in batches as ingest does: linking's share of the time."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from generate_facts import generate_articles

    from warmonitor.pipeline import Pipeline
    from warmonitor.store import Store
    from warmonitor.usecases.link import link_incidents

    articles = generate_articles(n, seed=seed, prefix="share")
    pipeline = Pipeline()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{Path(tmp) / 'share.db'}")
        store.upgrade()
        t0 = time.perf_counter()
        results = list(pipeline.extract_many(articles))
        t1 = time.perf_counter()
        store.save(results, extractor_version="bench")
        t2 = time.perf_counter()
        link_incidents(store)
        t3 = time.perf_counter()
        ingest = t2 - t0
        print(f"# {n} generated articles: extract {t1 - t0:.1f} s, store {t2 - t1:.1f} s, link {t3 - t2:.2f} s: "
              f"linking adds {100 * (t3 - t2) / ingest:.1f} % to ingest (target <= 15 %)")
        store.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10000,30000,100000", help="rebuild curve sizes, comma-separated ('' = none)")
    ap.add_argument("--store", type=int, default=0, help="reports in the SQLite store (0 = skip)")
    ap.add_argument("--new", type=int, default=200, help="new reports linked one at a time against the store")
    ap.add_argument("--batch", type=int, default=2000, help="reports per save while filling the store")
    ap.add_argument("--ingest", type=int, default=0, help="generated articles extracted, stored and linked (0 = skip)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--quality", default="", help="sizes at which to score linking against the generated events "
                    "(B-cubed and pairwise P/R/F1, largest incident), comma-separated")
    ap.add_argument("--repeat", type=int, default=1, help="rebuild runs per size (the median is shown)")
    ap.add_argument("--profile", action="store_true", help="profile linking 20 more new articles into the store")
    args = ap.parse_args()
    import os

    print(f"# {platform.platform()}, python {platform.python_version()}, {platform.processor() or 'cpu?'}, "
          f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}")
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    for n in [int(q) for q in args.quality.split(",") if q.strip()]:
        print("# quality", quality(n, args.seed), flush=True)
    if sizes:
        rebuild_curve(sizes, args.seed, args.repeat)
    if args.store:
        store_bench(args.store, args.new, args.seed, args.batch, args.profile)
    if args.ingest:
        ingest_share(args.ingest, args.seed)


if __name__ == "__main__":
    main()
