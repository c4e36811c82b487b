"""Fetching pages and feeds against a local server (tests/http_fixtures.py): 127.0.0.1 only.

Every request loop here is bounded: the fetcher's retries, redirects and timeouts are small numbers,
`run_every` gets `max_runs`, and every error case is one call.
"""
from __future__ import annotations

import os
import signal
import threading
import time

import pytest

from http_fixtures import CHUNK, MAX_BYTES, LocalServer, closed_port
from http_fixtures import assert_fetch_error as assert_error
from http_fixtures import make_fetcher as make
from warmonitor.fetch import (FeedListError, FeedResult, FetchError, Response, parse_interval, read_feed_list,
                              run_every, watch_once, xml_problem)
from warmonitor.model import Article


@pytest.fixture(scope="module")
def server():
    with LocalServer() as srv:
        yield srv


@pytest.fixture
def fetcher():
    fetch, _transport = make()
    with fetch:
        yield fetch


# -- get: bodies, limits, redirects, retries ---------------------------------------------------

def test_get_returns_the_body(server, fetcher):
    response = fetcher.get(server.url("/page/1"))
    assert isinstance(response, Response)
    assert response.status == 200 and response.content_type == "text/html" and response.charset == "utf-8"
    assert b"Test page 1" in response.content and not response.not_modified


@pytest.mark.parametrize("path", ["/big", "/big-stream"])
def test_a_20_mb_page_is_refused_and_reading_stops_at_the_limit(server, path):
    fetch, transport = make()
    with fetch:
        url = server.url(path)
        result = fetch.get(url)
        assert_error(result, url, "larger than", "limit")
        assert transport.bytes_read <= MAX_BYTES + CHUNK
        assert isinstance(fetch.page(url), FetchError)
    assert transport.bytes_read <= 2 * (MAX_BYTES + CHUNK)
    if path == "/big":  # the declared length is enough: no body byte is read
        assert transport.bytes_read == 0


def test_a_gzip_bomb_is_stopped_at_the_limit(server):
    fetch, transport = make()
    with fetch:
        url = server.url("/gzip-bomb")
        assert_error(fetch.get(url), url, "larger than")
    assert transport.bytes_read < 100_000  # the compressed bytes; the 20 MB never exist at once


@pytest.mark.parametrize("path, words, requests", [
    ("/loop-a", ["redirect loop", "/loop-a -> ", "/loop-b -> "], 2),
    ("/chain/1", ["more than 3 redirects"], 4),
])
def test_redirect_loops_and_long_chains_are_errors(server, path, words, requests):
    fetch, transport = make(max_redirects=3)
    with fetch:
        assert_error(fetch.get(server.url(path)), server.url(path), *words)
    assert len(transport.requests) == requests


def test_a_relative_redirect_is_followed(server, fetcher):
    article = fetcher.page(server.url("/moved"))
    assert isinstance(article, Article)
    assert article.id == server.url("/moved") and article.source == server.url("/moved")
    assert article.url == server.url("/article/2")  # the canonical link of the page redirected to


@pytest.mark.parametrize("path, limits, words", [
    ("/hang", {"timeout": 0.3}, "no answer within 0.3 s"),  # accepts, never answers
    ("/drip", {"total_timeout": 0.4}, "more than 0.4 s"),  # a byte every 50 ms, for ever
])
def test_slow_servers_time_out(server, path, limits, words):
    fetch, _ = make(**limits)
    started = time.monotonic()
    with fetch:
        assert_error(fetch.get(server.url(path)), server.url(path), words)
    assert time.monotonic() - started < 10  # the drip never ends: only the limit stops it (loose for busy machines)


def test_503_then_200_is_retried(server):
    fetch, transport = make(retries=2)
    with fetch:
        article = fetch.page(server.url("/flaky"))
    assert isinstance(article, Article) and "Nordmark" in article.text
    assert server.hits["/flaky"] == 2 and len(transport.requests) == 2


