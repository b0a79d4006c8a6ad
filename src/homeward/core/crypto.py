"""Encryption at rest: the keys, field values, file contents and blind indexes.

Keys come from the environment (``HOMEWARD_ENCRYPTION_KEYS``): Fernet keys
(AES-128-CBC with an HMAC-SHA256, a random IV per value), the first encrypts
and all of them decrypt, so a key is rotated by putting the new one first and
running ``homeward encryption rotate`` before the old one is dropped.

An encrypted value cannot be compared in SQL. Where equality is needed (a
document recorded twice, matching the same document number) a *blind index*
is stored beside it: an HMAC-SHA256 of the normalised value under
``HOMEWARD_INDEX_KEY``, a separate key that does not rotate with the others
(see docs/decisions/0013-encryption-at-rest.md).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from functools import cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver

__all__ = ["InvalidToken", "blind_index", "decrypt", "document_digest", "encrypt"]

KEYS_VARIABLE = "HOMEWARD_ENCRYPTION_KEYS"
INDEX_VARIABLE = "HOMEWARD_INDEX_KEY"
HOW_TO_MAKE_A_KEY = (
    "Make a key with `homeward encryption newkey` "
    "(or: python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')"
)
# A Fernet token starts with its version byte 0x80, "gA" in base64.
TOKEN_PREFIX = "gAAAAA"  # noqa: S105 - a format marker, not a secret


def parse_keys(raw: str) -> list[str]:
    """The keys of ``HOMEWARD_ENCRYPTION_KEYS`` (comma-separated), each checked; ImproperlyConfigured if one is bad."""
    keys = [k.strip() for k in raw.split(",") if k.strip()]
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except (ValueError, TypeError):
            raise ImproperlyConfigured(
                f"{KEYS_VARIABLE}: key {position} is not a Fernet key (32 bytes in url-safe base64, "
                f"44 characters). {HOW_TO_MAKE_A_KEY}."
            ) from None
    return keys


def check_index_key(raw: str) -> str:
    if len(raw.strip()) < 32:
        raise ImproperlyConfigured(
            f"{INDEX_VARIABLE} must be a random value of at least 32 characters "
            "(`homeward encryption newkey --index`, or python -c 'import secrets; print(secrets.token_urlsafe(32))')."
        )
    return raw.strip()


@cache
def _fernet() -> MultiFernet:
    keys = list(getattr(settings, "HOMEWARD_ENCRYPTION_KEYS", []))
    if not keys:
        raise ImproperlyConfigured(f"{KEYS_VARIABLE} is not set. {HOW_TO_MAKE_A_KEY}.")
    return MultiFernet([Fernet(k) for k in keys])


@cache
def _first() -> Fernet:
    return Fernet(settings.HOMEWARD_ENCRYPTION_KEYS[0])


@cache
def _index_key() -> bytes:
    # Derived, so that the raw setting is never itself the HMAC key of two purposes.
    return hashlib.sha256(b"homeward blind index\0" + settings.HOMEWARD_INDEX_KEY.encode()).digest()


@receiver(setting_changed)
def _keys_changed(*, setting: str, **kwargs: Any) -> None:
    if setting in {"HOMEWARD_ENCRYPTION_KEYS", "HOMEWARD_INDEX_KEY"}:
        _fernet.cache_clear()
        _first.cache_clear()
        _index_key.cache_clear()


def encrypt_bytes(data: bytes) -> bytes:
    return _fernet().encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    return _fernet().decrypt(token)


def encrypt(value: str) -> str:
    """A Fernet token of ``value``; the empty string stays empty (a blank field says only that it is blank)."""
    if value == "":
        return ""
    return _fernet().encrypt(value.encode()).decode("ascii")


def decrypt(token: str) -> str:
    """The plaintext of a token from ``encrypt``; InvalidToken if no key opens it."""
    if token == "":
        return ""
    return _fernet().decrypt(token.encode("ascii")).decode()


def under_first_key(token: bytes) -> bool:
    """Whether ``token`` is already encrypted with the first key (rotation skips it)."""
    try:
        _first().decrypt(token)
    except InvalidToken:
        return False
    return True


def rotate_token(token: bytes) -> bytes:
    """``token`` re-encrypted with the first key."""
    return _fernet().rotate(token)


def blind_index(value: str) -> str:
    """HMAC-SHA256 of ``value`` under the index key, hex: equal values, equal digests; nothing else learned."""
    return hmac.new(_index_key(), value.encode(), hashlib.sha256).hexdigest()


_NOT_ALNUM = re.compile(r"[^0-9A-Z]")


def normalise_document_number(number: str) -> str:
    """A document number as it is compared: letters and digits only (A 123-456 is A123456)."""
    return _NOT_ALNUM.sub("", number.upper())


def document_digest(number: str) -> str:
    """The blind index of a document number, normalised first; empty for an empty number."""
    key = normalise_document_number(number)
    return blind_index(f"document:{key}") if key else ""


def new_key() -> str:
    return Fernet.generate_key().decode("ascii")


def new_index_key() -> str:
    return secrets.token_urlsafe(32)
