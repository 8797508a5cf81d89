"""Malformed request parameters on pages: a 400 page naming the problem, never a server error."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import BadRequest
from django.db import DataError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


class BadParameterMiddleware:
    """Turns parameters past what the database or calendar holds (an id ≥ 2⁶³, year 1) into 400."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Refused before any query: SQLite overflows on such a number but PostgreSQL compares it
        # quietly, so both databases answer the same only if it never reaches them.
        name = next((k for k, v in request.GET.items() if _beyond_bigint(str(v))), None)
        if name is None:
            return self.get_response(request)
        message = _("参数 %(name)s 超出允许范围") % {"name": name}
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=400)
        return render(request, "web/bad_request.html", {"message": message}, status=400)

    def process_exception(self, request: HttpRequest, error: Exception) -> HttpResponse | None:
        if request.path.startswith("/api/"):
            return None  # the API answers in JSON (luoshi.api.errors)
        if isinstance(error, OverflowError | DataError):
            message = _("参数超出允许范围（数值过大或日期过早/过晚）")
        elif isinstance(error, BadRequest):
            message = str(error)
        else:
            return None
        return render(request, "web/bad_request.html", {"message": message}, status=400)


def query_int(request: HttpRequest, name: str, default: int | None = None) -> int | None:
    """?name=N as a whole number, the default when absent, a 400 when malformed."""
    raw = request.GET.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or len(raw) > 18:
        raise BadRequest(_("参数 %(name)s 应为整数：%(value)s") % {"name": name, "value": raw[:20]})
    return int(raw)


def _beyond_bigint(value: str) -> bool:
    digits = value.strip().removeprefix("-").removeprefix("+")
    return digits.isdigit() and len(digits) >= 19 and int(digits) >= 2**63 - 1
