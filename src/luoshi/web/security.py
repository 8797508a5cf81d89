"""Safe defaults that are not settings: no caching of signed-in pages, private files on disk."""

from __future__ import annotations

import os
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control


class NoStoreMiddleware:
    """A page shown to a signed-in user is never kept by the browser or a proxy. An API answer
    may be kept by its own client only and is revalidated every time (private, no-cache), so
    that conditional GET (ETag → 304) still spares integrations the transfer."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if request.path.startswith("/api/"):
                patch_cache_control(response, no_cache=True, private=True)
            else:
                patch_cache_control(response, no_store=True, no_cache=True, private=True)
            response.headers.pop("Expires", None)
        return response


def private_files() -> None:
    """Everything the process creates from now on is its own account's only (0600 files, 0700
    directories); the data directory and an SQLite database made before are tightened too."""
    os.umask(settings.LUOSHI_FILE_MODE_MASK)
    data = settings.DATA_DIR
    data.mkdir(mode=0o700, parents=True, exist_ok=True)
    data.chmod(0o700)
    name = str(settings.DATABASES["default"].get("NAME") or "")
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3") and os.path.isfile(name):
        os.chmod(name, 0o600)
