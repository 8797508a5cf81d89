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

from luoshi.metrics.headline import Headline, headline
from luoshi.metrics.kpi import kpi_statuses
from luoshi.metrics.rates import Rate, rates_by_organisation, rates_by_section
from luoshi.paperwork.workbook import Sheet, columns, workbook
from luoshi.plans.models import Plan

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


# Column headings of the workbook's sheets (the JSON keys, in Chinese for the reader).
TASK_COLUMNS = [
    ("number", "序号"),
    ("title", "任务"),
    ("section", "部分"),
    ("due_date", "完成时限"),
    ("status", "状态"),
    ("implemented_on", "落实日期"),
    ("days_overdue", "逾期天数"),
    ("light", "预警"),
    ("lead_units", "牵头单位"),
]


def upward_xlsx(plan: Plan, as_of: dt.date) -> bytes:
    """The same content as the JSON: 概况, 分部分, 分单位, 任务, 指标 sheets."""
    data = upward_data(plan, as_of)
    s = data["summary"]
    target = s["target"] or {}
    summary = [
        ("格式", data["format"]),
        ("方案", data["plan"]["title"]),
        ("截至日期", data["as_of"]),
        ("生成时间", data["generated_at"]),
        ("任务落实率 %", s["task_rate"]["percent"]),
        ("已落实任务", s["task_rate"]["done"]),
        ("任务总数", s["task_rate"]["total"]),
        ("举措落实率 %", s["measure_rate"]["percent"]),
        ("目标年度", target.get("year")),
        ("目标 %", target.get("percent")),
        (
            "红灯 / 黄灯 / 绿灯",
            f"{s['lights']['red']} / {s['lights']['yellow']} / {s['lights']['green']}",
        ),
        ("逾期任务", s["overdue_tasks"]),
        ("即将到期任务", s["due_soon_tasks"]),
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
    tasks = [
        ["、".join(t[k]) if k == "lead_units" else t[k] for k, _ in TASK_COLUMNS]
        for t in data["tasks"]
    ]
    indicators = [
        [k["name"], k["kind"], k["status"], k["value"], k["target"], k["reason"]]
        for k in data["indicators"]
    ]
    return workbook(
        Sheet("概况", columns(["项目", "数值"], [20, 50]), summary),
        Sheet("分部分", columns(["部分", "已落实", "总数", "落实率 %"]), sections),
        Sheet(
            "分单位",
            columns(["单位", "牵头已落实", "牵头总数", "牵头落实率 %", "配合已落实", "配合总数"]),
            units,
        ),
        Sheet("任务", columns([label for _, label in TASK_COLUMNS]), tasks),
        Sheet("指标", columns(["指标", "类型", "状态", "当前值", "目标", "说明"]), indicators),
    )
