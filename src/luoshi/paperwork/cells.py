"""Spreadsheet and CSV cells that cannot turn into formulas (CSV/formula injection, OWASP).

Text written by users (a measure, a username on a failed login) may begin with = + - @ or a tab or
carriage return. In .xlsx such text is stored as a text cell, which Excel and WPS never evaluate, so
the ledger still reads back exactly what it wrote; in CSV, which has no cell types, it is prefixed with
an apostrophe, the mark spreadsheet programs read as "text".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # annotations only: openpyxl loads when a workbook is made
    from openpyxl import Workbook

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(TRIGGERS):
        return "'" + value
    return value


def csv_row(values: list[Any]) -> list[Any]:
    return [csv_cell(v) for v in values]


def book_as_text(book: Workbook) -> Workbook:
    """Every cell openpyxl took for a formula (a string starting with "=") stored as text instead:
    luoshi writes no formulas of its own."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
    return book
