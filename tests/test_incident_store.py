"""Incidents in the store (store/incidents.py, migration 0005), on SQLite and PostgreSQL: writing a linking
run's output idempotently and all or nothing, the warm state an incremental run replays, what happens to
incidents when their facts are replaced (new version, reprocess), analysts' decisions, and the
`incidents` filters.

The incident records here are made by hand, so that the store is tested apart from the linker
(tests/test_cli_incidents.py links for real). The articles are invented for these tests.
"""
from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from warmonitor.link.model import Constraint, Link, Refusal
from warmonitor.model import Article
from warmonitor.store import Store
from warmonitor.store.incidents import LinkConflict, LinkState, NeedsConfirmation
from warmonitor.store.schema import FactRow, IncidentFactRow, IncidentRow, LinkedArticleRow

ARTICLES = [
    Article(id="herald-0304", published="2025-03-04", outlet="Valley Herald",
            text="An airstrike killed six civilians in Kafr Nabl on Monday, local officials said."),
    Article(id="wire-0304", published="2025-03-04", outlet="Wire",
            text="At least seven people were killed when an airstrike hit a market in Kafr Nabl on Monday, "
                 "rescuers said."),
    Article(id="kherson-0410", published="2025-04-10", outlet="Wire",
            text="Russian shelling killed three people and injured seven others in Kherson on Wednesday, the "
                 "regional governor said."),
    Article(id="goma-0601", published="2025-06-01", outlet="Relief News",
            text="About 3,000 people fled their homes in Goma on Saturday after fighting near the city, the UN said."),
]


@pytest.fixture(scope="module")
def results(pipeline):
    return [pipeline.extract(article) for article in ARTICLES]


@pytest.fixture
def store(db_url, results):
    with Store(db_url) as found:
        found.upgrade()
        found.save(results, extractor_version="v1")
        yield found


def loaded(store: Store) -> tuple[dict, list]:
    """The stored articles as linking reads them (key -> LinkArticle) and as `LinkInput`s."""
    inputs = store.link_inputs([i for _, i in store.articles_to_link(everything=True)])
    return {found.article.id: found.article for found in inputs}, inputs


def fact_ids(article) -> list[int]:
    """How linking names an article's facts: by their index among its records."""
    return list(range(len(article.facts)))


def incident(id_: str, kind: str, members: list[tuple[str, list[int]]], *, date=None, place=None,
             killed=None, status="single-source") -> dict:
    """A hand-made incident record (docs/format.md)."""
    return {"type": "incident", "id": id_, "kind": kind, "articles": [a for a, _ in members],
            "facts": [{"article": a, "fact": f} for a, facts in members for f in facts],
            "outlets": [], "sources": len(members), "independent_sources": len(members), "date": date,
            "period": None, "place": place, "killed": killed, "injured": None, "status": status,
            "contradictions": []}


IDLIB = {"name": "Kafr Nabl", "geonameid": 170001, "admin1": "Idlib", "country": "SY", "lat": 35.6, "lon": 36.6}
KHERSON = {"name": "Kherson", "geonameid": 706448, "admin1": "Kherson", "country": "UA", "lat": 46.6, "lon": 32.6}
GOMA = {"name": "Goma", "geonameid": 216281, "admin1": "Nord Kivu", "country": "CD", "lat": -1.7, "lon": 29.2}


def write_all(store: Store) -> tuple[LinkState, list[dict]]:
    """A rebuild's output, made by hand: the two Kafr Nabl reports as one incident, Kherson and Goma alone."""
    articles, ids = loaded(store)
    state = store.rebuild_state()
    state.cover(ids)
    herald, wire = articles["herald-0304"], articles["wire-0304"]
    records = [
        incident("inc-kafr", "casualty", [("herald-0304", fact_ids(herald)), ("wire-0304", fact_ids(wire))],
                 date="2025-03-03", place=IDLIB, killed={"low": 6, "best": 7, "high": 7}, status="corroborated"),
        incident("inc-kherson", "casualty", [("kherson-0410", fact_ids(articles["kherson-0410"]))],
                 date="2025-04-09", place=KHERSON, killed={"low": 3, "best": 3, "high": 3}),
        incident("inc-goma", "displacement", [("goma-0601", fact_ids(articles["goma-0601"]))], date=None,
                 place=GOMA),
    ]
    links = [Link("inc-kafr", "herald-0304", fact_ids(herald), 1.0, {"opened": True}, True),
             Link("inc-kafr", "wire-0304", fact_ids(wire), 0.82, {"day": 1.0, "place": "Kafr Nabl"})]
    refusals = [Refusal("inc-kherson", "wire-0304", 0.31, {"day": 0.0})]
    store.write_links(state, records, links, refusals)
    return state, records


