"""The store: migrations, versioned saving, batches, reprocessing and queries, on SQLite and PostgreSQL.

Every storage test runs once per backend (fixture `db_url` in conftest.py; PostgreSQL when
$WARMONITOR_TEST_PG_URL is set). The articles below are invented for these tests.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from warmonitor.model import Article, ArticleResult, Evidence, Fact, ReadError
from warmonitor.store import SaveSummary, Store, StoreError, canonical_url, content_hash
from warmonitor.store.engine import VERSION_TABLE, head_revision
from warmonitor.store.schema import ActorRow, ArticleRow, Base, FactRow

SYRIA = """Airstrike kills 12 in Aleppo market

At least 12 civilians were killed on Tuesday when an airstrike by Russian forces hit a market in Aleppo, \
the Syrian Observatory for Human Rights said. About 300 families fled to Idlib in the last three days."""

SYRIA_UPDATED = """Airstrike kills 15 in Aleppo market

At least 15 civilians were killed on Tuesday when an airstrike by Russian forces hit a market in Aleppo, \
the Syrian Observatory for Human Rights said. About 500 families fled to Idlib in the last three days."""

DRC = """M23 rebels seize Sake

M23 rebels seized the town of Sake on Saturday, the UN said. About 3,000 people fled their homes in Goma \
since the beginning of March. "The situation is dire," said Jens Laerke, a spokesman for OCHA."""

UKRAINE = """Shelling kills three in Kherson

