"""A local HTTP server for the fetch tests: 127.0.0.1 only, port 0, pages and feeds written here.

Every document is invented for the tests. Handlers that stream or wait stop when the server stops
(`LocalServer.stopping`), so no thread outlives the test by more than a moment. The fetchers under test
connect through `LoopbackOnlyBackend`: whatever the code under test decides, no connection leaves
127.0.0.1.
"""
from __future__ import annotations

import gzip
import hashlib
import threading
import time
import zlib
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import httpcore
import httpx

from warmonitor.fetch import FetchConfig, FetchError, Fetcher
from warmonitor.fetch.guard import AddressPolicy
from warmonitor.fetch.transport import GuardedTransport
from warmonitor.model import ReadError

BIG = 20_000_000
CHUNK = 64 * 1024
MAX_BYTES = 1_000_000
LOOPBACK = ("127.0.0.0/8",)  # what the tests allow unless they test the allowing itself

PARAGRAPHS = (
    "The regional council of the invented province of Nordmark met on Tuesday to review the flood "
    "defences along the river, after a week of heavy rain raised the water to its highest level in "
    "a decade. Engineers told the council that the northern embankment held, but that two pumping "
    "stations had failed overnight.",
    "Residents of the low-lying quarter near the old mill were asked to move their cars to higher "
    "ground, and the school in the quarter stayed closed for a second day. Volunteers filled sand "
    "bags in the market square through the afternoon while the fire brigade cleared blocked drains.",
    "The council said it would publish a report on the pumping stations within a month and asked "
    "the national water agency for help with repairs. A spokeswoman for the agency said a team "
    "would arrive by the end of the week to inspect the damage and advise on the next steps.",
)


def page_html(base: str, number: int, title: str | None = None, extra: str = "") -> str:
    title = title or f"Test page {number}: flood defences hold in Nordmark"
    body = "\n".join(f"<p>{para} {extra}</p>" for para in PARAGRAPHS)
    return (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>"
            f"<link rel=\"canonical\" href=\"{base}/article/{number}\">"
            f"<meta property=\"article:published_time\" content=\"2024-03-0{number % 9 + 1}T08:00:00Z\">"
            f"</head><body><header><nav><a href=\"/\">Home</a></nav></header><article><h1>{title}</h1>"
            f"{body}</article><footer>Invented test site</footer></body></html>")


def rss_feed(base: str, title: str = "Local RSS Outlet", first: int = 1) -> str:
    items = "".join(
        f"<item><title>RSS item {n}</title><link>{base}/page/{n}</link>"
        f"<guid isPermaLink=\"false\">rss-{n}</guid><pubDate>Mon, 0{n} Apr 2024 10:00:00 GMT</pubDate>"
        f"<description>Summary &lt;b&gt;{n}&lt;/b&gt; of the item.</description></item>"
        for n in range(first, first + 3))
    return (f"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel><title>{title}</title>"
            f"<link>{base}/</link><description>Test feed</description>{items}</channel></rss>")


def atom_feed(base: str) -> str:
    entries = "".join(
        f"<entry><title>Atom entry {n}</title><link rel=\"alternate\" href=\"{base}/page/{n}\"/>"
        f"<id>urn:test:atom:{n}</id><updated>2024-05-0{n - 3}T12:30:00Z</updated>"
        f"<published>2024-05-0{n - 3}T12:00:00Z</published><summary>Atom summary {n}</summary></entry>"
        for n in range(4, 7))
    return (f"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">"
            f"<title>Local Atom Outlet</title><id>urn:test:atom</id><updated>2024-05-03T12:30:00Z</updated>"
            f"{entries}</feed>")


MALFORMED_FEED = b"<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>Broken</title><item><title>One"
BOMB_FEED = (b"<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n"
             + b"".join(b"<!ENTITY lol%d \"%s\">\n" % (i, b"".join([b"&lol%d;" % (i - 1) if i > 1 else b"&lol;"] * 10))
                        for i in range(1, 10))
             + b"]>\n<rss version=\"2.0\"><channel><title>&lol9;</title></channel></rss>")
ISO_PAGE = ("<html><head><title>Caf\u00e9 page</title></head><body><article>"
            + "".join(f"<p>{para} Caf\u00e9 cr\u00e8me.</p>" for para in PARAGRAPHS) + "</article></body></html>")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: LocalServer

    def handle_error(self, request, client_address):  # a client hanging up mid-stream is expected
        pass


class Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass

    @property
    def owner(self) -> LocalServer:
        return self.server.owner

    def send(self, status: int, body: bytes | str, ctype: str = "text/html; charset=utf-8",
             headers: dict[str, str] | None = None) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def send_feed(self, body: str | bytes, ctype: str = "application/rss+xml") -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        etag = '"' + hashlib.sha1(data).hexdigest()[:16] + '"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        self.send(200, data, ctype, {"ETag": etag})

    def stream(self, total: int, declare: bool) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        if declare:
            self.send_header("Content-Length", str(total))
        self.end_headers()
        block = b"<p>" + b"x" * (CHUNK - 7) + b"</p>\n"
        sent = 0
        while sent < total and not self.owner.stopping.is_set():
            self.wfile.write(block)
            sent += len(block)
        self.owner.streamed[self.path] = sent

    def send_bomb(self, encoding: str, wbits: int) -> None:
        """20 MB of spaces compressed to about 20 KB, compressed as it is sent: the server never holds
        the 20 MB (the tests measure the client's memory in this process)."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Encoding", encoding)
        self.end_headers()
        squeeze, block = zlib.compressobj(9, zlib.DEFLATED, wbits), b" " * CHUNK
        for _ in range(BIG // CHUNK):
            piece = squeeze.compress(block)
            if piece:
                self.wfile.write(piece)
            if self.owner.stopping.is_set():
                return
        self.wfile.write(squeeze.flush())

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        path = self.path.split("?")[0]
        self.owner.count(path, self.headers.get("Host", ""))
        base = self.owner.base
        try:
            self.route(path, base)
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            pass

    def route(self, path: str, base: str) -> None:  # noqa: C901 - one table of test routes
        if path.startswith("/page/") and path[6:].isdigit():
            self.send(200, page_html(base, int(path[6:])))
        elif path == "/rss.xml":
            self.send_feed(rss_feed(base))
        elif path == "/atom.xml":
            self.send_feed(atom_feed(base), "application/atom+xml")
        elif path == "/lm.xml":
            stamp = "Mon, 01 Apr 2024 10:00:00 GMT"
            if self.headers.get("If-Modified-Since") == stamp:
                self.send_response(304)
                self.end_headers()
            else:
                self.send(200, rss_feed(base, "LM Outlet"), "application/rss+xml", {"Last-Modified": stamp})
        elif path == "/malformed.xml":
            self.send_feed(MALFORMED_FEED)
        elif path == "/bomb.xml":
            self.send(200, BOMB_FEED, "application/rss+xml")
        elif path == "/not-a-feed":
            self.send(200, page_html(base, 1))
        elif path == "/big":
            self.stream(BIG, declare=True)
        elif path == "/big-stream":
            self.stream(BIG, declare=False)
        elif path == "/gzip-bomb":
            self.send_bomb("gzip", zlib.MAX_WBITS | 16)
        elif path == "/gzip-page":
            self.send(200, gzip.compress(page_html(base, 2).encode()), "text/html; charset=utf-8",
                      {"Content-Encoding": "gzip"})
        elif path in ("/loop-a", "/loop-b"):
            self.send(302, b"", None, {"Location": "/loop-b" if path == "/loop-a" else f"{base}/loop-a"})
        elif path.startswith("/chain/"):
            step = int(path[7:])
            self.send(301, b"", None, {"Location": f"/chain/{step + 1}" if step < 8 else "/page/3"})
        elif path == "/to":  # a redirect to the address in ?u=
            self.send(302, b"", None, {"Location": parse_qs(urlsplit(self.path).query)["u"][0]})
        elif path.startswith(("/size/", "/gzip-size/")):  # N bytes of HTML; ?undeclared: no Content-Length
            size = int(path.rsplit("/", 1)[1])
            body = (b"<html><body><p>" + b"x" * size)[:size]
            if path.startswith("/gzip-size/"):
                self.send(200, gzip.compress(body), "text/html", {"Content-Encoding": "gzip"})
            elif "undeclared" in self.path:
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.end_headers()
                self.wfile.write(body)
            else:
                self.send(200, body)
        elif path == "/drip-headers":  # a header line every 50 ms, for ever: no body ever starts
            self.wfile.write(b"HTTP/1.1 200 OK\r\n")
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and not self.owner.stopping.wait(0.05):
                self.wfile.write(b"X-Wait: 1\r\n")
                self.wfile.flush()
        elif path == "/deflate-bomb":
            self.send_bomb("deflate", zlib.MAX_WBITS)
        elif path == "/moved":
            self.send(302, b"", None, {"Location": "page/2"})
        elif path == "/hang":
            self.owner.stopping.wait(30)  # accepts, then never answers until the server stops
        elif path == "/drip":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and not self.owner.stopping.wait(0.05):
                self.wfile.write(b"x")
                self.wfile.flush()
        elif path == "/doc.pdf":
            self.send(200, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "application/pdf")
        elif path == "/img.png":
            self.send(200, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 40, "image/png")
        elif path == "/bad-utf8":
            data = page_html(base, 3).encode().replace(b"Volunteers", b"Volunt\xff\xfeers", 1)
            self.send(200, data)
        elif path == "/garbled":  # one bad byte in twenty: more than a stray byte, less than binary
            self.send(200, b"<html><body><p>" + b"Nordmark river \xe9" * 400 + b"</p></body></html>")
        elif path == "/binary":
            self.send(200, b"<html><body><p>" + bytes(range(0x80, 0x100)) * 40 + b"</p></body></html>")
        elif path == "/latin1":
            self.send(200, ISO_PAGE.encode("iso-8859-1"), "text/html; charset=ISO-8859-1")
        elif path == "/no-type":
            self.send(200, page_html(base, 1), "")
        elif path == "/flaky":
            if self.owner.hits[path] == 1:
                self.send(503, "busy", "text/plain", {"Retry-After": "0"})
            else:
                self.send(200, page_html(base, 1))
        elif path == "/always-503":
            self.send(503, "busy", "text/plain")
        elif path == "/429-long":
            self.send(429, "slow down", "text/plain", {"Retry-After": "3600"})
        else:
            self.send(404, "no such page", "text/plain")


class LocalServer:
    """The test server: `with LocalServer() as server: server.url("/rss.xml")`."""

    def __init__(self) -> None:
        self.stopping = threading.Event()
        self.hits: Counter[str] = Counter()
        self.hosts: list[str] = []  # the Host header of each request, in order
        self.streamed: dict[str, int] = {}
        self._lock = threading.Lock()
        self.server = _Server(("127.0.0.1", 0), Handler)
        self.server.owner = self
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                                       daemon=True)

    def count(self, path: str, host: str) -> None:
        with self._lock:
            self.hits[path] += 1
            self.hosts.append(host)

    def url(self, path: str) -> str:
        return self.base + path

    def __enter__(self) -> LocalServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


def closed_port() -> int:
    """A port on 127.0.0.1 with nothing listening (bound, then released)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LoopbackOnlyBackend(httpcore.SyncBackend):
    """Connects to 127.0.0.1 only and records every address asked for (`attempts`).

    Any other address is refused as a connection failure, without a packet sent: a test can show that
    the guard let an intranet address through (it is in `attempts`) with no traffic leaving the host.
    """

    def __init__(self) -> None:
        self.attempts: list[str] = []

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        self.attempts.append(host)
        if host != "127.0.0.1":
            raise httpcore.ConnectError(f"test backend: {host} is not 127.0.0.1")
        return super().connect_tcp(host, port, timeout, local_address, socket_options)


