"""`warmonitor link` and `warmonitor incidents` end to end, on SQLite and PostgreSQL: invented conflict
reports ingested through the real command line are linked as they are stored, the incidents keep their
members and ids across `link --rebuild`, incremental runs and `reprocess`, analysts' decisions survive
all three, a crash while linking leaves the previous incidents, and the listing filters and formats.

Every article below is invented for these tests.
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import warmonitor
from warmonitor.cli import app
from warmonitor.link import linker as linker_module
from warmonitor.store import Store

# (key, published, outlet, title, text)
KAFR_NABL = [
    ("herald-0304", "2025-03-04", "Valley Herald", "Airstrike on Kafr Nabl market",
     "An airstrike killed six civilians at the market in Kafr Nabl on Monday, local officials said."),
    ("wire-0304", "2025-03-04", "Wire", "Strike hits Syrian market",
     "At least seven people were killed when an airstrike hit a market in Kafr Nabl on Monday, rescuers said."),
    ("post-0305", "2025-03-05", "Daily Post", "Kafr Nabl toll rises",
     "The death toll from Monday's airstrike on the market in Kafr Nabl rose to nine, the civil defence said."),
]
KHERSON = [
    ("wire-kherson-0410", "2025-04-10", "Wire", "Shelling in Kherson",
     "Russian shelling killed three people and injured seven others in Kherson on Wednesday, the regional "
     "governor said."),
    # the wire story reprinted under another headline: one more article, no more independent sources
    ("gazette-kherson-0410", "2025-04-10", "River Gazette", "Three killed as shells hit Kherson",
     "KHERSON (Wire) - Russian shelling killed three people and injured seven others in Kherson on Wednesday, "
     "the regional governor said."),
]
GOMA = [
    ("relief-goma-0601", "2025-06-01", "Relief News", "Thousands flee Goma",
     "About 3,000 people fled their homes in Goma on Saturday after fighting near the city, the UN said."),
]
ALL = KAFR_NABL + KHERSON + GOMA
GROUPS = {frozenset(k for k, *_ in group) for group in (KAFR_NABL, KHERSON, GOMA)}


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def write_articles(folder: Path, articles, name: str = "articles.jsonl") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text("".join(json.dumps({"id": k, "published": p, "outlet": o, "title": t, "text": x}) + "\n"
                            for k, p, o, t, x in articles), encoding="utf-8")
    return path


def ingest(db: str, path: Path):
    result = run("ingest", "--db", db, "--no-progress", str(path))
    assert result.exit_code == 0, result.output
    return result


def listed(db: str, *filters: str) -> list[dict]:
    result = run("incidents", "--db", db, "-f", "jsonl", *filters)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def groups(records: list[dict]) -> set[frozenset]:
    return {frozenset(r["articles"]) for r in records}


def ids(records: list[dict]) -> dict[frozenset, str]:
    return {frozenset(r["articles"]): r["id"] for r in records}


@pytest.fixture
def linked(db_url, tmp_path) -> str:
    """A database holding every article, linked as ingest stored them."""
    ingest(db_url, write_articles(tmp_path / "in", ALL))
    return db_url


def test_ingest_links_what_it_stores(linked):
    records = listed(linked)
    assert groups(records) == GROUPS
    by_group = {frozenset(r["articles"]): r for r in records}
    kafr = by_group[frozenset(k for k, *_ in KAFR_NABL)]
    assert kafr["killed"]["best"] == 9 and kafr["sources"] == 3 and kafr["independent_sources"] == 3
    kherson = by_group[frozenset(k for k, *_ in KHERSON)]
    assert (kherson["sources"], kherson["independent_sources"], kherson["status"]) == (2, 1, "single-source")
    assert all(r["type"] == "incident" and r["id"].startswith("inc-") for r in records)
    with Store(linked) as store:
        assert store.link_counts()["unlinked_articles"] == 0


def test_ingest_says_how_many_articles_it_linked(db_url, tmp_path):
    result = ingest(db_url, write_articles(tmp_path / "in", GOMA))
    assert "articles linked 1" in result.output


def test_link_again_changes_nothing_and_rebuild_keeps_every_id(linked):
    before = listed(linked)
    again = run("link", "--db", linked)
    assert again.exit_code == 0 and "linked 0 articles" in again.output
    assert listed(linked) == before
    rebuilt = run("link", "--db", linked, "--rebuild")
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "re-linked 6 articles: 0 incidents new or changed, 0 removed, 3 incidents stored" in rebuilt.output
    assert listed(linked) == before


def test_ids_do_not_depend_on_the_order_articles_were_stored_in(linked, tmp_path):
    """Incident ids name facts by their place in their article, not by database row: another database
    that stored the same articles the other way round, one by one, has the same incidents and ids."""
    other = f"sqlite:///{tmp_path / 'other.db'}"
    for n, article in enumerate(reversed(ALL)):
        ingest(other, write_articles(tmp_path / f"one-{n}", [article]))
    assert ids(listed(other)) == ids(listed(linked))  # linked one article at a time, latest first
    assert run("link", "--db", other, "--rebuild").exit_code == 0
    assert ids(listed(other)) == ids(listed(linked))


def test_incremental_runs_give_what_a_rebuild_gives(db_url, tmp_path):
    """Articles stored in three runs, a later report before an earlier one, link as one rebuild does."""
    ingest(db_url, write_articles(tmp_path / "a", [KAFR_NABL[2], GOMA[0]]))
    ingest(db_url, write_articles(tmp_path / "b", [KAFR_NABL[0], KHERSON[1]]))
    ingest(db_url, write_articles(tmp_path / "c", [KAFR_NABL[1], KHERSON[0]]))
    incremental = listed(db_url)
    assert groups(incremental) == GROUPS
    assert run("link", "--db", db_url, "--rebuild").exit_code == 0
    assert groups(listed(db_url)) == GROUPS


def test_a_corrected_article_is_linked_again(linked, tmp_path):
    """A new version of a report replaces its facts: its incident is built again from the new ones."""
    corrected = [(k, p, o, t, x.replace("rose to nine", "rose to eleven")) for k, p, o, t, x in KAFR_NABL[2:]]
    result = ingest(linked, write_articles(tmp_path / "fix", corrected))
    assert "updated 1" in result.output
    records = listed(linked)
    assert groups(records) == GROUPS
    kafr = next(r for r in records if "post-0305" in r["articles"])
    assert kafr["killed"]["best"] == 11


def test_decisions_survive_rebuild_and_reprocess(linked):
    before = ids(listed(linked))
    with Store(linked) as store:
        store.upgrade()
        store.decide_incidents("split", ["herald-0304", "wire-0304"], "two strikes on the town that day",
                               by="analyst1")
    assert run("link", "--db", linked).exit_code == 0
    split = groups(listed(linked))
    assert not any({"herald-0304", "wire-0304"} <= group for group in split)
    assert frozenset(k for k, *_ in KHERSON) in split and frozenset(["relief-goma-0601"]) in split
    assert run("link", "--db", linked, "--rebuild").exit_code == 0
    assert groups(listed(linked)) == split
    reprocessed = run("reprocess", "--db", linked)
    assert reprocessed.exit_code == 0, reprocessed.output
    assert "incidents linked again" in reprocessed.output
    assert groups(listed(linked)) == split
    # the incidents no decision touched keep their ids throughout
    after = ids(listed(linked))
    for group in (frozenset(k for k, *_ in KHERSON), frozenset(["relief-goma-0601"])):
        assert after[group] == before[group]


def test_a_merge_joins_what_linking_kept_apart(linked):
    with Store(linked) as store:
        store.upgrade()
        store.decide_incidents("merge", ["post-0305", "wire-kherson-0410"], "same offensive, one record",
                               confirmed=True)
    assert run("link", "--db", linked, "--rebuild").exit_code == 0
    merged = groups(listed(linked))
    assert any({"post-0305", "wire-kherson-0410"} <= group for group in merged)


def test_a_crash_while_linking_leaves_the_previous_incidents(linked, monkeypatch):
    before = listed(linked)
    calls = {"n": 0}
    add = linker_module.Linker.add

    def failing(self, article, *stored):
        calls["n"] += 1
        if calls["n"] == 4:
            raise RuntimeError("injected failure")
        return add(self, article, *stored)

    monkeypatch.setattr(linker_module.Linker, "add", failing)
    result = run("link", "--db", linked, "--rebuild")
    assert result.exit_code != 0 and calls["n"] == 4
    assert listed(linked) == before
    monkeypatch.setattr(linker_module.Linker, "add", add)
    assert run("link", "--db", linked, "--rebuild").exit_code == 0
    assert listed(linked) == before


def test_a_crash_while_ingest_links_keeps_the_articles_and_link_finishes(db_url, tmp_path, monkeypatch):
    def failing(self, article, *stored):
        raise RuntimeError("injected failure")

    add = linker_module.Linker.add
    monkeypatch.setattr(linker_module.Linker, "add", failing)
    result = ingest(db_url, write_articles(tmp_path / "in", ALL))
    assert "new 6" in result.output and "linking failed (RuntimeError: injected failure)" in result.output
    assert "run `warmonitor link`" in result.output
    assert listed(db_url) == []
    monkeypatch.setattr(linker_module.Linker, "add", add)
    finished = run("link", "--db", db_url)
    assert finished.exit_code == 0 and "linked 6 articles" in finished.output
    assert groups(listed(db_url)) == GROUPS


def test_two_linking_runs_at_once_link_each_article_once(db_url, tmp_path, monkeypatch):
    """A second run (another ingest) that links the same articles between this run's reading and writing
    makes this run read and link again, not undo the other's incidents."""
    from warmonitor.usecases.link import link_incidents

    assert run("ingest", "--db", db_url, str(write_articles(tmp_path / "in", ALL))).exit_code == 0
    with Store(db_url) as store:
        store.upgrade()
        store.decide_incidents("split", ["herald-0304", "post-0305"], "unlink all for this test")
        store.write_links(store.rebuild_state(), [])  # everything unlinked, no incidents
        assert len(store.articles_to_link()) == 6
        read_state = Store.link_state
        raced = []

        def racing(self, batch, **options):
            state = read_state(self, batch, **options)
            if not raced:
                raced.append(None)  # the other run reads through this too: it races no further
                with Store(db_url) as other:
                    raced[0] = link_incidents(other)
            return state

        monkeypatch.setattr(Store, "link_state", racing)
        summary = link_incidents(store)
    assert raced[0].articles == 6 and summary.articles == 0
    assert not any({"herald-0304", "post-0305"} <= group for group in groups(listed(db_url)))
    assert sum(len(r["articles"]) for r in listed(db_url)) == 6


