"""The whole structured plan out: JSON (for machines and regression tests) and the .xlsx ledger (台账)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.utils.timezone import localtime
from django.utils.translation import gettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _l

from luoshi.paperwork.workbook import Column, Sheet, workbook
from luoshi.plans.models import Duty, Measure, Plan, Responsibility, Task

_RESPONSIBILITIES = Prefetch(
    "responsibilities",
    queryset=Responsibility.objects.select_related("organisation").order_by("position"),
)


def _tasks(plan: Plan) -> list[Task]:
    measures = Prefetch("measures", queryset=Measure.objects.prefetch_related(_RESPONSIBILITIES))
    return list(plan.tasks.select_related("section").prefetch_related(_RESPONSIBILITIES, measures))


def _units(duties: Any) -> list[dict[str, Any]]:
    return [
        {
            "organisation": d.organisation.name,
            "role": d.role,
            "as_written": d.as_written,
            "and_others": d.and_others,
            "source": d.source,
        }
        for d in duties.all()
    ]


def plan_as_dict(plan: Plan) -> dict[str, Any]:
    """Every field of the plan that came from the document, in document order."""
    return {
        "title": plan.title,
        "issuer": plan.issuer,
        "published_at": localtime(plan.published_at).isoformat() if plan.published_at else None,
        "status": plan.status,
        "level": plan.level,
        "area_km2": str(plan.area_km2) if plan.area_km2 is not None else None,
        "facts": plan.facts,
        "sections": [
            {"number": s.number, "title": s.title, "lines": [s.first_line, s.last_line]}
            for s in plan.sections.all()
        ],
        "targets": [
            {"kind": t.kind, "year": t.year, "value": str(t.value), "text": t.text}
            for t in plan.targets.all()
        ],
        "indicators": [
            {
                "category": i.category,
                "name": i.name,
                "unit": i.unit,
                "target_kind": i.target_kind,
                "province_target": i.province_target,
                "area_target": i.area_target,
                "area_value": str(i.area_value) if i.area_value is not None else None,
                "area_by_year": i.area_by_year,
                "period_years": i.period_years,
            }
            for i in plan.indicators.all()
        ],
        "tasks": [_task_dict(t) for t in _tasks(plan)],
    }


def _task_dict(task: Task) -> dict[str, Any]:
    return {
        "number": task.number,
        "numeral": task.numeral,
        "section": task.section.number,
        "title": task.title,
        "deadline_text": task.deadline_text,
        "due_kind": task.due_kind,
        "due_date": task.due_date.isoformat() if task.due_date else None,
        "evaluation_target": task.evaluation_target,
        "units_note": task.units_note,
        "lines": [task.first_line, task.last_line],
        "units": _units(task.responsibilities),
        "measures": [
            {
                "code": f"{task.number}.{m.number}",
                "number": m.number,
                "number_as_written": m.number_as_written,
                "group": m.group,
                "text": m.text,
                "scope": m.scope,
                "deadline_text": m.deadline_text,
                "due_kind": m.due_kind,
                "due_date": m.due_date.isoformat() if m.due_date else None,
                "units_note": m.units_note,
                "lines": [m.first_line, m.last_line],
                "units": _units(m.responsibilities),
            }
            for m in task.measures.all()
        ],
    }


TASK_COLUMNS = [
    (pgettext_lazy("column", "任务编号"), 9),
    (_l("任务"), 60),
    (_l("责任单位"), 40),
    (_l("落实时间"), 16),
    (_l("截止日期"), 12),
    (_l("评估目标"), 60),
]
MEASURE_COLUMNS = [
    (pgettext_lazy("column", "举措编号"), 9),
    (pgettext_lazy("column", "任务编号"), 9),
    (_l("举措"), 70),
    (_l("牵头单位"), 24),
    (_l("配合单位"), 40),
    (_l("落实时间"), 16),
    (_l("截止日期"), 12),
    (_l("原文行"), 9),
]


def _names(duties: Any, *roles: str) -> str:
    return gettext("、").join(
        d.organisation.name + (pgettext("and other units", "等") if d.and_others else "")
        for d in duties.all()
        if d.role in roles
    )


def plan_as_xlsx(plan: Plan) -> bytes:
    """Two sheets: 任务 (tasks) and 举措台账 (one row per measure with its units and deadline), in
    the active language."""
    all_roles = (Duty.LEAD, Duty.SUPPORTING, Duty.RESPONSIBLE)
    task_rows, measure_rows = [], []
    for task in _tasks(plan):
        due = task.due_date.isoformat() if task.due_date else ""
        task_rows.append(
            [
                task.number,
                task.title,
                _names(task.responsibilities, *all_roles),
                task.deadline_text,
                due,
                task.evaluation_target,
            ]
        )
        for m in task.measures.all():
            words, measure_due = m.deadline_in_force
            measure_rows.append(
                [
                    f"{task.number}.{m.number}",
                    task.number,
                    m.text,
                    _names(m.responsibilities, Duty.LEAD),
                    _names(m.responsibilities, Duty.SUPPORTING, Duty.RESPONSIBLE),
                    words,
                    measure_due.isoformat() if measure_due else "",
                    m.first_line,
                ]
            )
    return workbook(
        Sheet(pgettext("sheet", "任务"), _columns(TASK_COLUMNS), task_rows, auto_filter=True),
        Sheet(
            pgettext("sheet", "举措台账"), _columns(MEASURE_COLUMNS), measure_rows, auto_filter=True
        ),
    )


def _columns(declared: list[tuple[Any, int]]) -> list[Column]:
    return [Column(str(name), width) for name, width in declared]
