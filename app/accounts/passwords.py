"""Password hashing (Argon2id via argon2-cffi) and minimum strength rules.

The Argon2 parameters come from the current app's configuration
(``PASSWORD_HASH_TIME_COST``, ``PASSWORD_HASH_MEMORY_COST``,
``PASSWORD_HASH_PARALLELISM``; argon2-cffi's own defaults unless set), so the test
suite can hash cheaply. Outside an app the defaults apply. A stored hash made with
other parameters still verifies and is upgraded at the next sign-in (``needs_rehash``).
"""

from __future__ import annotations

from functools import cache

from argon2 import DEFAULT_MEMORY_COST, DEFAULT_PARALLELISM, DEFAULT_TIME_COST, PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import has_app_context
from zxcvbn import zxcvbn

from app.accounts.settings import Settings

MIN_LENGTH = 8
MAX_LENGTH = 128
MIN_SCORE = 2  # zxcvbn 0..4; 2 resists online guessing with rate limits

DEFAULT_PARAMETERS = (DEFAULT_TIME_COST, DEFAULT_MEMORY_COST, DEFAULT_PARALLELISM)


def parameters() -> tuple[int, int, int]:
    """``(time cost, memory cost in KiB, parallelism)`` of the current app (or the defaults)."""
    if not has_app_context():
        return DEFAULT_PARAMETERS
    settings = Settings.current()
    return (settings.hash_time_cost, settings.hash_memory_cost, settings.hash_parallelism)


@cache
def _hasher_for(time_cost: int, memory_cost: int, parallelism: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism)


def _hasher() -> PasswordHasher:
    return _hasher_for(*parameters())


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)


def weakness(password: str, phone: str = "") -> str | None:
    """Return why a password is too weak (a message key), or ``None`` when it is fine."""
    if len(password) < MIN_LENGTH:
        return "too_short"
    if len(password) > MAX_LENGTH:
        return "too_long"
    digits = phone.removeprefix("+86")
    if digits and (digits in password or digits[-8:] in password):
        return "contains_phone"
    if password.isdigit():
        return "only_digits"
    if zxcvbn(password[:64], user_inputs=[digits, "queqiao", "鹊桥"])["score"] < MIN_SCORE:
        return "guessable"
    return None
