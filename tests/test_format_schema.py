"""The output contract: every record warmonitor writes answers to its JSON Schema (src/warmonitor/schemas),
the schemas reject broken records, and docs/format.md describes every field and value the schemas declare.

Real output comes from the shipped examples, from short articles invented here, from records read back
from a store, and, when ../shared/corpus is there, from the seed article and a sample of fakes-dev (those
tests skip cleanly without it; nothing of the corpora is copied here). All texts below are invented.
"""
from __future__ import annotations

import copy
import datetime as dt
import json
import re
from importlib.resources import files
from pathlib import Path

import pytest

jsonschema = pytest.importorskip("jsonschema", reason="jsonschema is in the test extra: pip install -e '.[test]'")
from jsonschema import Draft202012Validator  # noqa: E402

from warmonitor.model import Article, ArticleResult  # noqa: E402
from warmonitor.schemas import NAMES, load, schema_name  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "format.md"
EXAMPLES = Path(str(files("warmonitor") / "examples"))
CORPUS = ROOT.parent / "shared" / "corpus"
FAKES_SAMPLE = 30  # fakes-dev articles, spread evenly over the folder's name order

ARTICLES = [  # invented, each with something for one record type or field (publication days vary)
    Article(id="inv-casualty", published="2025-03-04", title="Shelling hits Kafr Dunya",
            text="Shelling hits Kafr Dunya\n\nShelling killed at least six civilians and wounded nine people, "
                 "including three children, in Kafr Dunya on Monday, according to the local council. The "
                 "council said six civilians had died."),
    Article(id="inv-displacement", published="2025-03-05",
            text="Some 1,200 families fled from Wadi Kharab to Idlib this week. In the south, about 300 "
                 "households were sheltering in schools near Daraa."),
    Article(id="inv-population", published="2025-03-05", text="The valley is home to about 90,000 people."),
    Article(id="inv-attack", published="2025-03-05",
            text="Drones struck two schools and a bakery in Ras Hamra. Two paramedics were wounded when the "
                 "clinic in Tal Safra was hit."),
    Article(id="inv-control", published="2025-03-05",
            text="Rebel fighters withdrew from Tell Jamal on Sunday. Government forces made new gains in "
                 "western Aleppo province over the past two weeks."),
    Article(id="inv-quote", published="2025-03-05",
            text="\"We have no fuel left for the generators,\" said Omar Saleh, a nurse at the hospital. "
                 "\"The wards are full,\" a spokesperson for the World Health Organization told reporters."),
    Article(id="inv-vague", published="2025-03-05",
            text="A couple of farmers and scores of shepherds were detained near Homs on Friday. Dozens of "
                 "people were killed in clashes in the past four days, and up to seven were missing."),
    Article(id="inv-undated", text="Airstrikes killed 14 people in Maarat al-Numan on Tuesday, monitors said."),
]


# -- helpers -------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def validators() -> dict[str, Draft202012Validator]:
    return {name: Draft202012Validator(load(name), format_checker=Draft202012Validator.FORMAT_CHECKER)
            for name in NAMES}


