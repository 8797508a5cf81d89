"""Request size limits enforced while the body streams in, before anything reaches memory or disk.

A request announcing more than the limit is answered 413 without reading its body; a file that
grows past the limit while streaming (its parts can be larger than the request claimed only by
lying about Content-Length, which WSGI servers cut off anyway) stops the upload.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

SLACK = 1024 * 1024  # form fields and multipart framing around the file


def too_large_message() -> str:
    return _("文件超过 %(mb)d MB 上限") % {"mb": settings.LUOSHI_MAX_UPLOAD_BYTES >> 20}


class RequestSizeMiddleware:
    """413 for a body announced larger than the upload limit; the body is never read."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.LUOSHI_MAX_UPLOAD_BYTES + SLACK:
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": too_large_message()}, status=413)
            return render(
                request, "web/too_large.html", {"message": too_large_message()}, status=413
            )
        return self.get_response(request)


class LimitedUploadHandler(FileUploadHandler):
    """First in FILE_UPLOAD_HANDLERS: counts each file's bytes and stops past the limit."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > settings.LUOSHI_MAX_UPLOAD_BYTES:
            raise RequestDataTooBig(too_large_message())
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None
