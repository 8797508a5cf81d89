"""Annual work plans with 节点: the unit drafts and submits, the office approves or returns; an
approved milestone missed warns before the deadline does, as of each day only once approved."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from playwright.sync_api import expect

from luoshi.accounts.models import Role
from luoshi.accounts.services import membership_set
from luoshi.audit.models import AuditEvent
from luoshi.metrics.facts import load_facts
from luoshi.metrics.lights import Colour, lights_as_of
from luoshi.paperwork.workplan import workplan_xlsx
from luoshi.plans.models import Measure, Organisation
from luoshi.workplans import services
from luoshi.workplans.models import WorkPlan, WorkPlanState
from tests.conftest import client_for


def _on(day: dt.date):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, 3, tzinfo=dt.UTC))


@pytest.fixture
def measure(imported_plan) -> Measure:
    """83.1: led by 市市场监管局, due 2023: far from its deadline in 2021."""
    return Measure.objects.get(task__plan=imported_plan, task__number=83, number=1)


@pytest.mark.django_db
def test_a_missed_approved_milestone_warns_long_before_the_deadline(people, measure):
    with _on(dt.date(2021, 1, 10)):
        plan = services.work_plan_open(
            plan=measure.task.plan, year=2021, actor=people.market_reporter
        )
        services.milestone_add(
            work_plan=plan,
            measure=measure,
            due_on=dt.date(2021, 4, 30),
            deliverable="印发一业一证实施细则",
            result="细则文本",
            actor=people.market_reporter,
        )
        services.work_plan_submit(work_plan=plan, actor=people.market_head)
    with _on(dt.date(2021, 1, 20)):
        services.work_plan_decide(work_plan=plan, actor=people.office, approve=True)
    may = dt.date(2021, 5, 10)
    light = lights_as_of(load_facts(measure.task.plan, may), may)[measure.pk]
    assert light.colour == Colour.YELLOW
    assert "节点逾期：印发一业一证实施细则（2021-04-30）" in light.reasons
    # As of a day before the approval, the milestone did not exist yet.
    early = dt.date(2021, 1, 15)
    assert not any(
        "节点" in r
        for r in lights_as_of(load_facts(measure.task.plan, early), early)[measure.pk].reasons
    )
    actions = list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))
    assert actions[-4:] == [
        "work_plan_open",
        "milestone_add",
        "work_plan_submit",
        "work_plan_approve",
    ]


@pytest.mark.django_db
def test_refusals_and_bad_input_are_told_and_nothing_is_stored(people, measure, imported_plan):
    plan = services.work_plan_open(plan=imported_plan, year=2022, actor=people.market_reporter)
    with pytest.raises(ValidationError) as error:
        services.milestone_add(
            work_plan=plan,
            measure=measure,
            due_on=dt.date(2023, 1, 1),
            deliverable="",
            result="x" * 501,
            actor=people.market_reporter,
        )
    assert set(error.value.message_dict) == {"due_on", "deliverable", "result"}
    other = (
        Measure.objects.filter(task__plan=imported_plan)
        .exclude(responsibilities__organisation=plan.organisation)
        .first()
    )
    assert other is not None
    with pytest.raises(ValidationError, match="不是本单位"):
        services.milestone_add(
            work_plan=plan,
            measure=other,
            due_on=dt.date(2022, 3, 1),
            deliverable="a",
            result="b",
            actor=people.market_reporter,
        )
    with pytest.raises(PermissionDenied):
        services.milestone_add(
            work_plan=plan,
            measure=measure,
            due_on=dt.date(2022, 3, 1),
            deliverable="a",
            result="b",
            actor=people.customs_reporter,
        )
    with pytest.raises(PermissionDenied):
        services.work_plan_submit(work_plan=plan, actor=people.market_reporter)  # the head submits
    with pytest.raises(ValidationError, match="还没有节点"):
        services.work_plan_submit(work_plan=plan, actor=people.market_head)
    assert not plan.milestones.exists() and plan.state == WorkPlanState.DRAFT
    assert AuditEvent.objects.filter(outcome="refused").count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_unit_plans_its_year_and_the_office_returns_then_approves_it(
    open_page, live_server, people, imported_plan
):
    from django.utils import timezone

    year = timezone.localdate().year
    measure = Measure.objects.get(task__plan=imported_plan, task__number=83, number=1)
    reporter = open_page(people.market_reporter)
    reporter.set_default_timeout(60000)
    reporter.goto(live_server.url + "/my/")
    reporter.get_by_role("link", name="工作计划").click()
    reporter.click("#open-plan")
    reporter.select_option("#id_measure", str(measure.pk))
    reporter.fill("#id_due_on", f"{year + 1}-01-01")  # a date outside the plan's year
    reporter.fill("#id_deliverable", "印发一业一证实施细则")
    reporter.fill("#id_result", "细则文本及印发通知")
    reporter.click("#add-milestone")
    expect(reporter.locator("#milestone-form")).to_contain_text(f"节点日期应在 {year} 年内")
    assert reporter.input_value("#id_deliverable") == "印发一业一证实施细则"
    reporter.fill("#id_due_on", f"{year}-01-01")
    reporter.click("#add-milestone")
    expect(reporter.locator("#milestones")).to_contain_text("细则文本及印发通知")
    head = open_page(people.market_head)
    head.goto(reporter.url)
    head.click("#submit-plan")
    expect(head.locator("#wp-state")).to_have_text("已报送")
    office = open_page(people.office)
    office.goto(live_server.url + f"/workplans/?year={year}")
    office.get_by_role("link", name="市市场监管局").click()
    office.fill("#reason", "节点过少，请补充下半年节点")
    office.click("#return-plan")
    expect(office.locator("#wp-state")).to_have_text("已退回")
    reporter.reload()
    expect(reporter.locator(".return-reason")).to_have_text("节点过少，请补充下半年节点")
    reporter.select_option("#id_measure", str(measure.pk))
    reporter.fill("#id_due_on", f"{year}-12-31")
    reporter.fill("#id_deliverable", "完成年度总结")
    reporter.fill("#id_result", "年度总结报告")
    reporter.click("#add-milestone")
    head.reload()
    head.click("#submit-plan")
    office.reload()
    office.click("#approve-plan")
    expect(office.locator("#wp-state")).to_have_text("已审定")
    # The unit's 我的任务 shows the approved milestones; the one past due is marked met there.
    reporter.goto(live_server.url + "/my/")
    expect(reporter.locator("#milestones")).to_contain_text("印发一业一证实施细则")
    reporter.locator("#milestones").get_by_role("button", name="标记完成").first.click()
    expect(reporter.locator("#milestones")).to_contain_text("已完成")
    # The printed work plan of this year carries them.
    market = Organisation.objects.get(name="市市场监管局")
    book = openpyxl.load_workbook(io.BytesIO(workplan_xlsx(imported_plan, market, year)))
    rows = list(book[f"{year}年度节点"].iter_rows(min_row=2, values_only=True))
    assert [r[3] for r in rows] == ["印发一业一证实施细则", "完成年度总结"]
    assert str(rows[0][5]).startswith("已完成")
    other = openpyxl.load_workbook(io.BytesIO(workplan_xlsx(imported_plan, market, year - 1)))
    assert list(other[f"{year - 1}年度节点"].iter_rows(min_row=2, values_only=True)) == []


@pytest.mark.django_db
def test_two_office_users_deciding_the_same_plan_at_once_get_a_clear_message(people, measure):
    plan = services.work_plan_open(plan=measure.task.plan, year=2021, actor=people.market_reporter)
    services.milestone_add(
        work_plan=plan,
        measure=measure,
        due_on=dt.date(2021, 4, 30),
        deliverable="印发一业一证实施细则",
        result="细则文本",
        actor=people.market_reporter,
    )
    services.work_plan_submit(work_plan=plan, actor=people.market_head)
    first, second = (WorkPlan.objects.get(pk=plan.pk) for _ in range(2))
    services.work_plan_decide(work_plan=first, actor=people.office, approve=True)
    with pytest.raises(ValidationError, match="已被他人处理，当前状态：已审定"):  # read before
        services.work_plan_decide(work_plan=second, actor=people.office, approve=False, reason="x")
    office = client_for(people.office)  # the page read after: a message, not a refusal
    page = office.post(f"/workplans/{plan.pk}/return/", {"reason": "补充"}, follow=True)
    assert page.status_code == 200 and "当前状态：已审定" in page.content.decode()
    plan.refresh_from_db()
    assert (plan.state, plan.return_reason) == (WorkPlanState.APPROVED, "")
    decisions = AuditEvent.objects.filter(object_id=str(plan.pk), action__startswith="work_plan_")
    assert decisions.filter(action="work_plan_return").count() == 0
    # Two of the unit marking the same milestone met: the second is told, not refused.
    milestone = plan.milestones.get()
    services.milestone_meet(milestone=milestone, actor=people.market_reporter)
    head = client_for(people.market_head)
    page = head.post(f"/workplans/milestones/{milestone.pk}/done/", follow=True)
    assert page.status_code == 200 and "标记完成（可能刚被他人处理）" in page.content.decode()
    assert not AuditEvent.objects.filter(action="milestone_meet", outcome="refused").exists()


@pytest.mark.django_db
def test_two_heads_submitting_the_same_plan_at_once_the_second_is_told(people, measure):
    deputy = User.objects.create_user("market_deputy", "d@example.gov.cn", "x")
    membership_set(
        user=deputy,
        role=Role.HEAD,
        organisation=Organisation.objects.get(name="市市场监管局"),
        actor=None,
    )
    plan = services.work_plan_open(plan=measure.task.plan, year=2021, actor=people.market_reporter)
    services.milestone_add(
        work_plan=plan,
        measure=measure,
        due_on=dt.date(2021, 4, 30),
        deliverable="印发一业一证实施细则",
        result="细则文本",
        actor=people.market_reporter,
    )
    first, second = (WorkPlan.objects.get(pk=plan.pk) for _ in range(2))
    services.work_plan_submit(work_plan=first, actor=people.market_head)
    with pytest.raises(ValidationError, match="已被他人处理，当前状态：已报送"):  # read before
        services.work_plan_submit(work_plan=second, actor=deputy)
    page = client_for(deputy).post(f"/workplans/{plan.pk}/submit/", follow=True)  # read after
    assert page.status_code == 200 and "当前状态：已报送" in page.content.decode()
    submits = AuditEvent.objects.filter(object_id=str(plan.pk), action="work_plan_submit")
    assert list(submits.values_list("outcome", flat=True)) == ["success"]
    with pytest.raises(PermissionDenied):  # a reporter is still refused, and audited
        services.work_plan_submit(work_plan=second, actor=people.market_reporter)


def test_the_api_refusal_reads_in_the_requesters_language(people):
    """The gate's message is translated per request, not fixed at import in one language."""
    chinese, english = client_for(people.sysadmin), client_for(people.sysadmin)
    english.cookies["django_language"] = "en"
    assert chinese.get("/api/workplans").json()["detail"] == "无权查看年度工作计划"
    refused = english.get("/api/workplans")
    assert refused.status_code == 403
    assert refused.json()["detail"] == "You may not read annual work plans"