def test_retries_are_bounded_and_reported(server):
    fetch, transport = make(retries=2)
    with fetch:
        url = server.url("/always-503")
        assert_error(fetch.get(url), url, "503", "after 3 tries")
    assert len(transport.requests) == 3


def test_retry_after_is_capped(server):
    fetch, transport = make(retries=1, retry_after_cap_s=0.2)
    started = time.monotonic()
    with fetch:
        url = server.url("/429-long")
        assert_error(fetch.get(url), url, "429")
    assert 0.2 <= time.monotonic() - started < 2 and len(transport.requests) == 2


def test_connection_refused_is_retried_then_reported():
    fetch, transport = make(retries=1)
    url = f"http://127.0.0.1:{closed_port()}/page"
    with fetch:
        assert_error(fetch.get(url), url, "could not connect", "after 2 tries")
    assert len(transport.requests) == 2


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/x", "not a url", "http://", "file:///etc/passwd", ""])
def test_bad_addresses_are_errors_without_a_request(url):
    fetch, transport = make()
    with fetch:
        result = fetch.get(url)
        assert isinstance(result, FetchError) and "http(s)" in result.message
        assert isinstance(fetch.page(url), FetchError) and isinstance(fetch.feed(url), FetchError)
    assert transport.requests == []


def test_politeness_delay_per_host(server):
    fetch, _ = make(politeness_s=0.3)
    with fetch:
        started = time.monotonic()
        assert isinstance(fetch.get(server.url("/page/1")), Response)
        assert isinstance(fetch.get(server.url("/page/2")), Response)
        assert time.monotonic() - started >= 0.3


# -- pages -------------------------------------------------------------------------------------

def test_page_becomes_an_article(server, fetcher):
    url = server.url("/page/2")
    article = fetcher.page(url)
    assert isinstance(article, Article)
    assert article.title.startswith("Test page 2")
    assert article.published == "2024-03-03"
    assert article.url == server.url("/article/2")
    assert article.id == url and article.source == url
    assert "pumping stations" in article.text and "Invented test site" not in article.text


@pytest.mark.parametrize("path, kind", [("/doc.pdf", "application/pdf"), ("/img.png", "image/png"),
                                        ("/rss.xml", "application/rss+xml")])
def test_non_html_content_is_an_error(server, fetcher, path, kind):
    url = server.url(path)
    assert_error(fetcher.page(url), url, kind, "not an html page")


@pytest.mark.parametrize("path, expected", [
    ("/gzip-page", "Nordmark"),  # Content-Encoding: gzip, decoded in bounded steps
    ("/no-type", "Nordmark"),  # no Content-Type: sniffed as HTML
    ("/bad-utf8", "Volunt\ufffd\ufffders"),  # two stray bytes are replaced, not fatal
    ("/latin1", "Caf\u00e9 cr\u00e8me"),  # the declared charset is used
])
def test_pages_that_read(server, fetcher, path, expected):
    article = fetcher.page(server.url(path))
    assert isinstance(article, Article) and expected in article.text


@pytest.mark.parametrize("path, words", [
    ("/garbled", ["not valid utf-8", "byte 0xe9 at offset 30"]),  # one byte in twenty is bad
    ("/binary", ["binary data"]),
    ("/nothing-here", ["not found"]),
])
def test_unreadable_pages_are_errors(server, fetcher, path, words):
    url = server.url(path)
    assert_error(fetcher.page(url), url, *words)


# -- feeds ------------------------------------------------------------------------------------

def test_rss_feed(server, fetcher):
    result = fetcher.feed(server.url("/rss.xml"))
    assert isinstance(result, FeedResult) and not result.not_modified
    assert result.title == "Local RSS Outlet"
    assert [item.id for item in result.entries] == ["rss-1", "rss-2", "rss-3"]
    first = result.entries[0]
    assert first.link == server.url("/page/1") and first.title == "RSS item 1"
    assert first.published == "2024-04-01T10:00:00Z" and first.summary == "Summary 1 of the item."


