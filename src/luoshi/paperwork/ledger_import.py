"""The ledger back in: a department fills the progress columns in Excel/WPS and uploads the sheet.
Every row is validated (cell-precise messages), the preview lists exactly what will change, and
applying is all or nothing: draft reports under the normal workflow and permissions."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field, replace
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import models, transaction
from django.utils import translation
from django.utils.translation import gettext

from luoshi.accounts.policies import leads
from luoshi.audit.actions import AuditAction
from luoshi.audit.services import audit_record
from luoshi.ingest.archives import ArchiveRefused, archive_check
from luoshi.paperwork.ledger import (
    COLUMNS,
    EDITABLE,
    KEYS,
    PLAN_COLUMNS,
    SHEET,
    ledger_measures,
    measure_id,
    plan_values,
    same_deadline,
)
from luoshi.paperwork.workbook import in_every_language
from luoshi.plans.ingest_text import translated
from luoshi.plans.models import Measure, Plan
from luoshi.progress.models import TEXT_LIMIT, ProgressStatus, Report, ReportingCycle, ReportState
from luoshi.progress.services import report_draft, report_update


def status_words() -> dict[str, str]:
    """进展状态 as a sheet may say it: its label in any of the site's languages, or its code."""
    return {
        word: value
        for value, label in ProgressStatus.choices
        for word in in_every_language(label) | {value}
    }


@dataclass(frozen=True)
class Problem:
    """What is wrong, and where: the file, its sheet, the row and the column's key (None: the
    whole file or row). Read in the active language."""

    row: int | None
    column: str | None
    message: str
    sheet: str = ""
    file: str = ""

    def __str__(self) -> str:
        if self.row is None:
            return in_file(self.file) + self.message
        where = gettext("第%(row)d行") % {"row": self.row}
        if self.column:
            from openpyxl.utils import get_column_letter

            where = gettext("第%(row)d行 %(letter)s列（%(column)s）") % {
                "row": self.row,
                "letter": get_column_letter(KEYS.index(self.column) + 1),
                "column": COLUMNS[KEYS.index(self.column)].label,
            }
        sheet = gettext("工作表“%(sheet)s”") % {"sheet": self.sheet} if self.sheet else ""
        return gettext("%(sheet)s%(where)s：%(message)s") % {
            "sheet": in_file(self.file) + sheet,
            "where": where,
            "message": self.message,
        }


def in_file(name: str) -> str:
    """文件“台账.xlsx” — the uploaded file a problem is in, before its place ("" if unnamed)."""
    return gettext("文件“%(file)s” ") % {"file": name} if name else ""


