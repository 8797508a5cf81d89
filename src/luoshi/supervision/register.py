"""The 督办台账 as an Excel workbook: one row per 督办单, the filters the page had."""

from __future__ import annotations

import io
from collections.abc import Iterable

from luoshi.paperwork.cells import book_as_text
from luoshi.supervision.models import Notice

HEADER = [
    "编号",
    "承办单位",
    "督办事项",
    "级别",
    "事由",
    "督办要求",
    "交办时间",
    "签收时间",
    "反馈期限",
    "反馈时间",
    "办结时间",
    "状态",
    "办理情况",
]


def _when(value: object) -> str:
    return f"{value:%Y-%m-%d %H:%M}" if value else ""


def register_xlsx(notices: Iterable[Notice]) -> bytes:
    from openpyxl import Workbook  # heavy: loaded when a workbook is made, not at start-up
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "督办台账"
    sheet.append(HEADER)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for n in notices:
        sheet.append(
            [
                n.label,
                str(n.organisation),
                n.subject,
                n.get_level_display(),
                n.get_reason_display(),
                n.requirement,
                _when(n.issued_at),
                _when(n.signed_at),
                f"{n.reply_due:%Y-%m-%d}" if n.reply_due else "",
                _when(n.replied_at),
                _when(n.closed_at),
                n.get_state_display(),
                n.reply,
            ]
        )
    for column, width in zip(
        "ABCDEFGHIJKLM", (16, 18, 14, 10, 14, 40, 17, 17, 12, 17, 17, 8, 40), strict=True
    ):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book_as_text(book).save(buffer)  # typed text never becomes a formula
    return buffer.getvalue()
