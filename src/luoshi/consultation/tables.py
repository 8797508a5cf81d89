"""意见采纳情况表 as .docx (the usual table) and .xlsx."""

from __future__ import annotations

import io

from luoshi.consultation.models import CommentPeriod
from luoshi.consultation.selectors import adoption_rows
from luoshi.paperwork.word import in_chinese, set_font, table, title
from luoshi.paperwork.workbook import Sheet, columns, workbook

# The official table's columns (a 公文: written in Chinese for every reader).
ADOPTION_HEADER = ["序号", "条目", "意见", "提出人", "同类意见", "处理", "理由", "对应修改"]


@in_chinese
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


@in_chinese
def adoption_xlsx(period: CommentPeriod) -> bytes:
    # a public comment never becomes a formula (the helper neutralises every cell)
    return workbook(
        Sheet("意见采纳情况", columns(ADOPTION_HEADER), adoption_rows(period), wrap=True)
    )
