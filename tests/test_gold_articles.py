"""Accuracy gates: extraction scored against gold files, held to the floors in `floors.toml`.

The invented articles under `tests/articles/` always run; the shared evaluation corpora run when
`../shared/corpus` sits beside the checkout and are skipped otherwise.
"""
from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from warmonitor.evaluate import load_gold, score
from warmonitor.read import iter_articles

HERE = Path(__file__).resolve().parent
FLOORS = tomllib.loads((HERE / "floors.toml").read_text(encoding="utf-8"))
CORPUS = HERE.parents[1] / "shared" / "corpus"
# the fields issue 2 owns; places and dates belong to resolution (issue 3)
OWNED_FIELDS = {"outcome", "victims", "unit", "term", "cause", "perpetrators", "perpetrator_share", "claimed_by",
                "speaker", "targets", "actor", "change"}


def run(pipeline, folder: Path):
    articles = [a for a in iter_articles([str(folder)]) if hasattr(a, "text")]
    records = [r for result in pipeline.extract_many(articles) for r in result.records()]
    return score(load_gold(folder), records)


def owned_accuracy(report) -> float:
    good = bad = 0
    for name, tally in report.fields.items():
        if name.split(".", 1)[1] in OWNED_FIELDS:
            good += tally.correct
            bad += tally.wrong
    return good / max(1, good + bad)


@pytest.fixture(scope="module")
def articles_report(pipeline):
    return run(pipeline, HERE / "articles")


def test_articles_overall(articles_report):
    floors = FLOORS["articles"]
    assert articles_report.overall.f1 >= floors["all_f1"], articles_report.to_text()
    assert articles_report.field_accuracy >= floors["field_accuracy"], articles_report.to_text()


@pytest.mark.parametrize("fact_type", ["casualty", "displacement", "quote", "attack", "control", "population"])
def test_articles_per_type(articles_report, fact_type):
    got = articles_report.types[fact_type].f1
    assert got >= FLOORS["articles"][f"{fact_type}_f1"], articles_report.to_text()


def needs(folder: str) -> Path:
    path = CORPUS / folder
    if not path.is_dir():
        pytest.skip(f"{path} is not here")
    return path


def test_reference_article(pipeline):
    report = run(pipeline, needs("seed"))
    assert report.overall.f1 >= FLOORS["seed"]["all_f1"], report.to_text()
    assert owned_accuracy(report) >= FLOORS["seed"]["owned_field_accuracy"], report.to_text()
    assert report.field_accuracy >= FLOORS["seed"]["field_accuracy"], report.to_text()


def test_idetect_displacement(pipeline):
    report = run(pipeline, needs("idetect-dev"))
    floors = FLOORS["idetect"]
    assert report.types["displacement"].recall >= floors["displacement_recall"], report.to_text()
    assert report.fields["displacement.unit"].accuracy >= floors["unit"], report.to_text()
    assert report.fields["displacement.term"].accuracy >= floors["term"], report.to_text()
    assert report.fields["displacement.place"].accuracy >= floors["place"], report.to_text()


def test_fakes_summary_counts(pipeline):
    report = run(pipeline, needs("fakes-dev"))
    floors = FLOORS["fakes"]
    for field, floor in (("killed.civilians>0", "killed_civilians_nonzero"), ("killed.fighters>0", "killed_fighters_nonzero"),
                         ("admin1", "admin1"), ("perpetrators", "perpetrators")):
        tally = report.summary[field]
        assert tally.exact / tally.n >= floors[floor], report.to_text()
