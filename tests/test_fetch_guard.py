"""Server-side request forgery: the fetcher refuses every address that is not public unless allowed.

No test sends a packet anywhere but 127.0.0.1: names are resolved by a fake `getaddrinfo` (numeric
hosts are converted by the real one with AI_NUMERICHOST, which never queries DNS), and the fetchers
connect through `LoopbackOnlyBackend`, which records every address it is asked for and reaches only
127.0.0.1. A test shows that the guard refused by that record being empty.
"""
from __future__ import annotations

import ipaddress
import socket

import pytest

from http_fixtures import LocalServer, assert_fetch_error, make_fetcher
from warmonitor.fetch import FetchConfig, Fetcher, Response
from warmonitor.fetch.guard import AddressPolicy, address_kind, parse_networks
from warmonitor.store import Store
from warmonitor.usecases.ingest import ingest_inputs

PUBLIC = "8.8.8.8"  # only ever an answer of the fake resolver: nothing connects to it


@pytest.fixture(scope="module")
def server():
    with LocalServer() as srv:
        yield srv


class FakeDNS:
    """`socket.getaddrinfo` for the tests: `names` maps a name to its answers (a list, or a list of lists
    handed out in turn to model a rebinding server); `lookups` counts the queries per name."""

    def __init__(self, real) -> None:
        self.real = real
        self.names: dict[str, list] = {}
        self.lookups: dict[str, int] = {}

    def __call__(self, host, port, family=0, type=0, proto=0, flags=0):  # noqa: A002 - socket's signature
        host = host.decode() if isinstance(host, bytes) else host
        if host not in self.names:
            try:  # a numeric host, in any notation the C resolver reads; never a DNS query
                return self.real(host, port, family, type, proto, flags | socket.AI_NUMERICHOST)
            except socket.gaierror:
                raise socket.gaierror(socket.EAI_NONAME, f"fake resolver: {host} is unknown") from None
        count = self.lookups.get(host, 0)
        self.lookups[host] = count + 1
        answers = self.names[host]
        if answers and isinstance(answers[0], list):
            answers = answers[min(count, len(answers) - 1)]
        return [(socket.AF_INET6 if ":" in ip else socket.AF_INET, socket.SOCK_STREAM, 6, "",
                 (ip, port, 0, 0) if ":" in ip else (ip, port)) for ip in answers]


@pytest.fixture(autouse=True)
def dns(monkeypatch):
    fake = FakeDNS(socket.getaddrinfo)
    fake.names.update({
        "intranet.example": ["10.1.2.3"], "metadata.example": ["169.254.169.254"], "v6local.example": ["::1"],
        "mixed.example": [PUBLIC, "192.168.0.5"],  # one private answer among public ones
        "mapped.example": ["::ffff:127.0.0.1"], "uniquelocal.example": ["fd12:3456::1"],
        "localhost": ["127.0.0.1", "::1"], "localhost.": ["127.0.0.1", "::1"],  # as /etc/hosts has it
    })
    monkeypatch.setattr(socket, "getaddrinfo", fake)
    return fake


# -- the address classes ----------------------------------------------------------------------

@pytest.mark.parametrize("address, kind", [
    ("127.0.0.1", "loopback"), ("127.255.0.9", "loopback"), ("::1", "loopback"),
    ("0.0.0.0", "unspecified"), ("::", "unspecified"),
    ("10.0.0.1", "private"), ("172.16.5.4", "private"), ("172.31.255.255", "private"), ("192.168.1.1", "private"),
    ("fc00::1", "private"), ("fd12:3456::1", "private"),
    ("169.254.169.254", "cloud metadata"), ("169.254.0.1", "link-local"), ("fe80::1", "link-local"),
    ("100.64.0.1", "shared"), ("100.127.255.254", "shared"),
    ("224.0.0.1", "multicast"), ("ff02::1", "multicast"),
    ("240.0.0.1", "private"), ("255.255.255.255", "private"), ("fec0::1", "site-local"),
    ("::ffff:127.0.0.1", "loopback"), ("::ffff:10.0.0.1", "private"), ("::ffff:169.254.169.254", "cloud metadata"),
    ("64:ff9b::7f00:1", "loopback"), ("2002:7f00:1::1", "6to4 loopback"), ("::127.0.0.1", "reserved"),
])
def test_non_public_addresses_are_classed(address, kind):
    assert kind in (address_kind(ipaddress.ip_address(address)) or "public")
    assert AddressPolicy().refusal(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", [PUBLIC, "1.1.1.1", "2606:4700:4700::1111", "::ffff:8.8.8.8",
                                     "64:ff9b::808:808", "172.32.0.1", "100.128.0.1", "11.0.0.1"])
def test_public_addresses_pass(address):
    assert address_kind(ipaddress.ip_address(address)) is None


