"""Absurd figures (issue 10): no number breaks the parser, the article, the store or the dashboard's sums.

A count above `MAX_PLAUSIBLE_COUNT` (more people than live on Earth) is a number of kind "implausible",
never a fact; sums add only plausible figures, so they neither overflow nor wrap negative; a figure that
a 64-bit column cannot hold costs its cell, never the article. Each layer is checked on its own, since
records stored before the bound, or made by hand, reach the later layers without passing the parser.
All texts are invented for these tests.
"""
from __future__ import annotations


import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from conftest import count_numbers, extract, facts, summary_of
from test_serve_api import add_user, login
from warmonitor.extract.summary import summarize
from warmonitor.model import MAX_PLAUSIBLE_COUNT, Article, ArticleResult, Count, Evidence, Fact
from warmonitor.nlp.numbers import NUMBER_CEILING, NumberParser
from warmonitor.schemas import load as load_schema
from warmonitor.serve import ServeSettings, create_app
from warmonitor.serve.api_facts import SOURCE_HEADER
from warmonitor.serve.dependencies import CSRF_HEADER
from warmonitor.store import Store
from warmonitor.store.schema import ArticleRow, FactRow

INJURED = " Five civilians were injured in Ariha on Tuesday, medics said."
REPRODUCTIONS = {
    "400 digits": "1" + "0" * 400 + " people were killed.",
    "a thousand 'one hundred and'": "one hundred and " * 1000 + "people were killed.",
    "nine quintillion": "9,000,000,000,000,000,000 people were killed in the strike.",
    "21 digits": "123456789012345678901 people were killed.",
    "1e309": "1e309 people were killed.",
}
HOSTILE_NUMBERS = [
    "1" + "0" * 400 + " people", "9" * 5000 + " people", "one hundred and " * 1000 + "people",
    "one hundred and " * 20000 + "people", "1e309 people", "1.5e10 people", "1e-5 people",
    "1." + "0" * 5000 + "1 million people", "0." + "9" * 40 + " people", "9" * 30 + "-" + "9" * 31 + " people",
    "between " + "9" * 25 + " and " + "9" * 26 + " million people", "9,999,999,999,999,999,999 billion people",
    "99999999999999999999bn people", "twenty-one hundred thousand million billion people",
    "half a billion billion people", "a quarter of a billion billion people", "up to " + "9" * 40 + " people",
    "1" + ",000" * 400 + " people", "1.5 million million million people", "2011-" + "9" * 500,
]


@pytest.fixture(scope="module")
def parser() -> NumberParser:
    return NumberParser()


# -- the parser ------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", HOSTILE_NUMBERS, ids=range(len(HOSTILE_NUMBERS)))
def test_the_parser_never_raises_and_holds_only_bounded_integers(parser, text):
    import spacy

    for mention in parser.find(spacy.blank("en").tokenizer(text)):
        values = [v for v in (mention.count.low, mention.count.best, mention.count.high) if v is not None]
        assert all(type(v) is int and 0 <= v < NUMBER_CEILING for v in values), (mention, text[:60])
        if mention.kind == "count":
            assert max(values, default=0) <= MAX_PLAUSIBLE_COUNT, (mention, text[:60])


def test_integers_are_exact_and_decimals_computed_exactly(parser):
    # Through float, 123456789012345678 came out as ...680, and 2**53 + 1 as 2**53.
    assert parser.parse("123456789012345678 people", any_kind=True).best == 123456789012345678
    assert parser.parse("9,007,199,254,740,993 people", any_kind=True).best == 2**53 + 1
    assert parser.parse("1.15 million people").best == 1_150_000
    assert parser.parse("8.999999999 billion people").best == 8_999_999_999
    assert parser.parse("between 2.3 and 2.5 million people") == Count(2_300_000, 2_400_000, 2_500_000, "between")


