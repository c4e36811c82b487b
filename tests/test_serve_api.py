"""The HTTP API of `warmonitor serve`, in process (ASGI test client), over SQLite and PostgreSQL.

The articles are invented for these tests. Figures asserted below are the ones the texts state.
"""
from __future__ import annotations

import csv
import io
import json
import re

import pytest
from fastapi.testclient import TestClient

from warmonitor.model import Article
from warmonitor.serve import ServeSettings, create_app
from warmonitor.serve.dependencies import CSRF_HEADER
from warmonitor.store import Store

ARTICLES = [
    Article(id="saraqib-shelling", published="2026-02-18", outlet="Test Wire", title="Shelling kills 12 in Saraqib",
            text=("Shelling kills 12 civilians in Saraqib\n\n"
                  "Government shelling killed 12 civilians in Saraqib on Monday, the UN human rights office said.\n\n"
                  "Twelve civilians were killed in the shelling of Saraqib on Monday, a spokesperson added.")),
    Article(id="ariha-strikes", published="2026-02-25", outlet="Other Wire", title="Air strikes hit Ariha",
            text=("Air strikes killed 5 civilians and injured 9 in Ariha in northwest Syria on Tuesday, local medics "
                  "said.\n\nAbout 3,000 people were displaced from Ariha on Tuesday, the UN said.")),
    Article(id="kharkiv-drones", published="2026-03-04", outlet="Test Wire", title="<script>alert(1)</script> Drones",
            text=("Russian drones killed 4 civilians in Kharkiv on Tuesday, the regional governor said.\n\n"
                  "A post on the hacked site read <script>alert('x')</script> and <img src=x onerror=alert(1)>.")),
]
PASSWORD = "correct horse battery"


@pytest.fixture
def store(db_url, pipeline):
    with Store(db_url) as found:
        found.upgrade()
        found.save(pipeline.extract_many(ARTICLES), extractor_version="test")
        yield found


def make_client(store: Store, **settings) -> TestClient:
    return TestClient(create_app(ServeSettings(db=store.url, **settings), store=store))


@pytest.fixture
def client(store):
    with make_client(store) as found:
        yield found


def add_user(store: Store, name: str = "ana", role: str = "analyst") -> None:
    from sqlalchemy.orm import Session

    from warmonitor.serve import accounts

    with Session(store.engine) as session, session.begin():
        accounts.add_user(session, name, PASSWORD, role)