def test_allowed_networks_are_read_as_ranges():
    assert parse_networks(["10.20.0.7/16", "10.30.0.5", "fd00::/8"]) == (
        ipaddress.ip_network("10.20.0.0/16"), ipaddress.ip_network("10.30.0.5/32"), ipaddress.ip_network("fd00::/8"))
    for bad in ("intranet", "10.0.0.0/33", "", "10.0.0.0/8,10.1.0.0/16"):
        with pytest.raises(ValueError, match="CIDR") as caught:
            parse_networks([bad])
        assert "\n" not in str(caught.value)
    with pytest.raises(ValueError, match="CIDR"):
        Fetcher(allow_networks=["nonsense"])


# -- the fetcher refuses, whatever the spelling -------------------------------------------------

REFUSED = [
    ("127.0.0.1:{port}", "loopback"), ("127.0.0.2:{port}", "loopback"), ("localhost.:{port}", "loopback"),
    ("2130706433:{port}", "loopback"), ("0x7f000001:{port}", "loopback"), ("127.1:{port}", "loopback"),
    ("0x7f.1:{port}", "loopback"), ("[::1]:{port}", "loopback"), ("[::ffff:127.0.0.1]:{port}", "loopback"),
    ("[::ffff:7f00:1]:{port}", "loopback"), ("0.0.0.0:{port}", "unspecified"), ("[::]:{port}", "unspecified"),
    ("10.0.0.1", "private"), ("172.16.0.1", "private"), ("192.168.1.1:8080", "private"), ("100.64.0.1", "shared"),
    ("169.254.169.254", "cloud metadata"), ("[::ffff:a9fe:a9fe]", "cloud metadata"), ("[fd00::1]", "private"),
    ("[fe80::1]", "link-local"), ("224.0.0.1", "multicast"), ("[2002:7f00:1::1]:{port}", "6to4 loopback"),
    ("intranet.example", "private"), ("metadata.example", "cloud metadata"), ("v6local.example:{port}", "loopback"),
    ("mixed.example", "private"), ("mapped.example:{port}", "loopback"), ("uniquelocal.example", "private"),
]


@pytest.mark.parametrize("authority, kind", REFUSED)
def test_the_default_refuses_non_public_addresses_without_connecting(server, authority, kind):
    fetch, transport = make_fetcher(allow=(), retries=2)
    url = f"http://{authority.format(port=server.base.rsplit(':', 1)[1])}/latest/meta-data/"
    with fetch:
        result = fetch.get(url)
        requests = len(transport.requests)
        page = fetch.page(url)
    assert transport.backend.attempts == []  # refused before any connection
    assert type(page) is type(result)
    assert_fetch_error(result, url, "not fetched", kind, "--allow-network", "allow_networks")
    assert requests == 1  # a refusal is final, never retried (retries=2)
    assert "tries" not in result.message


@pytest.mark.parametrize("target, kind", [
    ("http://127.0.0.2:{port}/page/1", "loopback"), ("http://[::1]:{port}/page/1", "loopback"),
    ("http://localhost:{port}/page/1", "::1"), ("http://169.254.169.254/latest/meta-data/", "metadata"),
    ("http://intranet.example/admin", "private"), ("http://2130706433:{port}/page/1", None),
    ("file:///etc/passwd", "not an http(s) address"), ("gopher://127.0.0.1:{port}/", "not an http(s) address"),
])
def test_a_redirect_from_an_allowed_host_to_a_refused_address_is_refused(server, target, kind):
    fetch, transport = make_fetcher(allow=("127.0.0.1/32",))  # 127.0.0.1 only, not the rest of 127/8
    target = target.format(port=server.base.rsplit(":", 1)[1])
    url = server.url("/to?u=" + target)
    with fetch:
        result = fetch.get(url)
    if kind is None:  # 2130706433 is 127.0.0.1, which is allowed: the redirect is followed (a new connection)
        assert isinstance(result, Response) and b"Test page 1" in result.content
        assert transport.backend.attempts == ["127.0.0.1", "127.0.0.1"]
        return
    assert transport.backend.attempts == ["127.0.0.1"]  # the first request; the redirect connected nowhere
    assert_fetch_error(result, url, kind, "redirect" if "http(s)" in kind else "redirected to")
    assert target[:40] in result.message


# -- allowing a range allows exactly that range ----------------------------------------------------

def test_an_allowed_range_lets_its_addresses_through_and_no_others(dns):
    dns.names.update({"inside.example": ["10.20.3.4"], "edge.example": ["10.20.255.255"],
                      "outside.example": ["10.21.0.1"], "below.example": ["10.19.255.255"],
                      "mixed-inside.example": ["10.20.0.9", "10.99.0.1"]})
    fetch, transport = make_fetcher(allow=("10.20.0.0/16",), retries=0)
    with fetch:
        inside = fetch.get("http://inside.example/")
        edge = fetch.get("http://edge.example/")
        assert transport.backend.attempts == ["10.20.3.4", "10.20.255.255"]  # let through (the test backend stops them)
        assert_fetch_error(inside, "http://inside.example/", "could not connect")
        assert_fetch_error(edge, "http://edge.example/", "could not connect")
        for url in ("http://outside.example/", "http://below.example/", "http://mixed-inside.example/",
                    "http://127.0.0.1/", "http://[::1]/", "http://169.254.169.254/"):
            assert_fetch_error(fetch.get(url), url, "not fetched", "--allow-network")
    assert transport.backend.attempts == ["10.20.3.4", "10.20.255.255"]


