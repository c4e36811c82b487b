"""Incidents over HTTP (serve/api_incidents.py, the incident path of serve/api_stats.py) and their pages, on
SQLite and PostgreSQL: the list and its filters, one incident with its sources side by side, totals that
count incidents (five reports of one strike are one incident) or mentions, exports, analysts' merge and
split (reason, role, CSRF, cross-country confirmation, kept across `link --rebuild`).

The articles are invented for these tests; the store is filled by the real pipeline and linked by the
use case (`usecases.link.link_incidents`). Incident ids are looked up, never written here: they derive
from fact ids.
"""
from __future__ import annotations

import csv
import io
import json

import pytest
from fastapi.testclient import TestClient
from test_serve_api import add_user, login, make_client

from warmonitor.export.incidents import INCIDENT_FORMATS
from warmonitor.model import Article
from warmonitor.serve.api_incidents import Format
from warmonitor.serve.dependencies import CSRF_HEADER
from warmonitor.store import Store
from warmonitor.usecases.link import link_incidents

WIRE = ("At least seven civilians were killed when an airstrike hit a crowded market in Kafr Nabl in Idlib "
        "province on Monday, rescuers said. Witnesses said two missiles struck the market shortly after noon.")
STRIKE = ["herald-strike", "wire-strike", "gazette-strike", "daily-strike", "radio-strike"]
ARTICLES = [
    Article(id="herald-strike", published="2025-03-04", outlet="Valley Herald", title="Airstrike on Kafr Nabl market",
            text="An airstrike killed six civilians at a market in Kafr Nabl in Idlib on Monday, local officials said."),
    Article(id="wire-strike", published="2025-03-04", outlet="Wire", title="Market strike kills seven", text=WIRE),
    Article(id="gazette-strike", published="2025-03-04", outlet="Gazette", title="Seven killed in market strike",
            text=WIRE + " The report could not be verified independently."),
    Article(id="daily-strike", published="2025-03-05", outlet="Daily Post", title="Toll rises in Kafr Nabl",
            text="The death toll from Monday's airstrike on a market in Kafr Nabl in Idlib rose to nine civilians, "
                 "rescuers said on Tuesday."),
    Article(id="radio-strike", published="2025-03-05", outlet="Radio Idlib", title="Nine dead in Kafr Nabl",
            text="Nine civilians were killed in Monday's airstrike on the market in Kafr Nabl in Idlib, the civil "
                 "defence said on Tuesday."),
    Article(id="kherson-shelling", published="2025-04-10", outlet="Wire", title="Shelling in Kherson",
            text="Russian shelling killed three people and injured seven others in Kherson on Wednesday, the "
                 "regional governor said."),
    Article(id="kherson-echo", published="2025-04-10", outlet="Black Sea News", title="Kherson shelled",
            text="Shelling killed three civilians and wounded seven in Kherson on Wednesday, the governor said."),
    Article(id="goma-flight", published="2025-06-01", outlet="Relief News", title="Thousands flee Goma fighting",
            text="About 3,000 people fled their homes in Goma on Saturday after fighting near the city, the UN said."),
]


@pytest.fixture(scope="module")
def results(pipeline):
    return [pipeline.extract(article) for article in ARTICLES]


@pytest.fixture
def unlinked(db_url, results):
    with Store(db_url) as found:
        found.upgrade()
        found.save(results, extractor_version="test")
        yield found


@pytest.fixture
def store(unlinked):
    link_incidents(unlinked)
    return unlinked


@pytest.fixture
def client(store):
    with make_client(store) as found:
        yield found


def incidents(client: TestClient, **params) -> list[dict]:
    answer = client.get("/api/incidents", params={"per_page": 500, **params})
    assert answer.status_code == 200, answer.text
    return answer.json()["incidents"]


def incident_of(client: TestClient, article: str) -> dict:
    found = [r for r in incidents(client) if article in r["articles"]]
    assert len(found) == 1, f"{article} is in {len(found)} incidents"
    return found[0]


def analyst(store: Store, role: str = "analyst", name: str = "ana") -> tuple[TestClient, str]:
    add_user(store, name, role)
    client = make_client(store)
    client.__enter__()
    return client, login(client, name)