@pytest.mark.parametrize("text, kind", [
    ("8,999,999,999 people were killed", "count"), ("9,000,000,000 people were killed", "count"),
    ("nine billion people were killed", "count"), ("9,000,000,001 people were killed", "implausible"),
    ("9.1 billion people were killed", "implausible"), ("up to 10 billion people", "implausible"),
    ("between 1 and 10 billion people", "implausible"), ("$10 trillion was lost", "money"),
])
def test_the_bound_is_inclusive_and_only_turns_counts_into_implausible(parser, text, kind):
    import spacy

    mention = parser.find(spacy.blank("en").tokenizer(text))[0]
    assert mention.kind == kind, mention


# -- through the pipeline --------------------------------------------------------------------------

@pytest.mark.parametrize("name", list(REPRODUCTIONS))
def test_absurd_figures_leave_the_rest_of_the_article(pipeline, name):
    records = extract(pipeline, REPRODUCTIONS[name] + INJURED)
    assert all(v <= MAX_PLAUSIBLE_COUNT for v in count_numbers(records)), records
    assert [r["count"]["best"] for r in facts(records, "casualty", outcome="injured")] == [5], records
    assert not facts(records, "casualty", outcome="killed"), records
    summary = summary_of(records)
    assert summary["injured"]["total"] == 5 and "killed" not in summary, summary


@pytest.mark.parametrize("figure, kept", [("8,999,999,999", True), ("9,000,000,000", True),
                                          ("9,000,000,001", False), ("12,000,000,000", False)])
def test_a_figure_just_under_the_bound_is_kept_and_just_over_refused(pipeline, figure, kept):
    text = f"Shelling killed {figure} people in Saraqib on Monday." + INJURED
    records = extract(pipeline, text)
    killed = [r["count"]["best"] for r in facts(records, "casualty", outcome="killed")]
    assert killed == ([int(figure.replace(",", ""))] if kept else []), records
    assert facts(records, "casualty", outcome="injured"), records  # the rest of the article is there
    displaced = extract(pipeline, f"Fighting displaced {figure} households in Ariha on Monday, the UN said.")
    assert bool(facts(displaced, "displacement", unit="households")) == kept, displaced


def test_the_schema_bound_is_the_constant():
    count = load_schema("fact")["$defs"]["count"]["properties"]
    assert {count[k]["maximum"] for k in ("low", "best", "high")} == {MAX_PLAUSIBLE_COUNT}


# -- the summary -----------------------------------------------------------------------------------

def casualty(value: int, place: str, day: str) -> Fact:
    text = f"{value} civilians were killed in {place} on {day}."
    return Fact("casualty", Evidence(text, 0, len(text)),
                {"outcome": "killed", "victims": "civilians", "count": Count(value, value, value),
                 "place": {"name": place}})


@pytest.mark.parametrize("values", [[9 * 10**18, 5], [9 * 10**18, 9 * 10**18], [2**64 + 1, 7, 3], [MAX_PLAUSIBLE_COUNT] * 3])
def test_the_summary_never_adds_more_than_the_bound_per_fact(values):
    # Facts made without the parser (another extractor, a test, a record from before the bound): the
    # summary's sums stay at most facts x bound, whether it reads them as one event or several.
    days = ["Monday", "Tuesday", "Wednesday"]
    for made in ([casualty(v, f"Place{i}", days[i]) for i, v in enumerate(values)],
                 [casualty(v, "Saraqib", "Monday") for v in values]):
        killed = summarize(made).get("killed", {})
        assert all(0 <= total <= MAX_PLAUSIBLE_COUNT * len(values) for total in killed.values()), (values, killed)
        plausible = [v for v in values if v <= MAX_PLAUSIBLE_COUNT]
        assert (killed.get("total") is not None) == bool(plausible), killed


# -- the store -------------------------------------------------------------------------------------

UNSTORABLE = [9 * 10**18, 2**63 - 1, 2**63 + 5, 123456789012345678901, MAX_PLAUSIBLE_COUNT + 1, -3]


