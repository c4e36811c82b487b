"""The fetcher's transport: httpx over an httpcore pool whose connections are checked and time-bounded.

`GuardedBackend` makes every connection: it resolves the host once, checks each answer against the
`AddressPolicy` (`fetch.guard`, which says why there) and connects to the address it checked. Its
streams also bound one exchange, from the request's first byte written to the response's last byte
read, by `exchange_timeout`: a server that sends a header line just inside the read timeout, for
ever, would otherwise hold a fetch for hours (h11 allows 16 KiB of headers), and the fetcher's own
total-time check only starts at the body.

Written on the public httpx and httpcore APIs because `httpx.HTTPTransport` takes no network backend.
"""
from __future__ import annotations

import time
import typing
from collections.abc import Iterator

import httpcore
import httpx

from warmonitor.fetch.guard import AddressPolicy


class ExchangeTimeout(httpx.ReadTimeout):
    """One request and its response took longer than the transport's `exchange_timeout`."""


class _ExchangeTimeout(httpcore.ReadTimeout):
    """httpcore's side of `ExchangeTimeout`, raised in a stream read."""


class DeadlineStream(httpcore.NetworkStream):
    """A network stream whose reads share one deadline per exchange: the first write after a read (or
    the first write of all) starts `limit_s` seconds; every read waits at most what is left."""

    def __init__(self, inner: httpcore.NetworkStream, limit_s: float | None) -> None:
        self.inner, self.limit_s = inner, limit_s
        self.deadline: float | None = None
        self.reading = True  # so that the first write starts a deadline

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if self.reading and self.limit_s is not None:
            self.deadline = time.monotonic() + self.limit_s
        self.reading = False
        self.inner.write(buffer, timeout)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        self.reading = True
        if self.deadline is not None:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise _ExchangeTimeout(f"the exchange took more than {self.limit_s:g} s")
            if timeout is None or left < timeout:
                try:
                    return self.inner.read(max_bytes, left)
                except httpcore.ReadTimeout:
                    raise _ExchangeTimeout(f"the exchange took more than {self.limit_s:g} s") from None
        return self.inner.read(max_bytes, timeout)

    def close(self) -> None:
        self.inner.close()

    def start_tls(self, ssl_context, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        return DeadlineStream(self.inner.start_tls(ssl_context, server_hostname, timeout), self.limit_s)

    def get_extra_info(self, info: str) -> typing.Any:
        return self.inner.get_extra_info(info)


class GuardedBackend(httpcore.NetworkBackend):
    """Resolves and checks each host (`AddressPolicy.resolve`), then connects to the address checked;
    its streams are `DeadlineStream`s bounded by `exchange_timeout` (None: no bound).

    `inner` makes the connection to the numeric address (the standard sync backend; the tests give
    one that reaches only 127.0.0.1).
    """

    def __init__(self, policy: AddressPolicy, inner: httpcore.NetworkBackend | None = None,
                 exchange_timeout: float | None = None) -> None:
        self.policy = policy
        self.inner = inner or httpcore.SyncBackend()
        self.exchange_timeout = exchange_timeout

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: typing.Iterable[typing.Any] | None = None) -> httpcore.NetworkStream:
        failure: Exception | None = None
        for address in self.policy.resolve(host, port):
            try:
                stream = self.inner.connect_tcp(address, port, timeout=timeout, local_address=local_address,
                                                socket_options=socket_options)
                return DeadlineStream(stream, self.exchange_timeout)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc  # try the next address, as socket.create_connection does
        assert failure is not None  # resolve() returns at least one address
        raise failure

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: typing.Iterable[typing.Any] | None = None) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("unix sockets are not fetched")

    def sleep(self, seconds: float) -> None:
        self.inner.sleep(seconds)


# httpcore's errors and the httpx errors they become, the narrower first.
_ERRORS = (
    (_ExchangeTimeout, ExchangeTimeout),
    (httpcore.ConnectTimeout, httpx.ConnectTimeout), (httpcore.ReadTimeout, httpx.ReadTimeout),
    (httpcore.WriteTimeout, httpx.WriteTimeout), (httpcore.PoolTimeout, httpx.PoolTimeout),
    (httpcore.ConnectError, httpx.ConnectError), (httpcore.ReadError, httpx.ReadError),
    (httpcore.WriteError, httpx.WriteError), (httpcore.RemoteProtocolError, httpx.RemoteProtocolError),
    (httpcore.LocalProtocolError, httpx.LocalProtocolError),
    (httpcore.UnsupportedProtocol, httpx.UnsupportedProtocol), (httpcore.ProxyError, httpx.ProxyError),
    (httpcore.TimeoutException, httpx.TimeoutException), (httpcore.NetworkError, httpx.NetworkError),
    (httpcore.ProtocolError, httpx.ProtocolError),
)


def _reraise(exc: Exception, request: httpx.Request) -> typing.NoReturn:
    """Raise `exc` as the httpx error httpx itself would raise for it; anything else unchanged."""
    for core, mapped in _ERRORS:
        if isinstance(exc, core):
            raise mapped(str(exc), request=request) from None
    raise exc


class _GuardedStream(httpx.SyncByteStream):
    def __init__(self, inner: typing.Iterable[bytes], request: httpx.Request) -> None:
        self.inner, self.request = inner, request

    def __iter__(self) -> Iterator[bytes]:
        try:
            yield from self.inner
        except Exception as exc:
            _reraise(exc, self.request)

    def close(self) -> None:
        close = getattr(self.inner, "close", None)
        if close:
            close()


class GuardedTransport(httpx.BaseTransport):
    """An httpx transport over an httpcore pool whose every connection goes through `GuardedBackend`.

    HTTP/1.1, certificates verified (SSL_CERT_FILE / SSL_CERT_DIR honoured), no proxy (through a proxy
    the proxy would resolve and connect, and the address check could not hold). `backend` makes the
    connections once checked (None: the network); `exchange_timeout` bounds each request and response.
    """

    def __init__(self, policy: AddressPolicy, backend: httpcore.NetworkBackend | None = None,
                 exchange_timeout: float | None = None) -> None:
        self.pool = httpcore.ConnectionPool(ssl_context=httpx.create_ssl_context(trust_env=True),
                                            network_backend=GuardedBackend(policy, backend, exchange_timeout))

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        core_request = httpcore.Request(
            method=request.method,
            url=httpcore.URL(scheme=request.url.raw_scheme, host=request.url.raw_host, port=request.url.port,
                             target=request.url.raw_path),
            headers=request.headers.raw, content=request.stream, extensions=request.extensions)
        try:
            response = self.pool.handle_request(core_request)
        except Exception as exc:
            _reraise(exc, request)
        return httpx.Response(status_code=response.status, headers=response.headers,
                              stream=_GuardedStream(typing.cast(typing.Iterable[bytes], response.stream), request),
                              extensions=response.extensions)

    def close(self) -> None:
        self.pool.close()
