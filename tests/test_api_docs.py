"""The API reference at /api/docs works offline: Swagger UI from the package, no CDN, no inline script,
and behind the login when reading is private (the page was blank: its CDN was blocked by the CSP)."""
from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from warmonitor.serve import ServeSettings, create_app
from warmonitor.store import Store

from test_serve_api import ARTICLES, add_user, login  # noqa: F401 (one set of invented articles)


@pytest.fixture
def store(tmp_path, pipeline):
    with Store(f"sqlite:///{tmp_path / 'docs.db'}") as found:
        found.upgrade()
        found.save(pipeline.extract_many(ARTICLES[:1]), extractor_version="test")
        yield found


def test_the_docs_page_loads_only_files_the_server_has(store):
    with TestClient(create_app(ServeSettings(db=store.url), store=store)) as client:
        page = client.get("/api/docs")
        assert page.status_code == 200
        html = page.text
        scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
        assert scripts and all('src="' in attrs and not body.strip() for attrs, body in scripts)  # no inline code
        urls = re.findall(r'(?:src|href)="([^"]+)"', html)
        assert urls and all(u.startswith("/") and not u.startswith("//") for u in urls), urls
        for url in urls:
            asset = client.get(url)
            assert asset.status_code == 200 and len(asset.content) > 100, url
        assert "SwaggerUIBundle" in client.get("/api/docs/assets/swagger-ui-bundle.js").text
        assert 'data-openapi="/api/openapi.json"' in html
        policy = page.headers["content-security-policy"]
        script_src = re.search(r"script-src ([^;]*)", policy).group(1)
        assert script_src.split() == ["'self'"]
        assert client.get("/api/openapi.json").json()["paths"]["/api/facts"]


def test_the_docs_and_schema_need_a_login_when_reading_is_private(store):
    add_user(store)
    with TestClient(create_app(ServeSettings(db=store.url, public_read=False), store=store)) as client:
        assert client.get("/api/docs").status_code == 401
        assert client.get("/api/openapi.json").status_code == 401
        login(client)
        assert client.get("/api/docs").status_code == 200
        assert "/api/facts" in client.get("/api/openapi.json").json()["paths"]