# -- reading --------------------------------------------------------------------------------------------

def test_five_reports_of_one_strike_are_one_incident_in_the_list(client):
    found = incidents(client)
    assert len(found) == 3
    strike = incident_of(client, "radio-strike")
    assert sorted(strike["articles"]) == sorted(STRIKE)
    assert strike["sources"] == 5 and strike["kind"] == "attack" and strike["date"] == "2025-03-03"
    assert strike["killed"] == {"low": 6, "best": 9, "high": 9}
    assert strike["status"] == "contested"
    assert [r["place"]["name"] for r in found] == ["Goma", "Kherson", "Kafr Nabl"]  # newest first
    page = client.get("/api/incidents", params={"per_page": 2, "page": 2}).json()
    assert page["total"] == 3 and [r["place"]["name"] for r in page["incidents"]] == ["Kafr Nabl"]
    by_killed = client.get("/api/incidents", params={"sort": "-killed"}).json()["incidents"]
    assert [(r["killed"] or {}).get("best") for r in by_killed] == [9, 3, None]


@pytest.mark.parametrize("params, places", [
    ({"country": "SY"}, ["Kafr Nabl"]),
    ({"country": "ua"}, ["Kherson"]),
    ({"admin1": "idlib"}, ["Kafr Nabl"]),
    ({"place": "kherson"}, ["Kherson"]),
    ({"type": "displacement"}, ["Goma"]),
    ({"type": ["attack", "casualty"]}, ["Kherson", "Kafr Nabl"]),
    ({"status": "corroborated"}, ["Kherson"]),
    ({"status": ["contested", "single-source"]}, ["Goma", "Kafr Nabl"]),
    ({"since": "2025-04-01", "until": "2025-04-30"}, ["Kherson"]),
    ({"until": "2025-03-03"}, ["Kafr Nabl"]),
    ({"actor": "Russian forces"}, ["Kherson"]),  # a facts' filter: one of its facts passes
    ({"q": "rose"}, ["Kafr Nabl"]),
])
def test_list_filters(client, params, places):
    assert [r["place"]["name"] for r in incidents(client, **params)] == places


def test_bad_filters_are_422_with_a_message(client):
    answer = client.get("/api/incidents", params={"status": "rumoured"})
    assert answer.status_code == 422 and "status" in answer.json()["detail"]
    assert client.get("/api/incidents", params={"since": "yesterday"}).status_code == 422
    assert client.get("/api/incidents", params={"type": "weather"}).status_code == 422


def test_one_incident_puts_its_sources_side_by_side(client):
    strike = incident_of(client, "radio-strike")
    answer = client.get(f"/api/incidents/{strike['id']}")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["incident"] == strike
    sources = body["sources"]
    assert [s["key"] for s in sources][0] == strike["articles"][0] and sources[0]["main"] is True
    assert sorted(s["key"] for s in sources) == sorted(STRIKE)
    by_key = {s["key"]: s for s in sources}
    assert {k: s["outlet"] for k, s in by_key.items()} == {a.id: a.outlet for a in ARTICLES if a.id in STRIKE}
    assert {k: s["published"] for k, s in by_key.items()} == {a.id: a.published for a in ARTICLES if a.id in STRIKE}
    assert {k: s["figures"]["killed"]["value"] for k, s in by_key.items()} == {
        "herald-strike": 6, "wire-strike": 7, "gazette-strike": 7, "daily-strike": 9, "radio-strike": 9}
    told = {e["article"]: e["state"] for e in strike["toll_history"]["killed"]}  # linking's judgement, shown as is
    assert {k: s["figures"]["killed"]["state"] for k, s in by_key.items()} == told
    assert all(s["disputed"] == ["killed"] for s in sources)
    for source in sources:  # every linked fact with its evidence and why it was linked
        assert source["facts"] and all(f["article_id"] == source["article_id"] for f in source["facts"])
        killed = [f for f in source["facts"] if f["type"] == "casualty" and f["outcome"] == "killed"]
        assert killed and killed[0]["evidence"]["text"] in next(a.text for a in ARTICLES if a.id == source["key"])
        assert all("score" in f["link"] and isinstance(f["link"]["reasons"], dict) for f in source["facts"])
    assert [s["reasons"].get("opened") for s in sources].count(True) == 1
    assert any("place" in s["reasons"] for s in sources if not s["reasons"].get("opened"))
    assert body["contradictions"] == strike["contradictions"] and body["contradictions"][0]["field"] == "killed"
    history = body["toll_history"]["killed"]
    assert [(p["published"], p["article"], p["value"]) for p in history] == [  # by day, then article
        ("2025-03-04", "gazette-strike", 7), ("2025-03-04", "herald-strike", 6), ("2025-03-04", "wire-strike", 7),
        ("2025-03-05", "daily-strike", 9), ("2025-03-05", "radio-strike", 9)]
    assert {p["outlet"] for p in history} == {"Valley Herald", "Wire", "Gazette", "Daily Post", "Radio Idlib"}
    assert body["decisions"] == [] and isinstance(body["refusals"], list)