def login(client: TestClient, name: str = "ana") -> str:
    response = client.post("/api/login", json={"username": name, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return response.json()["csrf_token"]


def all_facts(client: TestClient, **params) -> list[dict]:
    response = client.get("/api/facts", params={"per_page": 500, **params})
    assert response.status_code == 200, response.text
    return response.json()["facts"]


def killed_fact(client: TestClient, place: str) -> dict:
    found = [f for f in all_facts(client, type="casualty")
             if f["outcome"] == "killed" and (f["place"] or {}).get("name") == place]
    assert found, f"no killed fact at {place}: {all_facts(client, type='casualty')}"
    return found[0]


# -- reading ------------------------------------------------------------------------------------------

def test_facts_list_has_evidence_that_points_into_the_article(client):
    body = client.get("/api/facts").json()
    assert body["total"] == len(body["facts"]) > 0
    for fact in body["facts"]:
        article = client.get(f"/api/articles/{fact['article_id']}").json()
        start, end = fact["evidence"]["start"], fact["evidence"]["end"]
        assert article["text"][start:end] == fact["evidence"]["text"]
        assert fact["review_state"] == "unreviewed"
        assert fact["article"]["title"] == article["title"]


def test_paging_and_sorting(client):
    everything = all_facts(client)
    first = client.get("/api/facts", params={"per_page": 2, "page": 1, "sort": "id"}).json()
    second = client.get("/api/facts", params={"per_page": 2, "page": 2, "sort": "id"}).json()
    assert first["total"] == second["total"] == len(everything)
    ids = [f["id"] for f in first["facts"] + second["facts"]]
    assert ids == sorted(f["id"] for f in everything)[:4]
    counts = [f["count"]["best"] for f in all_facts(client, sort="-count") if f["count"]]
    assert counts == sorted(counts, reverse=True) and counts[0] == 3000
    days = [f["article"]["published"] for f in all_facts(client, sort="date")]
    assert days == sorted(days)


def test_filters(client):
    casualties = all_facts(client, type="casualty")
    assert casualties and all(f["type"] == "casualty" for f in casualties)
    idlib = all_facts(client, admin1="idlib")
    assert idlib and all(f["place"]["admin1"] == "Idlib" for f in idlib)
    assert all_facts(client, country="UA") and all(f["place"]["country"] == "UA" for f in all_facts(client, country="UA"))
    ariha = all_facts(client, place="Ariha")
    assert {f["article_id"] for f in ariha} == {ariha[0]["article_id"]}
    march = all_facts(client, since="2026-03-01")
    assert march and all(f["article"]["published"] >= "2026-03-01" for f in march)
    feb = all_facts(client, until="2026-02-28")
    assert feb and not {f["id"] for f in feb} & {f["id"] for f in march}
    fled = all_facts(client, q="were DISPLACED")
    assert [f["type"] for f in fled] == ["displacement"]
    assert all_facts(client, victims="civilians") and all(f["victims"] == "civilians"
                                                          for f in all_facts(client, victims="civilians"))
    assert all_facts(client, type="casualty", q="no such words anywhere") == []
    two = all_facts(client, type=["casualty", "displacement"])
    assert {f["type"] for f in two} == {"casualty", "displacement"}


def test_fact_and_article_not_found(client):
    assert client.get("/api/facts/999999").status_code == 404
    assert client.get("/api/articles/999999").status_code == 404
    assert client.get("/api/facts/0").status_code == 404


def test_article_view_returns_text_and_its_facts(client):
    articles = client.get("/api/articles").json()
    assert articles["total"] == 3
    hostile = next(a for a in articles["articles"] if a["title"].startswith("<script>"))
    article = client.get(f"/api/articles/{hostile['id']}").json()
    assert "<script>alert('x')</script>" in article["text"]  # kept as data; the pages show it as text
    assert article["facts"] and all(f["article_id"] == hostile["id"] for f in article["facts"])
    assert article["summary"]["type"] == "summary"


def test_aggregates_count_a_repeated_figure_once_per_article(client):
    body = client.get("/api/aggregates", params={"measure": "killed", "interval": "week", "by": "admin1"}).json()
    series = {s["group"]: s for s in body["series"]}
    # Saraqib's 12 (headline, lead and body; Monday 16 Feb) and Ariha's 5 (Tuesday 24 Feb): two weeks in Idlib.
    assert series["Idlib"]["points"] == [{"period": "2026-02-16", "value": 12, "facts": 3},
                                         {"period": "2026-02-23", "value": 5, "facts": 1}]
    assert series["Kharkiv"]["total"] == 4
    assert body["total"] == 21
    month = client.get("/api/aggregates", params={"measure": "killed", "interval": "month"}).json()
    assert [(p["period"], p["value"]) for p in month["series"][0]["points"]] == [("2026-02-01", 17), ("2026-03-01", 4)]
    injured = client.get("/api/aggregates", params={"measure": "injured", "interval": "day"}).json()
    assert injured["total"] == 9 and injured["series"][0]["points"][0]["period"] == "2026-02-24"
    displaced = client.get("/api/aggregates", params={"measure": "displaced", "by": "country"}).json()
    assert displaced["series"] == [{"group": "SY", "total": 3000,
                                    "points": [{"period": "2026-02-23", "value": 3000, "facts": 1}]}]


def test_places_geojson(client):
    body = client.get("/api/places").json()
    assert body["type"] == "FeatureCollection"
    by_name = {f["properties"]["name"]: f for f in body["features"]}
    saraqib = by_name["Saraqib"]
    lon, lat = saraqib["geometry"]["coordinates"]
    assert 35.5 < lat < 36.2 and 36.5 < lon < 37.1
    assert saraqib["properties"]["killed"] == 12 and saraqib["properties"]["types"]["casualty"] >= 1
    assert by_name["Ariha"]["properties"]["displaced"] == 3000
    only_ua = client.get("/api/places", params={"country": "UA"}).json()
    assert {f["properties"]["country"] for f in only_ua["features"]} == {"UA"}


def test_csv_and_geojson_exports(client):
    total = client.get("/api/facts").json()["total"]
    response = client.get("/api/export.csv")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == total and {r["review_state"] for r in rows} == {"unreviewed"}
    hxl = list(csv.reader(io.StringIO(client.get("/api/export.csv", params={"hxl": "true"}).text)))
    assert hxl[1][0].startswith("#") and all(tag.startswith("#") for tag in hxl[1])
    assert len(hxl) == total + 2
    geo = json.loads(client.get("/api/export.geojson", params={"type": "casualty"}).text)
    assert geo["type"] == "FeatureCollection"
    assert len(geo["features"]) == client.get("/api/facts", params={"type": "casualty"}).json()["total"]
    assert all(f["properties"]["type"] == "casualty" for f in geo["features"])


def test_csv_cells_that_would_run_as_formulas_are_defused():
    from warmonitor.export.flat import spreadsheet_cell as _cell

    assert _cell("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert _cell("+1") == "'+1" and _cell("@SUM(A1)") == "'@SUM(A1)"
    assert _cell("Saraqib") == "Saraqib" and _cell(-3) == -3


def test_openapi_describes_the_endpoints(client):
    spec = client.get("/api/openapi.json").json()
    for path in ("/api/facts", "/api/facts/{fact_id}", "/api/articles/{article_id}", "/api/aggregates",
                 "/api/places", "/api/export.csv", "/api/export.geojson", "/api/facts/{fact_id}/review",
                 "/api/reviews", "/api/login"):
        assert path in spec["paths"], path
    params = {p["name"] for p in spec["paths"]["/api/facts"]["get"]["parameters"]}
    assert {"type", "since", "until", "admin1", "actor", "claimant", "victims", "review", "q", "sort", "page"} <= params


# -- review -------------------------------------------------------------------------------------------

def test_review_needs_login_role_and_csrf(store, client):
    add_user(store)
    fact = killed_fact(client, "Saraqib")
    url = f"/api/facts/{fact['id']}/review"
    body = {"action": "confirm", "reason": "matches the OHCHR statement"}
    assert client.post(url, json=body).status_code == 401
    csrf = login(client)
    assert client.post(url, json=body).status_code == 403  # no CSRF header
    assert client.post(url, json=body, headers={CSRF_HEADER: "forged"}).status_code == 403
    assert client.get(f"/api/facts/{fact['id']}").json()["review_state"] == "unreviewed"
    response = client.post(url, json=body, headers={CSRF_HEADER: csrf})
    assert response.status_code == 200, response.text
    assert response.json()["review_state"] == "confirmed"


def test_login_with_a_wrong_password_is_refused(store, client):
    add_user(store)
    assert client.post("/api/login", json={"username": "ana", "password": "wrong password"}).status_code == 401
    assert client.post("/api/login", json={"username": "nobody", "password": PASSWORD}).status_code == 401
    assert client.get("/api/me").json()["user"] is None


def test_logout_ends_the_session(store, client):
    add_user(store)
    csrf = login(client)
    assert client.get("/api/me").json()["user"] == "ana"
    assert client.post("/api/logout").status_code == 403
    assert client.post("/api/logout", headers={CSRF_HEADER: csrf}).status_code == 200
    assert client.get("/api/me").json()["user"] is None


def test_correction_changes_the_figures_everywhere_and_is_audited(store, client):
    add_user(store)
    csrf = login(client)
    fact = killed_fact(client, "Ariha")
    response = client.post(f"/api/facts/{fact['id']}/review", headers={CSRF_HEADER: csrf}, json={
        "action": "correct", "changes": {"count": 6, "place": "Idlib", "actors": ["Syrian government"]},
        "reason": "hospital list names six"})
    assert response.status_code == 200, response.text
    corrected = response.json()
    assert corrected["review_state"] == "corrected"
    assert corrected["count"] == {"low": 6, "best": 6, "high": 6}
    assert corrected["place"]["name"] == "Idlib" and corrected["place"]["lat"] is not None
    assert corrected["record"]["review"]["original"]["count"]["best"] == 5
    assert corrected["record"]["perpetrators"] == ["Syrian government"]
    # the table, the aggregates and the exports see the correction
    assert killed_fact(client, "Idlib")["count"]["best"] == 6
    week = client.get("/api/aggregates", params={"measure": "killed", "interval": "week"}).json()
    assert {p["period"]: p["value"] for p in week["series"][0]["points"]}["2026-02-23"] == 6
    rows = list(csv.DictReader(io.StringIO(client.get("/api/export.csv").text)))
    assert {r["review_state"] for r in rows if r["id"] == str(fact["id"])} == {"corrected"}
    assert [f["id"] for f in all_facts(client, review="corrected")] == [fact["id"]]
    # the audit trail
    trail = client.get(f"/api/facts/{fact['id']}").json()["reviews"]
    assert len(trail) == 1 and trail[0]["user"] == "ana" and trail[0]["reason"] == "hospital list names six"
    assert trail[0]["original"]["count"]["best"] == 5 and trail[0]["changes"]["count"]["best"] == 6
    everything = client.get("/api/reviews").json()
    assert everything["total"] == 1 and everything["reviews"][0]["fact_id"] == fact["id"]


def test_rejected_facts_leave_the_aggregates_and_map(store, client):
    add_user(store)
    csrf = login(client)
    fact = killed_fact(client, "Kharkiv")
    response = client.post(f"/api/facts/{fact['id']}/review", headers={CSRF_HEADER: csrf},
                           json={"action": "reject", "reason": "the governor retracted"})
    assert response.status_code == 200
    killed = client.get("/api/aggregates", params={"measure": "killed", "by": "country"}).json()
    assert "UA" not in {s["group"] for s in killed["series"]}
    kharkiv = [f for f in client.get("/api/places").json()["features"] if f["properties"]["name"] == "Kharkiv"]
    assert all(f["properties"]["killed"] == 0 for f in kharkiv)
    assert [f["id"] for f in all_facts(client, review="rejected")] == [fact["id"]]


def test_bad_corrections_are_refused_with_a_message(store, client):
    add_user(store)
    csrf = login(client)
    fact = killed_fact(client, "Saraqib")
    url, headers = f"/api/facts/{fact['id']}/review", {CSRF_HEADER: csrf}
    for changes in ({"count": -1}, {"count": "many"}, {"count": {"low": 9, "best": 3}}, {"date": "yesterday"},
                    {"place": "Nowhereville Xq"}, {"colour": "red"}, {}):
        response = client.post(url, headers=headers, json={"action": "correct", "changes": changes, "reason": "x"})
        assert response.status_code == 422, (changes, response.text)
        assert response.json()["detail"]
    assert client.post(url, headers=headers, json={"action": "confirm", "reason": ""}).status_code == 422
    assert client.post(url, headers=headers, json={"action": "delete", "reason": "x"}).status_code == 422
    assert client.get(f"/api/facts/{fact['id']}").json()["reviews"] == []


def test_reviews_survive_reprocessing(store, client, pipeline):
    add_user(store)
    csrf = login(client)
    fact = killed_fact(client, "Ariha")
    client.post(f"/api/facts/{fact['id']}/review", headers={CSRF_HEADER: csrf},
                json={"action": "correct", "changes": {"count": 7}, "reason": "checked"})
    store.reprocess(pipeline, extractor_version="test-2")
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from warmonitor.store.schema import FactRow

    with Session(store.engine) as session:  # every fact was written again by the new extractor
        assert set(session.scalars(select(FactRow.extractor_version))) == {"test-2"}
    again = killed_fact(client, "Ariha")
    assert again["review_state"] == "corrected" and again["count"]["best"] == 7
    assert again["record"]["review"]["original"]["count"]["best"] == 5
    assert [r["reason"] for r in client.get(f"/api/facts/{again['id']}").json()["reviews"]] == ["checked"]


def test_api_token_acts_without_csrf(store):
    from sqlalchemy.orm import Session

    from warmonitor.serve import accounts

    add_user(store, "bot")
    with Session(store.engine) as session, session.begin():
        token = accounts.new_token(session, "bot", "tests")
    with make_client(store) as client:
        fact = killed_fact(client, "Saraqib")
        url = f"/api/facts/{fact['id']}/review"
        body = {"action": "confirm", "reason": "scripted check"}
        assert client.post(url, json=body, headers={"Authorization": "Bearer wm_not-a-token"}).status_code == 401
        assert client.post(url, json=body, headers={"Authorization": "Basic abc"}).status_code == 401
        response = client.post(url, json=body, headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200 and response.json()["review_state"] == "confirmed"
        assert client.get("/api/reviews", params={"user": "bot"}).json()["total"] == 1


def test_private_reading_needs_a_login_or_token(store):
    add_user(store)
    with make_client(store, public_read=False) as client:
        for path in ("/api/facts", "/api/articles", "/api/aggregates", "/api/places", "/api/export.csv",
                     "/api/reviews"):
            assert client.get(path).status_code == 401, path
        assert client.get("/api/me").json()["public_read"] is False
        login(client)
        assert client.get("/api/facts").status_code == 200


# -- hostile input -------------------------------------------------------------------------------------

HOSTILE = ["' OR 1=1 --", "\"; DROP TABLE facts; --", "%", "_", "\\", "Ḩalab 🚀 حلب", "a" * 5000, "\x00",
           "9" * 400, "-1", "1e309", "NaN", "<script>alert(1)</script>", "2026-13-45", "", " "]
FILTERS = ["type", "since", "until", "place", "admin1", "country", "actor", "claimant", "victims",
           "min_confidence", "review", "q", "article", "sort", "page", "per_page"]


@pytest.mark.parametrize("name", FILTERS)
def test_hostile_filter_values_never_break_the_api(client, name):
    before = client.get("/api/facts").json()["total"]
    for value in HOSTILE:
        for path in ("/api/facts", "/api/aggregates", "/api/places", "/api/export.csv"):
            response = client.get(path, params={name: value})
            assert response.status_code < 500, (path, name, value[:30], response.text[:200])
            if response.status_code == 200 and path == "/api/facts" and name in ("place", "actor", "claimant"):
                assert response.json()["facts"] == [] or value.strip() == ""
            if response.status_code >= 400:
                assert response.json()["detail"]
    assert client.get("/api/facts").json()["total"] == before


def test_hostile_paths_and_bodies(store, client):
    add_user(store)
    csrf = login(client)
    for path in ("/api/facts/99999999999999999999999", "/api/facts/-1", "/api/facts/abc",
                 "/api/articles/1e5", "/api/articles/%00"):
        assert 400 <= client.get(path).status_code < 500, path
    fact = killed_fact(client, "Saraqib")
    url, headers = f"/api/facts/{fact['id']}/review", {CSRF_HEADER: csrf}
    assert client.post(url, headers=headers, content=b"{not json").status_code == 422
    assert client.post(url, headers=headers, json={"action": "correct", "reason": "x",
                                                   "changes": {"count": 10**30}}).status_code == 422
    assert client.post(url, headers=headers, json={"action": "correct", "reason": "x" * 5000}).status_code == 422
    assert client.post("/api/login", json={"username": "a" * 10000, "password": "x"}).status_code == 422


def test_pages_are_shells_with_a_strict_content_security_policy(client):
    article_id = next(a["id"] for a in client.get("/api/articles").json()["articles"]
                      if a["title"].startswith("<script>"))
    for path in ("/", f"/articles/{article_id}", "/login", "/reviews"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "text/html" in response.headers["content-type"]
        assert "script-src 'self'" in response.headers["content-security-policy"]
        assert "<script>alert" not in response.text  # data reaches pages only through the API, as text
    assert client.get("/static/map.js").status_code == 200


def test_login_form_cannot_send_a_password_in_a_url(client):
    """A click before login.js has loaded once submitted the form natively, as a GET with the password in
    the address (seen in CI). The form now posts, and its button stays disabled until the script handles it."""
    page = client.get("/login").text
    form = re.search(r"<form[^>]*id=\"login-form\"[^>]*>", page).group(0)
    assert 'method="post"' in form
    button = re.search(r"<button[^>]*id=\"login-submit\"[^>]*>", page).group(0)
    assert " disabled" in button
    script = client.get("/static/login.js").text
    assert '$("#login-submit").disabled = false' in script


def test_kept_answers_follow_new_facts_and_reviews(store, client, pipeline):
    """Aggregates and the map are kept between requests, until facts or reviews change."""
    params = {"measure": "killed", "interval": "month", "by": "country"}
    before = client.get("/api/aggregates", params=params).json()
    assert {s["group"]: s["total"] for s in before["series"]} == {"SY": 17, "UA": 4}
    assert client.get("/api/aggregates", params=params).json() == before
    store.save(pipeline.extract_many([Article(
        id="izium", published="2026-03-10", outlet="Test Wire", title="Strike on Izium",
        text="A missile strike killed 3 civilians in Izium in eastern Ukraine on Monday, officials said.")]),
        extractor_version="test")
    after = client.get("/api/aggregates", params=params).json()
    assert {s["group"]: s["total"] for s in after["series"]} == {"SY": 17, "UA": 7}
    assert "Izium" in {f["properties"]["name"] for f in client.get("/api/places").json()["features"]}


def test_every_endpoint_is_documented(client):
    """docs/api.md names every path the app serves under /api (datasette-style: docs kept complete by a test)."""
    from pathlib import Path

    docs = (Path(__file__).resolve().parents[1] / "docs" / "api.md").read_text(encoding="utf-8")
    for path in client.get("/api/openapi.json").json()["paths"]:
        assert path.split("{")[0].rstrip("/") in docs, f"{path} is not in docs/api.md"


def test_settings_reach_worker_processes_through_the_environment():
    from warmonitor.serve.settings import settings_from_environment, settings_to_environment

    for settings in (ServeSettings(), ServeSettings(db="sqlite:///x.db", public_read=False, secure_cookies=True,
                                                    snapshot=False)):
        assert settings_from_environment(settings_to_environment(settings)) == settings
    assert settings_from_environment({}) == ServeSettings()


def test_a_typed_place_name_gets_the_precision_of_its_kind():
    """Corrections name a place alone: a town is the place itself (1), a district part of a region (2), a
    first-level division or a country only the region (3); a name without coordinates is not a place."""
    from warmonitor.resolve.gazetteer import Gazetteer
    from warmonitor.serve.state import named_place

    gazetteer = Gazetteer()
    found = {name: named_place(gazetteer, name) for name in ("Saraqib", "Jisr al-Shughur District",
                                                               "Idlib Governorate", "Syria", "Nowhereville Xq")}
    assert {name: (record or {}).get("precision") for name, record in found.items()} == {
        "Saraqib": 1, "Jisr al-Shughur District": 2, "Idlib Governorate": 3, "Syria": 3, "Nowhereville Xq": None}
    assert found["Idlib Governorate"]["gazetteer_name"] == "Idlib"
    assert found["Idlib Governorate"]["text"] == "Idlib Governorate" and found["Saraqib"]["lat"] is not None