def test_atom_feed(server, fetcher):
    result = fetcher.feed(server.url("/atom.xml"))
    assert isinstance(result, FeedResult) and result.title == "Local Atom Outlet"
    assert [item.id for item in result.entries] == ["urn:test:atom:4", "urn:test:atom:5", "urn:test:atom:6"]
    assert result.entries[1].link == server.url("/page/5")
    assert result.entries[1].published == "2024-05-02T12:00:00Z"


def test_conditional_get_with_etag_gives_not_modified(server, fetcher):
    url = server.url("/rss.xml")
    assert len(fetcher.feed(url).entries) == 3
    assert fetcher.validators[url]["etag"].startswith('"')
    again = fetcher.feed(url)
    assert isinstance(again, FeedResult) and again.not_modified and again.entries == []
    fresh, transport = make()  # the validators can be persisted by the caller and handed back
    with fresh:
        fresh.validators.update(fetcher.validators)
        assert fresh.feed(url).not_modified
    assert transport.bytes_read == 0


def test_conditional_get_with_last_modified(server, fetcher):
    url = server.url("/lm.xml")
    assert len(fetcher.feed(url).entries) == 3
    assert fetcher.validators[url] == {"last_modified": "Mon, 01 Apr 2024 10:00:00 GMT"}
    assert fetcher.feed(url).not_modified


def test_plain_get_is_not_conditional(server, fetcher):
    url = server.url("/rss.xml")
    fetcher.feed(url)
    response = fetcher.get(url)
    assert isinstance(response, Response) and response.status == 200 and response.content


@pytest.mark.parametrize("path, words", [("/malformed.xml", ["not a well-formed"]),
                                         ("/not-a-feed", ["not an rss or atom feed"])])
def test_bad_feeds_are_errors(server, fetcher, path, words):
    url = server.url(path)
    assert_error(fetcher.feed(url), url, *words)
    assert url not in fetcher.validators  # the next round fetches it in full and reports it again


def test_billion_laughs_is_refused_before_parsing(server, fetcher, monkeypatch):
    import feedparser

    def never(*args, **kwargs):
        raise AssertionError("feedparser must not see the bomb")

    monkeypatch.setattr(feedparser, "parse", never)
    url = server.url("/bomb.xml")
    started = time.monotonic()
    assert_error(fetcher.feed(url), url, "entities")
    assert time.monotonic() - started < 2


@pytest.mark.parametrize("doc", [
    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss>&x;</rss>',
    b'junk before <!DOCTYPE r [<!ENTITY a "b">]><rss>&a;</rss>',
    '<?xml version="1.0" encoding="utf-16"?><!DOCTYPE r [<!ENTITY a "b">]><rss>&a;</rss>'.encode("utf-16"),
])
def test_other_entity_declarations_are_refused(doc):
    assert xml_problem(doc)


def test_an_external_dtd_alone_is_accepted():
    doc = (b'<?xml version="1.0"?>\n<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
           b'"http://my.netscape.com/publish/formats/rss-0.91.dtd">\n<rss version="0.91"><channel/></rss>')
    assert xml_problem(doc) is None


# -- feed lists -------------------------------------------------------------------------------

def test_text_feed_list(tmp_path):
    path = tmp_path / "feeds.txt"
    path.write_text("# my feeds\nhttps://a.example/rss\n\n  http://b.example/atom.xml  # news\n"
                    "https://a.example/rss\n", encoding="utf-8")
    assert read_feed_list(str(path)) == ["https://a.example/rss", "http://b.example/atom.xml"]


def test_opml_feed_list(tmp_path):
    path = tmp_path / "feeds.opml"
    path.write_text('<?xml version="1.0"?>\n<opml version="2.0"><head><title>x</title></head><body>'
                    '<outline text="News"><outline type="rss" text="A" xmlUrl="https://a.example/rss"/>'
                    '<outline text="B" xmlUrl="http://b.example/feed"/></outline>'
                    '<outline text="no feed"/><outline text="bad" xmlUrl="javascript:alert(1)"/>'
                    '<outline text="dup" xmlUrl="https://a.example/rss"/></body></opml>', encoding="utf-8")
    assert read_feed_list(str(path)) == ["https://a.example/rss", "http://b.example/feed"]


