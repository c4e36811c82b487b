"""One HTTP client for pages and feeds: bounded bodies, counted redirects, retries, politeness, 304s.

`Fetcher.get` never raises for network, HTTP or content problems: it returns a `FetchError` whose
message is one line naming the URL and saying what to do. A `Fetcher` is not thread-safe; give each
thread its own. Only public addresses are fetched unless a range is allowed (`warmonitor.fetch.guard`).
"""
from __future__ import annotations

import time
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

import httpx

from warmonitor.fetch.feeds import FeedResult, parse_feed
from warmonitor.fetch.guard import ALLOW_HINT, AddressPolicy, AddressRefused
from warmonitor.fetch.page import to_article
from warmonitor.fetch.response import FetchError, Response
from warmonitor.fetch.transport import ExchangeTimeout, GuardedTransport
from warmonitor.model import Article, ReadError

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
CHUNK = 64 * 1024
PAGE_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"
FEED_ACCEPT = ("application/rss+xml,application/atom+xml;q=0.9,application/xml;q=0.8,"
               "text/xml;q=0.8,*/*;q=0.1")


@dataclass
class FetchConfig:
    """Limits and manners of a `Fetcher`.

    `timeout` bounds each network step (connect, each read); `total_timeout` bounds one attempt from
    the request to the last body byte (a server dribbling header lines or body bytes cannot hold a
    run). `politeness_s` is the least time between two requests to one host. A 5xx, 429 or connection failure is tried again
    up to `retries` more times, waiting `backoff_s`, 2x, 4x ... or the server's Retry-After when that
    is longer, but never more than `retry_after_cap_s`.
    """

    timeout: float = 20.0
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    politeness_s: float = 1.0
    retries: int = 2
    backoff_s: float = 1.0
    user_agent: str = "warmonitor/0.1 (+https://example.invalid)"
    total_timeout: float = 120.0
    retry_after_cap_s: float = 60.0


class _Retry(Exception):
    """An attempt that may be tried again: a connection failure, a 5xx or a 429."""

    def __init__(self, message: str, wait: float | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.wait = wait


class _Decoder:
    """Undoes a gzip/deflate Content-Encoding in bounded steps (a small gzip bomb stays small)."""

    def __init__(self, encoding: str) -> None:
        self.inflate = zlib.decompressobj(47) if encoding in ("gzip", "x-gzip", "deflate") else None

    def feed(self, data: bytes, limit: int) -> Iterator[bytes]:
        if self.inflate is None:
            yield data
            return
        while data:
            out = self.inflate.decompress(data, limit + 1)
            data = self.inflate.unconsumed_tail
            if not out:  # with max_length, zlib keeps input back only when it had output to give
                break
            yield out


def retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (seconds or an HTTP date), or None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - time.time())


def _describe_status(url: str, status: int, reason: str) -> str:
    label = f"HTTP {status} {reason}".strip()
    if status in (401, 403):
        return f"{url}: the server refused access ({label}); the page may need a login or block robots"
    if status in (404, 410):
        return f"{url}: not found ({label}); check the address"
    if status >= 500 or status == 429:
        return f"{url}: the server failed ({label}); try again later"
    return f"{url}: the server answered {label}; check the address"


def _describe_transport(url: str, exc: Exception, config: FetchConfig) -> str:
    if isinstance(exc, ExchangeTimeout):
        return (f"{url}: the transfer took more than {config.total_timeout:g} s; "
                "the site is too slow, try again later")
    if isinstance(exc, httpx.ConnectTimeout):
        return f"{url}: no connection within {config.timeout:g} s; check the address and your network"
    if isinstance(exc, httpx.TimeoutException):
        return (f"{url}: no answer within {config.timeout:g} s; the site may be down or slow, "
                "try again later or raise the timeout")
    if isinstance(exc, httpx.ConnectError):
        return f"{url}: could not connect ({exc or 'refused'}); check the address and your network"
    if isinstance(exc, zlib.error):
        return f"{url}: the compressed body is corrupt; try again later"
    return f"{url}: the transfer failed ({exc.__class__.__name__}: {exc}); try again later"


