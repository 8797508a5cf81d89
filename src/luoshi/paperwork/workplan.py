"""Per-organisation annual work plan and reform project list (年度工作计划 / 改革项目清单): its measures,
role, deadline, responsible person and the verifiable result (from the task's 评估目标)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.utils import timezone

from luoshi.accounts.models import Person
from luoshi.accounts.selectors import named_people, unit_measures
from luoshi.paperwork.word import body, in_chinese, official, table, title
from luoshi.paperwork.workbook import Sheet, columns, workbook
from luoshi.plans.models import Duty, Organisation, Plan
from luoshi.progress.timing import Deadline, deadline_batch, measure_deadline
from luoshi.workplans.selectors import unit_milestones

HEADER = [
    "序号",
    "举措编号",
    "改革举措",
    "角色",
    "落实时间",
    "责任人",
    "职务",
    "联系电话",
    "可检验的成果（评估目标）",
]
WIDTHS = [6, 10, 50, 10, 14, 10, 14, 18, 50]
UNNAMED = "（待指定）"


def workplan_rows(
    plan: Plan, organisation: Organisation, as_of: dt.date | None = None
) -> list[list[Any]]:
    """One row per measure of the organisation; a deadline moved by an extension (as of `as_of`,
    today by default) keeps the plan's words with "原定 X，延期至 Y" beside them."""
    on = as_of or timezone.localdate()
    measures = list(unit_measures(plan, organisation))
    people = named_people(organisation, measures)
    with deadline_batch():
        deadlines = {m.pk: measure_deadline(m, on) for m in measures}
    rows = []
    for index, m in enumerate(measures, start=1):
        role = next(
            d for d in m.responsibilities.all() if d.organisation_id == organisation.pk
        ).role
        rows.append(
            [
                index,
                f"{m.task.number}.{m.number}",
                m.text,
                str(Duty(role).label),
                _deadline_cell(deadlines[m.pk]),
                *_person_cells(people.get(m.pk)),
                m.task.evaluation_target,
            ]
        )
    return rows


def _deadline_cell(deadline: Deadline) -> str:
    return f"{deadline.words}（{deadline.note}）" if deadline.note else deadline.words


def _person_cells(person: Person | None) -> list[str]:
    if person is None:
        return [UNNAMED, "", ""]
    return [person.name, person.post, person.phones]


MILESTONE_HEADER = ["序号", "举措编号", "节点日期", "节点任务", "可检验的成果", "完成情况"]


def milestone_rows(plan: Plan, organisation: Organisation, year: int) -> list[list[Any]]:
    """The year's approved milestones (节点) of the unit's work plan: what makes each year's differ."""
    rows: list[list[Any]] = []
    found = unit_milestones(organisation, plan, year).order_by("due_on", "pk")
    for index, m in enumerate(found, start=1):
        done = f"已完成（{m.met_on:%Y-%m-%d}）" if m.met_on else "未完成"
        rows.append([index, m.measure.code, f"{m.due_on:%Y-%m-%d}", m.deliverable, m.result, done])
    return rows


@in_chinese
def workplan_docx(plan: Plan, organisation: Organisation, year: int) -> bytes:
    import docx  # heavy: loaded when a document is made, not at start-up

    document = docx.Document()
    official(document, landscape=True)  # a wide table: A4 turned, 公文 margins and page numbers
    title(document, f"{organisation.name}{year}年度自贸片区改革工作计划\n暨改革项目清单")
    rows = workplan_rows(plan, organisation)
    lead = sum(1 for r in rows if r[3] == Duty.LEAD.label)
    body(
        document,
        f"依据《{plan.title}》，本单位牵头举措{lead}项、配合举措{len(rows) - lead}项，逐项明确责任人和可检验成果如下。",
    )
    table(document, HEADER, rows)
    document.add_heading(f"{year}年度工作节点", level=2)
    milestones = milestone_rows(plan, organisation, year)
    if milestones:
        table(document, MILESTONE_HEADER, milestones)
    else:
        document.add_paragraph(f"{year}年度工作计划尚未经片区办审定，暂无节点。")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@in_chinese
def workplan_xlsx(plan: Plan, organisation: Organisation, year: int) -> bytes:
    rows = workplan_rows(plan, organisation)
    return workbook(
        Sheet("改革项目清单", columns(HEADER, WIDTHS), rows, wrap=True, landscape=True),
        Sheet(
            f"{year}年度节点",
            columns(MILESTONE_HEADER, [6, 10, 12, 50, 50, 18]),
            milestone_rows(plan, organisation, year),
            wrap=True,
        ),
    )
