"""A work plan amended after approval: the unit head opens an amendment with a reason, the unit
edits and submits it, the office approves or returns it; until approved the milestones in force
stay those of the approved plan; the history shows both; as of D, the milestones of the revision
in force on D. Also the JSON API (read a unit's plans; submit and amend as the unit head)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from playwright.sync_api import expect

from luoshi.audit.models import AuditEvent
from luoshi.plans.models import Measure
from luoshi.workplans import services
from luoshi.workplans.models import Milestone, WorkPlan, WorkPlanState
from luoshi.workplans.selectors import milestones_as_of, unit_milestones
from tests.conftest import client_for
from tests.workplans.conftest import approved_plan, on


@pytest.fixture
def measure(imported_plan) -> Measure:
    return Measure.objects.get(task__plan=imported_plan, task__number=83, number=1)


def _approved(people, measure, day: dt.date) -> WorkPlan:
    return approved_plan(people, measure, day, day)


def _deliverables(plan_id: int, day: dt.date) -> list[tuple[str, dt.date | None]]:
    return sorted((m.deliverable, m.met_on) for m in milestones_as_of(plan_id, day))


@pytest.mark.django_db
def test_the_approved_plan_stays_in_force_until_its_amendment_is_approved(
    people, measure, imported_plan
):
    original = _approved(people, measure, dt.date(2021, 3, 10))
    with on(dt.date(2021, 5, 10)):
        with pytest.raises(PermissionDenied):  # a reporter does not amend; audited
            services.work_plan_amend(work_plan=original, actor=people.market_reporter, reason="x")
        with pytest.raises(ValidationError, match="请写明修订理由"):
            services.work_plan_amend(work_plan=original, actor=people.market_head, reason=" ")
        stale = WorkPlan.objects.get(pk=original.pk)
        amendment = services.work_plan_amend(
            work_plan=original, actor=people.market_head, reason="上线推迟至十月"
        )
        with pytest.raises(ValidationError, match="已有修订"):  # a second head, same moment
            services.work_plan_amend(work_plan=stale, actor=people.market_head, reason="再改")
    assert (amendment.revision, amendment.amends_id, amendment.state) == (1, original.pk, "draft")
    with on(dt.date(2021, 5, 12)):  # the plan in force is still worked on meanwhile
        services.milestone_meet(
            milestone=original.milestones.get(deliverable="细则印发"), actor=people.market_reporter
        )
        services.milestone_drop(
            milestone=amendment.milestones.get(deliverable="系统上线"), actor=people.market_reporter
        )
        services.milestone_add(
            work_plan=amendment,
            measure=measure,
            due_on=dt.date(2021, 10, 31),
            deliverable="系统上线（调整）",
            result="上线通知",
            actor=people.market_reporter,
        )
        services.work_plan_submit(work_plan=amendment, actor=people.market_head)
    assert _deliverables(imported_plan.pk, dt.date(2021, 5, 31)) == [
        ("系统上线", None),
        ("细则印发", dt.date(2021, 5, 12)),
    ]
    with on(dt.date(2021, 6, 1)):
        services.work_plan_decide(work_plan=amendment, actor=people.office, approve=True)
    original.refresh_from_db()
    assert original.superseded_on == dt.date(2021, 6, 1) and not original.in_force
    after = [("系统上线（调整）", None), ("细则印发", dt.date(2021, 5, 12))]  # met carried over
    assert _deliverables(imported_plan.pk, dt.date(2021, 6, 1)) == after
    assert _deliverables(imported_plan.pk, dt.date(2021, 5, 31)) != after  # as of D: D's version
    market = people.market_reporter.membership.organisation
    assert {m.work_plan_id for m in unit_milestones(market, imported_plan, 2021)} == {amendment.pk}
    actions = AuditEvent.objects.filter(action="work_plan_amend")
    assert sorted(actions.values_list("outcome", flat=True)) == ["refused", "success"]


@pytest.mark.django_db
def test_a_milestone_marked_on_a_page_read_before_the_amendment_was_approved_is_told(
    people, measure
):
    original = _approved(people, measure, dt.date(2021, 3, 10))
    old = original.milestones.select_related("work_plan").get(deliverable="系统上线")
    with on(dt.date(2021, 5, 10)):
        amendment = services.work_plan_amend(
            work_plan=original, actor=people.market_head, reason="上线推迟至十月"
        )
        services.work_plan_submit(work_plan=amendment, actor=people.market_head)
        services.work_plan_decide(work_plan=amendment, actor=people.office, approve=True)
        answer = client_for(people.market_reporter).post(
            f"/workplans/milestones/{old.pk}/done/", follow=True
        )
    assert answer.status_code == 200
    assert "该节点所在的计划已于 2021-05-10 被修订版取代" in answer.content.decode()
    with pytest.raises(ValidationError, match="被修订版取代"):  # on the copy read before (in force)
        services.milestone_meet(milestone=old, actor=people.market_reporter)
    assert not Milestone.objects.filter(work_plan__plan=measure.task.plan, met_on__isnull=False)
    assert not AuditEvent.objects.filter(action="milestone_meet").exists()  # not a refusal


@pytest.mark.django_db
def test_the_api_reads_a_units_plans_and_lets_the_head_submit_and_amend(people, measure):
    original = _approved(people, measure, dt.date(2021, 3, 10))
    head, reporter = client_for(people.market_head), client_for(people.market_reporter)
    listed = reporter.get("/api/workplans?year=2021").json()
    assert [(p["revision"], p["state"], p["in_force"]) for p in listed] == [(0, "approved", True)]
    assert [m["deliverable"] for m in listed[0]["milestones"]] == ["细则印发", "系统上线"]
    assert client_for(people.customs_reporter).get("/api/workplans").json() == []
    assert (
        client_for(people.customs_reporter).get(f"/api/workplans/{original.pk}").status_code == 404
    )
    body = json.dumps({"reason": "上线推迟"})
    refused = reporter.post(f"/api/workplans/{original.pk}/amend", body, "application/json")
    assert refused.status_code == 403
    made = head.post(f"/api/workplans/{original.pk}/amend", body, "application/json")
    assert made.status_code == 201, made.content
    amendment = made.json()
    assert (amendment["revision"], amendment["amends_id"], amendment["state"]) == (
        1,
        original.pk,
        "draft",
    )
    assert len(amendment["milestones"]) == 2
    again = head.post(f"/api/workplans/{original.pk}/amend", body, "application/json")
    assert again.status_code == 422 and "已有修订" in again.json()["detail"]
    submitted = head.post(f"/api/workplans/{amendment['id']}/submit")
    assert submitted.status_code == 200 and submitted.json()["state"] == WorkPlanState.SUBMITTED
    assert reporter.get(f"/api/workplans/{original.pk}").json()["in_force"] is True


@pytest.mark.django_db(transaction=True)
def test_the_head_amends_through_the_pages_and_the_office_approves(
    open_page, live_server, people, measure
):
    original = _approved(people, measure, dt.date(2021, 3, 10))
    head = open_page(people.market_head)
    head.set_default_timeout(60000)
    head.goto(f"{live_server.url}/workplans/{original.pk}/")
    head.fill("#amend-reason-input", "上线推迟至十月")
    head.click("#amend-plan")
    expect(head.locator("#amend-reason")).to_contain_text("上线推迟至十月")
    expect(head.locator("#amend-reason")).to_contain_text("审定前，原计划的节点继续有效")
    head.select_option("#id_measure", str(measure.pk))
    head.fill("#id_due_on", "2021-10-31")
    head.fill("#id_deliverable", "系统上线（调整）")
    head.fill("#id_result", "上线通知")
    head.click("#add-milestone")
    expect(head.locator("#milestones")).to_contain_text("系统上线（调整）")
    head.click("#submit-plan")
    expect(head.locator("#wp-state")).to_have_text("已报送")
    office = open_page(people.office)
    office.set_default_timeout(60000)
    office.goto(f"{live_server.url}/workplans/?year=2021")
    office.locator("#work-plans tr", has_text="修订第1版").get_by_role("link").click()
    office.click("#approve-plan")
    expect(office.locator("#wp-state")).to_have_text("已审定")
    expect(office.locator("#revisions")).to_contain_text("原计划")
    expect(office.locator("#revisions")).to_contain_text("修订第1版")
    expect(office.locator("#revisions")).to_contain_text("上线推迟至十月")
    office.locator("#revisions").get_by_role("link", name="原计划").click()
    expect(office.locator("body")).to_contain_text("被修订稿取代")
