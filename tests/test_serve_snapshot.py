"""The in-memory fact arrays (serve/snapshot.py) answer exactly what the SQL answers.

Both paths serve the same API (`ServeSettings.snapshot`), so random filter sets drawn from the stored
values — in the case the user types them, misspelt, combined — must give the same ids in the same order,
the same totals and the same sums, on SQLite and on PostgreSQL.
"""
from __future__ import annotations

import datetime as dt
import random
from importlib import resources

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from warmonitor.model import Article
from warmonitor.read import iter_articles
from warmonitor.serve.api_facts import SOURCE_HEADER, _ordered
from warmonitor.serve.api_stats import COUNTED, aggregate_rows
from warmonitor.serve import ServeSettings, create_app
from warmonitor.serve.filters import Filters
from warmonitor.serve.snapshot import FactSnapshot
from warmonitor.store import Store
from warmonitor.store.review import review_fact
from warmonitor.store.schema import ArticleRow, FactRow

SORTS = ("date", "-date", "count", "-count", "confidence", "-confidence", "id", "-id")
ROUNDS = 120


@pytest.fixture
def store(db_url, pipeline):
    with resources.as_file(resources.files("warmonitor") / "examples") as folder:
        articles = [a for a in iter_articles([str(folder)]) if isinstance(a, Article)]
    assert len(articles) >= 10
    with Store(db_url) as found:
        found.upgrade()
        found.save(pipeline.extract_many(articles), extractor_version="test")
        with Session(found.engine) as session, session.begin():  # every review state among the facts
            facts = list(session.scalars(select(FactRow).where(FactRow.type == "casualty").order_by(FactRow.id)))
            review_fact(session, facts[0], "confirm", {}, user="ana", reason="checked")
            review_fact(session, facts[1], "reject", {}, user="ana", reason="a repeat")
            review_fact(session, facts[2], "correct", {"count": {"best": 40}}, user="ana", reason="the text says 40")
        yield found


def stored_values(session: Session) -> dict[str, list]:
    def distinct(column) -> list:
        return [v for v in session.scalars(select(column).distinct()) if v is not None]

    actors = {name for joined in distinct(FactRow.actors) for name in joined.split(";")}
    claimants = {name for joined in distinct(FactRow.claimants) for name in joined.split(";")}
    words = sorted({w for text in distinct(FactRow.search_text) for w in text.split() if len(w) > 2})
    return {"place": distinct(FactRow.place_name) + [str(g) for g in distinct(FactRow.place_geonameid)],
            "admin1": distinct(FactRow.admin1), "country": distinct(FactRow.country), "actor": sorted(actors),
            "claimant": sorted(claimants), "victims": distinct(FactRow.victims), "q": words,
            "article": distinct(FactRow.article_id), "days": sorted(distinct(FactRow.day))}


def random_filters(r: random.Random, values: dict[str, list]) -> Filters:
    """A filter set as a user might send it: stored values, other cases, spaces, near misses, combinations."""
    def spelt(value: str) -> str:
        return r.choice((value, value.upper(), value.lower(), f"  {value} ", value[:-1] or value))

    f = Filters()
    if r.random() < 0.4:
        f.type = r.sample(["casualty", "displacement", "population", "attack", "control", "quote", "summary"],
                          r.choice((1, 1, 2, 3)))
    for name in ("place", "admin1", "country", "actor", "claimant", "victims"):
        if r.random() < 0.15 and values[name]:
            setattr(f, name, spelt(r.choice(values[name])))
    if r.random() < 0.35 and values["days"]:
        first = dt.date.fromisoformat(str(r.choice(values["days"]))[:10])
        f.since, f.until = first - dt.timedelta(days=r.randint(0, 3)), first + dt.timedelta(days=r.randint(0, 40))
        if r.random() < 0.3:
            f.since = None if r.random() < 0.5 else f.since
            f.until = None if f.since is not None else f.until
    if r.random() < 0.2:
        f.min_confidence = r.choice((0.0, 0.5, 0.7, 0.85, 0.95, 1.0))
    if r.random() < 0.2:
        f.review = r.sample(["unreviewed", "confirmed", "corrected", "rejected"], r.randint(1, 2))
    if r.random() < 0.2 and values["q"]:
        f.q = " ".join(spelt(r.choice(values["q"])) for _ in range(r.choice((1, 1, 2))))
    if r.random() < 0.08 and values["article"]:
        f.article = r.choice(values["article"])
    return f


