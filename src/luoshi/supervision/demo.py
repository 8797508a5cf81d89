"""督查督办 in the demo database (`make run`): the ladder run for today, 督办单 in every state on
overdue measures of the demo units, their 分管领导, and two extensions (one approved, one waiting).

Made through the services, as the office and the units would, so every record is consistent."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.utils import timezone

from luoshi.metrics.facts import load_facts
from luoshi.plans.models import Duty, Measure, Organisation, Plan
from luoshi.supervision.escalation import escalate
from luoshi.supervision.extensions import extension_decide, extension_request
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
    return issued
