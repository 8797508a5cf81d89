"""意见采纳情况表 as .docx (the usual table) and .xlsx."""

from __future__ import annotations

import io

from luoshi.consultation.models import CommentPeriod
from luoshi.consultation.selectors import ADOPTION_HEADER, adoption_rows
from luoshi.paperwork.cells import book_as_text
from luoshi.paperwork.word import set_font, table, title


def adoption_docx(period: CommentPeriod) -> bytes:
    from docx import Document  # document libraries load only when a table is made

    document = Document()
    set_font(document)
    title(document, f"{period.plan.title}\n征求意见采纳情况表", size=16)
    document.add_paragraph(f"征求意见时间：{period.opens_on} 至 {period.closes_on}")
    table(document, ADOPTION_HEADER, adoption_rows(period))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def adoption_xlsx(period: CommentPeriod) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "意见采纳情况"
    sheet.append(ADOPTION_HEADER)
    for row in adoption_rows(period):
        sheet.append(row)
    out = io.BytesIO()
    book_as_text(book).save(out)  # a public comment never becomes a formula
    return out.getvalue()
