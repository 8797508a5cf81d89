"""A plan document sent by a user (page or API): checked for type and size, then parsed."""

from __future__ import annotations

from pathlib import PurePath

from django.conf import settings
from django.utils.translation import gettext as _

from luoshi.ingest import IngestError, ParsedPlan, parse_bytes

SUFFIXES = (".txt", ".htm", ".html", ".docx")
LEVELS = ("central", "provincial", "city")


class PlanRefused(Exception):
    """The document cannot be imported; the message names the file and, where known, the line."""


def parse_upload(*, name: str, data: bytes, level: str | None = None) -> ParsedPlan:
    name = PurePath(name).name
    if not name.lower().endswith(SUFFIXES):
        raise PlanRefused(_("请上传 .txt、.html 或 .docx 格式的方案文件"))
    if len(data) > settings.LUOSHI_MAX_IMPORT_BYTES:
        raise PlanRefused(
            _("文件超过 %(mb)d MB 上限") % {"mb": settings.LUOSHI_MAX_IMPORT_BYTES >> 20}
        )
    if level is not None and level not in LEVELS:
        raise PlanRefused(_("发文层级应为 central、provincial 或 city"))
    try:
        return parse_bytes(data, name, level)
    except IngestError as error:
        raise PlanRefused(str(error)) from error
