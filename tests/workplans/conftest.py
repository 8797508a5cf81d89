"""A unit's approved 2021 work plan with two 节点 (细则印发 4-30, 系统上线 7-31), shared by the
amendment, Gantt and outlook tests."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from luoshi.plans.models import Measure
from luoshi.workplans import services
from luoshi.workplans.models import WorkPlan


def on(day: dt.date) -> time_machine.travel:
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, 3, tzinfo=dt.UTC))


def approved_plan(people, measure: Measure, opened: dt.date, approved: dt.date) -> WorkPlan:
    """市市场监管局's 2021 plan drafted and submitted on `opened`, approved on `approved`."""
    with on(opened):
        plan = services.work_plan_open(
            plan=measure.task.plan, year=2021, actor=people.market_reporter
        )
        for due, what in ((dt.date(2021, 4, 30), "细则印发"), (dt.date(2021, 7, 31), "系统上线")):
            services.milestone_add(
                work_plan=plan,
                measure=measure,
                due_on=due,
                deliverable=what,
                result="文件",
                actor=people.market_reporter,
            )
        services.work_plan_submit(work_plan=plan, actor=people.market_head)
    with on(approved):
        return services.work_plan_decide(work_plan=plan, actor=people.office, approve=True)


@pytest.fixture
def scheduled(imported_plan, people) -> Measure:
    """Task 10's only measure (due with its task, 2021-08-31), two 节点 approved 2021-03-10."""
    measure = Measure.objects.get(task__plan=imported_plan, task__number=10)
    approved_plan(people, measure, dt.date(2021, 3, 1), dt.date(2021, 3, 10))
    return measure
