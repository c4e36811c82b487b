"""The dashboard in a real browser: Playwright (sync API) driving Debian's Chromium at /usr/bin/chromium
against `warmonitor serve`'s app run by uvicorn on a free local port, over a SQLite database that the real
pipeline filled from the invented articles below.

Skipped as a whole when the `playwright` package or a Chromium binary is missing (CI installs Chromium
with apt; `playwright install` is never needed). Every test saves a screenshot of its last page to
tests/screenshots/<test name>.png, also when it fails. The tests wait only through Playwright's
auto-waiting (`expect`, `wait_for_*`); none asserts on timings.
"""
from __future__ import annotations

import os
import re
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

CHROMIUM = "/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else shutil.which("chromium")
if not CHROMIUM:
    pytest.skip("no Chromium at /usr/bin/chromium or on PATH (apt-get install chromium)", allow_module_level=True)

import uvicorn  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from warmonitor.model import Article  # noqa: E402
from warmonitor.pipeline import Pipeline  # noqa: E402
from warmonitor.serve import accounts  # noqa: E402
from warmonitor.serve import ServeSettings, create_app  # noqa: E402
from warmonitor.store import Store  # noqa: E402

expect = sync_api.expect
Page = sync_api.Page

SCREENSHOTS = Path(__file__).parent / "screenshots"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]
TIMEOUT_MS = 20_000  # generous: a cold CI machine, and the first dashboard load parses a 1 MB basemap
expect.set_options(timeout=TIMEOUT_MS)

USER, PASSWORD = "ana", "correct horse battery"
HOSTILE_TITLE = "<script>alert(1)</script> Shelling report <img src=x onerror=alert(1)>"
ARTICLES = [
    Article(id="saraqib-shelling", published="2026-02-18", outlet="Test Wire", title="Shelling kills 12 in Saraqib",
            text="Government shelling killed 12 civilians in Saraqib in Syria on Monday, the UN human rights "
                 "office said."),
    Article(id="ariha-strikes", published="2026-02-25", outlet="Other Wire", title="Air strikes hit Ariha",
            text="Air strikes killed 5 civilians in Ariha in northwest Syria on Tuesday, local medics said.\n\n"
                 "About 3,000 people were displaced from Ariha on Tuesday, the UN said."),
    Article(id="kharkiv-drones", published="2026-03-04", outlet="Test Wire", title="Drones kill 4 in Kharkiv",
            text="Russian drones killed 4 civilians in Kharkiv on Tuesday, the regional governor said."),
    Article(id="hostile", published="2026-03-05", outlet="<img src=x onerror=alert(1)>", url="javascript:alert(1)",
            title=HOSTILE_TITLE,
            text="Shelling killed 7 civilians in Saraqib in Syria on Wednesday, medics said.\n\n"
                 "The hacked site showed <script>alert(1)</script> and <img src=x onerror=alert(1)> "
                 "and a link to javascript:alert(1) as well."),
]


# -- the server ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline()


class LiveServer:
    """The real app over a fresh SQLite database, served by uvicorn in a background thread."""

    def __init__(self, directory: Path, pipeline: Pipeline):
        self.store = Store(f"sqlite:///{directory / 'warmonitor.db'}")
        self.store.upgrade()
        self.store.save(pipeline.extract_many(ARTICLES), extractor_version="test")
        with Session(self.store.engine) as session, session.begin():
            accounts.add_user(session, USER, PASSWORD, "analyst")
        app = create_app(ServeSettings(db=self.store.url), store=self.store)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))  # a free port, held from here on: no race with other processes
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:  # waits for start-up only; nothing is asserted about how long it took
            if not self.thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)
        self.sock.close()
        self.store.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory, pipeline) -> Iterator[LiveServer]:
    """One server for the tests that only read."""
    live = LiveServer(tmp_path_factory.mktemp("browser-db"), pipeline)
    yield live
    live.stop()