def test_every_fact_stays_reachable_from_its_article(linked):
    facts = run("facts", "--db", linked, "-f", "jsonl")
    assert facts.exit_code == 0
    stored = [json.loads(line) for line in facts.stdout.splitlines()]
    in_incidents = {(f["article"], f["fact"]) for r in listed(linked) for f in r["facts"]}
    assert len(stored) >= len(in_incidents) > 0
    assert {a for a, _ in in_incidents} == {k for k, *_ in ALL}


def test_incident_filters(linked):
    def found(*filters: str) -> set[frozenset]:
        return groups(listed(linked, *filters))

    kafr, kherson, goma = (frozenset(k for k, *_ in g) for g in (KAFR_NABL, KHERSON, GOMA))
    assert found("--type", "displacement") == {goma}
    assert found("--place", "Kherson") == found("--country", "UA") == {kherson}
    assert found("--admin1", "idlib") == {kafr}
    assert found("--since", "2025-04-01") == {kherson, goma}
    assert found("--until", "2025-03-31") == {kafr}
    assert found("--since", "2025-04-09", "--until", "2025-04-09") == {kherson}
    assert found("--status", "single-source", "--country", "CD") == {goma}
    assert found("--country", "SY", "--type", "displacement") == set()


def test_incident_formats(linked, tmp_path):
    table = run("incidents", "--db", linked)
    assert table.exit_code == 0 and "3 incidents" in table.stdout
    flat = run("incidents", "--db", linked, "-f", "csv", "--country", "UA")
    rows = list(csv.DictReader(io.StringIO(flat.stdout)))
    assert [(r["place"], r["killed_best"], r["injured_best"], r["sources"], r["independent_sources"])
            for r in rows] == [("Kherson", "3", "7", "2", "1")]
    out = tmp_path / "incidents.geojson"
    geo = run("incidents", "--db", linked, "-f", "geojson", "-o", str(out))
    assert geo.exit_code == 0, geo.output
    assert len(json.loads(out.read_text(encoding="utf-8"))["features"]) == 3
    acled = run("incidents", "--db", linked, "-f", "acled", "--type", "displacement")
    assert acled.exit_code == 0 and "Goma" in acled.stdout


