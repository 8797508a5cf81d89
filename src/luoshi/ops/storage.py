"""Where evidence and generated files live: checks on the configured storage."""

from __future__ import annotations

import logging
import os

from django.conf import settings

log = logging.getLogger(__name__)


def storage_ready() -> bool:
    """The local evidence directory exists (or can be made) and is writable."""
    try:
        directory = settings.LUOSHI_EVIDENCE_DIR
        directory.mkdir(parents=True, exist_ok=True)
        return os.access(directory, os.W_OK)
    except OSError:
        log.exception("health check: storage")
        return False
