"""领导批示, meetings with 议定事项, and 协调事项: each reaches the unit, is answered, closed by the
office (or the 批示's leader), chased by the ladder when late, and can become a 督办单."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from luoshi.audit.models import AuditEvent, Outcome
from luoshi.plans.models import Organisation
from luoshi.progress.services import report_draft, report_transition
from luoshi.supervision.assignments import (
    assignment_answer,
    assignment_decide,
    assignment_to_notice,
    coordination_assign,
    coordination_raise,
    instruction_write,
)
from luoshi.supervision.escalation import escalate
from luoshi.supervision.meetings import decision_add, meeting_record
from luoshi.supervision.models import AssignmentState, Message, Reason, Urging
from tests.conftest import ONCE, PDF, client_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures(ONCE)]


def later(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days)


def market(people) -> Organisation:
    organisation: Organisation = people.market_reporter.membership.organisation
    return organisation


def test_a_leaders_instruction_reaches_the_unit_and_the_answer_comes_back(people, market_measure):
    with pytest.raises(PermissionDenied):
        instruction_write(
            actor=people.office,
            text="抓紧",
            organisations=[market(people)],
            due_on=later(5),
            measure=market_measure,
        )
    with pytest.raises(ValidationError) as bad:
        instruction_write(
            actor=people.leader, text=" ", organisations=[], due_on=None, measure=market_measure
        )
    assert set(bad.value.message_dict) == {"text", "organisations", "due_on"}
    instruction = instruction_write(
        actor=people.leader,
        text="请市场监管局本月内拿出方案",
        organisations=[market(people)],
        due_on=later(5),
        measure=market_measure,
    )
    [todo] = instruction.assignments.all()
    assert Message.objects.filter(recipient=people.market_head, subject__contains="领导批示")
    with pytest.raises(PermissionDenied):  # another unit cannot answer it
        assignment_answer(actor=people.customs_reporter, assignment=todo, text="x")
    assignment_answer(actor=people.market_reporter, assignment=todo, text="方案已报送")
    assert Message.objects.filter(recipient=people.leader, body="方案已报送").exists()
    with pytest.raises(PermissionDenied):  # the unit does not close its own item
        assignment_decide(actor=people.market_head, assignment=todo, close=True)
    assignment_decide(actor=people.leader, assignment=todo, close=True)  # the 批示's leader may
    assert todo.state == AssignmentState.CLOSED
    page = client_for(people.leader).get(f"/supervision/measures/{market_measure.pk}/")
    history = page.content.decode()
    assert "领导批示" in history and "方案已报送" in history
    refused = AuditEvent.objects.filter(outcome=Outcome.REFUSED).values_list("action", flat=True)
    assert {"instruction_write", "assignment_answer", "assignment_close"} <= set(refused)


def test_a_leader_writes_an_instruction_from_the_measure_page(people, market_measure):
    leader = client_for(people.leader)
    page = leader.get(f"/supervision/measures/{market_measure.pk}/").content.decode()
    assert 'id="instruction-form"' in page
    assert (
        'id="instruction-form"'
        not in client_for(people.office)
        .get(f"/supervision/measures/{market_measure.pk}/")
        .content.decode()
    )
    answer = leader.post(
        "/supervision/instructions/new/",
        {
            "text": "加快推进",
            "organisations": [market(people).pk],
            "due_on": f"{later(7):%Y-%m-%d}",
            "measure": market_measure.pk,
            "next": f"/supervision/measures/{market_measure.pk}/",
        },
    )
    assert answer.status_code == 302
    assert answer["Location"] == f"/supervision/measures/{market_measure.pk}/"
    listed = client_for(people.market_head).get("/supervision/assignments/").content.decode()
    assert "加快推进" in listed
    assert (
        "加快推进"
        not in client_for(people.customs_reporter).get("/supervision/assignments/").content.decode()
    )


def test_a_meetings_decisions_are_tracked_and_chased_until_closed(people, settings, tmp_path):
    meeting = meeting_record(
        actor=people.office,
        kind="leading_group",
        title="片区建设领导小组第三次会议",
        held_on=timezone.localdate(),
        attendees="各成员单位",
        minutes=(io.BytesIO(PDF), "会议纪要.pdf"),
    )
    with pytest.raises(PermissionDenied):
        decision_add(
            actor=people.leader, meeting=meeting, text="x", organisation=None, due_on=later(1)
        )
    decision = decision_add(
        actor=people.office,
        meeting=meeting,
        text="市场监管局牵头制定登记便利化细则",
        organisation=market(people),
        due_on=later(3),
    )
    page = client_for(people.market_head).get(f"/supervision/meetings/{meeting.pk}/")
    assert "登记便利化细则" in page.content.decode()
    minutes = client_for(people.market_head).get(f"/supervision/meetings/{meeting.pk}/minutes")
    assert minutes.status_code == 200 and minutes.content == PDF
    customs = client_for(people.customs_reporter)  # no decision for it: neither page nor minutes
    assert customs.get(f"/supervision/meetings/{meeting.pk}/").status_code == 404
    assert customs.get(f"/supervision/meetings/{meeting.pk}/minutes").status_code == 404
    assert (
        "片区建设领导小组第三次会议"
        not in customs.get("/supervision/assignments/").content.decode()
    )
    assert "片区建设领导小组第三次会议" in (
        client_for(people.market_head).get("/supervision/assignments/").content.decode()
    )
    # Late: the ladder tells the unit's head once a day, with reason 会议议定.
    escalate(today=later(5), deliver=False)
    escalate(today=later(5), deliver=False)
    [urging] = Urging.objects.filter(assignment=decision)
    assert urging.recipient == people.market_head and urging.reason == Reason.MEETING
    notice = assignment_to_notice(
        actor=people.office,
        assignment=decision,
        level="general",
        requirement="请于期限内办结",
        reply_due=later(10),
    )
    assert notice.reason == Reason.MEETING and notice.assignment == decision
    assignment_answer(actor=people.market_head, assignment=decision, text="细则已印发")
    assignment_decide(actor=people.office, assignment=decision, close=False, comment="请附文件")
    assert decision.state == AssignmentState.OPEN
    assignment_answer(actor=people.market_head, assignment=decision, text="已附文件")
    assignment_decide(actor=people.office, assignment=decision, close=True)
    assert decision.state == AssignmentState.CLOSED


def test_a_units_problem_becomes_a_coordination_item_with_an_owner(people, cycle, market_measure):
    report = report_draft(
        measure=market_measure,
        cycle=cycle,
        actor=people.market_reporter,
        work_done="推进中",
        problems="需海关共享通关数据",
    )
    report_transition(report=report, action="submit", actor=people.market_reporter)
    office = client_for(people.office)
    problems = office.get("/supervision/problems/?as_of=2099-01-01").content.decode()
    assert "需海关共享通关数据" in problems and "转协调事项" in problems
    office.post(
        "/supervision/coordination/new/", {"report": report.pk, "text": "需海关共享通关数据"}
    )
    from luoshi.supervision.models import Assignment

    item = Assignment.objects.get(report=report)
    assert item.state == AssignmentState.RAISED and item.raised_by == market(people)
    with pytest.raises(PermissionDenied):
        coordination_assign(
            actor=people.market_head,
            assignment=item,
            due_on=later(5),
            organisation=Organisation.objects.get(name="岳阳海关"),
        )
    coordination_assign(
        actor=people.office,
        assignment=item,
        due_on=later(5),
        organisation=Organisation.objects.get(name="岳阳海关"),
    )
    assignment_answer(actor=people.customs_reporter, assignment=item, text="已开通数据接口")
    assignment_decide(actor=people.office, assignment=item, close=True)
    problems = office.get("/supervision/problems/?as_of=2099-01-01").content.decode()
    assert "已转协调事项" in problems and "已办结" in problems
    # A unit raises one itself; the office hears of it.
    own = coordination_raise(actor=people.customs_reporter, text="请协调港口用地指标")
    assert own.raised_by is not None and own.raised_by.name == "岳阳海关"
    assert Message.objects.filter(recipient=people.office, body="请协调港口用地指标").exists()


def test_a_leader_instructs_a_unit_on_its_work_at_large(people):
    leader = client_for(people.leader)
    assert 'id="instruction-form"' in leader.get("/supervision/assignments/").content.decode()
    customs = Organisation.objects.get(name="岳阳海关")
    leader.post(
        "/supervision/instructions/new/",
        {
            "text": "口岸通关时间再压缩三分之一",
            "organisations": [customs.pk],
            "due_on": f"{later(30):%Y-%m-%d}",
        },
    )
    from luoshi.supervision.models import Assignment

    todo = Assignment.objects.get(organisation=customs, kind="instruction")
    assert todo.instruction is not None
    assert todo.instruction.subject == "单位工作" and todo.measure is None
    page = client_for(people.customs_reporter).get(f"/supervision/assignments/{todo.pk}/")
    assert (
        "口岸通关时间再压缩三分之一" in page.content.decode()
        and 'id="answer-form"' in page.content.decode()
    )


def test_two_people_acting_on_the_same_item_at_once_the_second_is_told(people, market_measure):
    """Two copies of one answered 批示 (two tabs, a colleague): the first closes it; the second's
    close or return is a clear message naming the state — not a refusal, not a second step."""
    instruction = instruction_write(
        actor=people.leader,
        text="请尽快落实",
        organisations=[market(people)],
        due_on=later(5),
        measure=market_measure,
    )
    [todo] = instruction.assignments.all()
    assignment_answer(actor=people.market_reporter, assignment=todo, text="已落实")
    stale = type(todo).objects.get(pk=todo.pk)
    assignment_decide(actor=people.office, assignment=todo, close=True)
    with pytest.raises(ValidationError) as told:
        assignment_decide(actor=people.leader, assignment=stale, close=False, comment="再核实")
    assert "已办结" in told.value.message_dict["state"][0]
    assert todo.events.filter(action__in=["close", "return"]).count() == 1
    with pytest.raises(ValidationError):  # the unit's second answer, from an old page
        assignment_answer(actor=people.market_head, assignment=todo, text="再次反馈")
    page = client_for(people.office).post(f"/supervision/assignments/{todo.pk}/close/", follow=True)
    assert page.status_code == 200 and "请刷新后再操作" in page.content.decode()
    assert not AuditEvent.objects.filter(action="assignment_close", outcome=Outcome.REFUSED)


def test_two_offices_turning_one_item_into_a_notice_make_one_notice(people, market_measure):
    """督办单 from a 批示, pressed in two tabs (or by two office staff): one 督办单; the second is told
    which one was issued, on the page too — no refusal, no second notice."""
    instruction = instruction_write(
        actor=people.leader,
        text="请尽快落实",
        organisations=[market(people)],
        due_on=later(5),
        measure=market_measure,
    )
    [todo] = instruction.assignments.all()
    form = {
        "level": "key",
        "reason": "overdue",
        "requirement": "抓紧办理",
        "reply_due": "2099-01-01",
    }
    first, second = client_for(people.office), client_for(people.office)
    url = f"/supervision/assignments/{todo.pk}/notice/"
    assert first.post(url, form).status_code == 302
    page = second.post(url, form, follow=True)
    [notice] = todo.notices.all()
    assert page.status_code == 200 and "已于" in page.content.decode()
    assert notice.label in page.content.decode()
    with pytest.raises(ValidationError):
        assignment_to_notice(
            actor=people.office,
            assignment=todo,
            level="general",
            requirement="再督办",
            reply_due=later(10),
        )
    assert todo.notices.count() == 1
    assert not AuditEvent.objects.filter(action="notice_issue", outcome=Outcome.REFUSED)
