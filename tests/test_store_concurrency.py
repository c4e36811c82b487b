"""Two writers storing the same articles at once (two `ingest` runs over one folder, a cron job beside
a `watch`): every article ends up current exactly once, on SQLite and PostgreSQL. Articles invented."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from warmonitor.model import Article, ArticleResult
from warmonitor.store import Store
from warmonitor.store.engine import upgrade
from warmonitor.store.schema import ArticleRow


def result(key: str, text: str) -> ArticleResult:
    return ArticleResult(Article(id=key, text=text, published="2025-06-01", source=f"{key}.txt"), text, [],
                         {"killed": {}, "places": [], "perpetrators": [], "causes": []})


RESULTS = [result(f"a{i}", f"Report {i}: shelling hit the market of town {i} on Sunday.") for i in range(40)]


def current_counts(url: str) -> dict[str, int]:
    with Store(url) as store, Session(store.engine) as session:
        rows = session.execute(select(ArticleRow.article_key, func.count()).where(ArticleRow.is_current)
                               .group_by(ArticleRow.article_key)).all()
    return dict(rows)


def test_a_writer_that_loses_the_race_writes_its_batch_again(db_url):
    with Store(db_url) as first, Store(db_url) as second:
        first.upgrade()
        original = Store._article_row
        raced = []

        def store_the_same_articles_first(item, now, version):
            if not raced:  # after `first` looked up what is stored, before it inserts
                raced.append(second.save(RESULTS[:5], extractor_version="t"))
            return original(item, now, version)

        first._article_row = store_the_same_articles_first
        summary = first.save(RESULTS[:5], extractor_version="t")
    assert (raced[0].new, raced[0].unchanged) == (5, 0)
    assert (summary.new, summary.updated, summary.unchanged) == (0, 0, 5)
    assert current_counts(db_url) == {f"a{i}": 1 for i in range(5)}


def test_two_writers_at_once_store_each_article_once(db_url):
    with Store(db_url) as store:
        store.upgrade()
    summaries, errors = [], []

    def ingest():
        try:
            with Store(db_url) as store:
                summaries.append(store.save(RESULTS, extractor_version="t", batch_size=4))
        except Exception as exc:  # reported below with the others
            errors.append(exc)

    threads = [threading.Thread(target=ingest) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert current_counts(db_url) == {f"a{i}": 1 for i in range(40)}
    assert sum(s.new for s in summaries) == 40
    assert sum(s.new + s.unchanged for s in summaries) == 3 * 40


def test_the_schema_refuses_a_second_current_version(db_url):
    with Store(db_url) as store:
        store.upgrade()
        store.save(RESULTS[:1], extractor_version="t")
        with Session(store.engine) as session, session.begin():
            row = session.scalars(select(ArticleRow)).one()
            twin = {c.name: getattr(row, c.name) for c in ArticleRow.__table__.columns if c.name != "id"}
        with pytest.raises(IntegrityError), Session(store.engine) as session, session.begin():
            session.add(ArticleRow(**twin))
        with Session(store.engine) as session, session.begin():  # an old version may share its key
            session.add(ArticleRow(**{**twin, "is_current": False, "version": 0}))


def test_the_migration_mends_duplicates_left_by_earlier_runs(db_url):
    with Store(db_url) as store:
        upgrade(store.engine, "0002")
        for _ in range(2):  # what two racing runs of the old version left: the same articles current twice
            with Session(store.engine) as session, session.begin():
                for item in RESULTS[:3]:
                    session.execute(text(
                        "INSERT INTO articles (article_key, content_hash, text, first_seen, last_seen, version, "
                        "is_current) VALUES (:k, :h, :t, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1, :yes)"),
                        {"k": item.article.id, "h": "h-" + item.article.id, "t": item.text, "yes": True})
        with Session(store.engine) as session, session.begin():
            first_ids = session.execute(text("SELECT min(id) FROM articles GROUP BY article_key ORDER BY 1")).scalars().all()
        store.upgrade()
        with Session(store.engine) as session:
            kept = session.execute(text("SELECT id FROM articles WHERE is_current ORDER BY id")).scalars().all()
            total = session.execute(text("SELECT count(*) FROM articles")).scalar()
    assert kept == first_ids and total == 6
