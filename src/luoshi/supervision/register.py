"""The 督办台账 as an Excel workbook: one row per 督办单, the filters the page had."""

from __future__ import annotations

from collections.abc import Iterable

from luoshi.paperwork.workbook import Sheet, columns, workbook
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
    rows = [
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
        for n in notices
    ]
    widths = (16, 18, 14, 10, 14, 40, 17, 17, 12, 17, 17, 8, 40)
    return workbook(Sheet("督办台账", columns(HEADER, widths), rows))  # typed text stays text
