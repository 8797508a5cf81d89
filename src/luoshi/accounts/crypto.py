"""Personal fields encrypted at rest (GB/T 22239-2019 8.1.4.8): SM4-GCM through `cryptography`
(OpenSSL), with keys kept outside the database, and a keyed index (HMAC-SM3) for exact-match search.

Any app may use these fields for phone numbers, e-mail addresses or ID-like values::

    phone = EncryptedCharField(_("电话"), max_length=30, blank=True)
    phone_index = BlindIndexField(source="phone")   # then filter(phone_index=blind_index("138…"))

A stored value reads ``sm4gcm:1:<base64 of nonce + ciphertext + tag>``. A value without that prefix
is read as it is: rows written before a field became encrypted until their migration re-saves them.
The key is `LUOSHI_FIELD_KEY` (any secret of 32+ characters), else a file made once beside the data
(`LUOSHI_FIELD_KEY_FILE`, 0600); losing it loses the fields, so it is backed up separately.
"""

from __future__ import annotations

import base64
import hmac
import os
from functools import cache
from typing import Any

from django.conf import settings
from django.db import models

from luoshi.audit.chain import secret_file

PREFIX = "sm4gcm:1:"
NONCE, TAG = 12, 16


class DecryptionError(ValueError):
    """A stored value that does not decrypt with the key: a wrong key or a tampered value."""


def _secret() -> bytes:
    if settings.LUOSHI_FIELD_KEY:
        return str(settings.LUOSHI_FIELD_KEY).encode()
    return secret_file(settings.LUOSHI_FIELD_KEY_FILE)


@cache
def _keys(secret: bytes) -> tuple[bytes, bytes]:
    """(SM4 key, index key): two 16/32-byte keys derived from one secret, one per purpose."""
    encrypt = hmac.new(secret, b"luoshi field encryption", "sm3").digest()[:16]
    index = hmac.new(secret, b"luoshi blind index", "sm3").digest()
    return encrypt, index


# `cryptography` is imported where a value is encrypted or decrypted: a command that reads no
# person (`luoshi status`) does not load it at start-up.


def encrypt(plain: str) -> str:
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    key, _ = _keys(_secret())
    nonce = os.urandom(NONCE)
    encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    body = encryptor.update(plain.encode()) + encryptor.finalize()
    return PREFIX + base64.b64encode(nonce + body + encryptor.tag).decode()


def decrypt(stored: str) -> str:
    if not stored.startswith(PREFIX):
        return stored  # written before the field was encrypted
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    key, _ = _keys(_secret())
    raw = base64.b64decode(stored[len(PREFIX) :])
    nonce, body, tag = raw[:NONCE], raw[NONCE:-TAG], raw[-TAG:]
    decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
    try:
        return (decryptor.update(body) + decryptor.finalize()).decode()
    except InvalidTag as error:
        raise DecryptionError(
            "an encrypted field does not decrypt with LUOSHI_FIELD_KEY"
        ) from error


def normalise(value: str) -> str:
    """What counts as the same value for search: no spaces or dashes, lower case."""
    return "".join(value.split()).replace("-", "").lower()


def blind_index(value: str) -> str:
    """The searchable stand-in for a value: HMAC-SM3 of its normal form ('' for an empty value)."""
    if not value:
        return ""
    _, key = _keys(_secret())
    return hmac.new(key, normalise(value).encode(), "sm3").hexdigest()


class EncryptedCharField(models.TextField):  # type: ignore[type-arg]
    """A text value stored encrypted; read back as plain text. Only exact-match search, through a
    `BlindIndexField` beside it (the ciphertext differs every time it is written)."""

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        return None if value is None else decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "" or str(value).startswith(PREFIX):
            return value
        return encrypt(str(value))


class BlindIndexField(models.CharField):  # type: ignore[type-arg]
    """The keyed hash of another field's value, refreshed whenever the row is saved."""

    def __init__(self, *args: Any, source: str, **kwargs: Any) -> None:
        self.source = source
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        return name, path, args, kwargs

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        value = blind_index(getattr(model_instance, self.source) or "")
        setattr(model_instance, self.attname, value)
        return value
