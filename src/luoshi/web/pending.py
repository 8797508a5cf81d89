"""Uploads waiting for the user's confirmation (preview, then confirm), kept under DATA_DIR.

A file is taken once; files left unconfirmed are removed after a day, when the next one arrives.
"""

from __future__ import annotations

import secrets
import time
from pathlib import Path

from django.conf import settings
from django.http import Http404

KEEP_SECONDS = 24 * 3600


def keep(kind: str, data: bytes, suffix: str) -> str:
    """Store `data` until confirmed; returns the token the confirm form sends back."""
    folder = settings.DATA_DIR / kind
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():
        if old.stat().st_mtime < time.time() - KEEP_SECONDS:
            old.unlink(missing_ok=True)
    token = secrets.token_hex(16)
    (folder / f"{token}{suffix}").write_bytes(data)
    return token


def path_of(kind: str, token: str, suffix: str) -> Path:
    """The waiting file of `token` (404 when the token is malformed or the file is gone)."""
    if not token.isalnum():
        raise Http404
    path = settings.DATA_DIR / kind / f"{token}{suffix}"
    if not path.exists():
        raise Http404
    return path