def test_an_unknown_incident_is_a_404_that_says_what_to_do(client):
    answer = client.get("/api/incidents/inc-000000000000")
    assert answer.status_code == 404 and "/api/incidents" in answer.json()["detail"]


def test_totals_count_incidents_once_linked_and_mentions_one_switch_away(client):
    incidents_killed = client.get("/api/aggregates", params={"measure": "killed", "interval": "week"}).json()
    assert incidents_killed["count"] == "incidents"
    assert incidents_killed["total"] == 12  # 9 in Kafr Nabl (the latest toll), 3 in Kherson
    assert incidents_killed["series"][0]["points"] == [{"period": "2025-03-03", "value": 9, "incidents": 1},
                                                       {"period": "2025-04-07", "value": 3, "incidents": 1}]
    mentions = client.get("/api/aggregates", params={"measure": "killed", "interval": "week", "count": "mentions"}).json()
    assert mentions["count"] == "mentions" and mentions["total"] == 6 + 7 + 7 + 9 + 9 + 3 + 3
    assert mentions["series"][0]["points"][0]["facts"] == 5
    by_country = client.get("/api/aggregates", params={"measure": "killed", "by": "country", "interval": "month"}).json()
    assert {s["group"]: s["total"] for s in by_country["series"]} == {"SY": 9, "UA": 3}
    displaced = client.get("/api/aggregates", params={"measure": "displaced", "interval": "month"}).json()
    assert displaced["total"] == 3000
    places = client.get("/api/places").json()
    assert places["count"] == "incidents"
    props = {f["properties"]["name"]: f["properties"] for f in places["features"]}
    assert {name: (p["incidents"], p["killed"]) for name, p in props.items()} == {
        "Kafr Nabl": (1, 9), "Kherson": (1, 3), "Goma": (1, 0)}
    mention_places = client.get("/api/places", params={"count": "mentions"}).json()
    assert mention_places["count"] == "mentions"
    assert {f["properties"]["name"]: f["properties"]["killed"] for f in mention_places["features"]}["Kafr Nabl"] == 38
    assert client.get("/api/aggregates", params={"count": "events"}).status_code == 422


def test_before_any_linking_the_totals_count_mentions(unlinked):
    with make_client(unlinked) as client:
        answer = client.get("/api/aggregates", params={"measure": "killed", "interval": "week"}).json()
        assert answer["count"] == "mentions" and answer["total"] == 44
        assert client.get("/api/places").json()["count"] == "mentions"
        assert client.get("/api/incidents").json() == {"total": 0, "page": 1, "per_page": 50, "incidents": []}