class Fetcher:
    """Fetches pages and feeds over one `httpx.Client`.

    `validators` maps a URL to the `etag` / `last_modified` its last 200 sent; conditional requests
    (`get(..., conditional=True)`, used by `feed`) send them back and get a not-modified marker on a
    304. It lives in memory; a caller may persist it (it is plain JSON) and pass it back in.

    Loopback, private, link-local (cloud metadata), shared, multicast and reserved addresses are
    refused, whatever the URL's spelling and after every redirect; `allow_networks` lists CIDR ranges
    to fetch from anyway (a newsroom's intranet: `["10.20.0.0/16"]`). A bad range is a ValueError.
    `transport` replaces the network (tests wrap a `GuardedTransport` to count bytes): it must do its
    own address checks, `allow_networks` is not applied to it.
    """

    def __init__(self, config: FetchConfig | None = None, transport: httpx.BaseTransport | None = None,
                 validators: dict[str, dict[str, str]] | None = None, allow_networks: Iterable[str] = ()) -> None:
        self.config = config or FetchConfig()
        self.validators: dict[str, dict[str, str]] = validators if validators is not None else {}
        self.last_request: dict[str, float] = {}  # host -> monotonic time the last request ended
        self.policy = AddressPolicy.allowing(allow_networks)
        transport = transport or GuardedTransport(self.policy, exchange_timeout=self.config.total_timeout)
        self.client = httpx.Client(transport=transport, follow_redirects=False, trust_env=False,
                                   timeout=httpx.Timeout(self.config.timeout),
                                   headers={"User-Agent": self.config.user_agent,
                                            "Accept-Encoding": "gzip"})

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the request ---------------------------------------------------------------------------

    def get(self, url: str, *, conditional: bool = False, accept: str | None = None) -> Response | FetchError:
        """The body of `url` after redirects, or a FetchError; never raises for bad URLs or servers."""
        start = self._check_url(url, url)
        if isinstance(start, FetchError):
            return start
        current, visited = start, [str(start)]
        for _hop in range(self.config.max_redirects + 1):
            result = self._with_retries(url, current, conditional, accept)
            if not isinstance(result, httpx.URL):
                return result
            target = self._check_url(url, str(result))
            if isinstance(target, FetchError):
                return target
            if str(target) in visited:
                chain = " -> ".join([*visited[visited.index(str(target)):], str(target)])
                return FetchError(url, f"{url}: redirect loop ({chain}); the site is misconfigured, "
                                       "try again later or use another address")
            visited.append(str(target))
            current = target
        return FetchError(url, f"{url}: more than {self.config.max_redirects} redirects; "
                               "use the final address or raise the redirect limit")

    def _check_url(self, url: str, candidate: str) -> httpx.URL | FetchError:
        try:
            parsed = httpx.URL(candidate)
        except (httpx.InvalidURL, ValueError, UnicodeError, TypeError):
            parsed = None
        if parsed is None or parsed.scheme not in ("http", "https") or not parsed.host:
            where = "" if candidate == url else f" (redirected to {candidate[:200]})"
            return FetchError(url, f"{url}: not an http(s) address{where}; give a URL like https://site/page")
        return parsed

    def _with_retries(self, url: str, target: httpx.URL, conditional: bool,
                      accept: str | None) -> Response | FetchError | httpx.URL:
        attempts = max(0, self.config.retries) + 1
        for attempt in range(attempts):
            try:
                return self._attempt(url, target, conditional, accept)
            except _Retry as retry:
                if attempt + 1 >= attempts:
                    tries = "" if attempts == 1 else f" (after {attempts} tries)"
                    return FetchError(url, retry.message + tries)
                wait = self.config.backoff_s * (2 ** attempt)
                if retry.wait is not None:
                    wait = max(wait, retry.wait)
                time.sleep(max(0.0, min(wait, self.config.retry_after_cap_s)))
        raise AssertionError("unreachable")  # pragma: no cover

    def _polite(self, host: str) -> None:
        last = self.last_request.get(host)
        if last is not None:
            wait = last + self.config.politeness_s - time.monotonic()
            if wait > 0:
                time.sleep(wait)

    def _attempt(self, url: str, target: httpx.URL, conditional: bool,
                 accept: str | None) -> Response | FetchError | httpx.URL:
        """One request: a Response, a FetchError, the URL a redirect points to, or raises _Retry."""
        headers = {"Accept": accept or "*/*"}
        if conditional:
            known = self.validators.get(url, {})
            if known.get("etag"):
                headers["If-None-Match"] = known["etag"]
            if known.get("last_modified"):
                headers["If-Modified-Since"] = known["last_modified"]
        host = f"{target.host}:{target.port or ''}"
        self._polite(host)
        try:
            with self.client.stream("GET", target, headers=headers) as resp:
                return self._handle(url, target, resp, conditional)
        except AddressRefused as refused:
            via = "" if str(target) == url else f" (redirected to {str(target)[:200]})"
            return FetchError(url, f"{url}: not fetched{via}: {refused}, which is refused by default; "
                                   f"{ALLOW_HINT}")
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            raise _Retry(_describe_transport(url, exc, self.config)) from None
        except (httpx.HTTPError, httpx.StreamError, httpx.InvalidURL, zlib.error, OSError, ValueError) as exc:
            return FetchError(url, _describe_transport(url, exc, self.config))
        finally:
            self.last_request[host] = time.monotonic()

    def _handle(self, url: str, target: httpx.URL, resp: httpx.Response,
                conditional: bool) -> Response | FetchError | httpx.URL:
        status = resp.status_code
        headers = {key.lower(): value for key, value in resp.headers.items()}
        if status in REDIRECT_STATUSES:
            location = headers.get("location", "").strip()
            if not location:
                return FetchError(url, f"{url}: HTTP {status} redirect without a Location; "
                                       "the site is misconfigured, try again later")
            try:
                return target.join(location)
            except (httpx.InvalidURL, ValueError, UnicodeError):
                return FetchError(url, f"{url}: redirect to an invalid address ({location[:200]}); "
                                       "the site is misconfigured")
        if status == 304:
            return Response(url, str(target), status, headers, b"", not_modified=True)
        if status in RETRY_STATUSES:
            raise _Retry(_describe_status(url, status, resp.reason_phrase), retry_after(headers.get("retry-after")))
        if not 200 <= status < 300:
            return FetchError(url, _describe_status(url, status, resp.reason_phrase))
        body = self._read_body(url, resp, headers)
        if isinstance(body, FetchError):
            return body
        if conditional:
            self._remember(url, headers)
        return Response(url, str(target), status, headers, body)

    def _read_body(self, url: str, resp: httpx.Response, headers: dict[str, str]) -> bytes | FetchError:
        limit = self.config.max_bytes
        too_big = (f"{url}: the response is larger than the {limit:,}-byte limit; "
                   "it is probably not an article, or raise the limit")
        declared = headers.get("content-length", "").strip()
        if declared.isdigit() and int(declared) > limit:  # compressed or not, the body is bigger still
            return FetchError(url, too_big)
        encoding = headers.get("content-encoding", "identity").strip().lower()
        if encoding not in ("identity", "", "gzip", "x-gzip", "deflate"):
            return FetchError(url, f"{url}: the server sent an unsupported encoding ({encoding}); "
                                   "try again later")
        decoder = _Decoder(encoding)
        deadline = time.monotonic() + self.config.total_timeout
        body = bytearray()
        for raw in resp.iter_raw():  # as the network gives it: at most 64 KiB a read
            for data in decoder.feed(raw, limit - len(body)):
                body += data
                if len(body) > limit:
                    return FetchError(url, too_big)
            if time.monotonic() > deadline:
                return FetchError(url, f"{url}: the transfer took more than {self.config.total_timeout:g} s; "
                                       "the site is too slow, try again later")
        return bytes(body)

    def _remember(self, url: str, headers: dict[str, str]) -> None:
        known = {key: headers[name] for key, name in (("etag", "etag"), ("last_modified", "last-modified"))
                 if headers.get(name)}
        if known:
            self.validators[url] = known
        else:
            self.validators.pop(url, None)

    def forget(self, url: str) -> None:
        """Drop the validators of `url`, so that its next conditional request fetches it in full."""
        self.validators.pop(url, None)

    # -- pages and feeds -----------------------------------------------------------------------

    def page(self, url: str) -> Article | ReadError:
        """The article on an HTML page (see `warmonitor.fetch.page.to_article`), or a FetchError."""
        response = self.get(url, accept=PAGE_ACCEPT)
        if isinstance(response, FetchError):
            return response
        if response.not_modified:
            return FetchError(url, f"{url}: the server answered 304 Not Modified to a plain request; "
                                   "try again later")
        return to_article(response)

    def feed(self, url: str) -> FeedResult | FetchError:
        """The entries of an RSS/Atom feed (a `FeedResult`), fetched conditionally, or a FetchError."""
        response = self.get(url, conditional=True, accept=FEED_ACCEPT)
        if isinstance(response, FetchError):
            return response
        if response.not_modified:
            return FeedResult(entries=[], not_modified=True, url=url)
        result = parse_feed(response)
        if isinstance(result, FetchError):
            self.forget(url)  # the next round fetches it in full and says what is wrong again
        return result