def test_allowing_ipv4_loopback_does_not_allow_ipv6_loopback(server):
    port = server.base.rsplit(":", 1)[1]
    fetch, transport = make_fetcher(allow=("127.0.0.1/32",))
    with fetch:
        assert isinstance(fetch.get(server.url("/page/1")), Response)
        assert isinstance(fetch.get(f"http://[::ffff:127.0.0.1]:{port}/page/1"), Response)  # the same address
        for url in (f"http://127.0.0.2:{port}/", f"http://[::1]:{port}/"):
            assert_fetch_error(fetch.get(url), url, "loopback")
    assert transport.backend.attempts == ["127.0.0.1", "127.0.0.1"]


def test_the_fetchers_own_transport_refuses_by_default_and_allows_when_told(server):
    """Not the test transport: the one `Fetcher` builds, over the real network backend (127.0.0.1)."""
    config = FetchConfig(timeout=2, politeness_s=0, retries=0)
    before = sum(server.hits.values())
    with Fetcher(config) as default:
        assert_fetch_error(default.get(server.url("/page/1")), server.url("/page/1"), "loopback", "--allow-network")
    assert sum(server.hits.values()) == before
    with Fetcher(config, allow_networks=["127.0.0.0/8"]) as allowed:
        assert isinstance(allowed.get(server.url("/page/1")), Response)
    assert sum(server.hits.values()) == before + 1


# -- DNS rebinding: the address checked is the address connected to -----------------------------

def test_a_name_is_resolved_once_and_the_checked_address_is_the_one_connected_to(server, dns):
    port = server.base.rsplit(":", 1)[1]
    dns.names["rebind.example"] = [["127.0.0.1"], ["10.0.0.1"]]  # allowed when checked, private after
    fetch, transport = make_fetcher(allow=("127.0.0.0/8",))
    with fetch:
        response = fetch.get(f"http://rebind.example:{port}/page/1")
    assert isinstance(response, Response) and b"Test page 1" in response.content
    assert dns.lookups["rebind.example"] == 1 and transport.backend.attempts == ["127.0.0.1"]
    assert server.hosts[-1] == f"rebind.example:{port}"  # the name is kept in the Host header


# -- the use case and the Python API pass the option on ---------------------------------------------

def test_ingest_inputs_refuses_loopback_unless_allowed(server, tmp_path):
    with Store(f"sqlite:///{tmp_path / 'u.db'}") as store:
        store.upgrade()
        with pytest.raises(ValueError, match="CIDR"):  # before anything is read or fetched
            ingest_inputs(store, [server.url("/page/1")], allow_networks=["127.0.0.0/40"])
        refused = ingest_inputs(store, [server.url("/page/1")])
        assert refused.read == 0 and len(refused.skipped) == 1 and "--allow-network" in refused.skipped[0][1]
        allowed = ingest_inputs(store, [server.url("/page/2")], allow_networks=["127.0.0.1/32"])
        assert allowed.read == 1 and allowed.new == 1 and not allowed.skipped


# -- pinning keeps TLS: the certificate is checked against the name, not the address ------------------

@pytest.fixture
def tls_server(tmp_path, monkeypatch):
    """A test server over TLS with a self-signed certificate for news.example, trusted via SSL_CERT_FILE."""
    import shutil
    import ssl
    import subprocess

    if not shutil.which("openssl"):
        pytest.skip("openssl is needed to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=news.example",
                    "-addext", "subjectAltName=DNS:news.example", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True, timeout=60)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    srv = LocalServer()
    srv.server.socket = context.wrap_socket(srv.server.socket, server_side=True)
    with srv:
        yield srv


def test_tls_to_a_pinned_address_still_checks_the_name(tls_server, dns):
    port = tls_server.base.rsplit(":", 1)[1]
    dns.names.update({"news.example": ["127.0.0.1"], "other.example": ["127.0.0.1"]})
    fetch, transport = make_fetcher(allow=("127.0.0.1/32",), retries=0)
    with fetch:
        response = fetch.get(f"https://news.example:{port}/page/1")
        assert isinstance(response, Response) and b"Test page 1" in response.content
        assert tls_server.hosts[-1] == f"news.example:{port}"
        wrong = f"https://other.example:{port}/page/1"  # the same address, a name the certificate lacks
        assert_fetch_error(fetch.get(wrong), wrong, "certificate")
    assert transport.backend.attempts == ["127.0.0.1", "127.0.0.1"]
