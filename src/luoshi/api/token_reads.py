"""Another system's repeated API reads, answered first in the middleware chain from kept bytes.

A request with `Authorization: Bearer …` is the token's alone (api/auth.py): no session, user row,
second factor, password age, CSRF or messages apply to it — only the token's gate, its rate limit
and its last-use note. So the first answer (200) a token gets on a read path (api/conditional.READS)
is kept with the headers the whole chain gave it (CSP, cache control, Vary, language…) under
(figures stamp, the token's hash, day, language, path, query), and a repeat is answered here.

What makes that safe: the stamp (metrics/cache.py) changes with every committed write to a table an
answer reads, to the token (revoked, scopes or expiry edited — all but its last-use note) and to its
service account (switched off, role changed), so a kept answer is found only while the token, its
account and the data are as they were when the full path served it. The day is in the key (a token
expires by day, answers default to today). Per request here: the rate limit (the same counter as
the full path's) and the last-use note — while the note is fresh (tokens.services.token_touch) —
so nothing the full path does is skipped. Anything else — nothing kept, the note due, the limit
spent, a refusal — goes the full way, which decides, audits a refusal and keeps the next answer.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation

from luoshi.api.auth import BEARER, token_of, token_rate_spend
from luoshi.api.conditional import BODY_LIMIT, READS
from luoshi.metrics.cache import TIMEOUT, stamp
from luoshi.tokens.services import NOTED, digest_of

KEPT = "luoshi:api-token-body:"
# Made per response by the server or the outer middleware, never replayed.
NOT_KEPT = {"content-length", "date", "etag", "set-cookie"}


class TokenReadMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        digest = _presented(request)
        if digest is None:
            return self.get_response(request)
        # The stamp is read before the full path reads anything: a write meanwhile kills the key.
        tag = _tag(digest, request)
        found = cache.get_many([KEPT + tag, NOTED + digest])
        kept = found.get(KEPT + tag)
        if kept is not None and NOTED + digest in found and token_rate_spend(kept[0]):
            return _answer(kept, tag)
        response = self.get_response(request)
        token = token_of(request)
        if token is not None and token.digest == digest and _keepable(response):
            headers = {k: v for k, v in response.items() if k.lower() not in NOT_KEPT}
            cache.set(KEPT + tag, (token.pk, headers, response.content), TIMEOUT)
            response["ETag"] = _etag(tag)
        return response


def _presented(request: HttpRequest) -> str | None:
    """The presented token's hash, for a GET of a read path with a bearer token."""
    if request.method != "GET" or not READS.match(request.path):
        return None
    header = request.headers.get("Authorization", "")
    if header[: len(BEARER)].lower() != BEARER:
        return None
    return digest_of(header[len(BEARER) :].strip())


def _tag(digest: str, request: HttpRequest) -> str:
    key = "|".join(
        [
            stamp(),
            digest,
            timezone.localdate().isoformat(),
            # what LocaleMiddleware will activate for this request (no language in /api/ paths)
            translation.get_language_from_request(request),
            request.path,
            request.META.get("QUERY_STRING", ""),
        ]
    )
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def _keepable(response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and "Content-Disposition" not in response
        and len(response.content) <= BODY_LIMIT
    )


def _answer(kept: tuple[int, dict[str, str], bytes], tag: str) -> HttpResponse:
    _, headers, body = kept
    response = HttpResponse(body, headers=headers)
    response["Content-Length"] = str(len(body))
    response["ETag"] = _etag(tag)
    return response


def _etag(tag: str) -> str:
    """The same on the full path and here; ConditionalGetMiddleware answers a match with 304."""
    return f'W/"{tag}"'
