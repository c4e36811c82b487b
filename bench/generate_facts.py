"""Articles for a filled benchmark database: generated texts that name real places, dated over a year.

`generate_articles.py` invents every place name, so nothing it writes resolves in the gazetteer and
facts stored from it have no admin1 or country. Here the same templates are written about real towns
(cities of 50,000+ people in the shipped GeoNames index, a dozen countries at war) for most articles,
the invented places kept for the rest; publication dates are spread over `days` days from `start`, so
that date filters and weekly or monthly aggregates have something to cut. Deterministic in `seed`.

    from generate_facts import generate_articles
    articles = generate_articles(6000, words=330, seed=1)   # list[warmonitor.model.Article]

The facts themselves come from the extractor: pass the articles to `Pipeline().extract_many` and
`Store.save` (as `bench/api_load.py` does). Run as a script to print one sample article.
"""
from __future__ import annotations

import argparse
import datetime as dt
import gzip
import random
import sys
from functools import lru_cache
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate_articles import _Writer  # noqa: E402

COUNTRIES = ("SY", "UA", "SD", "YE", "CD", "MM", "PS", "IQ", "SO", "ML", "BF", "NG", "ET", "HT")
OUTLETS = ("Wire", "Agencies", "Daily Bench", "Bench Post", "Field Report", "Radio Bench")
MIN_POPULATION = 50_000
PER_COUNTRY = 30  # the most populous cities of each country


@lru_cache(maxsize=1)
def conflict_places() -> dict[str, tuple[str, tuple[str, ...]]]:
    """ISO code -> (country name, its most populous city names), from the shipped gazetteer index."""
    from warmonitor.data_files import data_path

    names: dict[str, str] = {}
    cities: dict[str, list[tuple[int, str]]] = {c: [] for c in COUNTRIES}
    with gzip.open(data_path("gazetteer/places.tsv.gz"), "rt", encoding="utf-8") as rows:
        for line in rows:
            if line.startswith("#"):
                continue
            cells = line.rstrip("\n").split("\t")
            kind, country, population, name = cells[1], cells[3], cells[8], cells[9]
            if country not in cities:
                continue
            if kind == "country":
                names[country] = name
            elif kind == "city" and population.isdigit() and int(population) >= MIN_POPULATION:
                cities[country].append((int(population), name))
    return {c: (names.get(c, c), tuple(n for _, n in sorted(found, reverse=True)[:PER_COUNTRY]))
            for c, found in cities.items() if found}


class _RealWriter(_Writer):
    """The benchmark templates, written about the real towns of one country."""

    def __init__(self, r: random.Random, country: str, towns: tuple[str, ...]):
        self._real = towns
        super().__init__(r)
        self.country = country

    def town(self) -> str:
        return self.r.choice(self._real)


def generate_articles(n: int, words: int = 330, seed: int = 1, start: dt.date = dt.date(2025, 1, 1),
                      days: int = 365, real_places: float = 0.85, prefix: str = "bench-api") -> list:
    """`n` articles of about `words` words, published on days spread over `days` days from `start`;
    a share `real_places` of them about real towns (the rest about invented ones)."""
    from warmonitor.model import Article

    r = random.Random(seed)
    places = conflict_places()
    codes = sorted(places)
    out = []
    for i in range(n):
        if r.random() < real_places:
            name, towns = places[r.choice(codes)]
            writer = _RealWriter(r, name, towns)
        else:
            writer = _Writer(r)
        text = writer.article(words)
        published = start + dt.timedelta(days=r.randrange(days))
        out.append(Article(id=f"{prefix}-{i:06d}", text=text, title=text.split("\n", 1)[0],
                           published=published.isoformat(), outlet=r.choice(OUTLETS), source=f"generated:{i}"))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--words", type=int, default=330)
    args = ap.parse_args()
    article = generate_articles(1, args.words, args.seed, real_places=1.0)[0]
    print(f"{article.id}  {article.published}  {article.outlet}\n\n{article.text}")


if __name__ == "__main__":
    main()