def count(store: Store, model, *where) -> int:
    with Session(store.engine) as session:
        return session.scalar(select(func.count()).select_from(model).where(*where))


def test_a_linking_run_is_stored_with_its_reasons(store):
    facts_before = store.counts()["facts"]
    _, records = write_all(store)
    assert [r["id"] for r in store.incidents()] == ["inc-goma", "inc-kherson", "inc-kafr"]  # newest first (Goma, undated, by its report's day)
    assert store.incidents(type="casualty", status="corroborated") == [records[0]]
    why = store.incident_facts("inc-kafr")
    assert {w["article"] for w in why} == {"herald-0304", "wire-0304"}
    assert {w["score"] for w in why if w["article"] == "wire-0304"} == {0.82}
    assert all(w["record"]["type"] != "summary" for w in why)
    assert store.link_refusals() == [{"incident": "inc-kherson", "article": "wire-0304", "score": 0.31,
                                      "reasons": {"day": 0.0}}]
    assert store.articles_to_link() == []
    assert store.link_counts()["unlinked_articles"] == 0
    assert store.counts()["facts"] == facts_before  # linking adds, never removes a fact


def test_writing_the_same_run_again_changes_nothing(store):
    write_all(store)
    with Session(store.engine) as session:
        before = session.execute(select(IncidentRow.id, IncidentRow.updated_at).order_by(IncidentRow.id)).all()
        links_before = session.execute(select(IncidentFactRow.incident_id, IncidentFactRow.fact_id)
                                       .order_by(IncidentFactRow.fact_id)).all()
    state, records = write_all(store)
    with Session(store.engine) as session:
        after = session.execute(select(IncidentRow.id, IncidentRow.updated_at).order_by(IncidentRow.id)).all()
        links_after = session.execute(select(IncidentFactRow.incident_id, IncidentFactRow.fact_id)
                                      .order_by(IncidentFactRow.fact_id)).all()
    assert after == before and links_after == links_before
    summary = store.write_links(state, records)
    assert (summary.written, summary.kept, summary.removed) == (0, 3, 0)


def test_a_failing_write_leaves_the_previous_state(store, monkeypatch):
    write_all(store)
    before = store.incidents()
    state = store.rebuild_state()
    articles, ids = loaded(store)
    state.cover(ids)
    broken = [incident("inc-new", "casualty", [("herald-0304", fact_ids(articles["herald-0304"]))]), {"no": "id"}]
    with pytest.raises(KeyError):
        store.write_links(state, broken)
    assert store.incidents() == before
    assert store.articles_to_link() == []


def test_a_fact_gone_since_it_was_read_is_left_out(store):
    """A fact replaced by another writer between reading and writing is left out, not an error."""
    articles, inputs = loaded(store)
    state = store.rebuild_state()
    state.cover(inputs)
    wire = next(found for found in inputs if found.article.id == "wire-0304")
    assert len(wire.fact_ids) == 2
    with Session(store.engine) as session, session.begin():
        session.execute(delete(FactRow).where(FactRow.id == wire.fact_ids[0]))
    record = incident("inc-x", "casualty", [("wire-0304", [0, 1, 7])])
    store.write_links(state, [record])
    assert [w["fact_id"] for w in store.incident_facts("inc-x")] == [wire.fact_ids[1]]