class LedgerRefused(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(gettext("；").join(str(p) for p in problems[:20]))


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


def ledger_preview(
    *, plan: Plan, cycle: ReportingCycle, data: bytes, actor: User, name: str = ""
) -> list[Change]:
    """What the upload would change, row by row; raises LedgerRefused listing every problem (each
    naming the file `name`, the sheet, row and column)."""
    try:
        sheet, rows = _read(data)
    except LedgerRefused as refused:
        raise LedgerRefused([replace(p, file=name) for p in refused.problems]) from None
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
        raise LedgerRefused([replace(p, sheet=sheet, file=name) for p in problems])
    return changes


def ledger_apply(
    *, plan: Plan, cycle: ReportingCycle, data: bytes, actor: User, name: str = ""
) -> list[Report]:
    """Apply every change or none: drafts created or updated through the reporting services."""
    changes = ledger_preview(plan=plan, cycle=cycle, data=data, actor=actor, name=name)
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


def _refused(message: str) -> LedgerRefused:
    return LedgerRefused([Problem(None, None, message)])


def _read(data: bytes) -> tuple[str, list[tuple[int, dict[str, Any]]]]:
    """The ledger sheet's name and its filled rows (cells by column key); the sheet and its
    header may be in any of the site's languages."""
    if len(data) > settings.LUOSHI_MAX_UPLOAD_BYTES:
        limit = settings.LUOSHI_MAX_UPLOAD_BYTES // (1024 * 1024)
        raise _refused(gettext("文件超过 %(n)s MB 上限") % {"n": limit})
    try:
        from openpyxl import load_workbook  # heavy: loaded when a ledger is read

        archive_check(data)
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except ArchiveRefused as error:
        raise _refused(
            gettext("文件被拒绝（%(why)s）") % {"why": translated(error.message)}
        ) from error
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, SyntaxError) as error:
        raise _refused(
            gettext("文件不是有效的 Excel（.xlsx）台账：%(error)s")
            % {"error": type(error).__name__}
        ) from error
    name = next((n for n in book.sheetnames if n in in_every_language(SHEET)), None)
    if name is None:
        raise _refused(gettext("找不到工作表“%(sheet)s”，请使用系统导出的台账") % {"sheet": SHEET})
    lines = list(book[name].iter_rows(values_only=True))
    header = [str(v).strip() if v is not None else "" for v in (lines[0] if lines else ())]
    wrong = [
        Problem(
            1,
            column.key,
            gettext("表头应为“%(expected)s”，实际为“%(found)s”")
            % {"expected": column.label, "found": _quote(header[i] if i < len(header) else "")},
            name,
        )
        for i, column in enumerate(COLUMNS)
        if i >= len(header) or header[i] not in in_every_language(column.label)
    ]
    if wrong:
        raise LedgerRefused(wrong)
    return name, [
        (number, dict(zip(KEYS, list(values) + [None] * len(KEYS), strict=False)))
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
    measure = measures.get(str(cells["id"] or "").strip())
    if measure is None:
        problems.append(
            Problem(number, "id", gettext("未知编号“%(id)s”") % {"id": _quote(cells["id"])})
        )
        return None
    before = len(problems)
    written = _plan_values(plan, measure)
    for column in PLAN_COLUMNS:
        if column == "deadline" and same_deadline(_text(cells[column]), measure):
            continue
        if _text(cells[column]) not in written[column]:
            problems.append(Problem(number, column, gettext("只读列不能修改")))
    entered = {column: cells[column] for column in EDITABLE if cells[column] not in (None, "")}
    if not entered:
        return None
    if not leads(actor, measure):
        problems.append(
            Problem(
                number,
                None,
                gettext("举措 %(code)s 不由本单位牵头，不能填报")
                % {"code": f"{measure.task.number}.{measure.number}"},
            )
        )
    fields = _fields(number, entered, problems)
    report = drafts.get(measure.pk)
    if report is not None and report.state != ReportState.DRAFT:
        problems.append(
            Problem(
                number,
                None,
                gettext("本期报告已%(state)s，不能再通过台账修改")
                % {"state": report.get_state_display()},
            )
        )
    if len(problems) > before:
        return None
    previous = {name: getattr(report, name) for name in fields} if report else {}
    return Change(number, measure, report, fields, previous)


def _plan_values(plan: Plan, measure: Measure) -> dict[str, set[str]]:
    """Each read-only column as the sheet may say it, made in any of the site's languages."""
    found: dict[str, set[str]] = {column: set() for column in PLAN_COLUMNS}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for column, value in plan_values(plan, measure).items():
                found[column].add(value)
    return found


def _fields(number: int, entered: dict[str, Any], problems: list[Problem]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for name, value in entered.items():
        if name == "progress_status":
            status = status_words().get(_text(value))
            if status is None:
                problems.append(
                    Problem(
                        number,
                        name,
                        gettext("无效的进展状态“%(value)s”，应为：%(words)s")
                        % {"value": _quote(value), "words": _labels()},
                    )
                )
            fields[name] = status
        elif name == "percent":
            text = _text(value).rstrip("%")
            if not re.fullmatch(r"\d{1,3}(\.0+)?", text) or not 0 <= float(text) <= 100:
                problems.append(
                    Problem(
                        number,
                        name,
                        gettext("“%(value)s”不是 0–100 的整数") % {"value": _quote(value)},
                    )
                )
            else:
                fields[name] = int(float(text))
        else:
            if len(_text(value)) > TEXT_LIMIT:
                problems.append(Problem(number, name, gettext("超过 %(n)d 字") % {"n": TEXT_LIMIT}))
            fields[name] = _text(value)
    for name in ("progress_status", "percent"):
        if name not in entered:
            problems.append(Problem(number, name, gettext("填写本期进展时必须填写此项")))
    return fields


def _labels() -> str:
    return gettext("、").join(str(label) for label in ProgressStatus.labels)


def _quote(value: Any, limit: int = 40) -> str:
    """A cell as echoed in a message: never more than `limit` characters, whatever was uploaded."""
    text = _text(value)
    return (
        text
        if len(text) <= limit
        else text[:limit] + gettext("…（共 %(n)d 字）") % {"n": len(text)}
    )


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()
