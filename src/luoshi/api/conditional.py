"""Conditional GET on the JSON API without rendering the answer first.

Django's ConditionalGetMiddleware hashes the rendered body, so a 304 costs a full render. Here the
ETag is computed before the view runs, from what the answer depends on: the figures cache's write
stamp (metrics/cache.py: it changes with every committed write to a table any answer reads), the
viewer (their scope follows from who they are), the day (answers default to today), the language,
the path and the query. A matching If-None-Match is answered 304 at once. The rendered body is kept
in the cache under the same tag, so a repeated read without If-None-Match (another of the viewer's
clients, or one that keeps no copy) is answered from those bytes without running the view, its
queries or its serialisation; a write changes the stamp, so the tag, so the key: nothing to purge.

Only for signed-in sessions on the read endpoints below: a token request goes through its scope
check, rate limit and last-use note first (its repeated reads are kept by api/token_reads.py,
first in the chain), and audited downloads (documents, evidence, the audit
trail) and job polling (whose state is written outside the figures' tables) always run.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response

from luoshi.metrics.cache import TIMEOUT, stamp

BODY = "luoshi:api-body:"
BODY_LIMIT = 1024 * 1024  # larger answers are rendered each time rather than fill the cache
READS = re.compile(
    r"^/api/(?:plans|tasks/|measures|organisations|metrics/|kpis|programmes|cycles|reports"
    r"|me/measures|me/reminders|cases|evaluations|supervision/notices)"
)


def etag_of(request: HttpRequest) -> str:
    viewer = str(request.user.pk)  # first: finding the user reads the stamp (web/session_user.py)
    key = "|".join(
        [
            getattr(request, "luoshi_stamp", None) or stamp(),
            viewer,
            timezone.localdate().isoformat(),
            translation.get_language() or "-",
            request.path,
            request.META.get("QUERY_STRING", ""),
        ]
    )
    return f'W/"{hashlib.sha256(key.encode()).hexdigest()[:32]}"'


class EarlyETagMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self._applies(request):
            return self.get_response(request)
        etag = etag_of(request)
        if request.headers.get("If-None-Match"):
            answer = get_conditional_response(request, etag=etag)
            if isinstance(answer, HttpResponseNotModified):
                return answer
        kept = cache.get(BODY + etag)
        if kept is not None:
            content_type, body = kept
            response = HttpResponse(body, content_type=content_type)
        else:
            response = self.get_response(request)
            if response.status_code != 200 or response.streaming:
                return response
            if len(response.content) <= BODY_LIMIT and "Content-Disposition" not in response:
                cache.set(BODY + etag, (response["Content-Type"], response.content), TIMEOUT)
        response["ETag"] = etag
        return response

    @staticmethod
    def _applies(request: HttpRequest) -> bool:
        return (
            request.method in ("GET", "HEAD")
            and "Authorization" not in request.headers
            and bool(READS.match(request.path))
            and request.user.is_authenticated
        )