def test_a_new_version_drops_its_incidents_and_unlinks_their_articles(store, pipeline):
    write_all(store)
    corrected = dataclasses.replace(ARTICLES[0], text=ARTICLES[0].text.replace("six", "eight"))
    summary = store.save([pipeline.extract(corrected)], extractor_version="v1")
    assert summary.updated == 1
    assert [r["id"] for r in store.incidents()] == ["inc-goma", "inc-kherson"]
    assert [key for key, _ in store.articles_to_link()] == ["herald-0304", "wire-0304"]
    assert count(store, IncidentFactRow) == len(fact_ids(loaded(store)[0]["kherson-0410"])) + 1
    assert store.link_refusals()[0]["incident"] == "inc-kherson"


def test_reprocess_drops_the_incidents_of_the_articles_it_re_extracts(store, pipeline):
    write_all(store)
    store.reprocess(pipeline, extractor_version="v2")
    assert store.incidents() == []
    assert len(store.articles_to_link()) == len(ARTICLES)
    assert count(store, LinkedArticleRow) == 0 and count(store, IncidentFactRow) == 0


def test_warm_state_holds_the_incidents_near_a_new_article_and_all_their_articles(store, pipeline):
    write_all(store)
    later = Article(id="post-0305", published="2025-03-05", outlet="Daily Post",
                    text="The death toll from Monday's airstrike on Kafr Nabl in Idlib rose to nine, the civil "
                         "defence said.")
    store.save([pipeline.extract(later)], extractor_version="v1")
    assert [key for key, _ in store.articles_to_link()] == ["post-0305"]
    batch = store.link_inputs([i for _, i in store.articles_to_link()])
    state = store.link_state(batch, days=7)
    assert state.incident_ids == {"inc-kafr"}  # Kherson is a month later, Goma elsewhere
    assert sorted(a.id for a in state.warm) == ["herald-0304", "wire-0304"]
    assert set(state.article_ids) == {"herald-0304", "wire-0304", "post-0305"}


def test_warm_state_is_closed_over_shared_articles(store):
    """An article in two incidents brings both: re-linking it must not leave either half-built."""
    articles, ids = loaded(store)
    state = store.rebuild_state()
    state.cover(ids)
    kherson = fact_ids(articles["kherson-0410"])
    records = [incident("inc-a", "casualty", [("herald-0304", fact_ids(articles["herald-0304"])),
                                              ("kherson-0410", kherson[:1])], date="2025-03-03", place=IDLIB),
               incident("inc-b", "casualty", [("kherson-0410", kherson[1:]),
                                              ("goma-0601", fact_ids(articles["goma-0601"]))], date="2025-04-09",
                        place=KHERSON)]
    store.write_links(state, records)
    near = store.link_state([found for found in ids if found.article.id == "wire-0304"], days=3)
    assert near.incident_ids == {"inc-a", "inc-b"}
    assert sorted(a.id for a in near.warm) == ["goma-0601", "herald-0304", "kherson-0410"]


def test_incident_filters(store):
    write_all(store)

    def ids(**filters) -> list[str]:
        return [r["id"] for r in store.incidents(**filters)]

    assert ids(type="displacement") == ["inc-goma"]
    assert ids(type=["casualty", "displacement"]) == ["inc-goma", "inc-kherson", "inc-kafr"]
    assert ids(place="kafr nabl") == ids(place=170001) == ids(place="170001") == ["inc-kafr"]
    assert ids(admin1="IDLIB") == ["inc-kafr"] and ids(country="ua") == ["inc-kherson"]
    assert ids(since="2025-04-01") == ["inc-goma", "inc-kherson"]  # Goma undated: its report's day
    assert ids(until="2025-03-31") == ["inc-kafr"]
    assert ids(since="2025-03-03", until="2025-03-03") == ["inc-kafr"]
    assert ids(status="single-source") == ["inc-goma", "inc-kherson"]
    assert ids(limit=1) == ["inc-goma"]
    with pytest.raises(ValueError, match="since: not a date"):
        store.incidents(since="March")
    with pytest.raises(ValueError, match="no incident status"):
        store.incidents(status="confirmed")