@pytest.fixture
def fresh_server(tmp_path, pipeline) -> Iterator[LiveServer]:
    """A server of its own for a test that changes (or tries to change) the record."""
    live = LiveServer(tmp_path, pipeline)
    yield live
    live.stop()


# -- the browser --------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def browser() -> Iterator[sync_api.Browser]:
    with sync_api.sync_playwright() as p:
        found = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield found
        found.close()


class Watched:
    """A page with what it reported: console errors, uncaught exceptions, dialogs (dismissed)."""

    def __init__(self, page: Page, name: str):
        self.page = page
        self.name = name
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        page.on("console", lambda msg: self.errors.append(f"console: {msg.text}") if msg.type == "error" else None)
        page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))
        page.on("dialog", self._dialog)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def snap(self, step: str = "") -> None:
        """A screenshot now: tests/screenshots/<test name>[-<step>].png."""
        SCREENSHOTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"{self.name}{'-' + step if step else ''}.png"), full_page=True)

    def assert_clean(self) -> None:
        assert not self.dialogs, f"the page opened dialogs: {self.dialogs}"
        assert not self.errors, "errors in the browser:\n" + "\n".join(self.errors)


@pytest.fixture
def watched(browser, request) -> Iterator[Watched]:
    """A new browser context (no cookies) and page; a screenshot of the page when the test ends."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    found = Watched(page, re.sub(r"[^\w.-]+", "_", request.node.name))
    yield found
    try:
        found.snap()
    finally:
        context.close()


# -- helpers ------------------------------------------------------------------------------------------

def api_get(page: Page, base: str, path: str, **params) -> dict:
    response = page.request.get(base + path, params=params or None)
    assert response.ok, f"{path}: {response.status} {response.text()}"
    return response.json()


def all_facts(page: Page, base: str, **params) -> list[dict]:
    return api_get(page, base, "/api/facts", per_page=500, **params)["facts"]


def one_fact(page: Page, base: str, where: Callable[[dict], bool]) -> dict:
    found = [f for f in all_facts(page, base) if where(f)]
    assert len(found) == 1, f"expected one matching fact, got {found}"
    return found[0]


def place_of(fact: dict) -> str | None:
    return (fact.get("place") or {}).get("name")


def open_dashboard(page: Page, url: str) -> None:
    """Go to a dashboard URL and wait until its table has been filled for that URL."""
    page.goto(url)
    wait_table(page)


def wait_table(page: Page) -> None:
    expect(page.locator("body[data-page=dashboard]")).to_be_attached()
    expect(page.locator("#result-summary")).to_have_attribute("data-total", re.compile(r"^\d+$"))
    expect(page.locator("#facts-table")).to_have_attribute("aria-busy", "false")


def row_ids(page: Page) -> set[int]:
    return {int(v) for v in page.locator("#facts-table tbody tr[data-fact-id]").evaluate_all(
        "rows => rows.map(r => r.dataset.factId)")}


def login(page: Page, base: str) -> None:
    page.goto(base + "/login")
    form = page.locator("#login-form")
    form.get_by_test_id("login-username").fill(USER)
    form.get_by_test_id("login-password").fill(PASSWORD)
    form.get_by_test_id("login-submit").click()
    expect(page.locator("body[data-page=dashboard]")).to_be_attached()  # ?next= absent: the dashboard
    expect(page.get_by_test_id("user-name")).to_have_text(USER)
    expect(page.locator("#logout-button")).to_be_visible()
    expect(page.locator("#login-link")).to_be_hidden()


# -- tests --------------------------------------------------------------------------------------------

def test_dashboard_shows_map_timeline_and_table(server, watched):
    page = watched.page
    facts = all_facts(page, server.url)
    open_dashboard(page, server.url + "/")

    expect(page.locator("#result-summary")).to_have_attribute("data-total", str(len(facts)))
    rows = page.locator("#facts-table tbody tr[data-testid=fact-row]")
    expect(rows).to_have_count(len(facts))
    assert row_ids(page) == {f["id"] for f in facts}
    places = {place_of(f) for f in facts if place_of(f)}
    expect(page.locator("#map")).to_have_attribute("data-points", str(len(places)))
    expect(page.locator("#map canvas").first).to_be_visible()
    killed = page.locator("#timeline a.bar-link[data-testid=bar-killed]")
    expect(killed.first).to_be_visible()
    expect(page.locator("#timeline a.bar-link[data-testid=bar-displaced]").first).to_be_visible()
    total_killed = sum(f["count"]["best"] for f in facts if f["type"] == "casualty" and f["outcome"] == "killed")
    bar_values = killed.evaluate_all("bars => bars.map(b => Number(b.getAttribute('data-value')))")
    assert sum(bar_values) == total_killed
    expect(page.locator("#dashboard-error")).to_be_hidden()
    watched.assert_clean()


def test_filter_by_type_and_place_is_kept_in_the_url(server, watched):
    page = watched.page
    casualties = all_facts(page, server.url, type="casualty")
    in_saraqib = [f for f in casualties if place_of(f) == "Saraqib"]
    assert casualties and in_saraqib and len(in_saraqib) < len(casualties) < len(all_facts(page, server.url))
    open_dashboard(page, server.url + "/")

    # The checkbox is visually hidden: the user clicks its label's visible span.
    box = page.get_by_test_id("filter-type-casualty")
    page.locator("label.type-casualty span").click()
    expect(box).to_be_checked()
    expect(page).to_have_url(re.compile(r"\?(.*&)?type=casualty(&|$)"))
    wait_table(page)
    expect(page.locator("#facts-table tbody tr[data-testid=fact-row]")).to_have_count(len(casualties))
    badges = page.locator("#facts-table tbody tr[data-testid=fact-row] .type-badge")
    assert set(badges.evaluate_all("bs => bs.map(b => b.dataset.type)")) == {"casualty"}
    assert row_ids(page) == {f["id"] for f in casualties}

    page.get_by_test_id("filter-place").fill("Saraqib")
    page.get_by_test_id("filter-apply").click()
    expect(page).to_have_url(re.compile(r"[?&]place=Saraqib(&|$)"))
    wait_table(page)
    rows = page.locator("#facts-table tbody tr[data-testid=fact-row]")
    expect(rows).to_have_count(len(in_saraqib))
    assert row_ids(page) == {f["id"] for f in in_saraqib}
    for text in rows.locator("td:nth-child(6)").all_inner_texts():
        assert text.startswith("Saraqib"), text
    expect(page.locator("#result-summary")).to_have_attribute("data-total", str(len(in_saraqib)))
    query = page.url.split("?", 1)[1]
    assert "type=casualty" in query.split("&") and "place=Saraqib" in query.split("&")
    assert "type=casualty" in page.locator("#export-csv").get_attribute("href")

    # The URL alone restores the view: the form's values and the same rows.
    url = page.url
    page.goto("about:blank")
    open_dashboard(page, url)
    expect(page.get_by_test_id("filter-type-casualty")).to_be_checked()
    expect(page.get_by_test_id("filter-type-displacement")).not_to_be_checked()
    expect(page.get_by_test_id("filter-place")).to_have_value("Saraqib")
    expect(rows).to_have_count(len(in_saraqib))
    assert row_ids(page) == {f["id"] for f in in_saraqib}
    page.reload()
    wait_table(page)
    expect(page.get_by_test_id("filter-place")).to_have_value("Saraqib")
    expect(rows).to_have_count(len(in_saraqib))
    watched.assert_clean()


def test_count_link_opens_the_article_with_the_evidence_highlighted(server, watched):
    page = watched.page
    fact = one_fact(page, server.url, lambda f: f["type"] == "displacement" and place_of(f) == "Ariha")
    evidence = api_get(page, server.url, f"/api/facts/{fact['id']}")["evidence"]["text"]
    assert "3,000" in evidence
    open_dashboard(page, server.url + "/")

    link = page.locator(f"#facts-table tr[data-fact-id='{fact['id']}'] a.count-link")
    expect(link).to_have_attribute("href", f"/articles/{fact['article_id']}#fact-{fact['id']}")
    link.click()
    expect(page).to_have_url(f"{server.url}/articles/{fact['article_id']}#fact-{fact['id']}")
    expect(page.locator("#article-text")).to_have_attribute("aria-busy", "false")
    expect(page.locator("#article-title")).to_have_text("Air strikes hit Ariha")

    mark = page.locator(f"mark#fact-{fact['id']}")
    expect(mark).to_have_count(1)
    expect(mark).to_have_text(evidence)
    expect(mark).to_have_class(re.compile(r"(^|\s)selected(\s|$)"))
    expect(mark).to_have_attribute("data-fact-id", str(fact["id"]))
    expect(mark).to_be_in_viewport()
    # Only that fact's passage is selected; the list and the detail panel show the same fact.
    expect(page.locator("#article-text mark.selected")).to_have_count(1)
    expect(page.locator(f"#article-facts li[data-fact-id='{fact['id']}']")).to_have_class(re.compile(r"\bselected\b"))
    expect(page.locator("#fact-detail")).to_have_attribute("data-fact-id", str(fact["id"]))
    expect(page.locator("#fact-detail")).to_contain_text(f"Fact #{fact['id']}")
    watched.assert_clean()


def test_hostile_article_text_stays_text(server, watched):
    page = watched.page
    fact = one_fact(page, server.url, lambda f: place_of(f) == "Saraqib" and f["count"]["best"] == 7)
    page.goto(f"{server.url}/articles/{fact['article_id']}")
    text = page.locator("#article-text")
    expect(text).to_have_attribute("aria-busy", "false")

    expect(text).to_contain_text("<script>alert(1)</script>")
    expect(text).to_contain_text("<img src=x onerror=alert(1)>")
    expect(text).to_contain_text("javascript:alert(1)")
    assert "<script>alert(1)</script>" in text.inner_text()  # rendered, visible text, not markup
    expect(page.locator("#article-title")).to_have_text(HOSTILE_TITLE)
    expect(page.locator("#article-meta")).to_contain_text("<img src=x onerror=alert(1)>")
    expect(page.locator("#article-url")).to_have_text("javascript:alert(1)")  # shown, but not as a link
    expect(page.locator(f"mark#fact-{fact['id']}")).to_be_visible()
    assert page.title().startswith(HOSTILE_TITLE)
    assert_nothing_injected(page)

    # The same article's fact on the fact page (its title is in the evidence source) and in the dashboard.
    page.goto(f"{server.url}/facts/{fact['id']}")
    expect(page.locator("#evidence-source")).to_contain_text(HOSTILE_TITLE)
    assert_nothing_injected(page)
    open_dashboard(page, server.url + "/")
    expect(page.locator(f"#facts-table tr[data-fact-id='{fact['id']}']")).to_be_visible()
    assert_nothing_injected(page)
    page.goto(f"{server.url}/articles/{fact['article_id']}")  # the screenshot shows the article
    expect(text).to_have_attribute("aria-busy", "false")
    watched.assert_clean()


def assert_nothing_injected(page: Page) -> None:
    expect(page.locator("#article-text script, #main script")).to_have_count(0)
    expect(page.locator("img[onerror], [onerror], [onload], [onclick]")).to_have_count(0)
    expect(page.locator("a[href^='javascript:' i], [src^='javascript:' i], [action^='javascript:' i]")).to_have_count(0)
    hrefs = page.locator("a[href]").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert not [h for h in hrefs if "javascript" in h.lower().replace(" ", "")], hrefs
    scripts = page.locator("script").evaluate_all("ss => ss.map(s => s.getAttribute('src'))")
    assert all(src and src.startswith("/static/") for src in scripts), scripts


def test_analyst_corrects_a_count_and_sees_it_everywhere(fresh_server, watched):
    page = watched.page
    base = fresh_server.url
    fact = one_fact(page, base, lambda f: place_of(f) == "Saraqib" and f["count"]["best"] == 12)
    reason = "Hospital records list 15 dead"
    login(page, base)

    page.goto(f"{base}/facts/{fact['id']}")
    expect(page.locator("#review-state")).to_have_attribute("data-state", "unreviewed")
    form = page.locator("#review-form")
    expect(form).to_be_visible()
    expect(page.locator("#review-login")).to_have_count(0)
    expect(page.locator("#fact-fields .field-row[data-field=count] dd")).to_have_text("12")
    expect(page.locator("#evidence-text")).to_have_text(fact["evidence"]["text"])
    expect(page.locator("#audit-trail tbody tr[data-review-id]")).to_have_count(0)

    form.get_by_test_id("review-correct").check()
    expect(page.locator("#correction-fields")).to_be_enabled()
    expect(form.get_by_test_id("review-count")).to_have_value("12")
    form.get_by_test_id("review-count").fill("15")
    form.get_by_test_id("review-reason").fill(reason)
    page.locator("#review-submit").click()

    expect(page.locator("#review-state")).to_have_attribute("data-state", "corrected")
    expect(page.locator("#review-status")).to_contain_text("corrected")
    expect(page.locator("#review-error")).to_be_hidden()
    expect(page.locator("#fact-fields .field-row[data-field=count] dd")).to_have_text("15")
    trail = page.locator("#audit-trail tbody tr[data-review-id]")
    expect(trail).to_have_count(1)
    expect(trail).to_contain_text(reason)
    expect(trail).to_contain_text(USER)
    expect(trail.locator("li[data-field=count]")).to_contain_text(re.compile(r"12\s*→\s*15"))
    watched.snap("fact-page")
    # The record itself changed, not only the page.
    assert api_get(page, base, f"/api/facts/{fact['id']}")["count"]["best"] == 15

    # After a reload, in the dashboard's table and in the reviews page too.
    page.reload()
    expect(page.locator("#review-state")).to_have_attribute("data-state", "corrected")
    expect(page.locator("#fact-fields .field-row[data-field=count] dd")).to_have_text("15")
    open_dashboard(page, base + "/")
    row = page.locator(f"#facts-table tr[data-fact-id='{fact['id']}']")
    expect(row.locator("a.count-link")).to_have_text("15")
    expect(row.locator(".state")).to_have_attribute("data-state", "corrected")
    watched.snap("dashboard")
    page.goto(base + "/reviews")
    reviews = page.locator(f"#audit-trail tbody tr[data-review-id][data-fact-id='{fact['id']}']")
    expect(reviews).to_have_count(1)
    expect(reviews).to_contain_text(reason)
    expect(reviews).to_contain_text(USER)
    expect(reviews.locator("li[data-field=count]")).to_contain_text(re.compile(r"12\s*→\s*15"))
    watched.assert_clean()


def test_change_without_login_is_refused(fresh_server, watched):
    page = watched.page
    base = fresh_server.url
    fact = one_fact(page, base, lambda f: place_of(f) == "Saraqib" and f["count"]["best"] == 12)
    page.goto(f"{base}/facts/{fact['id']}")
    expect(page.locator("#fact-fields .field-row[data-field=count] dd")).to_have_text("12")
    expect(page.locator("#review-login")).to_be_visible()
    expect(page.locator("#review-login a")).to_have_attribute("href", f"/login?next=%2Ffacts%2F{fact['id']}")
    expect(page.locator("#review-form")).to_have_count(0)
    expect(page.locator("#login-link")).to_be_visible()
    expect(page.locator("#nav-user")).to_be_hidden()

    # A request made from the page anyway (as a script would) is refused by the server.
    status = page.evaluate("""async id => (await fetch('/api/facts/' + id + '/review', {
        method: 'POST', headers: {'Content-Type': 'application/json'},
        body: JSON.stringify({action: 'correct', reason: 'no login', changes: {count: 99}})})).status""", fact["id"])
    assert status == 401
    # (Chromium logs every 4xx answer as a console error: that one was expected.)
    watched.errors = [e for e in watched.errors if "status of 401" not in e]
    page.reload()
    expect(page.locator("#review-state")).to_have_attribute("data-state", "unreviewed")
    expect(page.locator("#fact-fields .field-row[data-field=count] dd")).to_have_text("12")
    expect(page.locator("#audit-trail tbody tr[data-review-id]")).to_have_count(0)
    assert api_get(page, base, f"/api/facts/{fact['id']}")["count"]["best"] == 12
    watched.assert_clean()


def test_analyst_merges_two_incidents_on_the_incident_page(fresh_server, watched):
    """Incidents (issue 11): the list, an incident's sources side by side with the toll's history, a merge
    with its reason, and the dashboard counting incidents once linking has made them."""
    from warmonitor.usecases.link import link_incidents

    page = watched.page
    base = fresh_server.url
    link_incidents(fresh_server.store)
    listed = api_get(page, base, "/api/incidents", per_page=500)["incidents"]
    saraqib = [r for r in listed if (r.get("place") or {}).get("name") == "Saraqib"]
    assert len(saraqib) == 2, saraqib  # two shellings of Saraqib, a fortnight apart: two incidents
    first, second = sorted(saraqib, key=lambda r: r["date"] or "")
    reason = "One bombardment campaign, reported twice"
    login(page, base)

    page.goto(base + "/incidents")
    expect(page.locator("#incidents-table tbody tr[data-testid=incident-row]")).to_have_count(len(listed))
    expect(page.locator("#result-summary")).to_have_attribute("data-total", str(len(listed)))
    page.locator(f"#incidents-table tr[data-incident-id='{first['id']}'] a[data-testid=incident-link]").click()

    expect(page.locator("body[data-page=incident]")).to_be_attached()
    expect(page.locator("#sources [data-testid=source]")).to_have_count(1)
    expect(page.locator("#sources [data-testid=source]")).to_contain_text("Test Wire")
    expect(page.locator("[data-testid=toll-table-killed] tbody tr")).to_have_count(1)
    expect(page.locator("[data-testid=toll-table-killed] tbody tr")).to_contain_text("12")
    form = page.locator("#merge-form")
    form.get_by_test_id("merge-other").fill(second["id"])
    form.get_by_test_id("merge-reason").fill(reason)
    form.get_by_test_id("merge-submit").click()

    expect(page.locator("#sources [data-testid=source]")).to_have_count(2)
    expect(page.locator("#decisions tbody tr[data-testid=decision-row]")).to_have_count(1)
    expect(page.locator("#decisions tbody tr[data-testid=decision-row]")).to_contain_text(reason)
    expect(page.locator("#decisions tbody tr[data-testid=decision-row]")).to_contain_text(USER)
    expect(page.locator("#sources")).to_contain_text("<img src=x onerror=alert(1)>")  # the hostile outlet's name
    expect(page.locator("#sources img, #sources script")).to_have_count(0)           # stays text
    watched.snap("incident-page")
    assert len(api_get(page, base, "/api/incidents", per_page=500)["incidents"]) == len(listed) - 1

    open_dashboard(page, base + "/")
    expect(page.locator("#count-mode")).to_have_attribute("data-counted", "incidents")
    expect(page.locator("#incident-summary")).to_have_attribute("data-total", str(len(listed) - 1))
    watched.assert_clean()