def problems(validators, record: dict) -> list[str]:
    """Every schema error of a record, one line each (empty when it validates)."""
    errors = validators[schema_name(record)].iter_errors(record)
    return [f"{record.get('article')} {record.get('type')} at {'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in errors]


def check_results(validators, results: list[ArticleResult]) -> list[dict]:
    """Validate every record of each result and the invariants the schema cannot say; return the records."""
    found, bad = [], []
    for result in results:
        records = result.records()
        assert records[-1]["type"] == "summary" and sum(r["type"] == "summary" for r in records) == 1
        for record in records:
            bad += problems(validators, record)
            bad += invariants(record, result.text)
        found += records
    assert not bad, "\n".join(bad[:20])
    return found


def invariants(record: dict, text: str | None) -> list[str]:
    """What docs/format.md promises beyond the schema: evidence offsets into the repaired text, ordered
    counts, one of date and period, periods that do not run backwards."""
    out = []
    where = f"{record.get('article')} {record.get('type')}"
    evidence = record.get("evidence")
    if evidence and text is not None and text[evidence["start"]:evidence["end"]] != evidence["text"]:
        out.append(f"{where}: evidence offsets do not point at the evidence text")
    count = record.get("count")
    if isinstance(count, dict):
        values = [count[k] for k in ("low", "best", "high") if count.get(k) is not None]
        if values != sorted(values) or not values:
            out.append(f"{where}: count {count} is not ordered low <= best <= high")
    if record.get("date") is not None and record.get("period") is not None:
        out.append(f"{where}: both date and period")
    period = record.get("period")
    if isinstance(period, dict) and period["start"] > period["end"]:
        out.append(f"{where}: period {period} runs backwards")
    if record.get("type") == "casualty" and not record.get("perpetrators") and record.get("perpetrator_share") is not None:
        out.append(f"{where}: a perpetrator share without perpetrators")
    return out


def articles_in(folder: Path) -> list[Article]:
    from warmonitor.read import iter_articles

    items = list(iter_articles([str(folder)]))
    return [a for a in items if isinstance(a, Article)]


def declared(schema, out: set[str] | None = None) -> set[str]:
    """Every property name declared anywhere in a schema."""
    out = set() if out is None else out
    if isinstance(schema, dict):
        for key, value in schema.items():
            if key == "properties" and isinstance(value, dict):
                out |= set(value)
            declared(value, out)
    elif isinstance(schema, list):
        for value in schema:
            declared(value, out)
    return out


def enum_strings(schema, out: set[str] | None = None) -> set[str]:
    out = set() if out is None else out
    if isinstance(schema, dict):
        for key, value in schema.items():
            if key == "enum":
                out |= {v for v in value if isinstance(v, str)}
            elif key == "const" and isinstance(value, str):
                out.add(value)
            else:
                enum_strings(value, out)
    elif isinstance(schema, list):
        for value in schema:
            enum_strings(value, out)
    return out


def type_fields(type_: str) -> set[str]:
    """The fields a record of `type_` may carry without a review: the common ones and its branch's."""
    schema = load("fact")
    return set(schema["properties"]) - {"review"} | set(schema["$defs"][type_]["properties"])


# -- the schemas themselves -----------------------------------------------------------------------------

@pytest.mark.parametrize("name", NAMES)
def test_each_schema_is_a_valid_draft_2020_12_schema(name):
    schema = load(name)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert load(name) is not schema  # a fresh copy each time: callers may change theirs


def test_load_refuses_unknown_names_and_schema_name_picks_by_type():
    with pytest.raises(ValueError, match="fact, summary, incident"):
        load("facts")
    assert schema_name({"type": "summary"}) == "summary"
    assert schema_name({"type": "incident"}) == "incident"
    assert schema_name({"type": "casualty"}) == "fact"


def test_definitions_shared_between_schemas_are_the_same():
    """Each schema stands alone (no cross-file $ref); the copies of a shared definition must agree."""
    fact = load("fact")["$defs"]
    for name in ("summary", "incident"):
        for key, value in load(name)["$defs"].items():
            if key in fact:
                assert value == fact[key], f"{name}.schema.json $defs/{key} differs from fact.schema.json"


def test_fact_types_in_the_schema_are_the_extractors_types():
    schema = load("fact")
    types = set(schema["properties"]["type"]["enum"])
    branches = {b["if"]["properties"]["type"]["const"] for b in schema["allOf"]
                if "properties" in b.get("if", {}) and "const" in b["if"]["properties"]["type"]}
    assert types == branches == {"casualty", "displacement", "population", "attack", "control", "quote"}


def test_value_sets_in_the_schema_follow_the_lexicon():
    """outcome, victims, term, unit and change are the lexicon's values: a word added there must be added
    to the schema and to docs/format.md."""
    from warmonitor.data_files import load_toml

    lexicon: dict[str, set[str]] = {}
    for term in load_toml("lexicon.toml").get("term", []):
        lexicon.setdefault(term["kind"], set()).add(term["value"])
    defs = load("fact")["$defs"]
    victims = next(b["then"]["properties"]["victims"]["enum"] for b in defs["as_extracted"]["allOf"]
                   if "victims" in b["then"].get("properties", {}))
    assert set(defs["casualty"]["properties"]["outcome"]["enum"]) == lexicon["outcome"]
    assert set(victims) == lexicon["victim"]
    assert set(defs["displacement"]["properties"]["term"]["enum"]) == lexicon["displacement"]
    assert set(defs["displacement"]["properties"]["unit"]["enum"]) == lexicon["unit"]
    assert set(defs["control"]["properties"]["change"]["enum"]) == lexicon["control"]
    doc = DOC.read_text(encoding="utf-8")
    for kind in ("cause", "target"):  # open value sets: the schema takes any string, the doc lists them
        missing = sorted(v for v in lexicon[kind] if f"`{v}`" not in doc)
        assert not missing, f"docs/format.md does not list the {kind} values {missing}"


# -- the documentation is complete ----------------------------------------------------------------------

@pytest.mark.parametrize("name", NAMES)
def test_every_declared_field_and_value_is_in_the_doc(name):
    doc = DOC.read_text(encoding="utf-8")
    schema = load(name)
    missing = sorted(f for f in declared(schema) if f"`{f}`" not in doc)
    assert not missing, f"docs/format.md does not mention {name} fields {missing}"
    missing = sorted(v for v in enum_strings(schema) if v not in doc)
    assert not missing, f"docs/format.md does not mention {name} values {missing}"


def test_the_docs_json_examples_are_valid_records(validators):
    """Every complete record in a ```json block of docs/format.md validates ("..." marks a sketch)."""
    blocks = re.findall(r"```json\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    parsed = [json.loads(b) for b in blocks if "..." not in b]
    complete = [r for r in parsed if "type" in r]  # records; the others show a part (a count)
    assert {schema_name(r) for r in complete} == {"fact", "summary", "incident"}
    bad = [p for record in complete for p in problems(validators, record)]
    assert not bad, "\n".join(bad)


# -- real output ----------------------------------------------------------------------------------------

def test_shipped_examples_validate(pipeline, validators):
    articles = articles_in(EXAMPLES)
    assert len(articles) >= 10
    records = check_results(validators, list(pipeline.extract_many(articles)))
    assert {r["type"] for r in records} >= {"casualty", "displacement", "quote", "summary"}


def test_invented_articles_validate_and_use_every_type(pipeline, validators):
    records = check_results(validators, list(pipeline.extract_many(ARTICLES)))
    assert {r["type"] for r in records} == {"casualty", "displacement", "population", "attack", "control",
                                            "quote", "summary"}
    # and the less common shapes are exercised: a breakdown, a vague count, a resolved and an unknown place
    assert any(r.get("subset_of_previous") for r in records)
    assert any(r.get("count", {}).get("best", 0) is None for r in records if "count" in r)
    places = [r["place"] for r in records if r.get("place")]
    assert any(p["geonameid"] for p in places) and any(p["precision"] is None for p in places)
    assert any(r.get("period") for r in records) and any(r.get("date") for r in records)


def test_every_field_the_code_writes_is_declared_for_its_type(pipeline):
    """The closed schema already refuses unknown fields; this names the field and type when one appears."""
    results = list(pipeline.extract_many(ARTICLES + articles_in(EXAMPLES)))
    summary_fields = set(load("summary")["properties"])
    for record in (r for result in results for r in result.records()):
        allowed = summary_fields if record["type"] == "summary" else type_fields(record["type"])
        extra = set(record) - allowed
        assert not extra, f"{record['type']} records carry {sorted(extra)}, which the schema does not declare"


def test_records_without_a_publication_day_or_resolution_validate(validators):
    from warmonitor.pipeline import Pipeline

    check_results(validators, list(Pipeline(resolve=False).extract_many(ARTICLES)))


def test_records_read_back_from_the_store_validate(tmp_path, validators):
    from typer.testing import CliRunner

    from warmonitor.cli import app
    from warmonitor.store import Store

    db = f"sqlite:///{tmp_path / 'format.db'}"
    runner = CliRunner()
    ingested = runner.invoke(app, ["ingest", "--db", db, "--no-progress", str(EXAMPLES)])
    assert ingested.exit_code == 0, ingested.output
    listed = runner.invoke(app, ["facts", "--db", db, "-f", "jsonl"])
    assert listed.exit_code == 0, listed.output
    records = [json.loads(line) for line in listed.stdout.splitlines() if line.strip()]
    assert records and all(r["type"] != "summary" for r in records)
    with Store(db) as store:
        summaries = store.facts(type="summary")
    assert summaries
    bad = [p for record in records + summaries for p in problems(validators, record)]
    assert not bad, "\n".join(bad[:20])


def test_reviewed_records_validate(pipeline, validators):
    """An analyst's corrections reshape a stored record (store/review.py); the result still validates."""
    from warmonitor.store.review import apply_review, normalise_changes

    records = pipeline.extract(ARTICLES[0]).records() + pipeline.extract(ARTICLES[4]).records()
    casualty = next(r for r in records if r["type"] == "casualty")
    control = next(r for r in records if r["type"] == "control")
    at = dt.datetime(2025, 3, 6, 9, 30, tzinfo=dt.timezone.utc)

    changes = normalise_changes("casualty", {"count": 7, "actors": ["Syrian government forces"],
                                             "date": "2025-03-02", "victims": "farm workers",
                                             "place": {"name": "Kafr Dunya east", "lat": 35.9, "lon": 36.6}})
    corrected, state, _ = apply_review(casualty, "correct", changes, user="ana", at=at, reason="council update")
    assert state == "corrected" and "period" not in corrected and corrected["count"] == {"low": 7, "best": 7, "high": 7}
    confirmed, _, _ = apply_review(corrected, "confirm", {}, user="ben", at=at, reason="checked")
    cleared, _, _ = apply_review(control, "correct", normalise_changes("control", {"actors": []}), user="ana",
                                 at=at, reason="actor unclear")
    assert "actor" not in cleared
    rejected, _, _ = apply_review(control, "reject", {}, user="ana", at=at, reason="not a control change")
    bad = [p for record in (corrected, confirmed, cleared, rejected) for p in problems(validators, record)]
    assert not bad, "\n".join(bad)

    unreviewed = dict(corrected)
    del unreviewed["review"]  # without a review, an analyst's word for the victims is not a class
    assert problems(validators, unreviewed)


@pytest.mark.skipif(not (CORPUS / "seed").is_dir(), reason="../shared/corpus/seed not present")
def test_the_seed_article_validates(pipeline, validators):
    articles = articles_in(CORPUS / "seed")
    assert articles
    records = check_results(validators, list(pipeline.extract_many(articles)))
    assert {"casualty", "attack", "control", "quote", "population", "summary"} <= {r["type"] for r in records}


@pytest.mark.skipif(not (CORPUS / "fakes-dev").is_dir(), reason="../shared/corpus/fakes-dev not present")
def test_a_sample_of_fakes_dev_validates(pipeline, validators):
    texts = sorted((CORPUS / "fakes-dev").glob("*.txt"))
    step = max(1, len(texts) // FAKES_SAMPLE)
    sample = texts[::step][:FAKES_SAMPLE]
    from warmonitor.read import iter_articles

    articles = [a for a in iter_articles([str(p) for p in sample]) if isinstance(a, Article)]
    assert len(articles) == len(sample)
    check_results(validators, list(pipeline.extract_many(articles)))


# -- broken records fail --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def good(pipeline) -> dict[str, dict]:
    records = pipeline.extract(ARTICLES[0]).records()
    out = {"casualty": next(r for r in records if r["type"] == "casualty"), "summary": records[-1]}
    records = pipeline.extract(ARTICLES[1]).records()
    out["displacement"] = next(r for r in records if r["type"] == "displacement")
    return out


def broken(record: dict, change) -> dict:
    record = copy.deepcopy(record)
    change(record)
    return record


BREAKAGES = {
    "missing evidence": ("casualty", lambda r: r.pop("evidence")),
    "evidence without offsets": ("casualty", lambda r: r["evidence"].pop("start")),
    "negative offset": ("casualty", lambda r: r["evidence"].update(start=-1)),
    "a wrong type name": ("casualty", lambda r: r.update(type="casualties")),
    "no type": ("casualty", lambda r: r.pop("type")),
    "a count that is a string": ("casualty", lambda r: r.update(count="6")),
    "a count number that is a string": ("casualty", lambda r: r["count"].update(best="6")),
    "a count without best or bounds": ("casualty", lambda r: r.update(count={"low": None, "best": None,
                                                                             "high": 9, "qualifier": None})),
    "a negative count": ("casualty", lambda r: r["count"].update(low=-1)),
    "an unknown outcome": ("casualty", lambda r: r.update(outcome="hurt")),
    "an unknown victim class": ("casualty", lambda r: r.update(victims="villagers")),
    "an unknown fact field": ("casualty", lambda r: r.update(severity="high")),
    "a field of another type": ("casualty", lambda r: r.update(term="fled")),
    "a missing type field": ("casualty", lambda r: r.pop("outcome")),
    "a missing period": ("casualty", lambda r: r.pop("period")),
    "confidence above 1": ("casualty", lambda r: r.update(confidence=1.5)),
    "claimed_by as a string": ("casualty", lambda r: r.update(claimed_by="local council")),
    "a rule of another type": ("casualty", lambda r: r.update(rule="attack.target-near-attack-word")),
    "precision 4": ("casualty", lambda r: r["place"].update(precision=4)),
    "a place without a name": ("casualty", lambda r: r["place"].pop("name")),
    "an unknown place key": ("casualty", lambda r: r["place"].update(population=1200)),
    "a date that is not ISO": ("casualty", lambda r: r.update(date="03/03/2025")),
    "a period precision of hours": ("displacement", lambda r: r["period"].update(precision="hour")),
    "an unknown unit": ("displacement", lambda r: r.update(unit="tents")),
    "an unknown term": ("displacement", lambda r: r.update(term="moved")),
    "an unknown summary field": ("summary", lambda r: r.update(wounded={"total": 9})),
    "a summary group that is not a group": ("summary", lambda r: r["killed"].update(elderly=2)),
    "a null summary tally": ("summary", lambda r: r.update(injured=None)),
    "a summary count that is a string": ("summary", lambda r: r["killed"].update(total="6")),
    "a summary with date and period": ("summary", lambda r: r.update(period={"start": "2025-03-01",
                                                                              "end": "2025-03-04",
                                                                              "precision": "week"})),
    "a summary without places": ("summary", lambda r: r.pop("places")),
}


@pytest.mark.parametrize("what", BREAKAGES)
def test_broken_records_fail(good, validators, what):
    kind, change = BREAKAGES[what]
    assert not problems(validators, good[kind]), "the unbroken record must validate"
    assert problems(validators, broken(good[kind], change)), f"a record with {what} validated"


# -- incidents (planned, issue 11) ----------------------------------------------------------------------

INCIDENT = {
    "type": "incident", "id": "inc-tal-safra-2025-03-01", "kind": "attack",
    "articles": ["valley-herald-0302", "wire-0301-44", "wire-copy-0301"],
    "facts": [{"article": "valley-herald-0302", "fact": 3}, {"article": "wire-0301-44", "fact": "f-1207"}],
    "outlets": ["Valley Herald", "Wire", "Reprint Daily"], "sources": 3, "independent_sources": 2,
    "date": "2025-03-01",
    "place": {"name": "Tal Safra", "geonameid": None, "admin1": None, "country": None, "lat": None, "lon": None,
              "precision": None, "toponym": "Tal Safra", "qualifier": None},
    "killed": None, "injured": {"low": 2, "best": 2, "high": 2},
    "victims": ["medical workers"], "perpetrators": [], "targets": ["medical facility"],
    "status": "contested",
    "contradictions": [{"field": "date", "values": [{"value": "2025-03-01", "articles": ["valley-herald-0302"]},
                                                    {"value": "2025-02-28", "articles": ["wire-0301-44"]}]}],
    "linker": {"version": "draft"},  # incidents are open to further fields
}


def test_an_incident_validates(validators):
    assert not problems(validators, INCIDENT)


@pytest.mark.parametrize("change", [
    lambda r: r.update(status="confirmed"),
    lambda r: r.update(kind="quote"),
    lambda r: r.update(articles=[]),
    lambda r: r.pop("facts"),
    lambda r: r.update(killed={"best": 3}),
    lambda r: r.update(contradictions=[{"field": "killed", "values": [{"value": 2}]}]),
])
def test_broken_incidents_fail(validators, change):
    assert problems(validators, broken(INCIDENT, change))