def test_decisions_are_kept_and_given_to_the_linker(store, pipeline):
    write_all(store)
    decided = store.decide_incidents("split", ["herald-0304", "wire-0304"], "two strikes that day", by="ana")
    assert decided >= 1
    assert store.incident_constraints() == [Constraint("split", ("herald-0304", "wire-0304"), "two strikes that day",
                                                       "ana")]
    assert [d["action"] for d in store.incident_decisions()] == ["split"]
    # the incident they were in goes; its articles are linked again by the next run
    assert [r["id"] for r in store.incidents()] == ["inc-goma", "inc-kherson"]
    assert [key for key, _ in store.articles_to_link()] == ["herald-0304", "wire-0304"]
    store.reprocess(pipeline, extractor_version="v2")  # decisions hang on article keys, not on facts
    assert len(store.incident_constraints()) == 1


@pytest.mark.parametrize("action, articles, reason, says", [
    ("join", ["herald-0304", "wire-0304"], "same", "expected merge or split"),
    ("merge", ["herald-0304"], "same", "at least two articles"),
    ("merge", ["herald-0304", "wire-0304"], "  ", "needs a reason"),
    ("merge", ["herald-0304", "nowhere-1"], "same", "'nowhere-1' is not stored"),
])
def test_bad_decisions_are_refused_in_one_line(store, action, articles, reason, says):
    with pytest.raises(ValueError, match=says):
        store.decide_incidents(action, articles, reason)
    assert store.incident_decisions() == []


def test_a_merge_across_countries_needs_confirmation(store):
    write_all(store)
    with pytest.raises(NeedsConfirmation, match="different countries .*CD, UA"):
        store.decide_incidents("merge", ["kherson-0410", "goma-0601"], "one offensive")
    assert store.incident_decisions() == []
    store.decide_incidents("merge", ["kherson-0410", "goma-0601"], "one offensive", confirmed=True)
    assert store.incident_constraints()[0].action == "merge"


def test_every_fact_stays_reachable_from_its_article(store):
    write_all(store)
    with Session(store.engine) as session:
        linked = session.scalar(select(func.count()).select_from(IncidentFactRow))
        facts = session.scalar(select(func.count()).select_from(FactRow).where(FactRow.type != "summary"))
    assert linked <= facts
    assert len(store.facts()) == facts


def test_a_run_that_another_run_overtook_is_refused_whole(store, pipeline):
    """Two linking runs read the same unlinked article; the second to write would undo the first's."""
    write_all(store)
    later = Article(id="post-0305", published="2025-03-05", outlet="Daily Post",
                    text="The death toll from Monday's airstrike on Kafr Nabl rose to nine, the civil defence said.")
    store.save([pipeline.extract(later)], extractor_version="v1")
    batch = store.link_inputs([i for _, i in store.articles_to_link()])
    first, second = store.link_state(batch, days=7), store.link_state(batch, days=7)
    members = [("herald-0304", [0]), ("wire-0304", [0, 1]), ("post-0305", [0])]
    store.write_links(first, [incident("inc-kafr", "casualty", members, date="2025-03-03", place=IDLIB)])
    before = store.incidents()
    with pytest.raises(LinkConflict):
        store.write_links(second, [incident("inc-other", "casualty", members)])
    assert store.incidents() == before


def hidden_and_fact_less(store: Store) -> list[dict]:
    """A rebuild's output with a hidden incident (a fact-less report, `Linker.incidents(hidden=True)`) and
    a listed one whose record names an article without facts among its members."""
    articles, ids = loaded(store)
    state = store.rebuild_state()
    state.cover(ids)
    herald, wire = articles["herald-0304"], articles["wire-0304"]
    kafr = incident("inc-kafr", "casualty", [("herald-0304", fact_ids(herald))], date="2025-03-03", place=IDLIB,
                    killed={"low": 6, "best": 6, "high": 6})
    kafr["articles"].append("wire-0304")  # a member whose facts the record does not list (as a fact-less one)
    hidden = {**incident("inc-hidden", "casualty", [("kherson-0410", [])], place=None), "hidden": True}
    goma = incident("inc-goma", "displacement", [("goma-0601", fact_ids(articles["goma-0601"]))], place=GOMA)
    store.write_links(state, [kafr, hidden, goma])
    assert wire.facts  # the member is only a member through the record's `articles`
    return [kafr, hidden, goma]


