"""Malformed request parameters: a 400 naming the problem, never a server error.

The rule for an integer parameter lives here once (`int_param`): the middleware applies it to every
parameter written as a number, before any query, for pages and API alike; `query_int` applies it to a
parameter a page needs as a number."""

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
        try:
            for name, values in request.GET.lists():
                for value in values:
                    if _written_as_integer(value):
                        int_param(name, value)
        except BadRequest as refused:
            message = str(refused)
        else:
            return self.get_response(request)
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


# What both databases hold in a bigint: past it SQLite overflows and PostgreSQL compares quietly.
BIGGEST = 2**63 - 1


def int_param(name: str, raw: str, *, signed: bool = True) -> int:
    """The one rule for an integer parameter: digits (a sign if `signed`), below a bigint's limit;
    otherwise a BadRequest naming the parameter (a 400 page or JSON answer)."""
    text = raw.strip()
    digits = text.removeprefix("-").removeprefix("+") if signed else text
    if not (digits.isascii() and digits.isdigit()):  # "²" and "٣" are digits to str, not to int
        raise BadRequest(
            _("参数 %(name)s 应为整数：%(value)s") % {"name": name, "value": text[:20]}
        )
    # by length first: int() refuses a string past 4300 digits (a ValueError, not a 400)
    if len(digits.lstrip("0")) > len(str(BIGGEST)) or int(digits) >= BIGGEST:
        raise BadRequest(_("参数 %(name)s 超出允许范围") % {"name": name})
    return int(text)


def query_int(request: HttpRequest, name: str, default: int | None = None) -> int | None:
    """?name=N as a whole number, the default when absent, a 400 when malformed."""
    raw = request.GET.get(name, "").strip()
    return int_param(name, raw, signed=False) if raw else default


def _written_as_integer(value: str) -> bool:
    digits = value.strip().removeprefix("-").removeprefix("+")
    return digits.isascii() and digits.isdigit()
