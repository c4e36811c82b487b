"""The use cases called as a library does, without the command line: what their callbacks hear, what their
summaries count, and that ingest repairs each new article's text once. Article texts are invented for the
tests.
"""
from __future__ import annotations

import re
from importlib import resources

import pytest
from sqlalchemy.orm import Session

from warmonitor.model import ArticleResult, ReadError
from warmonitor.serve import accounts
from warmonitor.store import Store
from warmonitor.usecases.demo import set_up_demo
from warmonitor.usecases.ingest import IngestSummary, ingest_inputs, is_feed_url
from warmonitor.usecases.reprocess import reprocess_articles
from warmonitor.usecases.version import extractor_version

TEXTS = {
    "ariha": "Shelling killed six civilians and injured 11 in Ariha on Tuesday, rescuers said.",
    "sarmin": "An airstrike killed four people in Sarmin on Monday, the civil defence said.",
}


@pytest.fixture
def folder(tmp_path):
    articles = tmp_path / "articles"
    articles.mkdir()
    for name, text in TEXTS.items():
        (articles / f"{name}.txt").write_text(text, encoding="utf-8")
    (articles / "blank.txt").write_text("   \n", encoding="utf-8")
    return articles


@pytest.fixture
def store(tmp_path):
    with Store(f"sqlite:///{tmp_path / 'w.db'}") as found:
        found.upgrade()
        yield found


class CountingRepairer:
    """The pipeline's repairer, counting the texts it repairs."""

    def __init__(self, inner) -> None:
        self.inner, self.texts = inner, []

    def repair(self, text: str):
        self.texts.append(text)
        return self.inner.repair(text)


def test_ingest_reports_each_result_and_skip_and_counts_them(store, folder, pipeline):
    results: list[ArticleResult] = []
    skipped: list[ReadError] = []
    summary = ingest_inputs(store, [str(folder)], published="2024-03-05", pipeline=pipeline,
                            on_result=results.append, on_skip=skipped.append)
    assert isinstance(summary, IngestSummary)
    assert sorted(r.article.id for r in results) == ["ariha", "sarmin"]
    assert all(r.article.published == "2024-03-05" for r in results)
    assert [e.source for e in skipped] == [str(folder / "blank.txt")] and "empty" in skipped[0].message
    assert (summary.read, summary.new, summary.updated, summary.unchanged) == (2, 2, 0, 0)
    assert summary.skipped == [(e.source, e.message) for e in skipped]
    assert summary.facts == sum(len(r.facts) for r in results) == store.counts()["facts"] > 0

    again_results: list[ArticleResult] = []
    again = ingest_inputs(store, [str(folder)], pipeline=pipeline, on_result=again_results.append)
    assert again_results == [] and (again.read, again.new, again.unchanged, again.facts) == (2, 0, 2, 0)
    assert len(again.skipped) == 1  # the blank file, also without a callback


def test_ingest_repairs_each_new_article_once(store, folder, pipeline, monkeypatch):
    counting = CountingRepairer(pipeline.resources.repairer)
    monkeypatch.setattr(pipeline.resources, "repairer", counting)
    summary = ingest_inputs(store, [str(folder)], pipeline=pipeline)
    assert summary.new == 2
    assert sorted(counting.texts) == sorted(TEXTS.values())  # once each: hashed and extracted from one repair
    counting.texts.clear()
    assert ingest_inputs(store, [str(folder)], pipeline=pipeline).unchanged == 2
    assert sorted(counting.texts) == sorted(TEXTS.values())  # the hash alone


def test_ingest_skips_an_article_whose_repair_fails_and_goes_on(store, folder, pipeline, monkeypatch):
    class Failing(CountingRepairer):
        def repair(self, text):
            if "Sarmin" in text:
                raise RuntimeError("broken fixer")
            return super().repair(text)

    monkeypatch.setattr(pipeline.resources, "repairer", Failing(pipeline.resources.repairer))
    skipped: list[ReadError] = []
    summary = ingest_inputs(store, [str(folder / "ariha.txt"), str(folder / "sarmin.txt")], pipeline=pipeline,
                            on_skip=skipped.append)
    assert summary.new == 1 and summary.read == 2
    assert len(skipped) == 1 and "sarmin.txt: text repair failed (RuntimeError: broken fixer)" in skipped[0].message