def test_hidden_incidents_are_kept_for_linking_and_never_listed(store, pipeline):
    from warmonitor.store.incident_query import (has_incidents, incident_aggregate_rows, incident_conditions,
                                                 incident_page, incident_places)

    hidden_and_fact_less(store)
    assert [r["id"] for r in store.incidents()] == ["inc-goma", "inc-kafr"]
    assert store.incidents(country="UA") == [] and store.incidents(since="2025-04-10", until="2025-04-10") == []
    counts = store.link_counts()
    assert (counts["incidents"], counts["hidden_incidents"], counts["unlinked_articles"]) == (2, 1, 0)
    assert store.incidents_of(["kherson-0410"]) == []
    with pytest.raises(ValueError, match="neither a stored article nor an incident"):
        store.incident_sources(["inc-hidden"])
    with Session(store.engine) as session:
        where = incident_conditions({})
        total, records = incident_page(session, where, "-date", 0, 50)
        assert (total, [r["id"] for r in records]) == (2, ["inc-goma", "inc-kafr"])
        rows = incident_aggregate_rows(session, where, "killed", "month", "none", max_span_days=31)
        assert rows == [("2025-03-01", "all", 6, 1)]
        assert [f["properties"]["name"] for f in incident_places(session, where)["features"]] == ["Goma", "Kafr Nabl"]
        session.execute(delete(IncidentRow).where(IncidentRow.id != "inc-hidden"))
        assert not has_incidents(session)
    # a later report near the hidden incident replays it with its article
    later = Article(id="kherson-0411", published="2025-04-11", outlet="River Gazette",
                    text="Two more people died in hospital after Wednesday's shelling of Kherson, doctors said.")
    store.save([pipeline.extract(later)], extractor_version="v1")
    state = store.link_state(store.link_inputs([i for _, i in store.articles_to_link()]), days=7)
    assert "inc-hidden" in state.incident_ids and "kherson-0410" in [a.id for a in state.warm]


def test_an_incident_keeps_every_member_of_its_record(store, pipeline):
    """A member without linked facts (a fact-less report) is replayed with its incident and dropped with it."""
    hidden_and_fact_less(store)
    later = Article(id="post-0305", published="2025-03-05", outlet="Daily Post",
                    text="The death toll from Monday's airstrike on Kafr Nabl in Idlib rose to nine, the civil "
                         "defence said.")
    store.save([pipeline.extract(later)], extractor_version="v1")
    state = store.link_state(store.link_inputs([i for _, i in store.articles_to_link()]), days=7)
    assert state.incident_ids == {"inc-kafr"}
    assert sorted(a.id for a in state.warm) == ["herald-0304", "wire-0304"]
    assert store.incidents_of(["wire-0304"])[0]["id"] == "inc-kafr"
    store.decide_incidents("split", ["wire-0304", "goma-0601"], "different events")
    assert [r["id"] for r in store.incidents()] == []  # both incidents dropped, to be linked again
    assert [key for key, _ in store.articles_to_link()] == ["herald-0304", "wire-0304", "post-0305", "goma-0601"]


def test_the_upgrade_to_0006_keeps_incidents_and_relinks_articles_in_none(db_url, results):
    """A store linked under 0005 (no hidden incidents, members through facts only): the upgrade fills the
    article memberships from the linked facts, and marks the articles of no incident unlinked."""
    from alembic import command

    from warmonitor.store.engine import alembic_config, upgrade

    with Store(db_url) as store:
        store.upgrade()
        store.save(results, extractor_version="v1")
        hidden_and_fact_less(store)
        write_all(store)
        with store.engine.begin() as connection:
            command.downgrade(alembic_config(connection), "0005")
            connection.exec_driver_sql("DELETE FROM incident_facts WHERE incident_id = 'inc-goma'")
            connection.exec_driver_sql("DELETE FROM incidents WHERE id = 'inc-goma'")
        upgrade(store.engine)
        assert [r["id"] for r in store.incidents()] == ["inc-kherson", "inc-kafr"]
        assert [key for key, _ in store.articles_to_link()] == ["goma-0601"]
        assert store.incidents_of(["wire-0304"])[0]["id"] == "inc-kafr"