def sql_ids(session: Session, f: Filters, sort: str) -> list[int]:
    return list(session.scalars(_ordered(select(FactRow.id).where(*f.conditions()), sort)))


def test_arrays_and_sql_agree_on_random_filters(store):
    r = random.Random(20261125)
    with Session(store.engine) as session:
        snapshot = FactSnapshot.load(session, chunk_size=37)  # several chunks, as at 100,000 facts
        values = stored_values(session)
        assert snapshot.size > 100
        nonempty = 0
        for _ in range(ROUNDS):
            f = random_filters(r, values)
            keep = snapshot.mask(**f.arguments())
            for sort in r.sample(SORTS, 3):
                expected = sql_ids(session, f, sort)
                assert snapshot.page(keep, sort, 0, 10**6) == expected, (f, sort)
                assert snapshot.page(keep, sort, 3, 4) == expected[3:7], (f, sort)
            assert int(keep.sum()) == len(expected), f
            nonempty += bool(expected)
            counted = snapshot.mask(**f.arguments(default_review=COUNTED))
            for measure, interval, by in ((r.choice(("killed", "injured", "displaced")), r.choice(("day", "week", "month")),
                                           r.choice(("none", "admin1", "country", "perpetrator", "victims"))),):
                mine = snapshot.aggregate(counted, measure, interval, by)
                theirs = aggregate_rows(session, measure, interval, by, f)
                assert sorted(mine, key=_sortable) == sorted(((str(p)[:10], g, int(v), int(n)) for p, g, v, n in theirs),
                                                             key=_sortable), (f, measure, interval, by)
        # the filter sets were not mostly empty-handed (38 of 120 find facts since facts carry event days
        # from their paragraph and dateline towns: the random day windows and places match fewer of them)
        assert nonempty > ROUNDS // 4


def test_every_aggregate_agrees_without_filters(store):
    with Session(store.engine) as session:
        snapshot = FactSnapshot.load(session)
        f = Filters()
        counted = snapshot.mask(**f.arguments(default_review=COUNTED))
        totals = {}
        for measure in ("killed", "injured", "displaced"):
            for interval in ("day", "week", "month"):
                for by in ("none", "admin1", "country", "perpetrator", "victims"):
                    mine = snapshot.aggregate(counted, measure, interval, by)
                    theirs = [(str(p)[:10], g, int(v), int(n)) for p, g, v, n in
                              aggregate_rows(session, measure, interval, by, f)]
                    assert sorted(mine, key=_sortable) == sorted(theirs, key=_sortable), (measure, interval, by)
                    totals[measure, interval, by] = sum(v for _, _, v, _ in mine)
        assert totals["killed", "week", "none"] > 0 and totals["displaced", "month", "none"] > 0
        # Weeks start on Mondays and months on the first, whatever the day of the fact.
        for period, *_ in snapshot.aggregate(counted, "killed", "week", "none"):
            assert dt.date.fromisoformat(period).weekday() == 0
        for period, *_ in snapshot.aggregate(counted, "killed", "month", "none"):
            assert period.endswith("-01")


