"""A whole table of indicator values from Excel: read, check every row, preview, then store all or none.

Columns: 指标 | 年度 | 季度 (blank = full year; 1–4 = cumulative 1–3月 … 1–12月) | 口径 (数值/增速) |
数值 | 数据来源 | 备注. A row for a period that has a value already is a correction and needs a 备注;
a row repeating the value known now is left out.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _l

from luoshi.metrics.models import Observation, ValueBasis
from luoshi.metrics.observations import (
    COMPUTED_KINDS,
    may_enter,
    observation_record,
    period_end,
    period_label,
)
from luoshi.plans.models import Indicator, Plan

# The table's columns in order: key → header, read back in any of the site's languages.
COLUMNS = {
    "indicator": _l("指标"),
    "year": _l("年度"),
    "quarter": _l("季度"),
    "basis": _l("口径"),
    "value": _l("数值"),
    "source": _l("数据来源"),
    "note": _l("备注"),
}
SHEET = _l("指标实际值")
TEMPLATE_FILLED = (0, 3)  # the columns the template writes in: 指标, 口径
UNIT = r"\s*[(\uff08][^()\uff08\uff09]*[)\uff09]$"  # a label's unit in brackets: "增速（%）"


def headers() -> list[str]:
    """The header row in the active language."""
    return [str(label) for label in COLUMNS.values()]


def basis_words() -> dict[str, str]:
    """口径 as a table may say it: blank (数值), the code, or the label in any of the site's
    languages, with or without its unit ("增速（%）", "增速")."""
    from luoshi.paperwork.workbook import in_every_language  # a leaf helper, no domain

    words = {"": ValueBasis.LEVEL.value}
    for value, label in ValueBasis.choices:
        for word in in_every_language(label) | {value}:
            words[word] = words[re.sub(UNIT, "", word)] = value
    return words


class ValuesRefused(Exception):
    """The table has problems; nothing was stored. Each problem names its sheet, row and column."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(gettext("；").join(problems))
        self.problems = problems


@dataclass(frozen=True)
class ValueRow:
    row: int
    indicator: Indicator
    year: int
    quarter: int | None
    basis: str
    value: Decimal
    source: str
    note: str
    was: Decimal | None  # the value known now, for a correction

    @property
    def period(self) -> str:
        return period_label(self.year, self.quarter)


def values_template(plan: Plan) -> bytes:
    """An empty table with one line per indicator to fill in, in the active language."""
    from luoshi.paperwork.workbook import Sheet, columns, workbook  # a leaf helper, no domain

    level = str(ValueBasis.LEVEL.label)
    rows = [
        [indicator.name, "", "", level, "", "", ""]
        for indicator in plan.indicators.exclude(target_kind__in=COMPUTED_KINDS)
    ]
    return workbook(Sheet(str(SHEET), columns(headers(), [30, 8, 8, 8, 12, 12, 30]), rows))


def _cell(values: tuple[Any, ...], index: int) -> str:
    value = values[index] if index < len(values) else None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip()


def _rows(data: bytes) -> tuple[str, list[tuple[int, tuple[Any, ...]]]]:
    """The first sheet's name and its filled rows, once its header is the table's (in any of the
    site's languages)."""
    from luoshi.paperwork.workbook import in_every_language  # a leaf helper, no domain

    try:
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        raise ValuesRefused([gettext("文件不是有效的 Excel 工作簿（.xlsx）")]) from error
    rows = list(sheet.iter_rows(values_only=True))
    found = [str(c or "").strip() for c in rows[0][: len(COLUMNS)]] if rows else []
    if len(found) < len(COLUMNS) or any(
        cell not in in_every_language(label)
        for cell, label in zip(found, COLUMNS.values(), strict=False)
    ):
        raise ValuesRefused(
            [
                _where(sheet.title, 1, None)
                + gettext("应为表头：%(headers)s") % {"headers": " | ".join(headers())}
            ]
        )
    # A template line left as it came (the indicator and its basis, nothing entered) is skipped.
    filled = [
        (n, r)
        for n, r in enumerate(rows[1:], start=2)
        if any(c not in (None, "") for i, c in enumerate(r) if i not in TEMPLATE_FILLED)
    ]
    return sheet.title, filled


def _where(sheet: str, row: int, column: str | None) -> str:
    """工作表“指标实际值”第 3 行“季度”列：— the place a problem names, before its message."""
    place = {"sheet": sheet, "row": row}
    if column is None:
        return gettext("工作表“%(sheet)s”第 %(row)d 行：") % place
    return gettext("工作表“%(sheet)s”第 %(row)d 行“%(column)s”列：") % {
        **place,
        "column": COLUMNS[column],
    }


