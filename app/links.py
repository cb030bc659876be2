"""Absolute links for what leaves the site (text messages): built on the configured
``PUBLIC_BASE_URL``, never on the Host header of the request that happens to send them,
which a client chooses (a forged Host would put an attacker's address in the SMS)."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app


def public_url(endpoint: str, **values: object) -> str:
    """The absolute URL of ``endpoint`` on ``PUBLIC_BASE_URL`` (its scheme, host and any
    path prefix). Needs an application context, not a request."""
    base = urlsplit(current_app.config["PUBLIC_BASE_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme
    )
    return adapter.build(endpoint, values, force_external=True)