def made_result(i: int, value: int, *, evidence_start: int = 0) -> ArticleResult:
    text = f"Invented text {i}: {value} people were killed and 5 were injured."
    article = Article(id=f"absurd-{i}", text=text, source=f"absurd-{i}.txt", published="2026-02-18")
    return ArticleResult(article, text, [
        Fact("casualty", Evidence(text, evidence_start, len(text)),
             {"outcome": "killed", "victims": "people", "count": Count(value, value, value)}),
        Fact("casualty", Evidence(text, 0, len(text)),
             {"outcome": "injured", "victims": "people", "count": Count(5, 5, 5)})], {"places": []})


def test_an_unstorable_figure_costs_its_cell_not_the_article(db_url):
    results = [made_result(i, v) for i, v in enumerate(UNSTORABLE)]
    results.append(made_result(99, 12, evidence_start=10**30))  # no count, but an offset past 64 bits
    results[-1].facts[1].fields["place"] = {"name": "Nowhere", "geonameid": "²", "lat": 10**400, "lon": 1}
    with Store(db_url) as store:
        store.upgrade()
        saved = store.save(results, extractor_version="test")
        assert saved.new == len(results) and not saved.skipped and saved.facts_stored == 2 * len(results), saved
        assert len(saved.figures_left_out) == len(UNSTORABLE) and "left out" in str(saved), saved
        assert all(where.startswith("absurd-") and "\n" not in what for where, what in saved.figures_left_out)
        with Session(store.engine) as session:
            rows = session.execute(select(ArticleRow.article_key, FactRow.outcome, FactRow.count_best,
                                          FactRow.evidence_start, FactRow.record)
                                   .join(ArticleRow, ArticleRow.id == FactRow.article_id)
                                   .where(FactRow.type == "casualty").order_by(FactRow.id)).all()
    by_key = {(key, outcome): (best, start, record) for key, outcome, best, start, record in rows}
    for i, value in enumerate(UNSTORABLE):
        best, _, record = by_key[f"absurd-{i}", "killed"]
        assert best is None, value  # never summed, never sorted on
        assert record["count"]["best"] == (value if -2**63 <= value < 2**64 else None)  # JSON keeps what it can
        assert by_key[f"absurd-{i}", "injured"][0] == 5  # the rest of the article is stored
    assert by_key["absurd-99", "killed"][:2] == (12, None)


# -- the API ---------------------------------------------------------------------------------------

SAME_PLACE = [
    Article(id="saraqib-monday", published="2026-02-17", outlet="Test Wire", title="Shelling in Saraqib",
            text="Government shelling killed 12 civilians in Saraqib in northwest Syria on Monday, medics said."),
    Article(id="saraqib-tuesday", published="2026-02-18", outlet="Other Wire", title="More shelling in Saraqib",
            text="Shelling killed 7 civilians in Saraqib in northwest Syria on Tuesday, medics said."),
    Article(id="ariha-tuesday", published="2026-02-18", outlet="Test Wire", title="Air strikes hit Ariha",
            text="Air strikes killed 5 civilians and injured 9 in Ariha in northwest Syria on Tuesday, medics said."),
]


@pytest.fixture
def absurd_store(db_url, pipeline):
    """Two Saraqib articles whose killed figures are absurd, as rows stored before the bound hold them."""
    with Store(db_url) as store:
        store.upgrade()
        store.save(pipeline.extract_many(SAME_PLACE), extractor_version="test")
        with Session(store.engine) as session, session.begin():
            rows = session.execute(select(FactRow).join(ArticleRow, ArticleRow.id == FactRow.article_id)
                                   .where(ArticleRow.article_key.like("saraqib-%"), FactRow.type == "casualty",
                                          FactRow.outcome == "killed")).scalars().all()
            assert len(rows) >= 2
            for row, value in zip(rows, [9 * 10**18, 2**63 - 1, 9 * 10**18]):
                row.count_low = row.count_best = row.count_high = value
                row.record = {**row.record, "count": {"low": value, "best": value, "high": value, "qualifier": None}}
        yield store


