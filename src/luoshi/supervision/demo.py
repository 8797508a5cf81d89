"""督查督办 in the demo database (`make run`): the ladder run for today, 督办单 in every state on
overdue measures of the demo units, their 分管领导, two extensions (one approved, one waiting), a
leader's 批示, a leading-group meeting with its 议定事项, a 协调事项, and 容错免责 (one granted, one waiting).

Made through the services, as the office and the units would, so every record is consistent."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.utils import timezone

from luoshi.metrics.facts import load_facts
from luoshi.plans.models import Duty, Measure, Organisation, Plan
from luoshi.supervision.appraisal import exemption_decide, exemption_request
from luoshi.supervision.assignments import (
    assignment_answer,
    assignment_decide,
    coordination_assign,
    coordination_raise,
    instruction_write,
)
from luoshi.supervision.escalation import escalate
from luoshi.supervision.extensions import extension_decide, extension_request
from luoshi.supervision.meetings import decision_add, meeting_record
from luoshi.supervision.models import Extension, Level, Notice, NoticeState, Oversight, Reason
from luoshi.supervision.services import notice_decide, notice_issue, notice_reply, notice_sign

# (unit, its reporter, its head, the states its 督办单 go through)
UNITS = [
    ("市市场监管局", "scjg-tb", "scjg-sh", ["issued", "returned"]),
    ("岳阳海关", "hg-tb", "hg-sh", ["signed", "closed"]),
    ("市人民银行", "rmyh-tb", "rmyh-sh", ["replied"]),
]
STEPS = ["issued", "signed", "replied", "returned", "closed"]


def _led_by(plan: Plan, organisation: Organisation, done: set[int]) -> list[Measure]:
    """Measures the unit leads, not implemented and without a 督办单 in hand."""
    return list(
        Measure.objects.exclude(pk__in=done)
        .filter(
            task__plan=plan,
            responsibilities__organisation=organisation,
            responsibilities__role=Duty.LEAD,
        )
        .exclude(notices__isnull=False, notices__state__in=["issued", "signed", "replied"])
        .select_related("task")
        .order_by("task__number", "number")[:6]
    )


def _walk(notice: Notice, to: str, office: User, reporter: User, head: User) -> None:
    """Take an issued 督办单 as far as `to` along 签收 → 反馈 → 退回 / 办结."""
    target = STEPS.index(to)
    if target >= STEPS.index("signed"):
        notice_sign(notice=notice, actor=head)
    if target >= STEPS.index("replied"):
        notice_reply(
            notice=notice, actor=reporter, text="已召开专题会议部署，相关工作按计划推进。", files=[]
        )
    if to == "returned":
        notice_decide(notice=notice, actor=office, close=False, comment="请补充办件数据和佐证材料")
    if to == "closed":
        notice_decide(notice=notice, actor=office, close=True, comment="经核实已办结")


def demo_supervision_ensure(plan: Plan, office: User) -> int:
    """Once per database: returns the number of 督办单 issued (0 when already there)."""
    if Notice.objects.filter(number__isnull=False).exists():
        return 0
    leader = User.objects.filter(username="leader").first()
    escalate(today=timezone.localdate(), deliver=False)  # 催办 records, messages, proposals
    today = timezone.localdate()
    done = {m.id for m in load_facts(plan, today).measures.values() if m.done(today)}
    issued = 0
    for unit, reporter_name, head_name, states in UNITS:
        organisation = Organisation.objects.filter(name=unit).first()
        reporter = User.objects.filter(username=reporter_name).first()
        head = User.objects.filter(username=head_name).first()
        if organisation is None or reporter is None or head is None:
            continue
        if leader is not None:
            Oversight.objects.get_or_create(leader=leader, organisation=organisation)
        measures = _led_by(plan, organisation, done)
        for measure, state in zip(measures, states, strict=False):
            proposal = Notice.objects.filter(measure=measure, state=NoticeState.PROPOSED).first()
            notice = notice_issue(
                actor=office,
                level=Level.KEY if state == "returned" else Level.GENERAL,
                reason=Reason.OVERDUE,
                requirement=f"举措 {measure.code} 已超过完成时限，请加快推进并于期限内书面反馈办理情况。",
                reply_due=timezone.localdate() + dt.timedelta(10),
                organisation=organisation,
                measure=measure,
                proposal=proposal,
            )
            _walk(notice, state, office, reporter, head)
            issued += 1
        if (
            len(measures) > len(states)
            and not Extension.objects.filter(organisation=organisation).exists()
        ):
            asked = extension_request(
                measure=measures[len(states)],
                actor=reporter,
                requested_due=timezone.localdate() + dt.timedelta(180),
                reason="需省级主管部门授权后方可实施，已多次对接，预计半年内完成。",
            )
            if unit != "市市场监管局":  # one approved per unit but the first, which still waits
                extension_decide(extension=asked, actor=office, approve=True)
    if leader is not None:
        _demo_assignments(plan, office, leader)
    return issued


def _demo_assignments(plan: Plan, office: User, leader: User) -> None:
    """A 批示 answered and one waiting, a leading-group meeting with three decisions in different
    states, and a coordination request from a report's 问题与困难, assigned and answered."""
    today = timezone.localdate()
    units = {u: Organisation.objects.filter(name=u).first() for u, _r, _h, _s in UNITS}
    people = {
        name: User.objects.filter(username=name).first()
        for _u, n, h, _s in UNITS
        for name in (n, h)
    }
    market, customs, bank = units["市市场监管局"], units["岳阳海关"], units["市人民银行"]
    if market is None or customs is None or bank is None:
        return
    measure = _led_by(plan, market, set())[0]
    instruction = instruction_write(
        actor=leader,
        text="此项涉及企业准入便利化，请市场监管局牵头，两周内拿出推进方案报我。",
        organisations=[market, customs],
        due_on=today + dt.timedelta(14),
        measure=measure,
    )
    answered = instruction.assignments.get(organisation=customs)
    if (customs_head := people["hg-sh"]) is not None:
        assignment_answer(
            actor=customs_head,
            assignment=answered,
            text="已与市场监管局对接，通关数据共享方案已报送。",
        )
    meeting = meeting_record(
        actor=office,
        kind="leading_group",
        title="自贸片区建设领导小组2026年第一次会议",
        held_on=today - dt.timedelta(20),
        attendees="领导小组组长、副组长，各成员单位主要负责人",
    )
    decisions = [
        (market, "市场监管局牵头制定企业登记便利化实施细则", 10),
        (customs, "岳阳海关会同港务集团完成城陵矶港通关流程再造", 30),
        (bank, "人民银行岳阳市分行推动跨境人民币结算便利化试点扩围", 60),
    ]
    made = [
        decision_add(
            actor=office,
            meeting=meeting,
            text=text,
            organisation=unit,
            due_on=today + dt.timedelta(days),
        )
        for unit, text, days in decisions
    ]
    if (bank_head := people["rmyh-sh"]) is not None:
        assignment_answer(
            actor=bank_head, assignment=made[2], text="试点企业已由 12 家扩至 30 家。"
        )
        assignment_decide(actor=office, assignment=made[2], close=True, comment="经核实已落实")
    coordination = coordination_raise(
        actor=office,
        text="企业登记与海关备案信息尚未互通，需海关开放数据接口。",
        organisation=market,
    )
    coordination_assign(
        actor=office, assignment=coordination, due_on=today + dt.timedelta(15), organisation=customs
    )
    if customs_head is not None:
        assignment_answer(
            actor=customs_head, assignment=coordination, text="数据接口已开通测试环境，下月上线。"
        )
    _demo_exemptions(plan, office, units, people)


def _demo_exemptions(
    plan: Plan,
    office: User,
    units: dict[str, Organisation | None],
    people: dict[str, User | None],
) -> None:
    """容错免责: one granted (customs), one waiting for the office (the market regulator)."""
    for unit, person, approve in (("岳阳海关", "hg-tb", True), ("市场监管局", "scjg-tb", False)):
        organisation = next((o for name, o in units.items() if unit in name), None)
        reporter = people.get(person)
        if organisation is None or reporter is None:
            continue
        measures = _led_by(plan, organisation, set())
        if not measures:
            continue
        asked = exemption_request(
            measure=measures[-1],
            actor=reporter,
            reason="已按规定程序推进并多次请示，因国家层面政策调整未能按期完成，属于探索性失误。",
            evidence="上级主管部门复函、专题会议纪要",
        )
        if approve:
            exemption_decide(exemption=asked, actor=office, approve=True, note="符合三个区分开来")
