"""Protection of sensitive personal information (PIPL) at rest.

Real names and resident ID numbers are encrypted with Fernet (AES-128-CBC + HMAC,
from ``cryptography``) under keys from the environment. ``MultiFernet`` decrypts
with any listed key and encrypts with the first, so rotating a key is: put a new key
first, run ``flask identity rotate-keys``, then drop the old key. Uniqueness of an
ID number is checked through a keyed hash (blind index), never by decrypting.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence

from cryptography.fernet import Fernet, InvalidToken, MultiFernet


class ProtectionError(RuntimeError):
    """Keys are missing or a value cannot be decrypted with any configured key."""


class Protector:
    """Encrypts, decrypts and indexes sensitive values with the configured keys."""

    def __init__(self, encryption_keys: Sequence[str], index_key: str) -> None:
        if not encryption_keys:
            raise ProtectionError("no identity encryption key is configured")
        if len(index_key) < 32:
            raise ProtectionError("the blind-index key must have at least 32 characters")
        try:
            self._fernet = MultiFernet([Fernet(key) for key in encryption_keys])
        except ValueError as error:
            raise ProtectionError(f"an identity encryption key is malformed: {error}") from None
        self._index_key = index_key.encode()

    def encrypt(self, plain: str) -> str:
        return self._fernet.encrypt(plain.encode()).decode()

    def decrypt(self, token: str) -> str:
        try:
            return self._fernet.decrypt(token.encode()).decode()
        except InvalidToken:
            raise ProtectionError("cannot decrypt: the key that encrypted it is gone") from None

    def rotate(self, token: str) -> str:
        """Re-encrypt ``token`` under the first (newest) key."""
        try:
            return self._fernet.rotate(token.encode()).decode()
        except InvalidToken:
            raise ProtectionError("cannot rotate: the key that encrypted it is gone") from None

    def blind_index(self, value: str) -> str:
        """A keyed hash of ``value``: equal inputs match, the value can't be recovered."""
        return hmac.new(self._index_key, value.encode(), hashlib.sha256).hexdigest()


def generate_key() -> str:
    return Fernet.generate_key().decode()


def mask_name(name: str) -> str:
    """``张三丰`` -> ``张**``; shows the family name only."""
    name = name.strip()
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""
