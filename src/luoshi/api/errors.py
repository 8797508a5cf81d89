"""Domain errors → HTTP answers with a message in the user's language (and per-field errors)."""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.db import DataError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext
from ninja import NinjaAPI
from ninja.errors import AuthenticationError

from luoshi.progress.evidence import EvidenceCorrupted
from luoshi.progress.services import StaleReport
from luoshi.progress.workflow import InvalidTransition

# A number or date past what the database or the calendar holds (an id ≥ 2⁶³, as_of=0001-01-01
# moved back a year): the request is wrong, not the server.
OUT_OF_RANGE = (OverflowError, DataError)

STATUS: dict[type[Exception], int] = {
    PermissionDenied: 403,
    ValidationError: 422,
    InvalidTransition: 409,
    StaleReport: 409,
    EvidenceCorrupted: 409,  # refused and audited, as the page does: not a server fault
    RequestDataTooBig: 413,
    AuthenticationError: 401,  # not signed in: said in the request's language, not Ninja's English
    OverflowError: 422,
    DataError: 422,
}


def install(api: NinjaAPI) -> None:
    for error_type, status in STATUS.items():
        api.add_exception_handler(error_type, _handler(api, status))


def _handler(
    api: NinjaAPI, status: int
) -> Callable[[HttpRequest, Exception | type[Exception]], HttpResponse]:
    def handler(request: HttpRequest, error: Exception | type[Exception]) -> HttpResponse:
        body: dict[str, object] = {"detail": _message(error)}
        if isinstance(error, ValidationError):
            body["errors"] = error.message_dict if hasattr(error, "error_dict") else {}
        return api.create_response(request, body, status=status)

    return handler


def _message(error: Exception | type[Exception]) -> str:
    if isinstance(error, AuthenticationError):
        return gettext("请先登录")
    if isinstance(error, OUT_OF_RANGE):
        return gettext("参数超出允许范围（数值过大或日期过早/过晚）")
    if isinstance(error, ValidationError):
        return gettext("；").join(str(m) for m in error.messages)
    return str(error) or gettext("无权执行此操作")