def _current(indicator: Indicator, year: int, quarter: int | None) -> Decimal | None:
    latest = (
        Observation.objects.filter(indicator=indicator, year=year, quarter=quarter)
        .order_by("-entered_at", "-pk")
        .first()
    )
    return latest.value if latest else None


def _read_row(
    sheet: str, n: int, r: tuple[Any, ...], indicators: dict[str, Indicator], actor: User
) -> tuple[ValueRow | None, list[str]]:
    problems: list[str] = []

    def wrong(column: str, message: str) -> None:
        problems.append(_where(sheet, n, column) + message)

    name, year_text, quarter_text, basis_text, value_text = (_cell(r, i) for i in range(5))
    indicator = indicators.get(name)
    if indicator is None:
        wrong("indicator", gettext("方案中没有指标“%(name)s”") % {"name": name})
    elif indicator.target_kind in COMPUTED_KINDS:
        wrong("indicator", gettext("“%(name)s”由系统计算，不能填报") % {"name": name})
    elif not may_enter(actor, indicator):
        wrong("indicator", gettext("无权填报“%(name)s”") % {"name": name})
    year = int(year_text) if year_text.isdigit() else None
    if year is None:
        wrong("year", gettext("应为四位年份，而不是“%(text)s”") % {"text": year_text})
    quarter = int(quarter_text) if quarter_text in ("1", "2", "3", "4") else None
    if quarter_text and quarter is None:
        wrong("quarter", gettext("应为空（全年）或 1–4，而不是“%(text)s”") % {"text": quarter_text})
    bases = basis_words()
    if basis_text not in bases:
        words = gettext("、").join(f"“{label}”" for label in ValueBasis.labels)
        wrong(
            "basis",
            gettext("应为%(words)s，而不是“%(text)s”") % {"words": words, "text": basis_text},
        )
    try:
        value = Decimal(value_text.replace(",", ""))
        if not value.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        value = None
        wrong("value", gettext("“%(text)s”不是数字") % {"text": value_text})
    if year is not None and period_end(year, quarter) > timezone.localdate():
        wrong("year", gettext("%(period)s尚未结束") % {"period": period_label(year, quarter)})
    if problems or indicator is None or year is None or value is None:
        return None, problems
    was = _current(indicator, year, quarter)
    note = _cell(r, 6)
    if was is not None and was != value and not note:
        wrong(
            "note",
            gettext("更正已填报的数值（原为 %(was)s）请说明原因") % {"was": f"{was.normalize():f}"},
        )
        return None, problems
    return (
        ValueRow(n, indicator, year, quarter, bases[basis_text], value, _cell(r, 5), note, was),
        [],
    )


def values_preview(*, plan: Plan, data: bytes, actor: User, name: str = "") -> list[ValueRow]:
    """Every row checked; the rows that would change something. Raises ValuesRefused on any problem,
    each naming the file `name`, the sheet, row and column."""
    try:
        return _checked(plan, data, actor)
    except ValuesRefused as refused:
        if not name:
            raise
        place = gettext("文件“%(file)s” ") % {"file": name}
        raise ValuesRefused([place + p for p in refused.problems]) from None


def _checked(plan: Plan, data: bytes, actor: User) -> list[ValueRow]:
    indicators = {i.name: i for i in plan.indicators.all()}
    found: list[ValueRow] = []
    problems: list[str] = []
    seen: dict[tuple[str, int, int | None], int] = {}
    sheet, rows = _rows(data)
    for n, r in rows:
        row, wrong = _read_row(sheet, n, r, indicators, actor)
        problems += wrong
        if row is None:
            continue
        key = (row.indicator.name, row.year, row.quarter)
        if key in seen:
            problems.append(
                _where(sheet, n, None)
                + gettext("与第 %(other)d 行是同一指标同一期间") % {"other": seen[key]}
            )
        seen[key] = n
        if row.was != row.value:
            found.append(row)
    if problems:
        raise ValuesRefused(problems)
    if not found:
        raise ValuesRefused([gettext("表中没有新的或更正的数值")])
    return found


def values_apply(*, plan: Plan, data: bytes, actor: User, name: str = "") -> list[Observation]:
    """Store every row of the table in one transaction: all of them, or none."""
    try:
        with transaction.atomic():
            return [
                observation_record(
                    indicator=row.indicator,
                    year=row.year,
                    quarter=row.quarter,
                    basis=row.basis,
                    value=row.value,
                    source=row.source,
                    note=row.note,
                    actor=actor,
                )
                for row in values_preview(plan=plan, data=data, actor=actor, name=name)
            ]
    except (ValidationError, PermissionDenied) as error:
        raise ValuesRefused([str(m) for m in getattr(error, "messages", [str(error)])]) from error
