"""Accounts and the server under abuse (issue 10) and their security properties pinned (issue 14): request
bodies, password hashing, failed logins, token expiry and revocation, the viewer role, CSRF and role checks
on every state-changing route, session expiry, disabled accounts, cookie flags. SQLite and PostgreSQL.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import threading
import time

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text, update
from sqlalchemy.orm import Session
from test_serve_api import ARTICLES, PASSWORD, add_user, killed_fact, login, make_client
from typer.testing import CliRunner

from warmonitor.cli import app as cli_app
from warmonitor.serve import ServeSettings, accounts
from warmonitor.serve.dependencies import CSRF_HEADER, SESSION_COOKIE
from warmonitor.serve.login_limits import LoginLimits, check_limits, record_failure
from warmonitor.serve.middleware import BodyLimit
from warmonitor.store import Store
from warmonitor.store.schema import SessionRow, TokenRow, UserRow

runner = CliRunner()


@pytest.fixture
def store(db_url, pipeline):
    with Store(db_url) as found:
        found.upgrade()
        found.save(pipeline.extract_many(ARTICLES), extractor_version="test")
        yield found


@pytest.fixture
def client(store):
    with make_client(store) as found:
        yield found


def cli(store: Store, *args: str, stdin: str | None = None):
    result = runner.invoke(cli_app, ["user", *args, "--db", store.url], input=stdin)
    assert "Traceback" not in result.output
    return result


def token_for(store: Store, name: str, **options) -> str:
    with Session(store.engine) as session, session.begin():
        return accounts.new_token(session, name, "tests", **options)


def try_login(client: TestClient, name: str = "ana", password: str = "wrong password"):
    return client.post("/api/login", json={"username": name, "password": password})


# -- request bodies ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/api/login", "/api/logout", "/api/facts/1/review", "/api/no-such-route", "/"])
def test_a_declared_body_over_the_limit_is_refused_on_every_path(store, path):
    with make_client(store, max_body_bytes=4096) as client:
        response = client.post(path, content=b"{" + b" " * 5000 + b"}", headers={"content-type": "application/json"})
        assert response.status_code == 413, response.text
        assert "4,096 bytes" in response.json()["detail"]
        assert response.headers["x-content-type-options"] == "nosniff"  # an answer like every other
        small = client.post("/api/login", json={"username": "nobody", "password": "x" * 100})
        assert small.status_code == 401


def test_a_streamed_body_without_length_is_cut_at_the_limit(store):
    """Chunked bodies declare no length: they are counted as they come, through FastAPI's body parsing
    (which turns other errors into 400), and reading stops at the limit."""
    def chunks():
        for _ in range(64):
            yield b" " * 1024
    with make_client(store, max_body_bytes=10_000) as client:
        response = client.post("/api/login", content=chunks(), headers={"content-type": "application/json"})
        assert response.status_code == 413 and "10,000 bytes" in response.json()["detail"]

    pulled = []

    async def endless_receive():
        pulled.append(1)
        return {"type": "http.request", "body": b"x" * 65536, "more_body": True}

    async def reads_everything(scope, receive, send):
        while (await receive()).get("more_body"):
            pass

    sent = []

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/", "headers": []}
    asyncio.run(BodyLimit(reads_everything, max_bytes=1 << 20)(scope, endless_receive, send))
    assert sent[0]["status"] == 413 and len(pulled) == 17  # 16 chunks fill 1 MiB; the 17th passes it


def test_the_body_limit_reaches_worker_processes():
    from warmonitor.serve.settings import settings_from_environment, settings_to_environment

    settings = ServeSettings(max_body_bytes=5000)
    assert settings_from_environment(settings_to_environment(settings)).max_body_bytes == 5000
    assert settings_from_environment({}).max_body_bytes == 1024 * 1024


# -- password hashing --------------------------------------------------------------------------------------

def _slow_check(monkeypatch, seconds: float) -> dict:
    """check_password made slow, counting how many run at once."""
    seen = {"now": 0, "most": 0}
    lock = threading.Lock()
    real = accounts.check_password

    def slow(session, name, password):
        with lock:
            seen["now"] += 1
            seen["most"] = max(seen["most"], seen["now"])
        time.sleep(seconds)
        try:
            return real(session, name, password)
        finally:
            with lock:
                seen["now"] -= 1

    monkeypatch.setattr(accounts, "check_password", slow)
    return seen


def _at_once(client: TestClient, count: int) -> list:
    answers: list = [None] * count

    def one(i):
        answers[i] = try_login(client, f"user{i}")
    threads = [threading.Thread(target=one, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def test_password_hashing_is_bounded_and_waiting_logins_get_503(store, monkeypatch):
    seen = _slow_check(monkeypatch, 0.3)
    with make_client(store) as client:
        client.app.state.wm.limit_logins(LoginLimits(hash_slots=2, hash_wait_s=30))
        answers = _at_once(client, 8)
        assert [a.status_code for a in answers] == [401] * 8
        assert seen["most"] == 2
        started = time.monotonic()  # readers are not held up by logins waiting for a slot
        client.get("/api/fact-types")
        assert time.monotonic() - started < 1.0

        client.app.state.wm.limit_logins(LoginLimits(hash_slots=1, hash_wait_s=0.1))
        statuses = sorted(a.status_code for a in _at_once(client, 6))
        assert 401 in statuses and 503 in statuses and set(statuses) <= {401, 503}
        busy = next(a for a in _at_once(client, 4) if a.status_code == 503)
        assert busy.headers["retry-after"].isdigit() and busy.json()["detail"]


# -- failed logins -----------------------------------------------------------------------------------------

def test_failed_logins_lock_the_name_the_same_for_unknown_names_until_an_admin_unlocks(store, client):
    add_user(store)
    for name in ("ana", "nobody"):
        answers = [try_login(client, name) for _ in range(6)]
        assert [a.status_code for a in answers] == [401] * 5 + [429], name
        assert 800 < int(answers[-1].headers["retry-after"]) <= 900
        assert "user name" in answers[-1].json()["detail"]
    assert try_login(client, "ana", PASSWORD).status_code == 429  # locked: even the right password
    assert try_login(client, "nobody", PASSWORD).json() == try_login(client, "ana", PASSWORD).json()
    assert cli(store, "unlock", "nobody").exit_code == 1  # the administrator knows which names exist
    result = cli(store, "unlock", "ana")
    assert result.exit_code == 0 and "5 failed" in result.output
    assert try_login(client, "ana", PASSWORD).status_code == 200


def test_failed_logins_are_limited_per_address_across_processes(store):
    add_user(store)
    with make_client(store) as first, make_client(store) as second:
        for app_client in (first, second):
            app_client.app.state.wm.limit_logins(LoginLimits(account_failures=100, address_failures=4))
        for i in range(4):  # four names, two server processes: one address
            assert try_login((first, second)[i % 2], f"guess{i}").status_code == 401
        refused = try_login(first, "ana", PASSWORD)
        assert refused.status_code == 429 and "address" in refused.json()["detail"]
        assert int(refused.headers["retry-after"]) > 0
    other = TestClient(first.app, client=("10.9.8.7", 5000))
    assert try_login(other, "ana", PASSWORD).status_code == 200


def test_a_successful_login_clears_the_names_failures(store, client):
    add_user(store)
    for _ in range(4):
        assert try_login(client).status_code == 401
    assert try_login(client, "ana", PASSWORD).status_code == 200
    assert [try_login(client).status_code for _ in range(4)] == [401] * 4


def test_failures_older_than_the_window_are_forgotten(store):
    limits = LoginLimits(account_failures=2, address_failures=50)
    long_ago = dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=16)
    with Session(store.engine) as session, session.begin():
        for _ in range(2):
            record_failure(session, "ana", "1.2.3.4", limits, now=long_ago)
    with Session(store.engine) as session:
        check_limits(session, "ana", "1.2.3.4", limits)  # no TooManyFailures
        record_failure(session, "ana", "1.2.3.4", limits)  # and the old rows go
        assert session.execute(text("SELECT count(*) FROM login_failures")).scalar() == 1


# -- API tokens -----------------------------------------------------------------------------------------

def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def test_tokens_expire_are_listed_without_secrets_and_are_revoked(store, client):
    add_user(store)
    kept, dropped, old = token_for(store, "ana"), token_for(store, "ana"), token_for(store, "ana", days=1)
    with Session(store.engine) as session, session.begin():
        session.execute(update(TokenRow).where(TokenRow.token_hash == accounts.digest(old))
                        .values(expires_at=dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=1)))
    assert client.get("/api/me", headers=bearer(kept)).json()["user"] == "ana"
    assert client.get("/api/me", headers=bearer(old)).status_code == 401
    listed = cli(store, "tokens", "ana")
    assert listed.exit_code == 0 and "expired" in listed.stdout
    assert not any(t in listed.stdout for t in (kept, dropped, old))
    ids = [line.split("\t")[0] for line in listed.stdout.splitlines()[1:]]
    assert len(ids) == 3
    assert cli(store, "revoke", "ana", "--token", ids[1]).exit_code == 0
    assert client.get("/api/me", headers=bearer(dropped)).status_code == 401
    assert client.get("/api/me", headers=bearer(kept)).status_code == 200
    assert cli(store, "revoke", "ana").exit_code == 2  # neither --token nor --all
    assert cli(store, "revoke", "ana", "--token", "999").exit_code == 1
    assert cli(store, "revoke", "ana", "--all").exit_code == 0
    assert client.get("/api/me", headers=bearer(kept)).status_code == 401


def test_token_days_and_the_default_expiry(store):
    add_user(store)
    assert cli(store, "token", "ana", "--days", "7").exit_code == 0
    assert cli(store, "token", "ana").exit_code == 0
    assert cli(store, "token", "ana", "--days", "0").exit_code != 0
    with Session(store.engine) as session:
        lasts = sorted(round((accounts._aware(r.expires_at) - accounts._aware(r.created_at)).total_seconds() / 86400)
                       for r in accounts.list_tokens(session, "ana"))
    assert lasts == [7, 90]


@pytest.mark.parametrize("command", [["password", "ana", "--password-stdin"],
                                     ["add", "ana", "--replace", "--password-stdin"]])
def test_a_new_password_ends_sessions_and_revokes_tokens(store, client, command):
    add_user(store)
    token = token_for(store, "ana")
    login(client)
    assert client.get("/api/me").json()["user"] == "ana"
    assert cli(store, *command, stdin="a brand new secret\n").exit_code == 0
    assert client.get("/api/me").json()["user"] is None
    assert client.get("/api/me", headers=bearer(token)).status_code == 401
    assert try_login(client, "ana", "a brand new secret").status_code == 200
    assert client.get("/api/me").json()["role"] == "analyst"


def test_migration_gives_tokens_made_before_it_an_expiry(db_url):
    from warmonitor.store import engine as db

    with Store(db_url) as store:
        db.upgrade(store.engine, "0003")
        with store.engine.begin() as connection:
            connection.execute(text("INSERT INTO users (name, password_hash, role, created_at, disabled) "
                                    "VALUES ('ana', 'x', 'analyst', :now, :no)"),
                               {"now": dt.datetime.now(dt.timezone.utc), "no": False})
            connection.execute(text("INSERT INTO api_tokens (token_hash, user_name, created_at) "
                                    "VALUES ('h', 'ana', :now)"), {"now": dt.datetime.now(dt.timezone.utc)})
        store.upgrade()
        with Session(store.engine) as session:
            row = session.query(TokenRow).one()
            left = accounts._aware(row.expires_at) - dt.datetime.now(dt.timezone.utc)
            assert dt.timedelta(days=89) < left <= dt.timedelta(days=90)


# -- roles, CSRF and the state-changing routes -------------------------------------------------------------

def routes_of(app) -> list[tuple[str, str]]:
    """Every (method, path) the app serves through its routers, checked against its OpenAPI description
    (which would show a route added to the app some other way): a new route is checked too."""
    from warmonitor.serve.app import routers

    found = {(method, route.path) for router in routers() for route in router.routes
             for method in getattr(route, "methods", None) or ()}
    described = {(method.upper(), path) for path, operations in app.openapi()["paths"].items()
                 for method in operations}
    assert described <= found
    return sorted(found)


def changing_routes(app) -> list[tuple[str, str]]:
    return [(method, path) for method, path in routes_of(app) if method not in ("GET", "HEAD", "OPTIONS")]


def fill(path: str, fact_id: int, incident_id: str = "none") -> str:
    return path.replace("{fact_id}", str(fact_id)).replace("{article_id}", "1").replace("{incident_id}", incident_id)


BODY = {"action": "confirm", "reason": "checked against the source"}
# Routes whose body is not a review's: what the analyst sends when the checks pass (two articles of one
# country, so that a merge needs no confirmation).
BODIES = {"/api/incidents/merge": {"articles": ["saraqib-shelling", "ariha-strikes"], "reason": "one event"},
          "/api/incidents/split": {"articles": ["saraqib-shelling", "ariha-strikes"], "reason": "two events"}}
OPEN_TO_ALL = {"/api/login"}  # before any login; refuses bodies that are not JSON (test below)
ANY_ROLE = {"/api/logout"}  # a viewer may log out


def test_every_state_changing_route_checks_login_csrf_and_role(store):
    add_user(store, "ana", "analyst")
    add_user(store, "vic", "viewer")
    with make_client(store) as anyone, make_client(store) as analyst, make_client(store) as viewer:
        fact_id = killed_fact(anyone, "Saraqib")["id"]
        routes = changing_routes(anyone.app)
        assert ("POST", "/api/facts/{fact_id}/review") in routes and ("POST", "/api/logout") in routes
        analyst_csrf, viewer_csrf = login(analyst, "ana"), login(viewer, "vic")
        for method, path in routes:
            if path in OPEN_TO_ALL:
                continue
            url = fill(path, fact_id)
            assert anyone.request(method, url, json=BODY).status_code == 401, path
            assert analyst.request(method, url, json=BODY).status_code == 403, path
            assert analyst.request(method, url, json=BODY, headers={CSRF_HEADER: "forged"}).status_code == 403, path
            assert viewer.request(method, url, json=BODY).status_code == 403, path
            if path not in ANY_ROLE:
                answer = viewer.request(method, url, json=BODY, headers={CSRF_HEADER: viewer_csrf})
                assert answer.status_code == 403 and "viewer" in answer.json()["detail"], path
        assert ("POST", "/api/incidents/merge") in routes and ("POST", "/api/incidents/split") in routes
        for method, path in routes:  # the checks pass for the right user (logout last: it ends the session)
            if path not in OPEN_TO_ALL | ANY_ROLE:
                answer = analyst.request(method, fill(path, fact_id), json=BODIES.get(path, BODY),
                                         headers={CSRF_HEADER: analyst_csrf})
                assert answer.status_code == 200, (path, answer.text)
        assert viewer.post("/api/logout", headers={CSRF_HEADER: viewer_csrf}).status_code == 200
        assert viewer.get("/api/me").json()["user"] is None


def test_login_takes_only_json_so_another_sites_form_cannot_log_a_browser_in(store, client):
    add_user(store)
    body = '{"username": "ana", "password": "%s"}' % PASSWORD
    for content_type in ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"):
        answer = client.post("/api/login", content=body, headers={"content-type": content_type})
        assert answer.status_code == 422, content_type
    assert SESSION_COOKIE not in client.cookies


def test_a_viewer_reads_everything_when_private_but_reviews_nothing(store):
    from warmonitor.usecases.link import link_incidents

    add_user(store, "vic", "viewer")
    link_incidents(store)
    with make_client(store, public_read=False) as client:
        reads = [path for method, path in routes_of(client.app) if method == "GET" and path.startswith("/api/")]
        assert "/api/openapi.json" in reads and "/api/facts/{fact_id}" in reads
        assert "/api/incidents/{incident_id}" in reads
        assert client.get("/api/facts").status_code == 401
        login(client, "vic")
        fact_id = killed_fact(client, "Saraqib")["id"]
        incident_id = client.get("/api/incidents").json()["incidents"][0]["id"]
        for path in reads:
            answer = client.get(fill(path, fact_id, incident_id))
            assert answer.status_code == 200, (path, answer.text[:200])
        assert client.get("/api/me").json()["role"] == "viewer"


def test_user_add_knows_the_viewer_role(store):
    assert cli(store, "add", "vic", "--role", "viewer", "--password-stdin", stdin=PASSWORD + "\n").exit_code == 0
    assert cli(store, "list").stdout.split() == ["vic", "viewer"]


# -- sessions, disabled accounts, cookies ------------------------------------------------------------------

def test_an_expired_session_is_logged_out(store, client):
    add_user(store)
    csrf = login(client)
    with Session(store.engine) as session, session.begin():
        session.execute(update(SessionRow).values(expires_at=dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=1)))
    assert client.get("/api/me").json()["user"] is None
    fact_id = killed_fact(client, "Saraqib")["id"]
    assert client.post(f"/api/facts/{fact_id}/review", json=BODY, headers={CSRF_HEADER: csrf}).status_code == 401


def test_a_disabled_account_cannot_log_in_and_its_sessions_and_tokens_stop(store, client):
    add_user(store)
    token = token_for(store, "ana")
    login(client)
    with Session(store.engine) as session, session.begin():
        session.execute(update(UserRow).where(UserRow.name == "ana").values(disabled=True))
    assert client.get("/api/me").json()["user"] is None
    assert client.get("/api/me", headers=bearer(token)).status_code == 401
    refused = try_login(client, "ana", PASSWORD)
    assert refused.status_code == 401 and refused.json() == try_login(client, "ana").json()


@pytest.mark.parametrize("secure", [False, True])
def test_the_session_cookie_flags(store, secure):
    add_user(store)
    with make_client(store, secure_cookies=secure) as client:
        cookie = try_login(client, "ana", PASSWORD).headers["set-cookie"]
    flags = {part.strip().split("=")[0].lower(): part.strip() for part in cookie.split(";")}
    assert "httponly" in flags and flags["samesite"].lower() == "samesite=lax" and flags["path"] == "Path=/"
    assert int(flags["max-age"].split("=")[1]) == accounts.SESSION_DAYS * 86400
    assert ("secure" in flags) is secure
