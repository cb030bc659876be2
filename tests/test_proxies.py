"""X-Forwarded-For is believed only from the proxies named in TRUSTED_PROXIES."""

from __future__ import annotations

import pytest

from app.config import ConfigurationError
from app.proxies import TrustedProxyFix, parse_networks, wrap

PROXY = "10.0.0.1"


def wrong_sign_in(client, attempt: int, peer: str, forwarded_for: str):
    """A wrong password for a different number each time (the per-number waits stay out
    of it), seen from ``peer`` with the given X-Forwarded-For."""
    return client.post(
        "/account/signin",
        data={"phone": f"1380000{attempt:04d}", "password": "Not-the-password-1"},
        headers={"X-Forwarded-For": forwarded_for},
        environ_base={"REMOTE_ADDR": peer},
    )


@pytest.fixture
def proxied_app(app_factory):
    return app_factory(PROXY_COUNT=1, TRUSTED_PROXIES=PROXY)


def test_a_rotating_forwarded_for_from_an_untrusted_peer_is_ignored(proxied_app):
    client = proxied_app.test_client()
    statuses = [
        wrong_sign_in(client, i, "192.0.2.7", f"198.51.100.{i + 1}").status_code for i in range(15)
    ]
    assert statuses == [401] * 10 + [429] * 5  # the peer's own limit, whatever it claims


def test_the_forwarded_address_is_used_from_the_trusted_proxy(proxied_app):
    client = proxied_app.test_client()
    statuses = [wrong_sign_in(client, i, PROXY, "203.0.113.5").status_code for i in range(11)]
    assert statuses == [401] * 10 + [429]  # the client behind the proxy has its own limit
    assert wrong_sign_in(client, 11, PROXY, "203.0.113.6").status_code == 401  # another client
    # A client spoofing a header in front of the proxy: the proxy's own entry counts.
    assert wrong_sign_in(client, 12, PROXY, "1.2.3.4, 203.0.113.5").status_code == 429


def test_without_trusted_proxies_every_peer_is_believed(app_factory):
    """PROXY_COUNT alone: right only when the app is reachable through the proxy alone."""
    app = app_factory(PROXY_COUNT=1)
    client = app.test_client()
    statuses = [
        wrong_sign_in(client, i, "192.0.2.7", f"198.51.100.{i + 1}").status_code for i in range(12)
    ]
    assert statuses == [401] * 12


def capture(environ: dict) -> dict:
    seen: dict = {}

    def app(env, start_response):
        seen.update(env)
        start_response("200 OK", [])
        return [b""]

    middleware = wrap(app, 1, "10.0.0.0/8, 2001:db8::/32")
    assert isinstance(middleware, TrustedProxyFix)
    middleware({"REQUEST_METHOD": "GET", "wsgi.url_scheme": "http", **environ}, lambda *a: None)
    return seen


FORWARDED = {
    "HTTP_X_FORWARDED_FOR": "203.0.113.9",
    "HTTP_X_FORWARDED_PROTO": "https",
    "HTTP_X_FORWARDED_HOST": "evil.example",
}


@pytest.mark.parametrize("peer", ["10.20.30.40", "2001:db8::5", "::ffff:10.0.0.1"])
def test_trusted_peers_in_networks_and_ipv6_get_proxy_fix(peer):
    seen = capture({"REMOTE_ADDR": peer, **FORWARDED})
    assert seen["REMOTE_ADDR"] == "203.0.113.9"
    assert seen["wsgi.url_scheme"] == "https"
    assert seen["HTTP_HOST"] == "evil.example"


@pytest.mark.parametrize("peer", ["192.0.2.7", "11.0.0.1", "", "unix:/run/sock", "::1"])
def test_other_peers_lose_every_forwarded_header(peer):
    seen = capture({"REMOTE_ADDR": peer, "HTTP_HOST": "queqiao.example", **FORWARDED})
    assert seen["REMOTE_ADDR"] == peer
    assert seen["wsgi.url_scheme"] == "http"
    assert seen["HTTP_HOST"] == "queqiao.example"
    assert not [key for key in seen if key.startswith("HTTP_X_FORWARDED_")]


def test_a_malformed_trusted_proxies_setting_stops_the_app(app_factory):
    assert [str(n) for n in parse_networks(" 10.0.0.1 ,172.16.0.0/12,")] == [
        "10.0.0.1/32",
        "172.16.0.0/12",
    ]
    with pytest.raises(ConfigurationError, match=r"proxy\.example"):
        app_factory(PROXY_COUNT=1, TRUSTED_PROXIES="10.0.0.1,proxy.example")
