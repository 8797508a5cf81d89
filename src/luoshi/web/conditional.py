"""Conditional GET for the heavy pages (dashboard, matrix, task list) without rendering them first.

A page's body cannot be its ETag's source: its CSRF token is masked afresh on every render. The tag
is computed before the view runs from what the page depends on instead: the figures cache's write
stamp (metrics/cache.py: it changes with every committed write to a table any page reads), the viewer
and their session (a new sign-in rotates the CSRF secret the cached page's forms carry), the CSRF
cookie, the day (pages default to today), the language, the path and query, the plan remembered for
the session, and whether htmx asks for a fragment. A matching If-None-Match is answered 304 at once.

A page with a one-time message waiting (django.contrib.messages) is always rendered, so the message
is shown and used up. Signed-in pages stay `no-store` (web/security.py): browsers do not keep them,
so the 304 serves clients that revalidate on their own (integrations, monitors, the benchmark).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.session import SessionStorage
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response

from luoshi.metrics.cache import stamp

View = Callable[..., HttpResponse]


def page_etag(request: HttpRequest) -> str:
    session = request.session
    key = "|".join(
        [
            stamp(),
            str(request.user.pk),
            session.session_key or "-",
            # the CSRF secret the page's forms carry: the cookie's, or the one its render made
            request.META.get("CSRF_COOKIE") or "-",
            timezone.localdate().isoformat(),
            translation.get_language() or "-",
            request.path,
            request.META.get("QUERY_STRING", ""),
            str(request.GET.get("plan") or session.get("plan", "-")),  # as current_plan()
            request.headers.get("HX-Request", "-"),
        ]
    )
    return f'W/"{hashlib.sha256(key.encode()).hexdigest()[:32]}"'


def _message_waiting(request: HttpRequest) -> bool:
    return bool(request.COOKIES.get(CookieStorage.cookie_name)) or (
        SessionStorage.session_key in request.session
    )


def revalidated(view: View) -> View:
    """The view, answered 304 before it runs when the viewer's If-None-Match is still current. Put it
    under the permission decorator, so a refusal is still checked and audited first."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if (
            request.method not in ("GET", "HEAD")
            or not request.user.is_authenticated
            or _message_waiting(request)
            or "export" in request.GET  # a download is audited each time
        ):
            return view(request, *args, **kwargs)
        etag = page_etag(request)
        if request.headers.get("If-None-Match"):
            answer = get_conditional_response(request, etag=etag)
            if isinstance(answer, HttpResponseNotModified):
                return answer
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming:
            # again after the view: a first render may have made the session's CSRF secret or
            # remembered the plan, which the next request's tag will include
            response["ETag"] = page_etag(request)
        return response

    return wrapped