def test_jsonl_incidents_follow_the_schema(linked):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((Path(warmonitor.__file__).parent / "schemas" / "incident.schema.json").read_text())
    for record in listed(linked):
        jsonschema.validate(record, schema)


def test_link_refusals_are_listed(linked):
    result = run("link", "--db", linked, "--refusals")
    assert result.exit_code == 0 and "close calls not linked" in result.stdout


@pytest.mark.parametrize("args, says", [
    (("--since", "March"), "since: not a date: 'March' (expected YYYY-MM-DD)"),
    (("--status", "confirmed"), "'confirmed' is no incident status"),
    (("-o", "incidents.txt"), "--output needs a file format"),
])
def test_bad_options_are_one_line(linked, args, says):
    result = run("incidents", "--db", linked, *args)
    assert result.exit_code == 2 and says in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("command", ["link", "incidents"])
def test_read_commands_refuse_a_missing_database(tmp_path, command):
    missing = tmp_path / "nowhere.db"
    result = run(command, "--db", str(missing))
    assert result.exit_code == 2 and "does not exist" in result.output
    assert not missing.exists()


def test_incidents_from_python(linked):
    with warmonitor.open(linked) as db:
        assert groups(db.incidents()) == GROUPS
        assert [r["articles"] for r in db.incidents(country="CD")] == [["relief-goma-0601"]]
        assert db.incidents(status="contested", country="UA") == []
        rebuilt = db.link(rebuild=True)
        assert (rebuilt.articles, rebuilt.incidents_written, rebuilt.incidents) == (6, 0, 3)