def test_the_api_gives_the_same_answers_with_and_without_arrays(store):
    """Through HTTP: the default app (arrays) and `snapshot=False` (SQL) answer the same bytes."""
    queries = [("/api/facts", {"per_page": 500}), ("/api/facts", {"type": "casualty", "sort": "-count"}),
               ("/api/facts", {"q": "killed", "sort": "confidence", "page": 2, "per_page": 5}),
               ("/api/facts", {"country": "sy", "since": "2026-01-01", "review": ["unreviewed", "rejected"]}),
               ("/api/aggregates", {"measure": "killed", "interval": "week", "by": "country"}),
               ("/api/aggregates", {"measure": "displaced", "interval": "month", "by": "admin1"})]
    with TestClient(create_app(ServeSettings(db=store.url), store=store)) as arrays, \
            TestClient(create_app(ServeSettings(db=store.url, snapshot=False), store=store)) as sql:
        arrays.app.state.wm.build_snapshot()
        for path, params in queries:
            a, b = arrays.get(path, params=params), sql.get(path, params=params)
            assert a.status_code == b.status_code == 200, (path, params, a.text)
            assert a.json() == b.json(), (path, params)
        assert arrays.get("/api/facts", params={"per_page": 500}).json()["total"] > 100
        assert arrays.get("/api/facts").headers[SOURCE_HEADER] == "memory"
        assert sql.get("/api/facts").headers[SOURCE_HEADER] == "sql"


def test_after_a_write_sql_answers_until_new_arrays_are_built(store, pipeline):
    """Out-of-date arrays are never used: right after a write SQL answers (new facts included) while the
    arrays are built again in the background; then the arrays answer the same."""
    with TestClient(create_app(ServeSettings(db=store.url), store=store)) as client:
        client.app.state.wm.REBUILD_PAUSE = 0  # the next build may start at once (see the test below)
        client.app.state.wm.build_snapshot()
        before = client.get("/api/facts", params={"place": "Izium"})
        assert before.headers[SOURCE_HEADER] == "memory"
        store.save(pipeline.extract_many([Article(
            id="izium-new", published="2026-03-10", outlet="Test Wire", title="Strike on Izium",
            text="A missile strike killed 3 civilians in Izium in eastern Ukraine on Monday, officials said.")]),
            extractor_version="test")
        after = client.get("/api/facts", params={"place": "Izium"})
        assert after.headers[SOURCE_HEADER] == "sql" and after.json()["total"] > before.json()["total"]
        client.app.state.wm.stop()  # the build the request started
        again = client.get("/api/facts", params={"place": "Izium"})
        assert again.headers[SOURCE_HEADER] == "memory" and again.json() == after.json()


def test_empty_store_gives_empty_answers(db_url):
    with Store(db_url) as store:
        store.upgrade()
        with Session(store.engine) as session:
            snapshot = FactSnapshot.load(session)
        keep = snapshot.mask(q="killed", since=dt.date(2026, 1, 1))
        assert snapshot.size == 0 and snapshot.page(keep, "-date", 0, 50) == []
        assert snapshot.aggregate(keep, "killed", "week", "admin1") == []


def _sortable(row: tuple) -> tuple:
    period, group, value, facts = row
    return period, "" if group is None else group, value, facts


