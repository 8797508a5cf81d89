"""The 督办单 as a Word file in 公文 layout: red issuer line, number, rule, fields, issuer and date."""

from __future__ import annotations

import io

from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from luoshi.paperwork.word import BODY_FONT, TITLE_FONT, chinese_date, in_chinese, official
from luoshi.supervision.models import Notice

ISSUER = "中国（湖南）自由贸易试验区岳阳片区工作领导小组办公室"
RED = RGBColor(0xCC, 0x00, 0x00)


def _run(paragraph, text: str, font: str = BODY_FONT, size: int = 16, **style) -> None:  # type: ignore[no-untyped-def]
    run = paragraph.add_run(text)
    run.font.name = font
    run.font.size = Pt(size)
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    run.bold = style.get("bold", False)
    if style.get("red"):
        run.font.color.rgb = RED


def _line(document, text: str, align: int = WD_ALIGN_PARAGRAPH.LEFT, **style) -> None:  # type: ignore[no-untyped-def]
    paragraph = document.add_paragraph()
    paragraph.alignment = align
    _run(paragraph, text, **style)


def _chinese_date(notice: Notice) -> str:
    assert notice.issued_at is not None
    return chinese_date(timezone.localdate(notice.issued_at))


@in_chinese
def notice_docx(notice: Notice) -> bytes:
    """GB/T 9704: A4 and its margins, page numbers, 小标宋 red issuer line, 仿宋 三号 body."""
    document = Document()
    official(document)
    center = WD_ALIGN_PARAGRAPH.CENTER
    _line(document, "岳阳片区改革任务督办单", center, font=TITLE_FONT, size=26, red=True)
    _line(document, notice.label, center)
    _line(document, "━" * 22, center, size=12, red=True)
    if notice.level != "general":
        _line(document, f"【{notice.get_level_display()}】", center, font="黑体")
    fields = [
        ("承办单位", str(notice.organisation)),
        ("督办事项", _subject(notice)),
        ("督办级别", notice.get_level_display()),
        ("督办事由", notice.get_reason_display()),
        ("督办要求", notice.requirement),
        (
            "反馈期限",
            f"请于{chinese_date(notice.reply_due)}前书面反馈办理情况" if notice.reply_due else "",
        ),
    ]
    for name, value in fields:
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.first_line_indent = Pt(32)
        _run(paragraph, f"{name}：", font="黑体")
        _run(paragraph, value)
    document.add_paragraph()
    _line(document, ISSUER, WD_ALIGN_PARAGRAPH.RIGHT)
    _line(document, _chinese_date(notice), WD_ALIGN_PARAGRAPH.RIGHT)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _subject(notice: Notice) -> str:
    if notice.measure is not None:
        return f"举措 {notice.measure.code} {notice.measure.text}"
    if notice.task is not None:
        return f"任务 {notice.task.number} {notice.task.title}"
    return "本单位承担的改革任务"