def test_reprocess_reports_progress_and_the_version(store, folder, pipeline):
    ingest_inputs(store, [str(folder)], pipeline=pipeline)
    before = store.facts()
    steps: list[tuple[int, int]] = []
    summary = reprocess_articles(store, pipeline=pipeline, progress=lambda done, total: steps.append((done, total)))
    assert summary.reprocessed == 2 and summary.failed == []
    assert steps == [(1, 2), (2, 2)]
    assert summary.extractor_version == extractor_version()
    assert store.facts() == before


def test_reprocess_reports_failures(store, folder, pipeline):
    ingest_inputs(store, [str(folder)], pipeline=pipeline)

    class Failing:
        def extract_many(self, articles):
            for article in articles:
                yield ReadError(article.source, f"{article.source}: extraction failed (test)")

    errors: list[ReadError] = []
    summary = reprocess_articles(store, pipeline=Failing(), on_error=errors.append)
    assert summary.reprocessed == 0 and summary.failed == errors and len(errors) == 2


def test_demo_set_up_stores_the_examples_and_an_analyst(store, pipeline):
    results: list[ArticleResult] = []
    setup = set_up_demo(store, pipeline=pipeline, on_result=results.append)
    examples = [p for p in resources.files("warmonitor").joinpath("examples").iterdir() if p.name.endswith(".txt")]
    assert setup.ingest.new == len(results) == len(examples) == store.counts()["articles"]
    assert setup.user == "demo" and re.fullmatch(r"demo-[\w-]{8}", setup.password)
    with Session(store.engine) as session:
        assert accounts.check_password(session, "demo", setup.password).role == "analyst"


def test_extractor_version_names_the_package_and_its_data():
    from warmonitor import __version__

    assert re.fullmatch(re.escape(__version__) + r"\+[0-9a-f]{10}", extractor_version())


@pytest.mark.parametrize("url, feed", [("https://example.org/feed.xml", True), ("https://example.org/rss", True),
                                       ("https://example.org/atom/?x=1", True), ("https://example.org/a.html", False),
                                       ("https://example.org/news/story-1", False)])
def test_feed_urls_are_told_from_pages(url, feed):
    assert is_feed_url(url) is feed


def test_the_extractor_version_follows_every_data_file_word_lists_included(tmp_path, monkeypatch):
    from types import SimpleNamespace

    from warmonitor.usecases import version

    (tmp_path / "data" / "words").mkdir(parents=True)
    (tmp_path / "data" / "lexicon.toml").write_text("x = 1\n")
    words = tmp_path / "data" / "words" / "directions.toml"
    words.write_text('source = "t"\nwords = ["north"]\n')
    monkeypatch.setattr(version, "resources", SimpleNamespace(files=lambda _package: tmp_path))
    first = version.extractor_version()
    assert first == version.extractor_version()
    words.write_text('source = "t"\nwords = ["north", "south"]\n')
    second = version.extractor_version()
    assert second != first and second.startswith(version.__version__ + "+")
    words.rename(tmp_path / "data" / "words" / "compass.toml")  # the same bytes under another name
    assert version.extractor_version() not in (first, second)


def test_compiled_python_beside_the_data_does_not_change_the_extractor_version(tmp_path, monkeypatch):
    from types import SimpleNamespace

    from warmonitor.usecases import version

    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "lexicon.toml").write_text("x = 1\n")
    monkeypatch.setattr(version, "resources", SimpleNamespace(files=lambda _package: tmp_path))
    before = version.extractor_version()
    (tmp_path / "data" / "__pycache__").mkdir()
    (tmp_path / "data" / "__pycache__" / "x.pyc").write_bytes(b"\0compiled")
    assert version.extractor_version() == before
