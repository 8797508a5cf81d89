"""The ledger back in: a department fills the progress columns in Excel/WPS and uploads the sheet.
Every row is validated (cell-precise messages), the preview lists exactly what will change, and
applying is all or nothing: draft reports under the normal workflow and permissions."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import models, transaction

from luoshi.accounts.policies import leads
from luoshi.audit.actions import AuditAction
from luoshi.audit.services import audit_record
from luoshi.ingest.archives import ArchiveRefused, archive_check
from luoshi.paperwork.ledger import (
    EDITABLE,
    HEADERS,
    PLAN_COLUMNS,
    SHEET,
    ledger_measures,
    measure_id,
    plan_values,
    same_deadline,
)
from luoshi.plans.models import Measure, Plan
from luoshi.progress.models import TEXT_LIMIT, ProgressStatus, Report, ReportingCycle, ReportState
from luoshi.progress.services import report_draft, report_update

FIELDS = {
    "本期进展状态": "progress_status",
    "本期完成比例": "percent",
    "本期工作进展": "work_done",
    "本期问题与困难": "problems",
    "本期下一步计划": "next_steps",
}
STATUS_BY_LABEL = {str(label): value for value, label in ProgressStatus.choices} | {
    v: v for v in ProgressStatus.values
}


@dataclass(frozen=True)
class Problem:
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        where = f"第{self.row}行"
        if self.column:
            from openpyxl.utils import get_column_letter

            where += f" {get_column_letter(HEADERS.index(self.column) + 1)}列（{self.column}）"
        return f"{where}：{self.message}"


class LedgerRefused(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("；".join(str(p) for p in problems[:20]))


@dataclass
class Change:
    row: int
    measure: Measure
    report: Report | None  # this cycle's draft, if there is one
    fields: dict[str, Any] = field(default_factory=dict)
    before: dict[str, Any] = field(default_factory=dict)

    def shown(self) -> list[tuple[str, str]]:
        """(field label, value as people read it) for each change: 进展状态 推进中, not codes."""
        out = []
        for name, value in self.fields.items():
            model_field = Report._meta.get_field(name)
            assert isinstance(model_field, models.Field)  # the ledger writes plain columns only
            choices = dict(model_field.flatchoices or ())
            out.append((str(model_field.verbose_name), str(choices.get(value, value))))
        return out


def ledger_preview(*, plan: Plan, cycle: ReportingCycle, data: bytes, actor: User) -> list[Change]:
    """What the upload would change, row by row; raises LedgerRefused listing every problem."""
    rows = _read(data)
    measures = {measure_id(plan, m): m for m in ledger_measures(plan)}
    drafts = {
        r.measure_id: r for r in Report.objects.filter(cycle=cycle, measure__in=measures.values())
    }
    problems: list[Problem] = []
    changes: list[Change] = []
    for number, cells in rows:
        change = _row(plan, number, cells, measures, drafts, actor, problems)
        if change is not None:
            changes.append(change)
    if problems:
        raise LedgerRefused(problems)
    return changes


def ledger_apply(*, plan: Plan, cycle: ReportingCycle, data: bytes, actor: User) -> list[Report]:
    """Apply every change or none: drafts created or updated through the reporting services."""
    changes = ledger_preview(plan=plan, cycle=cycle, data=data, actor=actor)
    with transaction.atomic():
        reports = []
        for change in changes:
            if change.report is None:
                reports.append(
                    report_draft(measure=change.measure, cycle=cycle, actor=actor, **change.fields)
                )
            else:
                reports.append(
                    report_update(
                        report=change.report,
                        actor=actor,
                        version=change.report.version,
                        **change.fields,
                    )
                )
        audit_record(
            actor=actor,
            action=AuditAction.LEDGER_IMPORT,
            obj=cycle,
            detail={"rows": [c.row for c in changes]},
        )
    return reports


def _read(data: bytes) -> list[tuple[int, dict[str, Any]]]:
    if len(data) > settings.LUOSHI_MAX_UPLOAD_BYTES:
        raise LedgerRefused(
            [
                Problem(
                    None,
                    None,
                    f"文件超过 {settings.LUOSHI_MAX_UPLOAD_BYTES // (1024 * 1024)} MB 上限",
                )
            ]
        )
    try:
        from openpyxl import load_workbook  # heavy: loaded when a ledger is read

        archive_check(data)
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except ArchiveRefused as error:
        raise LedgerRefused([Problem(None, None, f"文件被拒绝（{error}）")]) from error
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, SyntaxError) as error:
        raise LedgerRefused(
            [Problem(None, None, f"文件不是有效的 Excel（.xlsx）台账：{type(error).__name__}")]
        ) from error
    if SHEET not in book.sheetnames:
        raise LedgerRefused([Problem(None, None, f"找不到工作表“{SHEET}”，请使用系统导出的台账")])
    lines = list(book[SHEET].iter_rows(values_only=True))
    header = [str(v).strip() if v is not None else "" for v in (lines[0] if lines else ())]
    wrong = [
        Problem(
            1,
            expected,
            f"表头应为“{expected}”，实际为“{_quote(header[i] if i < len(header) else '')}”",
        )
        for i, expected in enumerate(HEADERS)
        if i >= len(header) or header[i] != expected
    ]
    if wrong:
        raise LedgerRefused(wrong)
    return [
        (number, dict(zip(HEADERS, list(values) + [None] * len(HEADERS), strict=False)))
        for number, values in enumerate(lines[1:], start=2)
        if any(v not in (None, "") for v in values)
    ]


def _row(
    plan: Plan,
    number: int,
    cells: dict[str, Any],
    measures: dict[str, Measure],
    drafts: dict[int, Report],
    actor: User,
    problems: list[Problem],
) -> Change | None:
    measure = measures.get(str(cells["ID"] or "").strip())
    if measure is None:
        problems.append(Problem(number, "ID", f"未知编号“{_quote(cells['ID'])}”"))
        return None
    before = len(problems)
    expected = plan_values(plan, measure)
    for column in PLAN_COLUMNS:
        if column == "截止日期" and same_deadline(_text(cells[column]), measure):
            continue
        if _text(cells[column]) != expected[column]:
            problems.append(Problem(number, column, "只读列不能修改"))
    entered = {column: cells[column] for column in EDITABLE if cells[column] not in (None, "")}
    if not entered:
        return None
    if not leads(actor, measure):
        problems.append(
            Problem(
                number,
                None,
                f"举措 {measure.task.number}.{measure.number} 不由本单位牵头，不能填报",
            )
        )
    fields = _fields(number, entered, problems)
    report = drafts.get(measure.pk)
    if report is not None and report.state != ReportState.DRAFT:
        problems.append(
            Problem(number, None, f"本期报告已{report.get_state_display()}，不能再通过台账修改")
        )
    if len(problems) > before:
        return None
    previous = {name: getattr(report, name) for name in fields} if report else {}
    return Change(number, measure, report, fields, previous)


def _fields(number: int, entered: dict[str, Any], problems: list[Problem]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for column, value in entered.items():
        name = FIELDS[column]
        if name == "progress_status":
            status = STATUS_BY_LABEL.get(_text(value))
            if status is None:
                problems.append(
                    Problem(
                        number,
                        column,
                        f"无效的进展状态“{_quote(value)}”，应为：{_labels()}",
                    )
                )
            fields[name] = status
        elif name == "percent":
            text = _text(value).rstrip("%")
            if not re.fullmatch(r"\d{1,3}(\.0+)?", text) or not 0 <= float(text) <= 100:
                problems.append(Problem(number, column, f"“{_quote(value)}”不是 0–100 的整数"))
            else:
                fields[name] = int(float(text))
        else:
            if len(_text(value)) > TEXT_LIMIT:
                problems.append(Problem(number, column, f"超过 {TEXT_LIMIT} 字"))
            fields[name] = _text(value)
    for column in ("本期进展状态", "本期完成比例"):
        if column not in entered:
            problems.append(Problem(number, column, "填写本期进展时必须填写此项"))
    return fields


def _labels() -> str:
    return "、".join(str(label) for label in ProgressStatus.labels)


def _quote(value: Any, limit: int = 40) -> str:
    """A cell as echoed in a message: never more than `limit` characters, whatever was uploaded."""
    text = _text(value)
    return text if len(text) <= limit else text[:limit] + f"…（共 {len(text)} 字）"


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()
