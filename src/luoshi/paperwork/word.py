"""Word documents in the 公文 layout of GB/T 9704-2012: A4, a 156 × 225 mm type area (top 37 mm,
binding side 28 mm), 仿宋_GB2312 三号 body at 28 pt lines, a 小标宋 二号 title, 黑体 headings, the
issuer's number (文号) and addressee (主送), page numbers "— 1 —" in 宋体 四号 on the outer side.

The fonts are named as Chinese offices have them; where they are missing (Linux, the PDF converter)
the project's fontconfig aliases (paperwork/fonts.conf) map them to the free CJK fonts installed by
`make browser` (Noto Serif/Sans CJK SC, AR PL UMing/UKai)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from django.conf import settings
from django.utils import translation

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.text.paragraph import Paragraph
    from docx.text.run import Run

P = ParamSpec("P")
R = TypeVar("R")

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
NUMBER_FONT = "宋体"
# Sizes in points: 二号 22, 三号 16, 四号 14.
TITLE_SIZE, BODY_SIZE, PAGE_NUMBER_SIZE = 22, 16, 14
LINE_PITCH = 28  # 22 lines of 28 characters on the type area
# Millimetres, portrait A4: 天头 37, 订口 28 → bottom 297 − 37 − 225 = 35, right 210 − 28 − 156 = 26.
A4 = (210, 297)
MARGINS = {"top": 37, "bottom": 35, "left": 28, "right": 26}


def in_chinese(make: Callable[P, R]) -> Callable[P, R]:
    """An official document (公文) is written in Chinese whatever language the reader browses in:
    the figures' words (light reasons, KPI verdicts) it quotes too."""

    @wraps(make)
    def written(*args: P.args, **kwargs: P.kwargs) -> R:
        with translation.override(settings.LANGUAGE_CODE):
            return make(*args, **kwargs)

    return written


def chinese_date(day: dt.date) -> str:
    """2022年6月30日, as 公文 write dates (no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日"


def font_run(run: Run, name: str, size: float | None = None, bold: bool | None = None) -> None:
    """Set a run's Latin and East Asian font (Word uses w:eastAsia for Chinese characters)."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = name
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
    if size is not None:
        run.font.size = Pt(size)
    if bold is not None:
        run.bold = bold


def official(
    document: DocxDocument, *, landscape: bool = False, body_size: float = BODY_SIZE
) -> None:
    """A4 page, GB/T 9704 margins, body style and page numbers for the whole document."""
    from docx.enum.section import WD_ORIENT
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    section = document.sections[0]
    width, height = A4
    if landscape:  # a wide table (work plan): the same margins, turned with the page
        section.orientation = WD_ORIENT.LANDSCAPE
        width, height = height, width
    section.page_width, section.page_height = Mm(width), Mm(height)
    section.top_margin, section.bottom_margin = Mm(MARGINS["top"]), Mm(MARGINS["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS["left"]), Mm(MARGINS["right"])
    section.footer_distance = Mm(28 - 7)  # the number sits 7 mm below the type area
    normal = document.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(body_size)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    normal.paragraph_format.line_spacing = Pt(
        LINE_PITCH if body_size >= BODY_SIZE else body_size * 1.5
    )
    normal.paragraph_format.space_after = Pt(0)
    for level in (
        1,
        2,
    ):  # 一、 in 黑体, （一） in 楷体: both at body size, not Word's blue headings
        style = document.styles[f"Heading {level}"]
        style.font.name = HEADING_FONT if level == 1 else "楷体_GB2312"
        style.font.size = Pt(body_size)
        style.font.bold = False
        style.font.color.rgb = None
        style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), style.font.name)
    _page_numbers(document)