@pytest.mark.parametrize("article_base", [1, 2**61], ids=["small-ids", "ids-too-large-to-combine"])
def test_aggregate_matches_a_plain_reading_of_the_rule(article_base):
    """Synthetic rows (no database): the sums equal the rule read plainly — per article, period and group
    the largest figure, then added up — also when article ids are too large to pack into one sort key."""
    r = random.Random(article_base)
    rows = []
    for i in range(1, 600):
        day = dt.date(2026, 1, 1) + dt.timedelta(days=r.randint(0, 80))
        rows.append({"id": i, "article_id": article_base + r.randint(0, 40), "type": r.choice(("casualty", "displacement")),
                     "outcome": r.choice(("killed", "injured")), "count_best": r.choice((None, 1, 5, 12, 300)),
                     "confidence": 0.8, "review_state": None, "day": r.choice((None, day.isoformat())),
                     "day_start": day.isoformat(), "span_days": r.choice((None, 0, 31, 32, 400)),
                     "place_name": None, "place_geonameid": None, "admin1": r.choice((None, "Idlib", "Aleppo")),
                     "country": "SY", "actors": None, "claimants": None, "victims": None, "search_text": ""})
    from warmonitor.serve.snapshot import COLUMNS

    snapshot = FactSnapshot([[tuple(row[c] for c in COLUMNS) for row in rows[:250]], [],
                             [tuple(row[c] for c in COLUMNS) for row in rows[250:]]])  # in chunks, as loaded
    for measure in ("killed", "displaced"):
        expected_cells: dict[tuple, dict[int, list[int]]] = {}
        for row in rows:
            wanted = row["type"] == "displacement" if measure == "displaced" else \
                (row["type"] == "casualty" and row["outcome"] == measure)
            if not wanted or row["count_best"] is None or row["day"] is None or (row["span_days"] or 0) > 31:
                continue
            day = dt.date.fromisoformat(row["day"])
            monday = (day - dt.timedelta(days=day.weekday())).isoformat()
            expected_cells.setdefault((monday, row["admin1"]), {}).setdefault(row["article_id"], []).append(
                row["count_best"])
        expected = sorted(((p, g, sum(max(v) for v in per.values()), sum(len(v) for v in per.values()))
                           for (p, g), per in expected_cells.items()), key=_sortable)
        found = snapshot.aggregate(snapshot.mask(), measure, "week", "admin1")
        assert sorted(found, key=_sortable) == expected
        assert len(expected) > 10


def test_rebuilds_pause_between_writes(store, pipeline):
    """While writes come batch after batch, arrays are not rebuilt for every one: after a build the next
    waits REBUILD_PAUSE times its length, and SQL answers meanwhile."""
    def write(name: str) -> None:
        store.save(pipeline.extract_many([Article(
            id=name, published="2026-03-10", outlet="Test Wire", title="Strike",
            text=f"A missile strike killed 3 civilians in Izium in eastern Ukraine on Monday ({name}), officials "
                 "said.")]), extractor_version="test")

    with TestClient(create_app(ServeSettings(db=store.url), store=store)) as client:
        arrays = client.app.state.wm
        arrays.stop()
        arrays.REBUILD_PAUSE = 10**6  # as if the last build had been very long
        arrays.build_snapshot()
        write("izium-a")
        assert client.get("/api/facts").headers[SOURCE_HEADER] == "sql"
        arrays.stop()
        assert client.get("/api/facts").headers[SOURCE_HEADER] == "sql"  # no build was started
        arrays.REBUILD_PAUSE = 0
        arrays.build_snapshot()  # sets the next allowed build to now
        write("izium-b")
        assert client.get("/api/facts").headers[SOURCE_HEADER] == "sql"  # this request starts a build
        arrays.stop()
        assert client.get("/api/facts").headers[SOURCE_HEADER] == "memory"


def test_sorts_put_missing_values_last_then_order_by_id():
    """Synthetic rows with undated, uncounted and unscored facts (the examples have few or none): every sort
    matches `api_facts._ordered` read plainly — NULLs last either way, ties broken by id in the same sense."""
    from warmonitor.serve.snapshot import COLUMNS

    r = random.Random(5)
    rows = [{"id": i, "article_id": 1, "type": "casualty", "outcome": "killed", "review_state": None,
             "count_best": r.choice((None, 1, 5, 5, 40)), "confidence": r.choice((None, 0.5, 0.9, 0.9)),
             "day": r.choice((None, "2026-01-05", "2026-01-05", "2026-02-11")), "day_start": None, "span_days": None,
             "place_name": None, "place_geonameid": None, "admin1": None, "country": None, "actors": None,
             "claimants": None, "victims": None, "search_text": ""} for i in r.sample(range(1, 400), 120)]
    snapshot = FactSnapshot([[tuple(row[c] for c in COLUMNS) for row in rows]])
    keep = snapshot.mask()
    for sort, column in (("date", "day"), ("count", "count_best"), ("confidence", "confidence"), ("id", "id")):
        present = [row for row in rows if row[column] is not None]
        missing = [row for row in rows if row[column] is None]
        ascending = sorted(present, key=lambda row: (row[column], row["id"])) + sorted(missing, key=lambda row: row["id"])
        descending = sorted(present, key=lambda row: (row[column], row["id"]), reverse=True) + \
            sorted(missing, key=lambda row: row["id"], reverse=True)
        assert snapshot.page(keep, sort, 0, 1000) == [row["id"] for row in ascending], sort
        assert snapshot.page(keep, "-" + sort, 0, 1000) == [row["id"] for row in descending], sort
    assert any(row["day"] is None for row in rows) and any(row["count_best"] is None for row in rows)


