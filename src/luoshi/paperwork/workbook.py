"""Every Excel workbook luoshi writes, made one way: a bold header row, the rows, column widths,
frozen header, print titles, and every cell neutralised (paperwork.cells), returned as bytes.

A leaf module (no domain imports), so any app may declare its sheet as data and call `workbook()`:
the 台账, 年度工作计划, plan export, KPI-values template, 督办台账, 意见采纳情况表 and list exports.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from luoshi.paperwork.cells import book_as_text

EDITABLE_FILL = "FFF4CC"  # the columns a person fills in before sending a table back


@dataclass(frozen=True)
class Column:
    """A column: its header, its width in characters, whether the recipient fills it in."""

    header: str
    width: float | None = None
    editable: bool = False


@dataclass(frozen=True)
class Sheet:
    """One worksheet as data. `wrap`: long texts wrap inside their cells (top-aligned)."""

    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[Any]]
    wrap: bool = False
    freeze: str = "A2"
    auto_filter: bool = False
    landscape: bool = False


def columns(headers: Sequence[str], widths: Sequence[float | None] = ()) -> list[Column]:
    """Columns from headers and, optionally, their widths in the same order."""
    padded = list(widths) + [None] * (len(headers) - len(widths))
    return [Column(h, w) for h, w in zip(headers, padded, strict=True)]


def in_every_language(text: Callable[[], str] | Any) -> set[str]:
    """What a text reads as in each of the site's languages — a lazily translated label, or a
    function that builds one — so that a workbook made in any of them reads back: a header, a
    sheet name, a status word."""
    from django.conf import settings
    from django.utils import translation

    found = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            found.add(text() if callable(text) else str(text))
    return found


def workbook(*sheets: Sheet) -> bytes:
    """The .xlsx file of `sheets`, in order. Text that looks like a formula stays text."""
    from openpyxl import Workbook  # heavy: loaded when a workbook is made, not at start-up

    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    for sheet in sheets:
        _write(book.create_sheet(sheet.title), sheet)
    buffer = io.BytesIO()
    book_as_text(book).save(buffer)
    return buffer.getvalue()


def _write(target: Any, sheet: Sheet) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    target.append([c.header for c in sheet.columns])
    for row in sheet.rows:
        target.append(list(row))
    fill = PatternFill("solid", fgColor=EDITABLE_FILL)
    for index, column in enumerate(sheet.columns, start=1):
        if column.width is not None:
            target.column_dimensions[get_column_letter(index)].width = column.width
        header = target.cell(row=1, column=index)
        header.font = Font(bold=True)
        header.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        if column.editable:
            header.fill = fill
    if sheet.wrap:
        for cells in target.iter_rows(min_row=2):
            for cell in cells:
                cell.alignment = Alignment(vertical="top", wrap_text=True)
    target.freeze_panes = sheet.freeze
    target.print_title_rows = "1:1"
    target.page_setup.paperSize = target.PAPERSIZE_A4
    if sheet.landscape:
        target.page_setup.orientation = "landscape"
    if sheet.auto_filter:
        target.auto_filter.ref = target.dimensions
