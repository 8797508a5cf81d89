"""A plan document sent by a user (page or API): checked for type and size, then parsed."""

from __future__ import annotations

from pathlib import PurePath

from django.conf import settings
from django.utils.translation import gettext as _

from luoshi.ingest import IngestError, ParsedPlan, parse_bytes
from luoshi.ingest.outline import STYLES
from luoshi.plans.ingest_text import describe

SUFFIXES = (".txt", ".htm", ".html", ".docx")
LEVELS = ("central", "provincial", "city", "district")
TASK_STYLES = tuple(style.name for style in STYLES)  # as written: the parser's numberings


class PlanRefused(Exception):
    """The document cannot be imported; the message names the file and, where known, the line."""


def parse_upload(
    *,
    name: str,
    data: bytes,
    level: str | None = None,
    tasks_in: str | None = None,
    task_style: str | None = None,
) -> ParsedPlan:
    """`tasks_in` / `task_style`: the part and numbering holding the tasks, chosen in the preview."""
    name = PurePath(name).name
    if not name.lower().endswith(SUFFIXES):
        raise PlanRefused(_("请上传 .txt、.html 或 .docx 格式的方案文件"))
    if len(data) > settings.LUOSHI_MAX_IMPORT_BYTES:
        raise PlanRefused(
            _("文件超过 %(mb)d MB 上限") % {"mb": settings.LUOSHI_MAX_IMPORT_BYTES >> 20}
        )
    if level is not None and level not in LEVELS:
        raise PlanRefused(_("发文层级应为 central、provincial、city 或 district"))
    if task_style is not None and task_style not in TASK_STYLES:
        raise PlanRefused(_("任务编号应为 一、（一）、1. 或 （1）"))
    try:
        return parse_bytes(data, name, level, tasks_in=tasks_in, task_style=task_style)
    except IngestError as error:
        raise PlanRefused(describe(error)) from error
