"""日历: a year's deadlines and approved milestones month by month, for the plan or one unit."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from playwright.sync_api import expect

from luoshi.plans.models import Measure
from luoshi.workplans import services


@pytest.mark.django_db(transaction=True)
def test_a_unit_sees_its_deadlines_and_milestones_by_month(
    open_page, live_server, people, imported_plan
):
    measure = Measure.objects.get(task__plan=imported_plan, task__number=83, number=1)
    with time_machine.travel(dt.datetime(2021, 1, 5, 3, tzinfo=dt.UTC)):
        plan = services.work_plan_open(plan=imported_plan, year=2021, actor=people.market_reporter)
        services.milestone_add(
            work_plan=plan,
            measure=measure,
            due_on=dt.date(2021, 5, 20),
            deliverable="印发一业一证实施细则",
            result="细则文本",
            actor=people.market_reporter,
        )
        services.work_plan_submit(work_plan=plan, actor=people.market_head)
        services.work_plan_decide(work_plan=plan, actor=people.office, approve=True)
    reporter = open_page(people.market_reporter)
    reporter.set_default_timeout(60000)
    reporter.goto(live_server.url + "/timeline/?as_of=2021-06-30")
    reporter.get_by_role("link", name="日历").first.click()
    reporter.select_option("#c-year", "2021")
    reporter.click("#calendar-filters button")
    may = reporter.locator("#month-5")
    expect(may).to_contain_text("20日 ● 83.1 印发一业一证实施细则")
    assert "bad" in may.locator("li.milestone").get_attribute("class")  # missed, as of 2021-06-30
    expect(reporter.locator("h1")).to_contain_text("市市场监管局")
    expect(reporter.locator("#month-8")).to_contain_text(
        "◆ 10.1"
    )  # 2021年8月底前, its own deadline
    own = reporter.locator("#month-8 li").count()
    # The whole plan, as the leader sees it: other units' deadlines too.
    leader = open_page(people.leader)
    leader.goto(live_server.url + "/calendar/?year=2021&as_of=2021-06-30")
    expect(leader.locator("#month-8")).to_contain_text("◆ 10.1")
    assert leader.locator("#month-8 li").count() > own
