"""Client addresses behind reverse proxies: ProxyFix, believed only from trusted peers.

With ``PROXY_COUNT`` set, ProxyFix takes the client address (and scheme and host) from
the ``X-Forwarded-*`` headers the proxies add. Anyone who reaches the app directly can
send those headers too and pick a new address for every request (and so a fresh rate
limit). With ``TRUSTED_PROXIES`` set, only requests whose peer is one of those
addresses or networks get ProxyFix; from any other peer the forwarded headers are
dropped and the peer's own address counts.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from typing import Any

from werkzeug.middleware.proxy_fix import ProxyFix

from app.config import ConfigurationError

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(setting: str) -> list[Network]:
    """``"10.0.0.1, 172.16.0.0/12"`` -> networks; refuses anything else by name."""
    networks = []
    for item in (part.strip() for part in setting.split(",")):
        if not item:
            continue
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ConfigurationError(
                f"TRUSTED_PROXIES: {item!r} is not an IP address or network"
            ) from None
    return networks


def _peer_in(peer: str | None, networks: Iterable[Network]) -> bool:
    try:
        address = ipaddress.ip_address((peer or "").strip())
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return any(address in network for network in networks)


class TrustedProxyFix:
    """WSGI middleware: ProxyFix for requests from ``networks``; for the rest, the
    ``X-Forwarded-*`` headers are removed and the app sees the real peer."""

    def __init__(self, app: Any, count: int, networks: list[Network]) -> None:
        self.app = app
        self.fixed = ProxyFix(app, x_for=count, x_proto=count, x_host=count)
        self.networks = networks

    def __call__(self, environ: dict, start_response: Any) -> Any:
        if _peer_in(environ.get("REMOTE_ADDR"), self.networks):
            return self.fixed(environ, start_response)
        for key in [key for key in environ if key.startswith("HTTP_X_FORWARDED_")]:
            del environ[key]
        return self.app(environ, start_response)


def wrap(app: Any, count: int, trusted: str) -> Any:
    """The WSGI app for ``PROXY_COUNT`` = ``count`` and ``TRUSTED_PROXIES`` = ``trusted``."""
    if not count:
        return app
    networks = parse_networks(trusted or "")
    if not networks:  # every peer is believed: the app must be reachable only via the proxy
        return ProxyFix(app, x_for=count, x_proto=count, x_host=count)
    return TrustedProxyFix(app, count, networks)
