"""Where evidence and generated files live: checks on the configured storage."""

from __future__ import annotations

import logging
import os

from django.core.files.storage import FileSystemStorage

from luoshi.progress.evidence import evidence_storage

log = logging.getLogger(__name__)


def storage_ready() -> bool:
    """The local directory exists (or can be made) and is writable; an object store answers."""
    storage = evidence_storage()
    try:
        if isinstance(storage, FileSystemStorage):
            os.makedirs(storage.location, exist_ok=True)
            return os.access(storage.location, os.W_OK)
        storage.exists("healthz")  # one HEAD request: the store and its bucket answer
        return True
    except Exception:
        log.exception("health check: storage")
        return False