# -- every filter, both paths ---------------------------------------------------------------------

def edge_row(article_id: int, type: str, *, day: str | None = None, day_start: str | None = None, **values) -> dict:
    row = {"article_id": article_id, "type": type, "record": {}, "place_name": None, "place_geonameid": None,
           "admin1": None, "country": None, "actors": None, "claimants": None, "victims": None, "confidence": None,
           "review_state": None, "search_text": None,
           "day": dt.date.fromisoformat(day) if day else None,
           "day_start": dt.date.fromisoformat(day_start or day) if (day_start or day) else None}
    return {**row, **values}


# Facts at the edges of the filters: NULLs everywhere, a span, names sharing words, LIKE's own characters.
# Names are ASCII where case matters: SQLite folds ASCII only (the module docstring).
EDGE_ROWS = [
    edge_row(1, "casualty", day="2026-01-10", place_name="Saraqib", place_geonameid=164816, admin1="Idlib",
             country="SY", actors="syrian government;russia", claimants="un", victims="civilians", confidence=0.85,
             search_text="12 civilians killed in saraqib"),
    edge_row(1, "casualty", day="2026-01-31", day_start="2026-01-01", place_name="Al-Bab", admin1="Aleppo",
             country="SY", actors="russia", claimants="sohr;un ocha", victims="children", confidence=1.0,
             review_state="confirmed", search_text="100% of 5_000 \\ people"),
    edge_row(2, "displacement", review_state="rejected"),
    edge_row(1, "summary", day="2026-01-10", place_name="Saraqib", country="SY", confidence=0.9,
             search_text="summary killed"),
    edge_row(2, "attack", day="2026-02-01", place_name="Kharkiv", place_geonameid=706483, admin1="Kharkiv",
             country="UA", actors="islamic state", confidence=0.0, review_state="corrected",
             search_text="drones hit kharkiv"),
    edge_row(2, "quote", day="2026-01-20", actors="un;un ocha", claimants="UN", confidence=0.5,
             search_text="a b c d e f g h i j killed"),
    edge_row(2, "control", day="2025-12-31", place_name="ḥamā", admin1="hama", country="SY", victims="Civilians",
             confidence=0.851, search_text="ḥamā taken"),
    edge_row(1, "population", day="2026-01-09", day_start="2025-12-20", place_name="Idlib", place_geonameid=169389,
             admin1="Idlib", country="SY", confidence=0.7, review_state="confirmed", search_text="population of idlib"),
]