def _page_numbers(document: DocxDocument) -> None:
    """— 1 — on the outer side: odd pages right, even pages left, one character in from the edge."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    document.settings.odd_and_even_pages_header_footer = True
    section = document.sections[0]
    for footer, align in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        paragraph = footer.paragraphs[0]
        paragraph.alignment = align
        indent = Pt(PAGE_NUMBER_SIZE)
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            paragraph.paragraph_format.right_indent = indent
        else:
            paragraph.paragraph_format.left_indent = indent
        font_run(paragraph.add_run("— "), NUMBER_FONT, PAGE_NUMBER_SIZE)
        _page_field(paragraph)
        font_run(paragraph.add_run(" —"), NUMBER_FONT, PAGE_NUMBER_SIZE)


def _page_field(paragraph: Paragraph) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    parts: list[tuple[str, str | None]] = [("begin", None), ("", " PAGE "), ("separate", None)]
    parts += [("", None), ("end", None)]
    for kind, instruction in parts:
        run = paragraph.add_run("1" if (kind, instruction) == ("", None) else "")
        font_run(run, NUMBER_FONT, PAGE_NUMBER_SIZE)
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._element.append(char)
        elif instruction:
            text = OxmlElement("w:instrText")
            text.set(qn("xml:space"), "preserve")
            text.text = instruction
            run._element.append(text)


def set_font(document: DocxDocument, name: str = BODY_FONT, size: int = BODY_SIZE) -> None:
    """The body style alone (documents that are not 公文: tables handed round as forms)."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    style = document.styles["Normal"]
    style.font.name = name
    style.font.size = Pt(size)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def title(document: DocxDocument, text: str, size: int = TITLE_SIZE) -> None:
    """The title: 小标宋, centred, lines broken where the caller breaks them."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.line_spacing = Pt(size * 1.5)
    paragraph.paragraph_format.space_after = Pt(LINE_PITCH)
    font_run(paragraph.add_run(text), TITLE_FONT, size)


def number_line(document: DocxDocument, number: str) -> None:
    """The 文号 (岳片改办通〔2022〕6号), centred under the issuer, before the title."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    font_run(paragraph.add_run(number), BODY_FONT)


def addressee(document: DocxDocument, text: str) -> None:
    """主送机关: flush left, ending with a full-width colon."""
    paragraph = document.add_paragraph()
    font_run(paragraph.add_run(f"{text.rstrip('：:')}："), BODY_FONT)


def body(document: DocxDocument, text: str) -> Paragraph:
    """A body paragraph, first line indented two characters."""
    from docx.shared import Pt

    paragraph = document.add_paragraph(text)
    size = document.styles["Normal"].font.size
    paragraph.paragraph_format.first_line_indent = Pt(2 * (size.pt if size else BODY_SIZE))
    return paragraph


def signature(document: DocxDocument, issuer: str, day: dt.date) -> None:
    """发文机关署名 and 成文日期, right-aligned, the date four characters in from the right."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    document.add_paragraph()
    for text, indent in ((issuer, 2), (chinese_date(day), 4)):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.paragraph_format.right_indent = Pt(indent * BODY_SIZE)
        font_run(paragraph.add_run(text), BODY_FONT)


def table(document: DocxDocument, header: list[str], rows: list[list[Any]]) -> None:
    from docx.shared import Pt

    grid = document.add_table(rows=1, cols=len(header))
    grid.style = "Table Grid"
    heads = grid.rows[0].cells
    for cell, text in zip(heads, header, strict=True):
        cell.text = text
        font_run(cell.paragraphs[0].runs[0], HEADING_FONT)
    cells = list(heads)
    for row in rows:
        added = grid.add_row().cells
        for cell, value in zip(added, row, strict=True):
            cell.text = "" if value is None else str(value)
        cells += added
    # Tables read at 小四 with single lines, not the body's 28 pt. The cells made above are
    # formatted directly: walking `grid.rows` again costs python-docx a search per row and cell.
    small = Pt(12)  # 小四
    for cell in cells:
        for paragraph in cell.paragraphs:
            paragraph.paragraph_format.line_spacing = 1.0
            for run in paragraph.runs:
                run.font.size = small
