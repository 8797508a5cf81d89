"""The indicator table (主要预期指标), flattened one cell per line, → indicators with both targets.

Cells are typed, not counted: a unit cell (`%`, `家`) may be missing, a target cell may run over
several lines (`2021年50%以上` / `2022年90%以上` / `2023年100%`), so rows are read by their shape:
[category] name [unit] value… — values split evenly between the target columns.

The kind of each target (年均增长, 累计, a yearly 落实率, a count of cases) is taken from what the
document says — a column headed 年均增长, the words 年均/累计/共/合计 in a cell, an indicator that
names the 落实率 or the 案例 it counts — never from its unit: a yearly percentage may be anything.
When the document does not say, the kind is UNKNOWN with an INDICATOR_KIND anomaly, and the office
confirms it (the import preview, or `import-plan --indicator-kind 名称=kind`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal

from luoshi.ingest.errors import IngestError
from luoshi.ingest.messages import Message, gettext_noop
from luoshi.ingest.model import (
    AnomalyCode,
    ParsedIndicator,
    ParsedPlan,
    ParseReport,
    Target,
    TargetKind,
)
from luoshi.ingest.numerals import int_or_chinese
from luoshi.ingest.reader import SourceLine

HEADER_WORDS = ("类别", "指标名称", "单位")
UNITS = frozenset(
    {"%", "‰", "家", "项", "个", "亿元", "万元", "亿美元", "万美元", "人", "万人", "平方公里"}
)
_NUMBER = r"(-?\d+(?:\.\d+)?)"
_BY_YEAR = re.compile(r"(\d{4})年(?:[^\d]{0,6}?)" + _NUMBER)
_CUMULATIVE = re.compile(r"(\S{1,3}?)年(?:共|累计|合计)" + _NUMBER)
_GROWTH = re.compile(r"^" + _NUMBER + "%")
_YEAR_COLUMN = re.compile(r"^(\d{4})年(?:目标|目标值|预期)?$")


def _is_value(text: str) -> bool:
    return any(c.isdigit() for c in text)


def _is_unit(text: str) -> bool:
    return text in UNITS


def _is_text(text: str) -> bool:
    """A category or an indicator name: neither a unit nor a value cell."""
    return not _is_value(text) and not _is_unit(text)


def parse_table(lines: list[SourceLine], report: ParseReport) -> list[ParsedIndicator]:
    """Indicators from the lines of the part that holds the table; [] when there is none."""
    texts = [ln.text for ln in lines]
    if "指标名称" not in texts:
        return []
    start = texts.index("指标名称")
    has_category = start > 0 and texts[start - 1] == "类别"
    while start < len(texts) and texts[start] in HEADER_WORDS:
        start += 1
    body = lines[start:]
    first_row = _first_row(body, has_category)
    headers = [
        ln.text for ln in body[:first_row]
    ]  # target columns sit between 单位 and the first row
    years = [int(m[1]) for h in headers if (m := _YEAR_COLUMN.match(h))]
    by_year = len(headers) > 1 and len(years) == len(
        headers
    )  # one 2023年目标 column is just a target
    growth_column = any("年均" in h for h in [*texts[:start], *headers])
    columns = _Columns(max(1, first_row), has_category, years if by_year else [], growth_column)
    return _rows(body[first_row:], columns, report)


@dataclass(frozen=True)
class _Columns:
    """What the header row says: how many target columns, whether rows start with a category, and
    the year of each target column when the columns are years (2021年 / 2022年 / 2023年)."""

    count: int
    has_category: bool
    years: list[int]
    growth_column: bool = False  # a column is headed 年均增长: a single percentage is annual growth


def _first_row(body: list[SourceLine], has_category: bool) -> int:
    """Index of the first data row: [category] name, then a unit or value cell."""
    width = 3 if has_category else 2
    for i in range(len(body) - width + 1):
        cells = [ln.text for ln in body[i : i + width]]
        if all(_is_text(c) for c in cells[:-1]) and not _is_text(cells[-1]):
            return i
    return 0


def _rows(body: list[SourceLine], columns: _Columns, report: ParseReport) -> list[ParsedIndicator]:
    indicators: list[ParsedIndicator] = []
    category, i = "", 0
    while i < len(body):
        line = body[i]
        if not _is_text(line.text):
            report.add(
                line.number,
                AnomalyCode.INDICATOR_CELLS,
                Message(gettext_noop("单元格“%(text)s”不属于任何一行"), {"text": line.text}),
            )
            i += 1
            continue
        if columns.has_category and i + 1 < len(body) and _is_text(body[i + 1].text):
            category, i = line.text, i + 1
            continue
        name_line, i = body[i], i + 1
        unit = ""
        if i < len(body) and _is_unit(body[i].text):
            unit, i = body[i].text, i + 1
        values: list[str] = []
        while i < len(body) and _is_value(body[i].text):
            values.append(body[i].text)
            i += 1
        indicators.append(_indicator(category, name_line, unit, values, columns, report))
    return indicators


def _indicator(
    category: str,
    name_line: SourceLine,
    unit: str,
    values: list[str],
    columns: _Columns,
    report: ParseReport,
) -> ParsedIndicator:
    unit = unit or _unit_from_values(values)
    if columns.years:
        area = _year_columns(columns.years, values, name_line, report)
        kind = _stated_kind(name_line.text, values, area, columns)
        _flag_unknown(kind, name_line, report)
        return ParsedIndicator(
            category, name_line.text, unit, kind, Target(""), area, name_line.number
        )
    per_column = len(values) // 2 if columns.count >= 2 else len(values)
    if columns.count >= 2 and len(values) % 2:
        report.add(
            name_line.number,
            AnomalyCode.INDICATOR_CELLS,
            Message(
                gettext_noop("“%(name)s”：%(count)s 个目标单元格无法分到两列"),
                {"name": name_line.text, "count": len(values)},
            ),
        )
    province = _target(values[:per_column]) if columns.count >= 2 else Target("")
    area = _target(values[per_column:] if columns.count >= 2 else values)
    kind = _stated_kind(name_line.text, values, area, columns)
    _flag_unknown(kind, name_line, report)
    return ParsedIndicator(category, name_line.text, unit, kind, province, area, name_line.number)


def _year_columns(
    years: list[int], values: list[str], name: SourceLine, report: ParseReport
) -> Target:
    """One value per year column: `2021年 50%`, `2022年 90%` …"""
    if len(values) != len(years):
        report.add(
            name.number,
            AnomalyCode.INDICATOR_CELLS,
            Message(
                gettext_noop("“%(name)s”：%(count)s 个单元格对应 %(years)s 个年份列"),
                {"name": name.text, "count": len(values), "years": len(years)},
            ),
        )
    pairs = list(zip(years, values, strict=False))
    by_year = {y: Decimal(m[1]) for y, v in pairs if (m := re.search(_NUMBER, v))}
    return Target("；".join(f"{y}年{v}" for y, v in pairs), by_year=by_year)


def _unit_from_values(values: list[str]) -> str:
    """`三年共6000家` has its unit in the value when the unit cell is missing."""
    for value in values:
        if m := re.search(r"\d([^\d\s以上下内]+)(?:以上|以下)?$", value):
            return m[1]
    return ""


def _target(cells: list[str]) -> Target:
    text = "；".join(cells)
    by_year = {int(y): Decimal(v) for cell in cells for y, v in _BY_YEAR.findall(cell)}
    if by_year:
        return Target(text, by_year=by_year)
    if cells and (m := _CUMULATIVE.search(cells[0])):
        try:
            years = int_or_chinese(m[1])
        except ValueError:
            years = None
        return Target(text, value=Decimal(m[2]), years=years)
    if cells and (m := _GROWTH.search(cells[0])):
        return Target(text, value=Decimal(m[1]))
    return Target(text)


def _stated_kind(name: str, cells: list[str], target: Target, columns: _Columns) -> TargetKind:
    """The kind the document states, else UNKNOWN (never guessed from the unit)."""
    words = name + "".join(cells)
    if target.years or "累计" in words:
        return TargetKind.CUMULATIVE
    if target.by_year:
        if "落实率" in name:  # the plan's own rate, computed from the reports
            return TargetKind.YEARLY_THRESHOLDS
        if "案例" in name:  # a number of cases, counted from the case library
            return TargetKind.COUNT
        return TargetKind.UNKNOWN
    if target.value is not None and ("年均" in words or columns.growth_column):
        return TargetKind.ANNUAL_GROWTH
    return TargetKind.UNKNOWN


def _flag_unknown(kind: TargetKind, name: SourceLine, report: ParseReport) -> None:
    if kind == TargetKind.UNKNOWN:
        report.add(
            name.number,
            AnomalyCode.INDICATOR_KIND,
            Message(
                gettext_noop("“%(name)s”：文件未写明目标是年均增长、累计还是逐年门槛，请确认类型"),
                {"name": name.text},
            ),
        )


def with_kinds(parsed: ParsedPlan, kinds: Mapping[str, str]) -> ParsedPlan:
    """The plan with the kinds the office confirmed (indicator name → kind). A name the plan does not
    have, or a kind that does not exist, is refused naming it; nothing else changes."""
    names = {i.name for i in parsed.indicators}
    table = Message(gettext_noop("指标表"))
    for name, kind in kinds.items():
        if name not in names:
            absent = gettext_noop("指标“%(name)s”不在方案的指标表中")
            raise IngestError(parsed.source_name, Message(absent, {"name": name}), table)
        if kind not in TargetKind.__members__.values():
            allowed = ", ".join(k.value for k in TargetKind)
            wrong = gettext_noop("指标“%(name)s”的类型“%(kind)s”无效（可选：%(allowed)s）")
            params: dict[str, object] = {"name": name, "kind": kind, "allowed": allowed}
            raise IngestError(parsed.source_name, Message(wrong, params), table)
    return replace(
        parsed,
        indicators=[
            replace(i, kind=TargetKind(kinds[i.name])) if i.name in kinds else i
            for i in parsed.indicators
        ],
    )
