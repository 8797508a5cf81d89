"""`/healthz` for load balancers and monitoring: the database answers and storage is writable.

No login, no session, no template: a probe every few seconds must stay cheap and say nothing
internal beyond which part failed."""

from __future__ import annotations

import logging

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache

from luoshi.ops.storage import storage_ready

log = logging.getLogger(__name__)


def _database_ready() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return bool(cursor.fetchone() == (1,))
    except Exception:
        log.exception("health check: database")
        return False


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    failed = [
        name
        for name, ok in (("database", _database_ready()), ("storage", storage_ready()))
        if not ok
    ]
    if failed:
        return HttpResponse(
            f"unavailable: {', '.join(failed)}\n", status=503, content_type="text/plain"
        )
    return HttpResponse("ok\n", content_type="text/plain")
