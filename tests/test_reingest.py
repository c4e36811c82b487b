"""Ingesting an article again: changed text and corrected metadata make a new version, the same input
again is "unchanged" and moves last_seen on (issues 10 and 14). Every test runs on SQLite and, with
$WARMONITOR_TEST_PG_URL, on PostgreSQL. The articles are invented for these tests.
"""
from __future__ import annotations

import dataclasses
import io
import json

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from warmonitor.model import Article
from warmonitor.store import Store
from warmonitor.store.review import review_fact
from warmonitor.store.schema import ArticleRow, FactRow
from warmonitor.usecases.ingest import ingest_inputs

ARIHA = "Shelling killed six civilians and injured 11 in Ariha on Tuesday, rescuers said."
ARIHA_REPAIRED = "Shelling killed seven civilians and injured 11 in Ariha on Tuesday, rescuers said."


@pytest.fixture
def store(db_url):
    with Store(db_url) as found:
        found.upgrade()
        yield found


@pytest.fixture
def article_file(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    path = folder / "ariha.txt"
    path.write_text(ARIHA, encoding="utf-8")
    return path


def versions(store: Store) -> list[ArticleRow]:
    with Session(store.engine) as session:
        return session.scalars(select(ArticleRow).order_by(ArticleRow.id)).all()


def current(store: Store) -> ArticleRow:
    (row,) = [row for row in versions(store) if row.is_current]
    return row


def fact_dates(store: Store) -> list[str | None]:
    return sorted(str(r.get("date")) for r in store.facts())


def counts(summary) -> tuple[int, int, int, int]:
    return summary.read, summary.new, summary.updated, summary.unchanged


def test_published_given_later_dates_the_undated_facts(store, article_file, pipeline):
    first = ingest_inputs(store, [str(article_file)], pipeline=pipeline)
    assert counts(first) == (1, 1, 0, 0)
    assert fact_dates(store) == ["None", "None"]  # "on Tuesday" of an undated article

    again = ingest_inputs(store, [str(article_file)], published="2024-03-07", pipeline=pipeline)
    assert counts(again) == (1, 0, 1, 0) and again.facts == 2
    assert fact_dates(store) == ["2024-03-05", "2024-03-05"]
    row = current(store)
    assert (row.version, row.published.isoformat()) == (2, "2024-03-07")
    assert store.counts() == {"articles": 1, "versions": 2, "facts": 2, "summaries": 1}

    same = ingest_inputs(store, [str(article_file)], published="2024-03-07", pipeline=pipeline)
    assert counts(same) == (1, 0, 0, 1) and same.facts == 0


def test_an_input_without_published_keeps_the_stored_day_and_is_unchanged(store, pipeline):
    first = ingest_inputs(store, ["-"], published="2024-03-07", stdin=io.BytesIO(ARIHA.encode()), pipeline=pipeline)
    assert counts(first) == (1, 1, 0, 0)
    again = ingest_inputs(store, ["-"], stdin=io.BytesIO(ARIHA.encode()), pipeline=pipeline)
    assert counts(again) == (1, 0, 0, 1)
    row = current(store)
    assert (row.version, row.published.isoformat()) == (1, "2024-03-07")
    assert fact_dates(store) == ["2024-03-05", "2024-03-05"]


def test_outlet_correction_is_a_new_version_keeping_the_other_fields(store, article_file, pipeline):
    ingest_inputs(store, [str(article_file)], published="2024-03-07", outlet="Wire", pipeline=pipeline)
    again = ingest_inputs(store, [str(article_file)], outlet="Daily Courier", pipeline=pipeline)
    assert counts(again) == (1, 0, 1, 0)
    row = current(store)
    assert (row.version, row.outlet, row.published.isoformat()) == (2, "Daily Courier", "2024-03-07")
    assert fact_dates(store) == ["2024-03-05", "2024-03-05"]
    old = [r for r in versions(store) if not r.is_current]
    assert [(r.version, r.outlet) for r in old] == [(1, "Wire")]


def test_a_fixed_meta_file_updates_title_url_and_dates(store, article_file, pipeline):
    meta = article_file.with_name("ariha.meta.json")
    meta.write_text(json.dumps({"published": "2019-12-31", "title": "Shelling in Ariah"}), encoding="utf-8")
    ingest_inputs(store, [str(article_file.parent)], pipeline=pipeline)
    assert fact_dates(store) == ["2019-12-31", "2019-12-31"]

    meta.write_text(json.dumps({"published": "2024-03-07", "title": "Shelling in Ariha",
                                "url": "https://news.example.org/ariha"}), encoding="utf-8")
    again = ingest_inputs(store, [str(article_file.parent)], pipeline=pipeline)
    assert counts(again) == (1, 0, 1, 0)
    row = current(store)
    assert (row.title, row.canonical_url, row.published.isoformat()) == (
        "Shelling in Ariha", "https://news.example.org/ariha", "2024-03-07")
    assert fact_dates(store) == ["2024-03-05", "2024-03-05"]


def test_changed_text_is_a_new_version_with_its_facts(store, article_file, pipeline):
    ingest_inputs(store, [str(article_file)], published="2024-03-07", pipeline=pipeline)
    article_file.write_text(ARIHA_REPAIRED, encoding="utf-8")
    again = ingest_inputs(store, [str(article_file)], pipeline=pipeline)
    assert counts(again) == (1, 0, 1, 0)
    row = current(store)
    assert (row.version, row.text, row.published.isoformat()) == (2, ARIHA_REPAIRED, "2024-03-07")
    assert sorted(r["count"]["best"] for r in store.facts()) == [7, 11]


def test_last_seen_moves_on_when_the_same_input_comes_again(store, article_file, pipeline):
    ingest_inputs(store, [str(article_file)], pipeline=pipeline)
    before = current(store)
    again = ingest_inputs(store, [str(article_file)], pipeline=pipeline)
    assert counts(again) == (1, 0, 0, 1)
    after = current(store)
    assert after.id == before.id and after.first_seen == before.first_seen
    assert after.last_seen > before.last_seen


def test_reviews_come_back_on_the_version_a_correction_makes(store, article_file, pipeline):
    ingest_inputs(store, [str(article_file)], pipeline=pipeline)
    with Session(store.engine) as session, session.begin():
        fact = session.scalars(select(FactRow).where(FactRow.type == "casualty", FactRow.count_best == 6)).one()
        review_fact(session, fact, "correct", {"count": {"best": 8}}, user="ana", reason="the follow-up says 8")
    ingest_inputs(store, [str(article_file)], published="2024-03-07", pipeline=pipeline)
    (corrected,) = [r for r in store.facts() if r.get("review")]
    assert corrected["count"]["best"] == 8 and corrected["date"] == "2024-03-05"


def test_store_save_tells_a_correction_from_a_repeat(store, pipeline):
    """`Store.save` itself (the Python API): the same rules as ingest, and a new version keeps the stored
    value of what its input lacks, the facts' days included."""
    article = Article(id="ariha", text=ARIHA, published="2024-03-07", outlet="Wire", source="ariha.txt")
    result = pipeline.extract(article)
    assert store.save([result], extractor_version="v1").new == 1
    bare = dataclasses.replace(result, article=dataclasses.replace(article, published=None, outlet=None))
    assert store.save([bare], extractor_version="v1").unchanged == 1
    renamed = dataclasses.replace(result, article=dataclasses.replace(article, published=None, outlet="Courier"))
    saved = store.save([renamed], extractor_version="v1")
    assert (saved.new, saved.updated, saved.unchanged) == (0, 1, 0)
    row = current(store)
    assert (row.outlet, row.published.isoformat()) == ("Courier", "2024-03-07")
    with Session(store.engine) as session:
        assert {d.isoformat() for d in session.scalars(select(FactRow.day))} == {"2024-03-05"}


def test_a_copy_under_another_key_is_no_correction(store, pipeline):
    """The same text stored under another key is a syndicated copy: other metadata does not make it a version."""
    article = Article(id="wire-1", text=ARIHA, published="2024-03-07", outlet="Wire")
    store.save([pipeline.extract(article)], extractor_version="v1")
    copy = dataclasses.replace(article, id="courier-9", outlet="Courier")
    assert store.prior_version(copy, current(store).content_hash).unchanged
    assert store.save([pipeline.extract(copy)], extractor_version="v1").unchanged == 1
    assert current(store).outlet == "Wire"
