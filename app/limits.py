"""Limits counted per member (or per anything with an id), atomically.

Each attempt is counted with the limiter's ``hit``, which increments the counter and
compares it with the limit in one step of the storage (Redis ``INCR``; the in-memory
storage under a lock). So a burst of concurrent requests never gets more through than
the limit, unlike a ``test`` followed by a ``hit``, where every request of the burst
passes the test before any of them counts. A limit is a feature's setting in
Flask-Limiter syntax, e.g. ``"20 per minute;500 per day"`` (checked when the app is built).
"""

from __future__ import annotations

from limits import RateLimitItem, parse_many

from app.extensions import limiter


def _items(limit: str) -> list[RateLimitItem]:
    return parse_many(limit)


def hit(limit: str, scope: str, *keys: object) -> bool:
    """Count one attempt against every limit in ``limit`` for ``scope`` and ``keys``;
    False when any of them is now exceeded (the caller refuses the attempt). Every limit
    is counted even when an earlier one is exceeded, so none can be skipped."""
    if not limiter.enabled:
        return True
    identifiers = (scope, *(str(key) for key in keys))
    allowed = [limiter.limiter.hit(item, *identifiers) for item in _items(limit)]
    return all(allowed)


def exhausted(limit: str, scope: str, *keys: object) -> bool:
    """Whether a limit in ``limit`` is used up, without counting an attempt (for
    limits counted only after the outcome is known, such as wrong guesses)."""
    if not limiter.enabled:
        return False
    identifiers = (scope, *(str(key) for key in keys))
    return not all(limiter.limiter.test(item, *identifiers) for item in _items(limit))