def test_the_store_links_the_conflict_set_as_linking_in_memory_does(db_url):
    """The invented conflict set (tests/data/incidents: wire reprints, running tolls, contradictions,
    two strikes on one town in one day), ingested four articles a batch in file order and linked batch
    by batch against the stored incidents, gives the incidents, ids and records that linking all of it
    in memory gives; so does `link --rebuild`."""
    from warmonitor.evaluate.linking import link_articles_of

    folder = Path(__file__).resolve().parent / "data" / "incidents"
    result = run("ingest", "--db", db_url, "--no-progress", "--batch-size", "4", str(folder))
    assert result.exit_code == 0, result.output
    _, in_memory = link_articles_of(folder)
    expected = sorted(json.dumps(r, sort_keys=True) for r in in_memory)
    assert sorted(json.dumps(r, sort_keys=True) for r in listed(db_url)) == expected
    assert run("link", "--db", db_url, "--rebuild").exit_code == 0
    assert sorted(json.dumps(r, sort_keys=True) for r in listed(db_url)) == expected


# A report without event facts (mourners at a clinic), then two reports of the strike on that clinic
DEIR_AL_BALAH = [
    ("courier-0712", "2025-07-12", "Coast Courier", "Mourners gather at the Al-Rahma clinic on Jamal Abdel Nasser Street",
     "Mourners gathered outside the Al-Rahma clinic on Jamal Abdel Nasser Street in Deir al-Balah on Saturday evening."),
    ("wire-0713", "2025-07-13", "Wire", "Strike on Al-Rahma clinic on Jamal Abdel Nasser Street kills five",
     "An airstrike hit the Al-Rahma clinic on Jamal Abdel Nasser Street in Deir al-Balah on Saturday, killing five "
     "people, medics said."),
    ("herald-0713", "2025-07-13", "Valley Herald", "Five killed in strike on Al-Rahma clinic on Jamal Abdel Nasser Street",
     "Five people were killed when an airstrike hit the Al-Rahma clinic on Jamal Abdel Nasser Street in Deir al-Balah "
     "on Saturday, health officials said."),
]


def test_a_fact_less_report_stored_first_is_joined_by_a_later_report(db_url, tmp_path):
    """The fact-less report opens a hidden incident: stored (not listed), and the strike's report, ingested
    in a later run, joins it as a rebuild joins them."""
    ingest(db_url, write_articles(tmp_path / "a", DEIR_AL_BALAH[:1]))
    assert listed(db_url) == []
    with Store(db_url) as store:
        counts = store.link_counts()
        assert (counts["incidents"], counts["hidden_incidents"], counts["unlinked_articles"]) == (0, 1, 0)
    ingest(db_url, write_articles(tmp_path / "b", DEIR_AL_BALAH[1:2]))
    incremental = ids(listed(db_url))
    assert set(incremental) == {frozenset(["courier-0712", "wire-0713"])}
    assert run("link", "--db", db_url, "--rebuild").exit_code == 0
    assert ids(listed(db_url)) == incremental


def test_a_fact_less_member_stays_when_its_incident_is_linked_again(db_url, tmp_path):
    ingest(db_url, write_articles(tmp_path / "a", DEIR_AL_BALAH[:2]))
    ingest(db_url, write_articles(tmp_path / "b", DEIR_AL_BALAH[2:]))
    [record] = listed(db_url)
    assert set(record["articles"]) == {"courier-0712", "wire-0713", "herald-0713"}
    assert record["killed"]["best"] == 5
    assert run("link", "--db", db_url, "--rebuild").exit_code == 0
    assert listed(db_url) == [record]


