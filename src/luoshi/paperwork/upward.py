"""Upward reporting (向上级报送): a plan's status as of a date for the higher-level office, as JSON
(format `luoshi-upward/1`) and as an Excel workbook with the same content. Format: docs/upward-export.md.

Every figure comes from the same functions as the dashboard (the headline, rates by section and by
organisation, KPI statuses), so what is sent up is what the office sees on D.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _l

from luoshi.metrics.headline import Headline, headline
from luoshi.metrics.kpi import KpiColour, kpi_statuses
from luoshi.metrics.lights import Colour
from luoshi.metrics.rates import Rate, rates_by_organisation, rates_by_section
from luoshi.paperwork.workbook import Sheet, columns, workbook
from luoshi.plans.models import Plan, TargetKind

FORMAT = "luoshi-upward/1"


def _rate(rate: Rate) -> dict[str, Any]:
    return {"done": rate.done, "total": rate.total, "percent": rate.percent}


def upward_data(plan: Plan, as_of: dt.date) -> dict[str, Any]:
    """The export as plain data (JSON types only)."""
    h = headline(plan, as_of)
    facts = h.facts
    overdue = {late.task.id: late.days for late in h.overdue}
    return {
        "format": FORMAT,
        "plan": {"id": plan.pk, "title": plan.title, "issuer": plan.issuer},
        "as_of": as_of.isoformat(),
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "summary": _summary(h),
        "sections": [
            {"section": name, **_rate(rate)} for name, rate in rates_by_section(facts, as_of).items()
        ],
        "organisations": [
            {"organisation": r.name, "as_lead": _rate(r.as_lead), "as_supporting": _rate(r.as_supporting)}
            for r in rates_by_organisation(facts, as_of)
        ],
        "tasks": [
            {
                "number": t.number,
                "title": t.title,
                "section": t.section,
                "due_date": t.due_date.isoformat() if t.due_date else None,
                "ongoing": t.ongoing,
                "status": "implemented" if t.done(as_of) else "overdue" if t.id in overdue else "in_progress",
                "implemented_on": t.implemented_on.isoformat() if t.done(as_of) and t.implemented_on else None,
                "days_overdue": overdue.get(t.id),
                "light": h.task_lights[t.id].colour.key,
                "lead_units": sorted(
                    {facts.organisations[o] for i in t.measure_ids for o in facts.measures[i].leads}
                ),
            }
            for t in facts.tasks
        ],
        "indicators": [
            {k: v for k, v in k_.as_dict().items() if k != "indicator_id"}
            for k_ in kpi_statuses(plan, as_of)
        ],
    }  # fmt: skip


def _summary(h: Headline) -> dict[str, Any]:
    return {
        "task_rate": _rate(h.rate),
        "measure_rate": _rate(h.measure_rate),
        "target": {"year": h.target.year, "percent": h.target.value} if h.target else None,
        "on_target": h.on_target,
        "lights": h.lights_by_colour,
        "overdue_tasks": len(h.overdue),
        "due_soon_tasks": len(h.due_soon),
    }


def upward_json(plan: Plan, as_of: dt.date) -> str:
    return json.dumps(upward_data(plan, as_of), ensure_ascii=False, indent=1)


# Column headings of the task sheet (the JSON keys, in the reader's language).
TASK_COLUMNS = [
    ("number", _l("序号")),
    ("title", _l("任务")),
    ("section", _l("部分")),
    ("due_date", _l("完成时限")),
    ("status", _l("状态")),
    ("implemented_on", _l("落实日期")),
    ("days_overdue", _l("逾期天数")),
    ("light", _l("预警")),
    ("lead_units", _l("牵头单位")),
]


def _words() -> dict[str, dict[str, str]]:
    """The JSON's codes as the workbook's reader reads them (task status, light, KPI kind and
    status), in the active language."""
    return {
        "status": {
            "implemented": gettext("已落实"),
            "overdue": gettext("逾期"),
            "in_progress": gettext("推进中"),
        },
        "light": {c.key: str(c.label) for c in Colour},
        "kind": {str(k): str(label) for k, label in TargetKind.choices},
        "kpi": {str(k): str(label) for k, label in KpiColour.choices},
    }


def _task_row(task: dict[str, Any], words: dict[str, dict[str, str]]) -> list[Any]:
    row = []
    for key, _label in TASK_COLUMNS:
        value = task[key]
        if key == "lead_units":
            value = gettext("、").join(value)
        elif key in ("status", "light"):
            value = words[key].get(value, value)
        row.append(value)
    return row


def upward_xlsx(plan: Plan, as_of: dt.date) -> bytes:
    """The same content as the JSON: 概况, 分部分, 分单位, 任务, 指标 sheets, in the active language."""
    data = upward_data(plan, as_of)
    s = data["summary"]
    target = s["target"] or {}
    lights = s["lights"]
    summary = [
        (gettext("格式"), data["format"]),
        (gettext("方案"), data["plan"]["title"]),
        (gettext("截至日期"), data["as_of"]),
        (gettext("生成时间"), data["generated_at"]),
        (gettext("任务落实率 %"), s["task_rate"]["percent"]),
        (gettext("已落实任务"), s["task_rate"]["done"]),
        (gettext("任务总数"), s["task_rate"]["total"]),
        (gettext("举措落实率 %"), s["measure_rate"]["percent"]),
        (gettext("目标年度"), target.get("year")),
        (gettext("目标 %"), target.get("percent")),
        (
            gettext("红灯 / 黄灯 / 绿灯"),
            f"{lights['red']} / {lights['yellow']} / {lights['green']}",
        ),
        (gettext("逾期任务"), s["overdue_tasks"]),
        (gettext("即将到期任务"), s["due_soon_tasks"]),
    ]
    sections = [[r["section"], r["done"], r["total"], r["percent"]] for r in data["sections"]]
    units = [
        [
            r["organisation"],
            r["as_lead"]["done"],
            r["as_lead"]["total"],
            r["as_lead"]["percent"],
            r["as_supporting"]["done"],
            r["as_supporting"]["total"],
        ]
        for r in data["organisations"]
    ]
    words = _words()
    tasks = [_task_row(t, words) for t in data["tasks"]]
    indicators = [
        [
            k["name"],
            words["kind"].get(k["kind"], k["kind"]),
            words["kpi"].get(k["status"], k["status"]),
            k["value"],
            k["target"],
            k["reason"],
        ]
        for k in data["indicators"]
    ]
    return workbook(
        Sheet(
            pgettext("sheet", "概况"),
            columns([gettext("项目"), gettext("数值")], [20, 50]),
            summary,
        ),
        Sheet(
            pgettext("sheet", "分部分"),
            columns([gettext("部分"), gettext("已落实"), gettext("总数"), gettext("落实率 %")]),
            sections,
        ),
        Sheet(
            pgettext("sheet", "分单位"),
            columns(
                [
                    gettext("单位"),
                    gettext("牵头已落实"),
                    gettext("牵头总数"),
                    gettext("牵头落实率 %"),
                    gettext("配合已落实"),
                    gettext("配合总数"),
                ]
            ),
            units,
        ),
        Sheet(pgettext("sheet", "任务"), columns([str(label) for _, label in TASK_COLUMNS]), tasks),
        Sheet(
            pgettext("sheet", "指标"),
            columns(
                [
                    gettext("指标"),
                    gettext("类型"),
                    gettext("状态"),
                    gettext("当前值"),
                    gettext("目标"),
                    gettext("说明"),
                ]
            ),
            indicators,
        ),
    )
