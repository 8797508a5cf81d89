"""Approved milestones feed the forecast: a measure's and task's expected completion follows its
unit's 节点 as of D (a missed milestone pushes the end back), the dashboard counts the open tasks
the schedules finish by each target, and nothing approved or met after D changes D."""

from __future__ import annotations

import datetime as dt

import pytest

from luoshi.metrics.facts import load_facts
from luoshi.metrics.headline import headline
from luoshi.metrics.outlook import measure_outlooks, task_outlooks
from luoshi.plans.models import Measure
from luoshi.workplans import services
from luoshi.workplans.models import Milestone
from tests.conftest import ONCE, client_for
from tests.workplans.conftest import on

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures(ONCE)]


@pytest.fixture
def scheduled(scheduled: Measure, people) -> Measure:
    """The shared plan (conftest), its first 节点 met late, on 2021-06-10."""
    with on(dt.date(2021, 6, 10)):
        services.milestone_meet(
            milestone=Milestone.objects.get(measure=scheduled, due_on__month=4),
            actor=people.market_head,
        )
    return scheduled


def _outlook(plan, day: dt.date):
    return measure_outlooks(load_facts(plan, day), day)


def test_the_schedule_as_it_stood_on_each_day(scheduled, imported_plan):
    assert scheduled.pk not in _outlook(imported_plan, dt.date(2021, 3, 9))  # not yet approved
    on_time = _outlook(imported_plan, dt.date(2021, 4, 15))[scheduled.pk]
    assert (on_time.expected_on, on_time.slip_days, on_time.late) == (
        dt.date(2021, 7, 31),
        0,
        False,
    )
    behind = _outlook(imported_plan, dt.date(2021, 6, 1))[scheduled.pk]  # 4-30 missed by 32 days
    assert (behind.expected_on, behind.slip_days, behind.late) == (dt.date(2021, 9, 1), 32, True)
    assert behind.next_milestone and behind.next_milestone.deliverable == "细则印发"
    caught_up = _outlook(imported_plan, dt.date(2021, 7, 1))[scheduled.pk]  # met on 6-10
    assert (caught_up.expected_on, caught_up.slip_days) == (dt.date(2021, 7, 31), 0)
    facts = load_facts(imported_plan, dt.date(2021, 6, 1))
    task = task_outlooks(facts, measure_outlooks(facts, dt.date(2021, 6, 1)), dt.date(2021, 6, 1))
    assert task[scheduled.task_id].expected_on == dt.date(2021, 9, 1)
    assert task[scheduled.task_id].whole  # its only measure has a schedule
    forecast = next(f for f in headline(imported_plan, dt.date(2021, 6, 1)).forecasts)
    assert forecast.deadline == dt.date(2021, 12, 31) and forecast.scheduled == 1
    assert next(iter(headline(imported_plan, dt.date(2021, 3, 9)).forecasts)).scheduled == 0


def test_the_task_page_and_dashboard_show_it_as_of_the_day(scheduled, people):
    leader = client_for(people.leader)
    page = leader.get(f"/tasks/{scheduled.task_id}/?as_of=2021-06-01").content.decode()
    assert "按节点计划预计 2021-09-01 完成（节点已逾期 32 天），晚于时限" in page
    assert "下一节点：2021-04-30 细则印发" in page
    earlier = leader.get(f"/tasks/{scheduled.task_id}/?as_of=2021-03-09").content.decode()
    assert "按节点计划预计" not in earlier
    dashboard = client_for(people.office).get("/dashboard/?as_of=2021-06-01").content.decode()
    assert "未落实任务中按节点计划可按期落实 1 项" in dashboard
