"""Growing waits after wrong passwords for one phone number, from any address.

The per-address limits of the sign-in route do not stop guesses spread over many
addresses, so each number has its own count. After ``SIGNIN_FREE_FAILURES`` wrong
passwords every further attempt waits its turn: the wait starts at
``SIGNIN_DELAY_SECONDS`` and doubles with every further failure, up to
``SIGNIN_DELAY_MAX_SECONDS``, so a stranger can delay the owner by minutes but never
lock them out (and the SMS sign-in code clears the count at once).

The counts live in the rate limiter's storage: Redis in production, shared by every
process and atomic (INCR with an expiry), memory in tests and development. An
attempt is counted before the password is checked and forgotten only when it was
right, so a burst of concurrent guesses gets no more tries than a slow sequence.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import time

from flask import current_app
from limits.storage import Storage

from app.accounts.settings import Settings
from app.extensions import limiter


def _keys(phone: str) -> tuple[str, str]:
    # Keyed hash: the storage never holds a phone number.
    secret = current_app.secret_key.encode()
    digest = hmac.new(secret, phone.encode(), hashlib.sha256).hexdigest()[:32]
    return f"queqiao/signin-failures/{digest}", f"queqiao/signin-wait/{digest}"


def _enabled() -> bool:
    return bool(limiter.enabled)


def _remaining(storage: Storage, key: str) -> int:
    if storage.get(key) <= 0:
        return 0
    return max(1, math.ceil(storage.get_expiry(key) - time.time()))


def _delay(failures: int) -> int:
    settings = Settings.current()
    step = failures - settings.free_failures
    return int(min(settings.delay_seconds * 2**step, settings.delay_max_seconds))


def admit(phone: str) -> int:
    """Count a sign-in attempt for ``phone``; return 0 when it may go ahead, else the
    seconds to wait. The attempt counts as a failure until ``succeeded`` clears it."""
    if not _enabled():
        return 0
    storage = limiter.storage
    failures_key, wait_key = _keys(phone)
    waiting = _remaining(storage, wait_key)
    if waiting:
        return waiting
    settings = Settings.current()
    failures = storage.incr(failures_key, settings.failure_memory_seconds)
    if failures < settings.free_failures:
        return 0
    # This attempt takes the turn and starts the next wait; a concurrent one that
    # finds the wait already started is refused.
    if storage.incr(wait_key, _delay(failures)) > 1:
        return _remaining(storage, wait_key) or 1
    return 0


def succeeded(phone: str) -> None:
    """The phone's owner proved who they are: forget its failures and any wait."""
    if not _enabled():
        return
    for key in _keys(phone):
        limiter.storage.clear(key)