@pytest.mark.parametrize("content, words", [
    ("https://ok.example/rss\nnot a url\n", ["feeds.txt:2", "not an http(s)"]),
    ('<?xml version="1.0"?><!DOCTYPE o [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]>'
     '<opml><body><outline xmlUrl="https://a.example/&b;"/></body></opml>', ["entities"]),
    ("<opml><body><outline xmlUrl=", ["not well-formed"]),
])
def test_bad_feed_lists_raise_one_line_errors(tmp_path, content, words):
    path = tmp_path / "feeds.txt"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(FeedListError) as caught:
        read_feed_list(str(path))
    message = str(caught.value)
    assert "\n" not in message and str(path) in message
    for word in words:
        assert word in message


def test_missing_feed_list(tmp_path):
    with pytest.raises(FeedListError, match="no such file"):
        read_feed_list(str(tmp_path / "nope.txt"))


# -- watching ---------------------------------------------------------------------------------

def test_watch_once_yields_new_articles_then_nothing(server):
    fetch, _ = make()
    feeds = [server.url(p) for p in ("/rss.xml", "/atom.xml", "/bomb.xml", "/missing.xml")]
    seen: set[str] = set()
    with fetch:
        first = list(watch_once(fetch, feeds, seen))
        articles = [item for item in first if isinstance(item, Article)]
        errors = [item for item in first if isinstance(item, FetchError)]
        assert [a.id for a in articles] == ["rss-1", "rss-2", "rss-3",
                                            "urn:test:atom:4", "urn:test:atom:5", "urn:test:atom:6"]
        assert [a.outlet for a in articles] == ["Local RSS Outlet"] * 3 + ["Local Atom Outlet"] * 3
        assert articles[0].published == "2024-04-01" and articles[4].published == "2024-05-02"
        assert articles[0].url == server.url("/article/1") and "Nordmark" in articles[0].text
        assert [e.url for e in errors] == [server.url("/bomb.xml"), server.url("/missing.xml")]
        assert {"rss-1", server.url("/page/6")} <= seen
        before = server.hits["/page/1"]
        second = list(watch_once(fetch, feeds, seen))
        assert all(isinstance(item, FetchError) for item in second) and len(second) == 2
        assert server.hits["/page/1"] == before


def test_watch_once_skips_entries_seen_by_id_or_link(server):
    fetch, _ = make()
    seen = {server.url("/page/1"), "rss-2"}
    with fetch:
        got = list(watch_once(fetch, [server.url("/rss.xml")], seen))
    assert [a.id for a in got] == ["rss-3"]


def test_parse_interval():
    assert parse_interval("10m") == 600
    assert parse_interval("30s") == 30 and parse_interval("90") == 90
    assert parse_interval("1h30m") == 5400 and parse_interval("2h") == 7200 and parse_interval("1d") == 86400
    for bad in ("", "0", "ten minutes", "-5m", "10x", "5m later"):
        with pytest.raises(ValueError, match="positive duration"):
            parse_interval(bad)


def test_run_every_repeats_and_is_bounded():
    calls = []
    runs = run_every(0.05, lambda: calls.append(1), threading.Event(), step_s=0.01, max_runs=3)
    assert runs == 3 and len(calls) == 3


def test_run_every_stops_on_a_signal():
    stop = threading.Event()
    previous = signal.signal(signal.SIGTERM, lambda signum, frame: stop.set())
    timer = threading.Timer(0.2, os.kill, (os.getpid(), signal.SIGTERM))
    started = time.monotonic()
    try:
        timer.start()
        runs = run_every(60, lambda: None, stop, max_runs=5)
    finally:
        timer.cancel()
        timer.join()
        signal.signal(signal.SIGTERM, previous)
    assert runs == 1 and stop.is_set()
    assert time.monotonic() - started < 1.0

