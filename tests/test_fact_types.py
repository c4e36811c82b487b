"""The fact type declarations (`warmonitor.facttypes`) and every layer that reads them.

A made-up type ("widget") declared in a test must reach the pipeline's output, the API's filters, the
map's tallies, the table export, the evaluator and the dashboard without any other edit.
"""
from __future__ import annotations

import io
import re
from dataclasses import replace
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from warmonitor import facttypes
from warmonitor.evaluate import score
from warmonitor.evaluate.rules import counted_types, summary_outcomes
from warmonitor.export.table import describe, print_table, summary_line
from warmonitor.extract.summary import summarize
from warmonitor.model import Article, Count, Evidence, Fact
from warmonitor.serve.app import ServeSettings, create_app
from warmonitor.store import Store

STATIC = Path(facttypes.__file__).parent / "serve" / "static"

# What the code said before the declarations existed: the dashboard's order and colours
# (common.js, style.css, map.js), the evaluator's counted types and the summary's figures.
DASHBOARD_ORDER = ("casualty", "displacement", "attack", "control", "population", "quote")
COLOURS = {"casualty": ("#b42318", "#fde3df", "#c0392b"), "displacement": ("#175cd3", "#dde8fb", "#2471a3"),
           "attack": ("#b54708", "#fcead7", "#e67e22"), "control": ("#6941c6", "#ebe4fa", "#8e44ad"),
           "population": ("#0e7c86", "#d9f1f2", "#148f77"), "quote": ("#3b7d23", "#e3f1dc", "#7f8c8d")}

ARTICLE = Article(id="widget-town", published="2026-02-18", title="Shelling kills 12 in Saraqib",
                  text="Shelling killed 12 civilians in Saraqib on Monday, the UN human rights office said.")


def widget_facts(ctx) -> list[Fact]:
    """The made-up type's extractor: one widget per article, resting on its first word."""
    first = ctx.doc[0]
    return [Fact("widget", Evidence(first.text, first.idx, first.idx + len(first.text)),
                 {"count": Count(3, 3, 3), "colour_name": "teal"}, rule="widget.first-word")]


WIDGET = facttypes.FactType(
    name="widget", label="Widget", extractor="test_fact_types:widget_facts", needs_counts=False,
    fields=("count", "colour_name"), colour="#123456", tint="#abcdef", map_colour="#654321",
    describe="{count} {colour_name} widgets", counted=True)


@pytest.fixture
def with_widget(monkeypatch):
    declared = facttypes.fact_types()
    monkeypatch.setattr(facttypes, "fact_types", lambda: (*declared, WIDGET))
    return WIDGET


def test_declarations_keep_the_order_labels_and_colours_the_code_had():
    kinds = facttypes.fact_types()
    assert facttypes.fact_type_names() == DASHBOARD_ORDER
    assert {k.name: k.label for k in kinds} == {name: name for name in DASHBOARD_ORDER}
    assert {k.name: (k.colour, k.tint, k.map_colour) for k in kinds} == COLOURS
    assert counted_types() == {"casualty", "displacement", "population"}
    assert summary_outcomes() == ("killed", "injured", "detained", "displaced")
    assert {k.name for k in kinds if k.needs_counts} == {"casualty", "displacement", "population"}


def test_declarations_are_well_formed():
    kinds = facttypes.fact_types()
    assert len({k.name for k in kinds}) == len(kinds)
    for kind in kinds:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", kind.name), kind.name  # used in CSS classes and SQL labels
        assert all(re.fullmatch(r"#[0-9a-f]{6}", c) for c in (kind.colour, kind.tint, kind.map_colour)), kind
        assert kind.sums_by is None or kind.sums_by in kind.fields
        assert set(re.findall(r"\{(\w+)", kind.describe)) <= set(kind.fields), kind.name
        assert (kind.sums != ()) <= kind.counted


@pytest.mark.parametrize("kind", facttypes.fact_types(), ids=lambda k: k.name)
def test_extractor_references_resolve(kind):
    function = kind.extract_function()
    assert callable(function) and function.__name__ == kind.extractor.split(":")[1]


@pytest.mark.parametrize("reference", ["warmonitor.extract.casualty", "warmonitor.extract.nowhere:facts",
                                       "warmonitor.extract.casualty:no_such_function", ":casualty_facts"])
def test_a_bad_extractor_reference_says_what_is_wrong(reference):
    with pytest.raises(ValueError, match="extractor reference"):
        facttypes.resolve_extractor(reference)


def test_the_style_sheet_and_scripts_keep_no_list_of_types():
    css = (STATIC / "style.css").read_text(encoding="utf-8")
    assert not any(name in css for name in DASHBOARD_ORDER)
    for script in ("common.js", "map.js", "article.js", "dashboard.js"):
        text = (STATIC / script).read_text(encoding="utf-8")
        assert not re.search(r"\[\s*\"casualty\",\s*\"displacement\"", text), script
        assert "#c0392b" not in text and "#b42318" not in text, script