Russian shelling killed three people and injured seven others in Kherson on Sunday, regional governor \
Oleksandr Prokudin said."""

ARTICLES = [
    Article(id="syria", text=SYRIA, published="2020-02-05", outlet="Wire", title="Airstrike kills 12",
            url="https://News.example.org/syria/aleppo-market/?utm_source=feed#top", language="en", source="syria.txt"),
    Article(id="drc", text=DRC, published="2024-03-10", outlet="Wire", url="https://news.example.org/drc/sake",
            source="drc.txt"),
    Article(id="ukraine", text=UKRAINE, published="2023-11-13", outlet="Other", source="ukraine.txt"),
]


@pytest.fixture(scope="module")
def results(pipeline) -> list[ArticleResult]:
    return [pipeline.extract(article) for article in ARTICLES]


@pytest.fixture(scope="module")
def updated(pipeline) -> ArticleResult:
    return pipeline.extract(dataclasses.replace(ARTICLES[0], text=SYRIA_UPDATED))


@pytest.fixture
def store(db_url):
    with Store(db_url) as found:
        found.upgrade()
        yield found


def rows(store: Store, model, *where):
    with Session(store.engine) as session:
        return session.scalars(select(model).where(*where).order_by(model.id)).all()


def canon(records: list[dict]) -> list[str]:
    """Records in a comparable form, order aside."""
    return sorted(json.dumps(r, sort_keys=True) for r in records)


def all_records(results: list[ArticleResult]) -> list[dict]:
    return [record for result in results for record in result.records()]


# -- migrations ----------------------------------------------------------------------------------------

def test_upgrade_is_idempotent_and_matches_the_models(db_url):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    store = Store(db_url)
    assert store.revision() is None
    store.upgrade()
    store.upgrade()
    assert store.revision() == head_revision()
    assert store.counts() == {"articles": 0, "versions": 0, "facts": 0, "summaries": 0}
    with store.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"version_table": VERSION_TABLE, "compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
    store.close()


def test_a_store_without_tables_says_to_upgrade(db_url):
    with Store(db_url) as store, pytest.raises(StoreError, match="no warmonitor tables.*upgrade"):
        store.facts()


# -- saving --------------------------------------------------------------------------------------------

def test_save_new_then_unchanged(store, results):
    first = store.save(results, extractor_version="v1")
    facts = sum(len(r.facts) for r in results)
    assert (first.new, first.updated, first.unchanged, first.skipped) == (3, 0, 0, [])
    assert first.facts_stored == facts
    seen = {row.article_key: row.last_seen for row in rows(store, ArticleRow)}

    again = store.save(results, extractor_version="v1")
    assert (again.new, again.updated, again.unchanged, again.facts_stored) == (0, 0, 3, 0)
    assert store.counts() == {"articles": 3, "versions": 3, "facts": facts, "summaries": 3}
    stored = rows(store, ArticleRow)
    assert all(row.last_seen > seen[row.article_key] for row in stored)  # seen again: last_seen moves on
    assert all(row.first_seen <= row.last_seen for row in stored)


def test_article_columns(store, results):
    store.save(results, extractor_version="v1")
    syria = rows(store, ArticleRow, ArticleRow.article_key == "syria")[0]
    assert syria.content_hash == content_hash(results[0].text)
    assert syria.canonical_url == "https://news.example.org/syria/aleppo-market"
    assert (syria.outlet, syria.title, syria.language, syria.source) == ("Wire", "Airstrike kills 12", "en", "syria.txt")
    assert syria.published == dt.date(2020, 2, 5)
    assert syria.text == results[0].text
    assert (syria.version, syria.is_current) == (1, True)
    for fact in rows(store, FactRow, FactRow.article_id == syria.id):
        record = fact.record
        assert fact.type == record["type"]
        if record["type"] != "summary":
            assert syria.text[fact.evidence_start:fact.evidence_end] == record["evidence"]["text"]
            assert fact.claimants == (";".join(record["claimed_by"]) or None)
        if isinstance(record.get("count"), dict):
            assert (fact.count_low, fact.count_best, fact.count_high) == tuple(
                record["count"][k] for k in ("low", "best", "high"))


def test_same_article_twice_is_stored_once(store, results):
    summary = store.save([results[0], results[0]], extractor_version="v1")
    assert (summary.new, summary.unchanged) == (1, 1)
    summary = store.save([results[1], results[1], results[1]], extractor_version="v1", batch_size=1)
    assert (summary.new, summary.unchanged) == (1, 2)
    # the same text under another key and URL (a syndicated copy) is the same content
    copy = dataclasses.replace(results[2], article=dataclasses.replace(ARTICLES[2], id="copy", url="https://x.example/c"))
    assert store.save([results[2], copy], extractor_version="v1").unchanged == 1
    assert store.counts()["articles"] == 3
    assert store.counts()["summaries"] == 3


def test_new_content_is_a_new_version(store, results, updated):
    store.save(results, extractor_version="v1")
    summary = store.save([updated], extractor_version="v2")
    assert (summary.new, summary.updated, summary.unchanged) == (0, 1, 0)
    assert summary.facts_stored == len(updated.facts)

    versions = rows(store, ArticleRow, ArticleRow.article_key == "syria")
    assert [(v.version, v.is_current) for v in versions] == [(1, False), (2, True)]
    assert versions[0].text == results[0].text and versions[1].text == updated.text
    assert rows(store, FactRow, FactRow.article_id == versions[0].id) == []  # the old version's facts went
    counts = store.counts()
    assert (counts["articles"], counts["versions"]) == (3, 4)
    assert canon(store.facts(summaries=True)) == canon(all_records([updated, *results[1:]]))
    assert {r["extractor_version"] for r in rows_as_dicts(store, versions[1].id)} == {"v2"}

    # the first text again is one more version, and saving it twice changes nothing more
    assert store.save([results[0]], extractor_version="v1").updated == 1
    assert store.save([results[0]], extractor_version="v1").unchanged == 1
    assert [v.version for v in rows(store, ArticleRow, ArticleRow.article_key == "syria", ArticleRow.is_current)] == [3]


def rows_as_dicts(store: Store, article_id: int) -> list[dict]:
    return [{"extractor_version": f.extractor_version, "type": f.type}
            for f in rows(store, FactRow, FactRow.article_id == article_id)]


def test_same_canonical_url_under_another_key_is_a_new_version(store, results, updated):
    store.save(results, extractor_version="v1")
    moved = dataclasses.replace(updated, article=dataclasses.replace(
        updated.article, id="syria-2", url="https://news.example.org/syria/aleppo-market?utm_medium=x"))
    assert store.save([moved], extractor_version="v1").updated == 1
    current = rows(store, ArticleRow, ArticleRow.canonical_url == "https://news.example.org/syria/aleppo-market")
    assert [(r.article_key, r.version, r.is_current) for r in current] == [("syria", 1, False), ("syria-2", 2, True)]
    assert store.is_stored("https://news.example.org/syria/aleppo-market/#comments")
    assert not store.is_stored("syria")
    assert store.is_stored("syria-2")


def test_batches_are_committed_as_they_fill(store, results, updated):
    stream = [results[0], results[1], results[2], dataclasses.replace(updated, article=dataclasses.replace(
        updated.article, id="other", url=None))]

    def crashing():
        yield from stream
        yield results[0]  # unchanged, in the open batch
        raise RuntimeError("the reader died")

    with pytest.raises(RuntimeError, match="reader died"):
        store.save(crashing(), extractor_version="v1", batch_size=2)
    assert store.counts()["articles"] == 4  # two full batches kept

    def crashing_midway():
        yield ArticleResult(dataclasses.replace(ARTICLES[0], id="lost"), "A text never stored.", [], {})
        raise RuntimeError("again")

    with pytest.raises(RuntimeError):
        store.save(crashing_midway(), extractor_version="v1", batch_size=2)
    assert not store.is_stored("lost")


def test_read_errors_and_empty_texts_are_skipped(store, results):
    empty = ArticleResult(Article(id="empty", text="  ", source="empty.txt"), "  ", [], {})
    summary = store.save([ReadError("bad.html", "bad.html: not HTML"), results[0], empty], extractor_version="v1")
    assert summary.new == 1
    assert summary.skipped == [("bad.html", "bad.html: not HTML"), ("empty.txt", "empty text: nothing to store")]
    assert isinstance(summary, SaveSummary) and "1 new" in str(summary)


def test_known_hashes_and_is_stored(store, results, updated):
    store.save(results, extractor_version="v1")
    assert store.known_hashes() == {content_hash(r.text) for r in results}
    assert store.is_stored("syria", content_hash(results[0].text))
    assert not store.is_stored("syria", content_hash(updated.text))
    assert store.is_stored("https://news.example.org/drc/sake/")
    assert not store.is_stored("https://news.example.org/drc/goma")
    store.save([updated], extractor_version="v1")
    assert content_hash(results[0].text) not in store.known_hashes()


# -- reprocessing ---------------------------------------------------------------------------------------

def test_reprocess_replaces_facts_and_records_the_version(store, results, pipeline):
    # stored with the facts missing, as an older extractor might have left them
    hollow = [dataclasses.replace(r, facts=[]) for r in results]
    store.save(hollow, extractor_version="old")
    assert store.counts()["facts"] == 0
    seen = []
    assert store.reprocess(pipeline, extractor_version="new", batch_size=2,
                           progress=lambda done, total: seen.append((done, total))) == 3
    assert seen == [(1, 3), (2, 3), (3, 3)]
    assert canon(store.facts(summaries=True)) == canon(all_records(results))
    with Session(store.engine) as session:
        versions = set(session.scalars(select(FactRow.extractor_version).distinct()))
        facts = session.scalar(select(func.count()).select_from(FactRow))
    assert versions == {"new"}
    assert facts == sum(len(r.facts) + 1 for r in results)
    assert store.counts()["versions"] == 3  # no new versions, no refetch


def test_reprocess_leaves_a_failing_article_as_it_was(store, results):
    store.save(results, extractor_version="v1")

    class Failing:
        def extract_many(self, articles):
            for article in articles:
                yield ReadError(article.source, f"{article.source}: extraction failed")

    errors = []
    assert store.reprocess(Failing(), extractor_version="v2", on_error=errors.append) == 0
    assert [e.source for e in errors] == ["syria.txt", "drc.txt", "ukraine.txt"]
    assert canon(store.facts(summaries=True)) == canon(all_records(results))


# -- reading --------------------------------------------------------------------------------------------

def test_records_round_trip(store, results):
    store.save(results, extractor_version="v1")
    assert canon(store.facts(summaries=True)) == canon(all_records(results))
    for result in results:
        stored = [r for r in store.facts(summaries=True) if r["article"] == result.article.id]
        assert canon(stored) == canon(result.records())
        assert [r for r in stored if r["type"] == "summary"] == [result.records()[-1]]


def actor_types(store: Store) -> dict[str, str | None]:
    with Session(store.engine) as session:
        return {row.name: row.type for row in session.scalars(select(ActorRow))}


def test_actor_types_come_from_the_records(store, results):
    # Extraction writes each named actor's type on the fact; the store files names by it without
    # loading the actor list again.
    store.save(results, extractor_version="v1")
    types = actor_types(store)
    assert types["Russian forces"] == "foreign state forces"
    assert types["SOHR"] == "monitor"
    assert types["OCHA"] == "UN agency"
    assert types["Oleksandr Prokudin"] is None  # not in actors.jsonl


def test_records_without_actor_types_file_names_untyped(store):
    # A record kept from before `actor_types` existed (or made by hand) still files its names; their
    # type is unknown (None), as for a name the actor list does not know.
    article = Article(id="old", text="Made-up text about Example Front.", published="2020-01-01")
    facts = [Fact("control", Evidence("Example Front", 16, 29), {"actor": "Example Front", "change": "captured"},
                  ["Old Monitor"], 0.5, "control.captured"),
             Fact("control", Evidence("Example Front", 16, 29), {"actor": "Example Front", "change": "lost"},
                  ["Old Monitor"], 0.5, "control.lost", {"Example Front": "non-state armed group"})]
    store.save([ArticleResult(article, article.text, facts, {"places": []})], extractor_version="v0")
    assert actor_types(store) == {"Example Front": "non-state armed group", "Old Monitor": None}


def filed_place(record: dict) -> dict:
    if record["type"] == "summary":
        return (record.get("places") or [{}])[0]
    return next((record[k] for k in ("place", "origin", "destination") if isinstance(record.get(k), dict)), {})


def names_of(record: dict) -> list[str]:
    names = list(record.get("perpetrators") or [])
    return names + [record[k] for k in ("actor", "speaker", "speaker_org") if isinstance(record.get(k), str)]


def span(record: dict, published: str) -> tuple[str, str]:
    period = record.get("period") or {}
    start = record.get("date") or period.get("start") or period.get("end") or published
    end = record.get("date") or period.get("end") or period.get("start") or published
    return start, end


FILTERS = {
    "type": ({"type": "casualty"}, lambda r, p: r["type"] == "casualty"),
    "types": ({"type": ["control", "quote"]}, lambda r, p: r["type"] in ("control", "quote")),
    "place": ({"place": "kherson"}, lambda r, p: (filed_place(r).get("name") or "").lower() == "kherson"),
    "geonameid": ({"place": 169389}, lambda r, p: filed_place(r).get("geonameid") == 169389),
    "admin1": ({"admin1": "Nord Kivu"}, lambda r, p: filed_place(r).get("admin1") == "Nord Kivu"),
    "country": ({"country": "ua"}, lambda r, p: filed_place(r).get("country") == "UA"),
    "actor": ({"actor": "russian forces"}, lambda r, p: "Russian forces" in names_of(r)),
    "speaker": ({"actor": "Jens Laerke"}, lambda r, p: "Jens Laerke" in names_of(r)),
    "claimant": ({"claimant": "SOHR"}, lambda r, p: "SOHR" in (r.get("claimed_by") or [])),
    "since": ({"since": "2023-11-13"}, lambda r, p: span(r, p)[1] >= "2023-11-13"),
    "until": ({"until": dt.date(2020, 2, 4)}, lambda r, p: span(r, p)[0] <= "2020-02-04"),
    "period": ({"since": "2024-03-05", "until": "2024-03-06"},
               lambda r, p: span(r, p)[1] >= "2024-03-05" and span(r, p)[0] <= "2024-03-06"),
    "min_confidence": ({"min_confidence": 0.8}, lambda r, p: (r.get("confidence") or 0) >= 0.8),
    "summaries": ({"type": "summary"}, lambda r, p: r["type"] == "summary"),
    "summary_admin1": ({"type": "summary", "admin1": "kherson"},
                       lambda r, p: r["type"] == "summary" and filed_place(r).get("admin1") == "Kherson"),
    "with_summaries": ({"summaries": True, "actor": "Russian forces"}, lambda r, p: "Russian forces" in names_of(r)),
    "combined": ({"type": "casualty", "country": "UA", "claimant": "Oleksandr Prokudin"},
                 lambda r, p: r["type"] == "casualty" and filed_place(r).get("country") == "UA"
                 and "Oleksandr Prokudin" in r["claimed_by"]),
}


def test_facts_filters(store, results):
    store.save(results, extractor_version="v1")
    published = {a.id: a.published for a in ARTICLES}
    everything = all_records(results)
    for name, (where, keep) in FILTERS.items():
        with_summaries = "type" in where or where.get("summaries")
        expected = [r for r in everything if keep(r, published[r["article"]])
                    and (with_summaries or r["type"] != "summary")]
        assert expected, f"filter {name}: the test articles no longer give a record to find; change the texts"
        assert len(expected) < len(everything), f"filter {name} keeps everything; it tests nothing"
        assert canon(store.facts(**where)) == canon(expected), name


def test_facts_newest_first_and_limit(store, results):
    store.save(results, extractor_version="v1")
    published = {a.id: a.published for a in ARTICLES}
    found = store.facts()
    assert found and all(r["type"] != "summary" for r in found)
    assert len(store.facts(summaries=True)) == len(found) + len(results)
    ends = [span(r, published[r["article"]])[1] for r in found]
    assert ends == sorted(ends, reverse=True)
    assert store.facts(limit=2) == found[:2]
    assert store.facts(actor="nobody at all") == []
    with pytest.raises(ValueError, match="since"):
        store.facts(since="last week")


# -- URLs and errors ------------------------------------------------------------------------------------

def test_unreachable_database_is_one_line_with_the_password_masked():
    with pytest.raises(StoreError) as caught:
        Store("postgresql+psycopg://someone:s3cret@127.0.0.1:9/nowhere")
    message = str(caught.value)
    assert "\n" not in message and "s3cret" not in message
    assert "postgresql+psycopg://someone:***@127.0.0.1:9/nowhere" in message


@pytest.mark.parametrize("url, says", [
    ("not a url://x", "not a database URL"),
    ("nosuchdb://host/db", "no driver"),
    ("sqlite:////no/such/folder/w.db", "does not exist"),
])
def test_bad_urls(url, says):
    with pytest.raises(StoreError, match=says):
        Store(url)


def test_default_and_bare_path(tmp_path, monkeypatch):
    monkeypatch.setenv("WARMONITOR_DB", str(tmp_path / "env.db"))
    assert Store().url == f"sqlite:///{tmp_path / 'env.db'}"
    monkeypatch.delenv("WARMONITOR_DB")
    monkeypatch.chdir(tmp_path)
    assert Store().url == "sqlite:///warmonitor.db"
    assert Store(str(tmp_path / "a.db")).url == f"sqlite:///{tmp_path / 'a.db'}"


def test_sqlite_settings(tmp_path):
    store = Store(str(tmp_path / "w.db"))
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_in_memory_sqlite(results):
    store = Store(":memory:")
    store.upgrade()
    store.save(results, extractor_version="v1")
    assert store.counts()["articles"] == 3


def test_canonical_url():
    assert canonical_url("HTTPS://Example.org:443/a/b/?b=2&utm_campaign=x&a=1#frag") == "https://example.org/a/b?a=1&b=2"
    assert canonical_url("http://example.org") == "http://example.org/"
    assert canonical_url("  ") is None
    assert canonical_url("feed-item-42") == "feed-item-42"
