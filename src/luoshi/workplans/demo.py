"""Demo work plans (`make run`): every lead unit's 2023 plan (the demo's current year), approved in
January, with a milestone for each measure it still had open at the end of 2022 (up to four): the
ones due before the measure was implemented met, some missed. Written in bulk, no audit rows."""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth.models import User
from django.db import transaction

from luoshi.plans.models import Duty, Measure, Plan, Responsibility
from luoshi.progress.selectors import implemented_on
from luoshi.workplans.models import Milestone, WorkPlan, WorkPlanState

YEAR = 2023
APPROVED = dt.date(YEAR, 1, 20)
DUE = [dt.date(YEAR, 3, 31), dt.date(YEAR, 6, 30), dt.date(YEAR, 9, 30), dt.date(YEAR, 11, 30)]
STEPS = [
    ("制定年度推进方案并报送片区办", "印发的推进方案文件"),
    ("完成试点企业（项目）对接和政策宣讲", "对接企业名单、宣讲会议纪要"),
    ("出台配套细则或操作指引", "印发的细则或指引文本"),
    ("完成年度工作总结和成效评估", "年度总结报告、评估数据"),
]


def demo_work_plans_ensure(plan: Plan, office: User, seed: int = 2023) -> int:
    """Once per plan; returns the milestones written (0 if already there)."""
    if WorkPlan.objects.filter(plan=plan).exists():
        return 0
    rng = random.Random(seed)
    measures = Measure.objects.filter(task__plan=plan)
    done = implemented_on(measures)
    leads: dict[int, list[int]] = {}
    for measure_id, org_id in (
        Responsibility.objects.filter(measure__task__plan=plan, role=Duty.LEAD)
        .order_by("measure__task__number", "measure__number")
        .values_list("measure_id", "organisation_id")
    ):
        finished = done.get(measure_id)
        if finished is None or finished >= dt.date(YEAR, 1, 1):
            leads.setdefault(org_id, []).append(measure_id)
    milestones: list[Milestone] = []
    with transaction.atomic():
        for org_id, measure_ids in sorted(leads.items()):
            work_plan = WorkPlan.objects.create(
                plan=plan,
                organisation_id=org_id,
                year=YEAR,
                state=WorkPlanState.APPROVED,
                approved_on=APPROVED,
                decided_by=office,
            )
            for index, measure_id in enumerate(measure_ids[:4]):
                due = DUE[index % len(DUE)]
                finished = done.get(measure_id)
                met = (finished is not None and finished <= due) or rng.random() < 0.6
                deliverable, result = STEPS[index % len(STEPS)]
                milestones.append(
                    Milestone(
                        work_plan=work_plan,
                        measure_id=measure_id,
                        due_on=due,
                        deliverable=deliverable,
                        result=result,
                        met_on=due - dt.timedelta(days=rng.randint(1, 20)) if met else None,
                    )
                )
        Milestone.objects.bulk_create(milestones)
    return len(milestones)