def sums_of(answer: dict, path: str) -> list[int]:
    if path == "/api/places":
        return [f["properties"][m] for f in answer["features"] for m in ("killed", "injured", "displaced")]
    return [answer["total"]] + [p["value"] for s in answer["series"] for p in s["points"]]


@pytest.mark.parametrize("snapshot", [True, False], ids=["memory", "sql"])
def test_absurd_stored_figures_never_break_the_sums(absurd_store, snapshot):
    queries = [("/api/places", {}), ("/api/aggregates", {"measure": "killed", "interval": "month"}),
               ("/api/aggregates", {"measure": "killed", "interval": "week", "by": "admin1"}),
               ("/api/aggregates", {"measure": "killed", "interval": "day", "by": "victims"})]
    with TestClient(create_app(ServeSettings(db=absurd_store.url, snapshot=snapshot), store=absurd_store)) as client:
        if snapshot:
            client.app.state.wm.build_snapshot()
        listed = client.get("/api/facts", params={"sort": "-count", "per_page": 500})
        assert listed.status_code == 200 and listed.headers[SOURCE_HEADER] == ("memory" if snapshot else "sql")
        assert listed.json()["total"] == len(listed.json()["facts"]) > 3
        for path, params in queries:
            response = client.get(path, params=params)
            assert response.status_code == 200, (path, params, response.text)
            sums = sums_of(response.json(), path)
            assert sums and all(0 <= s <= MAX_PLAUSIBLE_COUNT * 10 for s in sums), (path, params, sums)
        month = client.get("/api/aggregates", params={"measure": "killed", "interval": "month"}).json()
        assert month["total"] == 5  # Ariha's figure; the absurd ones are left out
        places = {f["properties"]["name"]: f["properties"] for f in client.get("/api/places").json()["features"]}
        assert places["Ariha"]["killed"] == 5 and places["Saraqib"]["killed"] == 0, places


def test_corrections_above_the_bound_are_refused_and_reviews_rebound_old_rows(absurd_store):
    add_user(absurd_store)
    with TestClient(create_app(ServeSettings(db=absurd_store.url), store=absurd_store)) as client:
        csrf = login(client)
        facts_now = client.get("/api/facts", params={"type": "casualty", "per_page": 500}).json()["facts"]
        absurd = next(f for f in facts_now if f["count"]["best"] > MAX_PLAUSIBLE_COUNT)
        url, headers = f"/api/facts/{absurd['id']}/review", {CSRF_HEADER: csrf}
        for count in ("9" * 5000, "²", MAX_PLAUSIBLE_COUNT + 1, 9 * 10**18, 10**400, {"best": MAX_PLAUSIBLE_COUNT + 1}):
            response = client.post(url, headers=headers, json={"action": "correct", "changes": {"count": count},
                                                               "reason": "the text says so"})
            assert response.status_code == 422, (str(count)[:20], response.text)
            detail = response.json()["detail"]
            assert isinstance(detail, str) and "\n" not in detail and f"{MAX_PLAUSIBLE_COUNT:,}" in detail, detail
        # A confirmation rewrites the row's columns from its record: the absurd figure leaves the count column.
        assert client.post(url, headers=headers, json={"action": "confirm", "reason": "seen"}).status_code == 200
        with Session(absurd_store.engine) as session:
            assert session.get(FactRow, absurd["id"]).count_best is None
        ok = client.post(url, headers=headers, json={"action": "correct", "changes": {"count": MAX_PLAUSIBLE_COUNT},
                                                     "reason": "the bound itself is allowed"})
        assert ok.status_code == 200, ok.text
        assert client.get(f"/api/facts/{absurd['id']}").json()["count"]["best"] == MAX_PLAUSIBLE_COUNT
