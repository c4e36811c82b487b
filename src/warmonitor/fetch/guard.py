"""Which addresses the fetcher may connect to: `AddressPolicy`, applied by `fetch.transport` where
each connection is made.

A feed is written by someone else: an item whose link points at 127.0.0.1, a 10.x intranet host or
the cloud metadata address 169.254.169.254 would otherwise be fetched from inside the newsroom's
network and its content published on the dashboard (server-side request forgery). So the fetcher
refuses every address that is not public unless the operator allowed its range.

Why by address and not by name or URL text: names resolve to anything, and one address has many
spellings (`2130706433`, `0x7f000001`, `127.1`, `[::ffff:127.0.0.1]`). The check runs on what
`getaddrinfo` returns, which is what a socket would connect to, so every spelling the resolver
accepts is covered, and a name with any refused address among its answers is refused as a whole.

Why in the network backend (`transport.GuardedBackend.connect_tcp`) and not before the request: it
resolves the name once, checks every answer and connects to the very address it checked. A second
resolution, where a DNS-rebinding server could answer differently, never happens. Each redirect is
a new request, so its target goes through the same check; a reused keep-alive connection was
checked when it was opened. TLS still verifies the certificate against the name (httpcore sends the
URL's host as SNI and the Host header is the URL's), so pinning the address changes nothing else.

Proxies from the environment (HTTP_PROXY ...) are not used: through a proxy the proxy resolves and
connects, and this check could not hold.
"""
from __future__ import annotations

import ipaddress
import socket
import typing
from collections.abc import Iterable
from dataclasses import dataclass

import httpcore
import httpx

IPAddress = typing.Union[ipaddress.IPv4Address, ipaddress.IPv6Address]
IPNetwork = typing.Union[ipaddress.IPv4Network, ipaddress.IPv6Network]

METADATA_ADDRESS = ipaddress.IPv4Address("169.254.169.254")
SHARED_SPACE = ipaddress.IPv4Network("100.64.0.0/10")  # carrier-grade NAT (RFC 6598)
NAT64_PREFIX = ipaddress.IPv6Network("64:ff9b::/96")  # DNS64 answers for IPv4-only sites (RFC 6052)
ALLOW_HINT = "allow a network you trust with --allow-network CIDR (allow_networks= in Python)"


class AddressRefused(httpx.TransportError):
    """A connection refused because an address of the host is not public and not allowed.

    An httpx transport error, so that code handling httpx errors handles it, but never retried:
    asking again gives the same answer.
    """

    def __init__(self, host: str, address: str, kind: str) -> None:
        shown = host if host == address else f"{host} ({address})"
        super().__init__(f"{shown} is a {kind} address")
        self.host, self.address, self.kind = host, address, kind


def parse_networks(values: Iterable[str]) -> tuple[IPNetwork, ...]:
    """CIDR ranges (`10.20.0.0/16`, `fd00::/8`, or one address) from text; raises a one-line ValueError.

    Host bits are accepted (`10.20.0.7/16` means `10.20.0.0/16`): the operator's intent is the range.
    """
    networks = []
    for value in values:
        text = (value or "").strip()
        try:
            networks.append(ipaddress.ip_network(text, strict=False))
        except ValueError:
            raise ValueError(f"{value!r} is not a network; give a CIDR range such as 10.20.0.0/16 "
                             "or one address such as 10.20.0.5") from None
    return tuple(networks)


def effective_address(address: IPAddress) -> IPAddress:
    """The IPv4 address an IPv6 address stands for (mapped `::ffff:a.b.c.d`, NAT64), else itself.

    Classifying the IPv6 form alone would refuse every public IPv4 site reached through a mapped or
    NAT64 address (Python calls `::ffff:0:0/96` reserved) and, worse, judge `::ffff:127.0.0.1` by its
    IPv6 class rather than as the loopback address it reaches.
    """
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return address.ipv4_mapped
        if address in NAT64_PREFIX:
            return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address


def address_kind(address: IPAddress) -> str | None:
    """Why `address` is not public ("loopback", "private", ...), or None for a public address."""
    address = effective_address(address)
    if isinstance(address, ipaddress.IPv6Address) and address.sixtofour is not None:
        inner = address_kind(address.sixtofour)  # 2002:7f00:1::/48 is a route to 127.0.0.1
        if inner:
            return f"6to4 {inner}"
    checks = (
        ("unspecified", address.is_unspecified),
        ("loopback", address.is_loopback),
        ("cloud metadata", address == METADATA_ADDRESS),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("shared (carrier-grade NAT)", address in SHARED_SPACE),
        ("site-local", isinstance(address, ipaddress.IPv6Address) and address.is_site_local),
        ("private", address.is_private),
        ("reserved", address.is_reserved),
        ("non-public", not address.is_global),
    )
    return next((kind for kind, matches in checks if matches), None)


@dataclass(frozen=True)
class AddressPolicy:
    """Public addresses are allowed; any other only inside one of `allowed` (the operator's ranges)."""

    allowed: tuple[IPNetwork, ...] = ()

    @classmethod
    def allowing(cls, networks: Iterable[str] = ()) -> AddressPolicy:
        return cls(parse_networks(networks))

    def refusal(self, address: IPAddress) -> str | None:
        """The kind of a refused address ("loopback" ...), or None when it may be connected to."""
        kind = address_kind(address)
        if kind is None:
            return None
        forms = {address, effective_address(address)}
        if any(form.version == net.version and form in net for form in forms for net in self.allowed):
            return None
        return kind

    def resolve(self, host: str, port: int) -> list[str]:
        """The addresses of `host`, in the resolver's order, after checking every one of them.

        Raises AddressRefused when any is refused (a name with one private answer among public ones
        could be made to connect to it), httpcore.ConnectError when the name does not resolve.
        """
        try:
            answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError, OSError) as exc:
            raise httpcore.ConnectError(f"{host} does not resolve ({exc})") from None
        addresses: list[str] = []
        for _family, _type, _proto, _name, sockaddr in answers:
            text = str(sockaddr[0]).split("%", 1)[0]  # an IPv6 zone id is not part of the address
            try:
                address = ipaddress.ip_address(text)
            except ValueError:
                raise AddressRefused(host, text, "non-IP") from None
            kind = self.refusal(address)
            if kind:
                raise AddressRefused(host, str(effective_address(address)), kind)
            # A mapped address is connected to as the IPv4 address it stands for (the same host, and
            # no dual-stack socket needed); NAT64 addresses stay IPv6: that is how they are reached.
            target = str(getattr(address, "ipv4_mapped", None) or address)
            if target not in addresses:
                addresses.append(target)
        if not addresses:
            raise httpcore.ConnectError(f"{host} has no address")
        return addresses
