"""Demo risks (`make run`): a few reform risks of the kinds a free-trade-zone office registers,
high and medium, open and closed, raised by units and the office in 2022–2023. No audit rows."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db import transaction

from luoshi.plans.models import Duty, Plan, Task
from luoshi.risks.models import Risk, RiskStatus, level_of

RISKS = [
    # task, likelihood, impact, description, owner, mitigation, raised, closed
    (
        23,
        "high",
        "high",
        "省级单一窗口接口改造滞后，可能导致功能无法按期上线",
        "市口岸办 科长",
        "每周对接省口岸办，必要时提请领导小组协调",
        dt.date(2023, 3, 10),
        None,
    ),
    (
        10,
        "medium",
        "high",
        "跨部门审批数据尚未打通，一业一证可能出现重复提交材料",
        "市市场监管局 科长",
        "建立数据共享清单，先行人工核验",
        dt.date(2022, 5, 6),
        dt.date(2022, 11, 30),
    ),
    (
        52,
        "high",
        "medium",
        "试点航线运力不足，改革成效可能达不到评估目标",
        "岳阳海事局 副局长",
        "争取省交通厅支持新增运力",
        dt.date(2023, 6, 2),
        None,
    ),
    (
        69,
        "medium",
        "medium",
        "涉税政策需上级授权，存在政策落地不确定性",
        "市税务局 科长",
        "形成请示报省级部门",
        dt.date(2023, 2, 14),
        None,
    ),
]


def demo_risks_ensure(plan: Plan, office: User) -> int:
    if Risk.objects.filter(plan=plan).exists():
        return 0
    tasks = {
        t.number: t
        for t in Task.objects.filter(plan=plan).prefetch_related("measures__responsibilities")
    }
    written = []
    for number, likelihood, impact, text, owner, mitigation, raised, closed in RISKS:
        task = tasks.get(number)
        if task is None:
            continue
        measure = task.measures.all()[0] if task.measures.all() else None
        lead = (
            next(
                (d.organisation_id for d in measure.responsibilities.all() if d.role == Duty.LEAD),
                None,
            )
            if measure
            else None
        )
        written.append(
            Risk(
                plan=plan,
                task=task,
                measure=measure,
                organisation_id=lead,
                description=text,
                likelihood=likelihood,
                impact=impact,
                level=level_of(likelihood, impact),
                owner=owner,
                mitigation=mitigation,
                review_on=raised + dt.timedelta(days=90),
                raised_on=raised,
                closed_on=closed,
                status=RiskStatus.CLOSED if closed else RiskStatus.OPEN,
                raised_by=office,
            )
        )
    with transaction.atomic():
        Risk.objects.bulk_create(written)
    return len(written)
