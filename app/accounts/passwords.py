"""Password hashing (Argon2id via argon2-cffi) and minimum strength rules."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

MIN_LENGTH = 8
MAX_LENGTH = 128
MIN_SCORE = 2  # zxcvbn 0..4; 2 resists online guessing with rate limits

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


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