def test_exports_in_every_format_with_their_content_types(client):
    assert set(INCIDENT_FORMATS) == set(Format.__args__)
    types = {"jsonl": "application/x-ndjson", "geojson": "application/geo+json", "csv": "text/csv",
             "acled": "text/csv", "ged": "text/csv", "hxl": "text/csv"}
    for fmt in INCIDENT_FORMATS:
        answer = client.get("/api/incidents/export", params={"format": fmt, "country": "SY"})
        assert answer.status_code == 200, (fmt, answer.text)
        assert answer.headers["content-type"].split(";")[0] == types[fmt], fmt
        assert "attachment" in answer.headers["content-disposition"]
        if fmt == "jsonl":
            assert [json.loads(line)["place"]["name"] for line in answer.text.splitlines()] == ["Kafr Nabl"]
        elif fmt == "geojson":
            assert len(answer.json()["features"]) == 1
        else:
            rows = list(csv.reader(io.StringIO(answer.text)))
            assert len(rows) == (3 if fmt == "hxl" else 2), fmt  # header (+ hashtags) and one incident
    assert client.get("/api/incidents/export", params={"format": "xlsx"}).status_code == 422


def test_link_refusals_are_listed(client):
    answer = client.get("/api/link/refusals")
    assert answer.status_code == 200
    body = answer.json()
    assert body["page"] == 1 and body["total"] == len(body["refusals"])


def test_reading_follows_the_private_setting(store):
    with make_client(store, public_read=False) as client:
        for path in ("/api/incidents", "/api/incidents/export", "/api/link/refusals"):
            assert client.get(path).status_code == 401, path
        add_user(store, "vic", "viewer")
        login(client, "vic")
        strike = incident_of(client, "radio-strike")
        assert client.get(f"/api/incidents/{strike['id']}").status_code == 200


# -- analysts' decisions --------------------------------------------------------------------------------

def test_a_merge_across_countries_asks_for_confirmation_then_is_recorded_and_survives_a_rebuild(store):
    client, csrf = analyst(store)
    try:
        kherson, goma = incident_of(client, "kherson-shelling"), incident_of(client, "goma-flight")
        body = {"incidents": [kherson["id"], goma["id"]], "reason": "the same shelling drove people from Goma"}
        refused = client.post("/api/incidents/merge", json=body, headers={CSRF_HEADER: csrf})
        assert refused.status_code == 409 and "confirm" in refused.json()["detail"]
        assert len(incidents(client)) == 3 and store.incident_decisions() == []
        merged = client.post("/api/incidents/merge", json={**body, "confirm": True}, headers={CSRF_HEADER: csrf})
        assert merged.status_code == 200, merged.text
        answer = merged.json()
        assert answer["linked"] is True and [d["user"] for d in answer["decisions"]] == ["ana"]
        assert answer["decisions"][0]["reason"] == body["reason"] and answer["decisions"][0]["action"] == "merge"
        assert [sorted(r["articles"]) for r in answer["incidents"]] == [["goma-flight", "kherson-echo", "kherson-shelling"]]
        assert len(incidents(client)) == 2
        link_incidents(store, rebuild=True)
        assert sorted(incident_of(client, "goma-flight")["articles"]) == ["goma-flight", "kherson-echo", "kherson-shelling"]
        detail = client.get(f"/api/incidents/{incident_of(client, 'goma-flight')['id']}").json()
        assert [(d["action"], d["user"], d["reason"]) for d in detail["decisions"]] == [("merge", "ana", body["reason"])]
    finally:
        client.__exit__(None, None, None)


def test_a_split_takes_sources_out_and_survives_a_rebuild(store):
    client, csrf = analyst(store)
    try:
        strike = incident_of(client, "radio-strike")
        body = {"incident": strike["id"], "articles": ["herald-strike"], "reason": "a different market, same day"}
        answer = client.post("/api/incidents/split", json=body, headers={CSRF_HEADER: csrf})
        assert answer.status_code == 200, answer.text
        decisions = answer.json()["decisions"]
        assert {tuple(d["articles"]) for d in decisions} == {("herald-strike", k) for k in STRIKE[1:]}
        assert all(d["user"] == "ana" and d["reason"] == body["reason"] for d in decisions)
        assert incident_of(client, "herald-strike")["articles"] == ["herald-strike"]
        assert sorted(incident_of(client, "radio-strike")["articles"]) == sorted(STRIKE[1:])
        link_incidents(store, rebuild=True)
        assert incident_of(client, "herald-strike")["articles"] == ["herald-strike"]
        assert len(incidents(client)) == 4
        aggregates = client.get("/api/aggregates", params={"measure": "killed", "interval": "week"}).json()
        assert aggregates["series"][0]["points"][0] == {"period": "2025-03-03", "value": 6 + 9, "incidents": 2}
    finally:
        client.__exit__(None, None, None)


