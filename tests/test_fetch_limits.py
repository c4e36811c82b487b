"""Every fetch limit at its edge: size, decompressed size, redirects, time.

tests/test_fetch.py shows that a 20 MB page, a gzip bomb, a redirect loop and a slow server are
stopped; these pin where: a body of exactly the limit is read and one byte more is not, compressed or
not, declared or not; exactly `max_redirects` redirects are followed and one more is not; a server
that never finishes its headers is stopped by the total time limit like one that dribbles its body.
"""
from __future__ import annotations

import socket
import time
import tracemalloc

import pytest

from http_fixtures import LocalServer, assert_fetch_error, make_fetcher
from warmonitor.fetch import Response

LIMIT = 100_000


@pytest.fixture(scope="module")
def server():
    with LocalServer() as srv:
        yield srv


@pytest.mark.parametrize("path", ["/size/{n}", "/size/{n}?undeclared", "/gzip-size/{n}"])
def test_a_body_of_exactly_the_limit_is_read_and_one_byte_more_is_not(server, path):
    fetch, _ = make_fetcher(max_bytes=LIMIT)
    with fetch:
        exact = fetch.get(server.url(path.format(n=LIMIT)))
        assert isinstance(exact, Response) and len(exact.content) == LIMIT
        over = server.url(path.format(n=LIMIT + 1))
        assert_fetch_error(fetch.get(over), over, "larger than the 100,000-byte limit")


@pytest.mark.parametrize("path", ["/gzip-bomb", "/deflate-bomb"])
def test_a_compression_bomb_is_stopped_at_the_limit_after_decompression(server, path):
    """20 MB of spaces in about 20 KB: the compressed size is far under the limit, the decompressed
    size far over; only the bytes up to the limit are ever inflated."""
    fetch, transport = make_fetcher(max_bytes=LIMIT)
    with fetch:
        url = server.url(path)
        tracemalloc.start()
        try:
            result = fetch.get(url)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert_fetch_error(result, url, "larger than the 100,000-byte limit")
    assert transport.bytes_read < LIMIT
    assert peak < 20 * LIMIT, peak  # inflating it all at once would take 20 MB


@pytest.mark.parametrize("limit, followed", [(8, True), (7, False)])
def test_exactly_max_redirects_are_followed(server, limit, followed):
    """/chain/1 redirects 8 times (/chain/2 ... /chain/8, then /page/3)."""
    fetch, transport = make_fetcher(max_redirects=limit)
    url = server.url("/chain/1")
    with fetch:
        result = fetch.get(url)
    if followed:
        assert isinstance(result, Response) and result.final_url == server.url("/page/3")
        assert len(transport.requests) == 9
    else:
        assert_fetch_error(result, url, "more than 7 redirects", "raise the redirect limit")
        assert len(transport.requests) == 8


def test_headers_that_never_end_are_stopped_by_the_total_time_limit(server):
    """Each header line arrives well within the read timeout, so only the total limit can stop it."""
    fetch, _ = make_fetcher(timeout=0.5, total_timeout=0.6, retries=0)
    url = server.url("/drip-headers")
    started = time.monotonic()
    with fetch:
        assert_fetch_error(fetch.get(url), url, "0.6 s")
    assert time.monotonic() - started < 2


def test_a_connection_that_is_never_accepted_times_out():
    """A listening socket whose backlog is full: the kernel drops the SYN, the connect waits."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        port = listener.getsockname()[1]
        fillers = []
        try:
            for _ in range(4):  # fill the backlog (its real size is the kernel's; a few are enough)
                filler = socket.socket()
                filler.setblocking(False)
                filler.connect_ex(("127.0.0.1", port))
                fillers.append(filler)
            time.sleep(0.1)
            fetch, _ = make_fetcher(timeout=0.3, retries=0)
            url = f"http://127.0.0.1:{port}/page"
            started = time.monotonic()
            with fetch:
                result = fetch.get(url)
            elapsed = time.monotonic() - started
        finally:
            for filler in fillers:
                filler.close()
    assert_fetch_error(result, url, "no connection within 0.3 s")
    assert elapsed < 2


def test_the_body_time_limit_holds_over_a_transport_without_one(server):
    """`Fetcher(transport=...)` may be given a transport that does not bound an exchange: the fetcher
    still stops reading a body that dribbles past `total_timeout`."""
    fetch, _ = make_fetcher(total_timeout=0.4, retries=0, bound_exchanges=False)
    url = server.url("/drip")
    started = time.monotonic()
    with fetch:
        assert_fetch_error(fetch.get(url), url, "more than 0.4 s")
    assert time.monotonic() - started < 2
