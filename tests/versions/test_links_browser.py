"""Linked plans in a real browser: the office links the bundled 片区 plan to the provincial 总体方案,
corrects a proposed task link, confirms; the provincial role reads the roll-up and drills down."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from luoshi.plans.models import Task
from luoshi.versions.models import PlanLink
from tests.conftest import import_bundled_plan, make_people
from tests.metrics.history import report
from tests.versions.links import CONFIRMED_ON, backdate_links, import_parent

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_office_links_plans_and_the_province_reads_the_rollup(open_page, live_server):
    child = import_bundled_plan()
    people = make_people()
    parent = import_parent()
    ten = Task.objects.get(plan=child, number=10)
    for measure in ten.measures.all():
        report(measure, dt.date(2021, 5, 20), accepted=True, status="completed")

    office = open_page(people.office)
    office.set_default_timeout(60000)
    office.goto(live_server.url + "/plans/")
    row = office.locator(f"#plans tr[data-plan='{child.pk}']")
    row.locator("select[name=parent]").select_option(str(parent.pk))
    with office.expect_navigation():
        row.get_by_role("button", name="关联上级方案").click()
    links = office.locator("#task-links")
    # proposed by words: the child's task 11 is the parent's task 12 (the parent swapped them)
    eleven = Task.objects.get(plan=child, number=11)
    parent_twelve = Task.objects.get(plan=parent, number=12)
    expect(links.locator(f"#parent-{eleven.pk}")).to_have_value(str(parent_twelve.pk))
    # the office corrects one: task 1 is not linked
    first = Task.objects.get(plan=child, number=1)
    links.locator(f"#parent-{first.pk}").select_option("")
    with office.expect_navigation():
        office.get_by_role("button", name="确认任务关联").click()
    expect(office.locator(".plan-name")).to_contain_text(parent.title)
    # the roll-up as of a date counts links confirmed by then: as if confirmed in April 2021
    backdate_links(PlanLink.objects.get(plan=child, parent=parent), CONFIRMED_ON)

    province = open_page(people.province)
    province.goto(f"{live_server.url}/plans/{parent.pk}/rollup/?as_of=2021-06-01")
    expect(province.locator(f"#children tr[data-plan='{child.pk}']")).to_contain_text(child.title)
    task_row = province.locator("#rollup tr[data-task='10']")
    expect(task_row).to_contain_text("已落实")
    expect(province.locator("#rollup tr[data-task='1']")).to_contain_text("无关联任务")
    with province.expect_navigation():
        task_row.locator("a").first.click()
    expect(province.locator("h1")).to_contain_text(ten.title[:10])
    province.goto(f"{live_server.url}/plans/{parent.pk}/rollup/?as_of=2021-05-01")
    expect(province.locator("#rollup tr[data-task='10']")).not_to_contain_text("已落实")