def test_table_describe_reads_the_templates():
    assert describe("casualty", {"outcome": "killed", "count": Count(None, 300, None, "about"),
                                 "victims": "civilians"}) == "killed about 300 civilians"
    assert describe("attack", {"targets": ["school", "market"], "target_count": {"school": 3}}) == "3 school, market"
    assert describe("quote", {"speaker": "Ana", "text": "x" * 61}) == "Ana: \u201c" + "x" * 60 + "…\u201d"
    assert describe("population", {"count": Count(None, 5000, None)}) == "5,000 people live there"
    assert describe("nonsuch", {"count": Count(1, 1, 1)}) == ""


def test_a_declared_type_reaches_pipeline_summary_table_and_evaluator(pipeline, with_widget):
    result = pipeline.extract(ARTICLE)
    widgets = [f for f in result.facts if f.type == "widget"]
    assert len(widgets) == 1 and widgets[0].evidence.text == "Shelling"
    assert {f.type for f in result.facts} >= {"widget", "casualty"}
    records = result.records()
    assert {"article": "widget-town", "type": "widget", "count": {"low": 3, "best": 3, "high": 3, "qualifier": None},
            "colour_name": "teal", "evidence": {"text": "Shelling", "start": 0, "end": 8}, "claimed_by": [],
            "confidence": 0.5, "rule": "widget.first-word"} in records
    assert result.summary["killed"]["total"] == 12

    out = io.StringIO()
    print_table(result, out)
    assert "3 teal widgets" in out.getvalue()

    # counted: a widget prediction without a count is left out, one with the gold count is matched
    gold = {"widget-town": {"article": "widget-town", "facts": [
        {"type": "widget", "evidence": "Shelling", "count": {"best": 3}}]}}
    found = score(gold, [r for r in records if r["type"] == "widget"]).to_dict()
    assert found["types"]["widget"]["tp"] == 1
    uncounted = [{**r, "count": None} for r in records if r["type"] == "widget"]
    assert score(gold, uncounted).to_dict()["types"]["widget"] == {
        "tp": 0, "fp": 0, "fn": 1, "precision": 0.0, "recall": 0.0, "f1": 0.0}


def test_a_type_that_sums_adds_to_the_summary(monkeypatch):
    tolls = replace(WIDGET, name="toll", fields=("count", "unit", "term"), describe="{count}", sums=("lost",))
    declared = facttypes.fact_types()
    monkeypatch.setattr(facttypes, "fact_types", lambda: (*declared, tolls))
    fact = Fact("toll", Evidence("40 people fled", 0, 14), {"count": Count(None, 40, None), "term": "fled",
                                                            "unit": "people"})
    summary = summarize([fact])
    assert summary["lost"] == {"total": 40}
    assert summary_line(summary).startswith("[bold]summary[/bold] lost 40")


@pytest.fixture
def client_with_widget(db_url, pipeline, with_widget):
    with Store(db_url) as store:
        store.upgrade()
        store.save(pipeline.extract_many([ARTICLE]), extractor_version="test")
        with TestClient(create_app(ServeSettings(db=store.url), store=store)) as client:
            yield client


def test_the_api_declares_the_types_and_filters_by_a_new_one(client_with_widget):
    client = client_with_widget
    answer = client.get("/api/fact-types")
    assert answer.status_code == 200
    declared = answer.json()["fact_types"]
    assert [t["name"] for t in declared] == [*DASHBOARD_ORDER, "widget"]
    assert declared[-1] == WIDGET.to_dict() and "extractor" not in declared[-1]
    assert declared[0] == {"name": "casualty", "label": "casualty", "fields": list(facttypes.fact_types()[0].fields),
                           "colour": "#b42318", "tint": "#fde3df", "map_colour": "#c0392b", "counted": True,
                           "sums": ["killed", "injured", "detained"], "sums_by": "outcome"}

    facts = client.get("/api/facts", params={"type": "widget"})
    assert facts.status_code == 200, facts.text
    assert [f["type"] for f in facts.json()["facts"]] == ["widget"]
    refused = client.get("/api/facts", params={"type": "gadget"})
    assert refused.status_code == 422
    assert "casualty, displacement, attack, control, population, quote, widget, summary" in refused.json()["detail"]

    page = client.get("/").text
    assert 'data-testid="filter-type-widget"' in page and "<span>Widget</span>" in page
    assert page.index("filter-type-casualty") < page.index("filter-type-quote") < page.index("filter-type-widget")


def test_the_map_tallies_every_declared_type(client_with_widget):
    places = client_with_widget.get("/api/places").json()["features"]
    saraqib = next(f for f in places if f["properties"]["name"] == "Saraqib")
    assert saraqib["properties"]["types"] == {"casualty": 1}


def test_fact_types_are_open_when_reading_is_private(db_url):
    with Store(db_url) as store:
        store.upgrade()
        with TestClient(create_app(ServeSettings(db=store.url, public_read=False), store=store)) as client:
            assert client.get("/api/facts").status_code == 401
            answer = client.get("/api/fact-types")
            assert answer.status_code == 200
            assert [t["name"] for t in answer.json()["fact_types"]] == list(DASHBOARD_ORDER)
