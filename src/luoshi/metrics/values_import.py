"""A whole table of indicator values from Excel: read, check every row, preview, then store all or none.

Columns: 指标 | 年度 | 季度 (blank = full year; 1–4 = cumulative 1–3月 … 1–12月) | 口径 (数值/增速) |
数值 | 数据来源 | 备注. A row for a period that has a value already is a correction and needs a 备注;
a row repeating the value known now is left out.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from luoshi.metrics.models import Observation, ValueBasis
from luoshi.metrics.observations import (
    COMPUTED_KINDS,
    may_enter,
    observation_record,
    period_end,
    period_label,
)
from luoshi.plans.models import Indicator, Plan

HEADERS = ["指标", "年度", "季度", "口径", "数值", "数据来源", "备注"]
BASIS_WORDS = {"": ValueBasis.LEVEL, "数值": ValueBasis.LEVEL, "增速": ValueBasis.GROWTH}


class ValuesRefused(Exception):
    """The table has problems; nothing was stored. Each problem names its row and column."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("；".join(problems))
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
    """An empty table with one line per indicator to fill in."""
    from luoshi.paperwork.workbook import Sheet, columns, workbook  # a leaf helper, no domain

    rows = [
        [indicator.name, "", "", "数值", "", "", ""]
        for indicator in plan.indicators.exclude(target_kind__in=COMPUTED_KINDS)
    ]
    return workbook(Sheet("指标实际值", columns(HEADERS, [30, 8, 8, 8, 12, 12, 30]), rows))


def _cell(values: tuple[Any, ...], index: int) -> str:
    value = values[index] if index < len(values) else None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip()


def _rows(data: bytes) -> list[tuple[int, tuple[Any, ...]]]:
    try:
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        raise ValuesRefused(["文件不是有效的 Excel 工作簿（.xlsx）"]) from error
    rows = list(sheet.iter_rows(values_only=True))
    if not rows or [str(c or "").strip() for c in rows[0][: len(HEADERS)]] != HEADERS:
        raise ValuesRefused([f"第 1 行应为表头：{' | '.join(HEADERS)}"])
    return [(n, r) for n, r in enumerate(rows[1:], start=2) if any(c not in (None, "") for c in r)]


def _current(indicator: Indicator, year: int, quarter: int | None) -> Decimal | None:
    latest = (
        Observation.objects.filter(indicator=indicator, year=year, quarter=quarter)
        .order_by("-entered_at", "-pk")
        .first()
    )
    return latest.value if latest else None


def _read_row(
    n: int, r: tuple[Any, ...], indicators: dict[str, Indicator], actor: User
) -> tuple[ValueRow | None, list[str]]:
    problems: list[str] = []
    name, year_text, quarter_text, basis_text, value_text = (_cell(r, i) for i in range(5))
    indicator = indicators.get(name)
    if indicator is None:
        problems.append(f"第 {n} 行“指标”列：方案中没有指标“{name}”")
    elif indicator.target_kind in COMPUTED_KINDS:
        problems.append(f"第 {n} 行“指标”列：“{name}”由系统计算，不能填报")
    elif not may_enter(actor, indicator):
        problems.append(f"第 {n} 行“指标”列：无权填报“{name}”")
    year = int(year_text) if year_text.isdigit() else None
    if year is None:
        problems.append(f"第 {n} 行“年度”列：应为四位年份，而不是“{year_text}”")
    quarter = int(quarter_text) if quarter_text in ("1", "2", "3", "4") else None
    if quarter_text and quarter is None:
        problems.append(f"第 {n} 行“季度”列：应为空（全年）或 1–4，而不是“{quarter_text}”")
    if basis_text not in BASIS_WORDS:
        problems.append(f"第 {n} 行“口径”列：应为“数值”或“增速”，而不是“{basis_text}”")
    try:
        value = Decimal(value_text.replace(",", ""))
        if not value.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        value = None
        problems.append(f"第 {n} 行“数值”列：“{value_text}”不是数字")
    if year is not None and period_end(year, quarter) > timezone.localdate():
        problems.append(f"第 {n} 行“年度”列：{period_label(year, quarter)}尚未结束")
    if problems or indicator is None or year is None or value is None:
        return None, problems
    was = _current(indicator, year, quarter)
    note = _cell(r, 6)
    if was is not None and was != value and not note:
        problems.append(
            f"第 {n} 行“备注”列：更正已填报的数值（原为 {was.normalize():f}）请说明原因"
        )
        return None, problems
    return (
        ValueRow(
            n, indicator, year, quarter, BASIS_WORDS[basis_text], value, _cell(r, 5), note, was
        ),
        [],
    )


def values_preview(*, plan: Plan, data: bytes, actor: User) -> list[ValueRow]:
    """Every row checked; the rows that would change something. Raises ValuesRefused on any problem."""
    indicators = {i.name: i for i in plan.indicators.all()}
    found: list[ValueRow] = []
    problems: list[str] = []
    seen: dict[tuple[str, int, int | None], int] = {}
    for n, r in _rows(data):
        row, wrong = _read_row(n, r, indicators, actor)
        problems += wrong
        if row is None:
            continue
        key = (row.indicator.name, row.year, row.quarter)
        if key in seen:
            problems.append(f"第 {n} 行：与第 {seen[key]} 行是同一指标同一期间")
        seen[key] = n
        if row.was != row.value:
            found.append(row)
    if problems:
        raise ValuesRefused(problems)
    if not found:
        raise ValuesRefused(["表中没有新的或更正的数值"])
    return found


def values_apply(*, plan: Plan, data: bytes, actor: User) -> list[Observation]:
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
                for row in values_preview(plan=plan, data=data, actor=actor)
            ]
    except (ValidationError, PermissionDenied) as error:
        raise ValuesRefused([str(m) for m in getattr(error, "messages", [str(error)])]) from error
