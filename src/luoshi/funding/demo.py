"""Demo funding (`make run`): a few reform projects of the lead units of some measures, with the
sources a free-trade-zone office sees (中央, 省, 市, 自筹, 社会资本). No audit rows."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction

from luoshi.funding.models import Project, Source
from luoshi.plans.models import Duty, Measure, Plan

PROJECTS = [
    # task, measure, name, source, planned, allocated, spent (yuan)
    (23, 1, "国际贸易单一窗口岳阳功能模块建设", Source.PROVINCE, 3_200_000, 2_400_000, 1_850_000),
    (23, 1, "口岸通关信息化配套", Source.CITY, 800_000, 800_000, 620_000),
    (10, 1, "一业一证审批系统改造", Source.CITY, 1_500_000, 1_000_000, 640_000),
    (52, 1, "城陵矶港航线培育补贴", Source.CENTRAL, 6_000_000, 3_000_000, 2_750_000),
    (52, 1, "航运物流企业配套投资", Source.PRIVATE, 12_000_000, 5_000_000, 4_100_000),
    (69, 1, "涉税服务智能化试点", Source.OWN, 450_000, 300_000, 120_000),
]


def demo_funding_ensure(plan: Plan, office: User) -> int:
    if Project.objects.filter(plan=plan).exists():
        return 0
    measures = {
        (m.task.number, m.number): m
        for m in Measure.objects.filter(task__plan=plan)
        .select_related("task")
        .prefetch_related("responsibilities")
    }
    written = []
    for task, number, name, source, planned, allocated, spent in PROJECTS:
        measure = measures.get((task, number))
        lead = (
            next(
                (d.organisation_id for d in measure.responsibilities.all() if d.role == Duty.LEAD),
                None,
            )
            if measure
            else None
        )
        if measure is None or lead is None:
            continue
        written.append(
            Project(
                plan=plan,
                organisation_id=lead,
                measure=measure,
                name=name,
                source=source,
                planned=Decimal(planned),
                allocated=Decimal(allocated),
                spent=Decimal(spent),
                updated_by=office,
            )
        )
    with transaction.atomic():
        Project.objects.bulk_create(written)
    return len(written)