# Each filter's values at its edges: equal to a stored value, just beside it, other cases and spaces, none.
EDGE_VALUES: dict[str, list] = {
    "type": [["casualty"], ["summary"], ["casualty", "summary"], ["nonexistent"], "quote", []],
    "since": [dt.date(2026, 1, 10), dt.date(2026, 1, 11), dt.date(2026, 1, 31), "2026-01-01", dt.date(2027, 1, 1)],
    "until": [dt.date(2026, 1, 1), dt.date(2025, 12, 31), dt.date(2025, 12, 19), "2026-02-01"],
    "place": ["Saraqib", " saraqib ", "SARAQIB", "164816", " 164816 ", 706483, "0", "al-bab", "ḥamā", "Sara"],
    "admin1": ["idlib", " IDLIB ", "Idli", "hama"],
    "country": ["sy", " Sy ", "UA", "S"],
    "actor": ["russia", " RUSSIA ", "syrian government", "syrian", "un ocha", "un;un ocha", "%", "_"],
    "claimant": ["un", "UN OCHA", "ocha", "sohr;un ocha"],
    "victims": ["civilians", "CIVILIANS ", "civil", "children"],
    "min_confidence": [0, 0.5, 0.85, 0.851, 1, 1.0],
    "review": [["unreviewed"], ["confirmed"], ["unreviewed", "rejected"], ["corrected", "confirmed"], [], "rejected"],
    "q": ["killed", "KILLED saraqib", "100%", "5_000", "\\", "%", "_", "a b c d e f g h i j", "kill", "  "],
    "article": [1, 2, "1", 999],
}


def test_every_filter_has_both_paths_and_the_api_reads_it():
    """A filter declared once (`FACT_FILTERS`) is a query parameter, a `Filters` field, an SQL clause and an
    array mask; a filter without edge values here fails, so none is added untested."""
    import inspect

    from warmonitor.serve.filters import READERS, filters
    from warmonitor.serve.snapshot import ArrayTests
    from warmonitor.store.fact_filters import FACT_FILTERS, FILTER_NAMES, READS, FactTests
    from warmonitor.store.query import SqlTests

    assert set(EDGE_VALUES) == set(FILTER_NAMES)
    assert list(inspect.signature(filters).parameters) == list(FILTER_NAMES)
    assert set(READERS) == set(READS) and all(f.reads in READS for f in FACT_FILTERS)
    assert all(getattr(Filters(), name) is None for name in FILTER_NAMES)
    comparisons = {name for name in vars(FactTests) if not name.startswith("_")}
    assert comparisons >= {"equal", "one_of", "equal_folded", "has_name", "at_least", "at_most", "contains"}
    for implementation in (SqlTests, ArrayTests):
        assert all(callable(getattr(implementation, name, None)) for name in comparisons), implementation


def test_both_paths_agree_on_each_filter_at_its_edges(db_url):
    from warmonitor.store.query import fact_conditions

    with Store(db_url) as store:
        store.upgrade()
        with Session(store.engine) as session, session.begin():
            for key in (1, 2):
                now = dt.datetime.now(dt.timezone.utc)
                session.add(ArticleRow(id=key, article_key=f"a{key}", content_hash=str(key), text="", first_seen=now,
                                       last_seen=now))
            session.flush()
            session.add_all(FactRow(**row) for row in EDGE_ROWS)
        with Session(store.engine) as session:
            snapshot = FactSnapshot.load(session)
            everything = list(session.scalars(select(FactRow.id).order_by(FactRow.id)))
            assert snapshot.size == len(EDGE_ROWS) == len(everything)
            checked = 0
            for name, values in EDGE_VALUES.items():
                seen = set()
                for value in values:
                    sql = list(session.scalars(select(FactRow.id).where(*fact_conditions(**{name: value}))
                                               .order_by(FactRow.id)))
                    arrays = [int(i) for i in snapshot.id[snapshot.mask(**{name: value})]]
                    assert arrays == sql, (name, value)
                    seen.add(tuple(sql))
                    checked += 1
                assert len(seen) > 1, f"{name}: every edge value gives the same facts; choose sharper ones"
            assert checked == sum(len(v) for v in EDGE_VALUES.values())
            none = list(session.scalars(select(FactRow.id).where(*fact_conditions()).order_by(FactRow.id)))
            assert [int(i) for i in snapshot.id[snapshot.mask()]] == none == [
                i for i, row in zip(everything, EDGE_ROWS) if row["type"] != "summary"]