def test_incremental_runs_give_what_a_rebuild_gives_on_many_generated_reports(db_url):
    """600 generated reports of about 250 events (bench/link_speed.py's templates) stored in four runs, in
    shuffled order, link into the incidents, with the ids, that `link --rebuild` makes of them."""
    import datetime as dt
    import importlib.util
    import random

    path = Path(__file__).resolve().parent.parent / "bench" / "link_speed.py"
    spec = importlib.util.spec_from_file_location("link_speed_bench", path)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    reports = bench.generate_reports(600, seed=7, start=dt.date(2025, 1, 1), days=60, prefix="gen")
    random.Random(3).shuffle(reports)
    from warmonitor.usecases.link import link_incidents

    with Store(db_url) as store:
        store.upgrade()
        for start in range(0, len(reports), 150):
            store.save([bench.to_result(a) for a in reports[start:start + 150]], extractor_version="gen")
            link_incidents(store)
        incremental = ids(store.incidents())
        assert len(incremental) > 200 and any(len(group) >= 3 for group in incremental)
        link_incidents(store, rebuild=True)
        assert ids(store.incidents()) == incremental


def decisions(db: str) -> list[dict]:
    with Store(db) as store:
        return store.incident_decisions()


def test_merge_and_split_from_the_command_line(linked):
    before = ids(listed(linked))
    kafr, kherson = before[frozenset(k for k, *_ in KAFR_NABL)], before[frozenset(k for k, *_ in KHERSON)]
    result = run("merge", "--db", linked, kafr, kherson, "--reason", "one offensive", "--by", "ana", "--yes")
    assert result.exit_code == 0, result.output
    assert "merge recorded" in result.output
    merged = groups(listed(linked))
    assert frozenset(k for k, *_ in KAFR_NABL + KHERSON) in merged
    [decision] = decisions(linked)
    assert (decision["action"], set(decision["articles"]), decision["by"]) == (
        "merge", {k for k, *_ in KAFR_NABL + KHERSON}, "ana")
    assert run("link", "--db", linked, "--rebuild").exit_code == 0
    assert groups(listed(linked)) == merged
    # take the Kherson reports out again: each kept apart from each of the incident's other articles
    whole = ids(listed(linked))[frozenset(k for k, *_ in KAFR_NABL + KHERSON)]
    result = run("split", "--db", linked, "wire-kherson-0410", "gazette-kherson-0410", "--from", whole,
                 "--reason", "another town, another day")
    assert result.exit_code == 0, result.output
    after = groups(listed(linked))
    assert frozenset(k for k, *_ in KAFR_NABL) in after and not any(
        {"post-0305", "wire-kherson-0410"} <= group for group in after)
    assert [d["action"] for d in decisions(linked)] == ["merge"] + ["split"] * 6  # 2 taken out x 3 left


def test_a_merge_across_countries_asks_first(linked):
    args = ["merge", "--db", linked, "post-0305", "relief-goma-0601", "--reason", "one war"]
    refused = CliRunner().invoke(app, args, input="n\n")
    assert refused.exit_code == 1
    assert "merge not recorded: these articles' incidents are in different countries (CD, SY)" in refused.output
    assert CliRunner().invoke(app, args).exit_code == 1  # no answer (not a terminal): not recorded
    assert decisions(linked) == []
    confirmed = CliRunner().invoke(app, args, input="y\n")
    assert confirmed.exit_code == 0, confirmed.output
    assert any({"post-0305", "relief-goma-0601"} <= group for group in groups(listed(linked)))


@pytest.mark.parametrize("args, says", [
    (["merge", "herald-0304", "nowhere-1", "--reason", "same"], "'nowhere-1' is neither a stored article nor an incident"),
    (["merge", "herald-0304", "--reason", "same"], "a merge names at least two articles"),
    (["merge", "herald-0304", "wire-0304", "--reason", " "], "a merge needs a reason"),
    (["split", "herald-0304", "relief-goma-0601", "--from", "inc-000000000000", "--reason", "x"],
     "'inc-000000000000' is neither a stored article nor an incident"),
])
def test_bad_decisions_are_one_line(linked, args, says):
    result = run(args[0], "--db", linked, *args[1:])
    assert result.exit_code == 2
    assert result.output.strip() == f"warmonitor: {says}" or says in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert decisions(linked) == []
