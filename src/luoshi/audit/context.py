"""The request behind the current change (user, IP), so services need not pass it along."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse


@dataclass(frozen=True)
class RequestInfo:
    ip: str | None
    path: str = ""


current: ContextVar[RequestInfo | None] = ContextVar("luoshi_request", default=None)


def client_ip(request: HttpRequest) -> str | None:
    # REMOTE_ADDR only: X-Forwarded-For is set by the client unless a trusted proxy rewrites it.
    return request.META.get("REMOTE_ADDR") or None


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current.set(RequestInfo(client_ip(request), request.path))
        try:
            return self.get_response(request)
        finally:
            current.reset(token)