class _CountingStream(httpx.SyncByteStream):
    def __init__(self, inner: httpx.SyncByteStream, owner: CountingTransport) -> None:
        self.inner, self.owner = inner, owner

    def __iter__(self):
        for chunk in self.inner:
            self.owner.bytes_read += len(chunk)
            yield chunk

    def close(self) -> None:
        self.inner.close()


class CountingTransport(httpx.BaseTransport):
    """The fetcher's own guarded transport, over `LoopbackOnlyBackend`, counting requests and body bytes.

    `allow` is the fetcher's `allow_networks`, `total_timeout` its config's (as `Fetcher` passes them).
    """

    def __init__(self, allow: tuple[str, ...] | list[str] = (), total_timeout: float | None = None) -> None:
        self.backend = LoopbackOnlyBackend()
        self.inner = GuardedTransport(AddressPolicy.allowing(allow), self.backend, total_timeout)
        self.bytes_read = 0
        self.requests: list[httpx.Request] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        response = self.inner.handle_request(request)
        return httpx.Response(status_code=response.status_code, headers=response.headers,
                              stream=_CountingStream(response.stream, self), extensions=response.extensions)

    def close(self) -> None:
        self.inner.close()


def make_fetcher(allow: tuple[str, ...] | list[str] = LOOPBACK, bound_exchanges: bool = True,
                 **overrides) -> tuple[Fetcher, CountingTransport]:
    """A fetcher with small limits (every loop in a test is short) over a `CountingTransport`, whose
    exchanges are bounded by `total_timeout` as the fetcher's own transport does unless `bound_exchanges`
    is false."""
    settings = dict(timeout=0.5, max_bytes=MAX_BYTES, max_redirects=5, politeness_s=0.0, retries=1,
                    backoff_s=0.01, total_timeout=2.0, retry_after_cap_s=0.1)
    settings.update(overrides)
    transport = CountingTransport(allow, settings["total_timeout"] if bound_exchanges else None)
    return Fetcher(FetchConfig(**settings), transport=transport), transport


def assert_fetch_error(result, url: str, *words: str) -> None:
    """`result` is a FetchError for `url` whose one-line message holds each of `words` (lower case)."""
    assert isinstance(result, FetchError), result
    assert isinstance(result, ReadError)
    assert result.url == url and result.source == url
    assert url in result.message
    assert "\n" not in result.message and result.message == " ".join(result.message.split())
    for word in words:
        assert word in result.message.lower(), result.message