@pytest.mark.parametrize("body, status, words", [
    ({"articles": ["herald-strike", "kherson-echo"]}, 422, "reason"),
    ({"articles": ["herald-strike", "kherson-echo"], "reason": "  "}, 422, "reason"),
    ({"articles": ["herald-strike"], "reason": "one is not enough"}, 422, "two articles"),
    ({"articles": ["herald-strike", "no-such-article"], "reason": "typo"}, 422, "not stored"),
    ({"incidents": ["inc-000000000000", "inc-000000000001"], "reason": "gone"}, 404, "no incident"),
])
def test_a_merge_needs_a_reason_and_known_articles(store, body, status, words):
    client, csrf = analyst(store)
    try:
        answer = client.post("/api/incidents/merge", json=body, headers={CSRF_HEADER: csrf})
        assert answer.status_code == status and words in answer.json()["detail"], answer.text
        assert store.incident_decisions() == []
    finally:
        client.__exit__(None, None, None)


def test_a_split_must_leave_a_source_in_the_incident(store):
    client, csrf = analyst(store)
    try:
        kherson = incident_of(client, "kherson-shelling")
        every = {"incident": kherson["id"], "articles": kherson["articles"], "reason": "all of them"}
        answer = client.post("/api/incidents/split", json=every, headers={CSRF_HEADER: csrf})
        assert answer.status_code == 422 and "at least one" in answer.json()["detail"]
        stranger = {"incident": kherson["id"], "articles": ["goma-flight"], "reason": "not a member"}
        answer = client.post("/api/incidents/split", json=stranger, headers={CSRF_HEADER: csrf})
        assert answer.status_code == 422 and "not a source" in answer.json()["detail"]
    finally:
        client.__exit__(None, None, None)


@pytest.mark.parametrize("path", ["/api/incidents/merge", "/api/incidents/split"])
def test_decisions_need_an_analyst_and_the_csrf_header(store, path):
    body = {"articles": ["herald-strike", "wire-strike"], "reason": "checked"}
    with make_client(store) as anyone:
        assert anyone.post(path, json=body).status_code == 401
    viewer, viewer_csrf = analyst(store, "viewer", "vic")
    writer, csrf = analyst(store, "analyst", "ana")
    try:
        refused = viewer.post(path, json=body, headers={CSRF_HEADER: viewer_csrf})
        assert refused.status_code == 403 and "viewer" in refused.json()["detail"]
        assert writer.post(path, json=body).status_code == 403
        assert writer.post(path, json=body, headers={CSRF_HEADER: "forged"}).status_code == 403
        assert store.incident_decisions() == []
        assert writer.post(path, json=body, headers={CSRF_HEADER: csrf}).status_code == 200
        assert [d["by"] for d in store.incident_decisions()] == ["ana"]
    finally:
        viewer.__exit__(None, None, None)
        writer.__exit__(None, None, None)


# -- pages ----------------------------------------------------------------------------------------------

def test_the_pages_are_served_and_linked_from_the_navigation(client):
    strike = incident_of(client, "radio-strike")
    listing = client.get("/incidents")
    assert listing.status_code == 200 and "/static/incidents.js" in listing.text
    assert 'data-testid="nav-incidents"' in client.get("/").text
    page = client.get(f"/incidents/{strike['id']}")
    assert page.status_code == 200 and f'data-incident-id="{strike["id"]}"' in page.text
    assert "/static/incident.js" in page.text and "<script>" not in page.text.replace("<script src", "")
    hostile = client.get("/incidents/%3Cscript%3Ealert(1)")
    assert hostile.status_code == 200 and "<script>alert" not in hostile.text
    for asset in ("incidents.js", "incident.js"):
        assert client.get(f"/static/{asset}").status_code == 200


