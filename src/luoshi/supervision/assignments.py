"""Writes of 批示 and 协调事项 (meetings with their 议定事项: supervision.meetings): each is one
transaction that leaves a step on the assignment, messages the people who must act, and an audit row;
refusals are audited."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable, Iterable, Sequence

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext as _

from luoshi.accounts.models import Membership, Role
from luoshi.accounts.policies import is_office, organisation_of
from luoshi.audit.actions import AuditAction
from luoshi.audit.services import audit_record, refuse
from luoshi.plans.models import Measure, Organisation, Task
from luoshi.progress.models import Report
from luoshi.supervision import texts
from luoshi.supervision.escalation import REASON_OF
from luoshi.supervision.messaging import message_send
from luoshi.supervision.models import (
    OPEN_STATES,
    TEXT_LIMIT,
    Assignment,
    AssignmentEvent,
    AssignmentKind,
    AssignmentState,
    Instruction,
    Notice,
)
from luoshi.supervision.policies import (
    may_answer,
    may_assign,
    may_close,
    may_instruct,
    may_raise_coordination,
)
from luoshi.supervision.services import notice_issue
from luoshi.supervision.stale import locked_state, stale_step
from luoshi.supervision.texts import Text, label


def _text(errors: dict[str, str], name: str, value: str, what: str) -> None:
    if not value.strip():
        errors[name] = gettext("请填写%(what)s") % {"what": what}
    elif len(value) > TEXT_LIMIT:
        errors[name] = gettext("不能超过 %(n)s 字") % {"n": TEXT_LIMIT}


def _due(errors: dict[str, str], due_on: dt.date | None) -> None:
    if due_on is None:
        errors["due_on"] = gettext("请填写办理期限")
    elif due_on < timezone.localdate():
        errors["due_on"] = gettext("办理期限不能早于今天")


def _step(assignment: Assignment, actor: User | None, action: str, comment: str = "") -> None:
    AssignmentEvent.objects.create(
        assignment=assignment,
        actor=actor,
        action=action,
        to_state=assignment.state,
        comment=comment,
    )


def _stale(assignment: Assignment) -> ValidationError:
    last = assignment.events.select_related("actor").order_by("-at", "-id").first()
    return stale_step(
        last,
        gettext("该事项已于 %(when)s 由 %(who)s 处理，当前状态：%(state)s。请刷新后再操作。"),
        state=AssignmentState(assignment.state).label,
    )


def _check(
    actor: User,
    assignment: Assignment,
    needed: AssignmentState,
    may: Callable[[User, Assignment], bool],
    action: AuditAction,
    message: str,
) -> None:
    """Whether `actor` may take a step that needs the item `needed`. Someone who could have, had a
    colleague not acted first (the page was an old copy), gets a clear message, not a refusal."""
    if may(actor, assignment):
        return
    seen = copy.copy(assignment)
    seen.state = needed
    if assignment.state != needed and may(actor, seen):
        raise _stale(assignment)
    raise refuse(actor=actor, action=action, obj=assignment, message=message)


def _lock(assignment: Assignment, needed: AssignmentState) -> None:
    """Inside the step's transaction: the row locked, so of two people acting at once the second
    finds the first one's step and is told, instead of repeating it."""
    assignment.state = locked_state(Assignment, assignment.pk)
    if assignment.state != needed:
        raise _stale(assignment)


def _link(assignment: Assignment) -> str:
    return reverse("supervision:assignment", args=[assignment.pk])


def _tell_unit(assignment: Assignment, subject: Text) -> None:
    if assignment.owner is not None:
        people: Iterable[User] = [assignment.owner]
    else:
        people = [
            m.user
            for m in Membership.objects.filter(
                organisation=assignment.organisation,
                role__in=[Role.HEAD, Role.REPORTER],
                user__is_active=True,
            ).select_related("user")
        ]
    for person in people:
        message_send(
            recipient=person, subject=subject, body=assignment.text, link=_link(assignment)
        )


def _tell_office(assignment: Assignment, subject: Text, body: str) -> None:
    for m in Membership.objects.filter(role=Role.OFFICE, user__is_active=True).select_related(
        "user"
    ):
        message_send(recipient=m.user, subject=subject, body=body, link=_link(assignment))


def instruction_write(
    *,
    actor: User,
    text: str,
    organisations: Sequence[Organisation],
    due_on: dt.date | None,
    measure: Measure | None = None,
    task: Task | None = None,
    report: Report | None = None,
    notice: Notice | None = None,
) -> Instruction:
    """领导批示: one to-do per named unit, each told by message; answers go back to the leader."""
    target = measure or task or report or notice
    if not may_instruct(actor):
        raise refuse(
            actor=actor,
            action=AuditAction.INSTRUCTION_WRITE,
            obj=target,
            message=gettext("只有领导可以批示"),
        )
    errors: dict[str, str] = {}
    _text(errors, "text", text, gettext("批示内容"))
    _due(errors, due_on)
    if not organisations:
        errors["organisations"] = gettext("请选择落实单位")
    if errors:
        raise ValidationError(errors)
    assert due_on is not None
    with transaction.atomic():
        instruction = Instruction.objects.create(
            author=actor,
            text=text,
            measure=measure,
            task=task,
            report=report,
            notice=notice,
            due_on=due_on,
        )
        for organisation in organisations:
            assignment = Assignment.objects.create(
                kind=AssignmentKind.INSTRUCTION,
                text=text,
                organisation=organisation,
                instruction=instruction,
                measure=measure or (report.measure if report else None),
                due_on=due_on,
                created_by=actor,
            )
            _step(assignment, actor, "create")
            _tell_unit(
                assignment,
                texts.text(
                    gettext_noop("领导批示（%(subject)s），请于 %(due)s 前落实"),
                    subject=instruction.subject_text,
                    due=str(due_on),
                ),
            )
        audit_record(
            actor=actor,
            action=AuditAction.INSTRUCTION_WRITE,
            obj=instruction,
            detail={"units": [o.pk for o in organisations], "due_on": str(due_on)},
        )
    return instruction


def coordination_raise(
    *,
    actor: User,
    text: str,
    report: Report | None = None,
    organisation: Organisation | None = None,
) -> Assignment:
    """协调事项 / 请示: a unit (or the office, from a report's 问题与困难) asks for coordination."""
    if not may_raise_coordination(actor):
        raise refuse(
            actor=actor,
            action=AuditAction.COORDINATION_RAISE,
            obj=report,
            message=gettext("只有责任单位和片区办可以提出协调事项"),
        )
    raised_by = organisation_of(actor) if not is_office(actor) else None
    raised_by = raised_by or organisation or (report.organisation if report else None)
    errors: dict[str, str] = {}
    _text(errors, "text", text, gettext("需协调解决的问题"))
    if raised_by is None:
        errors["organisation"] = gettext("请选择提出单位")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        assignment = Assignment.objects.create(
            kind=AssignmentKind.COORDINATION,
            state=AssignmentState.RAISED,
            text=text,
            raised_by=raised_by,
            report=report,
            measure=report.measure if report else None,
            created_by=actor,
        )
        _step(assignment, actor, "raise")
        if not is_office(actor):
            _tell_office(
                assignment,
                texts.text(gettext_noop("%(unit)s提出协调事项"), unit=str(raised_by)),
                text,
            )
        audit_record(actor=actor, action=AuditAction.COORDINATION_RAISE, obj=assignment)
    return assignment


def coordination_assign(
    *,
    actor: User,
    assignment: Assignment,
    due_on: dt.date | None,
    organisation: Organisation | None = None,
    owner: User | None = None,
    comment: str = "",
) -> Assignment:
    """The office gives a coordination request an owner — a unit, or a leader for a 请示 — and a date."""
    _check(
        actor,
        assignment,
        AssignmentState.RAISED,
        may_assign,
        AuditAction.ASSIGNMENT_ASSIGN,
        gettext("只有片区办可以分派待分派的协调事项"),
    )
    errors: dict[str, str] = {}
    _due(errors, due_on)
    if (organisation is None) == (owner is None):
        errors["organisation"] = gettext("请选择一个承办单位或一位领导")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _lock(assignment, AssignmentState.RAISED)
        assignment.organisation, assignment.owner = organisation, owner
        assignment.due_on, assignment.state = due_on, AssignmentState.OPEN
        assignment.save(update_fields=["organisation", "owner", "due_on", "state"])
        _step(assignment, actor, "assign", comment)
        _tell_unit(
            assignment, texts.text(gettext_noop("协调事项请于 %(due)s 前办理答复"), due=str(due_on))
        )
        audit_record(actor=actor, action=AuditAction.ASSIGNMENT_ASSIGN, obj=assignment)
    return assignment


def assignment_answer(*, actor: User, assignment: Assignment, text: str) -> Assignment:
    """落实情况: the unit (or leader) answers; the 批示's leader, or the office, is told."""
    _check(
        actor,
        assignment,
        AssignmentState.OPEN,
        may_answer,
        AuditAction.ASSIGNMENT_ANSWER,
        gettext("只有承办单位可以反馈办理中的事项"),
    )
    errors: dict[str, str] = {}
    _text(errors, "answer", text, gettext("落实情况"))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _lock(assignment, AssignmentState.OPEN)
        assignment.answer, assignment.answered_at = text, timezone.now()
        assignment.state = AssignmentState.ANSWERED
        assignment.save(update_fields=["answer", "answered_at", "state"])
        _step(assignment, actor, "answer", text)
        subject = texts.text(
            gettext_noop("%(kind)s已反馈：%(who)s"),
            kind=label(AssignmentKind(assignment.kind).label),
            who=str(assignment.organisation or actor),
        )
        if assignment.instruction is not None:
            message_send(
                recipient=assignment.instruction.author,
                subject=subject,
                body=text,
                link=_link(assignment),
            )
        _tell_office(assignment, subject, text)
        audit_record(actor=actor, action=AuditAction.ASSIGNMENT_ANSWER, obj=assignment)
    return assignment


def assignment_decide(
    *, actor: User, assignment: Assignment, close: bool, comment: str = ""
) -> Assignment:
    """办结, or back to the unit with a reason: the office (and a 批示's own leader)."""
    action = AuditAction.ASSIGNMENT_CLOSE if close else AuditAction.ASSIGNMENT_RETURN
    _check(
        actor,
        assignment,
        AssignmentState.ANSWERED,
        may_close,
        action,
        gettext("只有片区办或批示领导可以办结已反馈的事项"),
    )
    if not close and not comment.strip():
        raise ValidationError({"comment": gettext("退回须说明理由")})
    with transaction.atomic():
        _lock(assignment, AssignmentState.ANSWERED)
        if close:
            assignment.state, assignment.closed_at = AssignmentState.CLOSED, timezone.now()
        else:
            assignment.state = AssignmentState.OPEN
        assignment.save(update_fields=["state", "closed_at"])
        _step(assignment, actor, "close" if close else "return", comment)
        said = (
            gettext_noop("%(kind)s已办结") if close else gettext_noop("%(kind)s被退回，请继续办理")
        )
        _tell_unit(assignment, texts.text(said, kind=label(AssignmentKind(assignment.kind).label)))
        audit_record(actor=actor, action=action, obj=assignment, detail={"comment": comment})
    return assignment


def assignment_to_notice(
    *, actor: User, assignment: Assignment, level: str, requirement: str, reply_due: dt.date | None
) -> Notice:
    """A 督办单 on a 批示 or 议定事项 (reason 领导批示 / 会议议定), issued by the office."""
    if assignment.organisation is None:
        raise ValidationError({"organisation": gettext("该事项尚未分派承办单位")})
    with transaction.atomic():
        # Locked: of two offices pressing at once (or one page sent twice), the second finds the
        # first one's 督办单 and is told, instead of issuing another.
        list(Assignment.objects.select_for_update().filter(pk=assignment.pk).values_list("pk"))
        issued = assignment.notices.filter(state__in=OPEN_STATES).first()
        if issued is not None:
            on = timezone.localtime(issued.issued_at or issued.created_at)
            raise ValidationError(
                {
                    "notice": _("该事项已于 %(on)s 下发 %(notice)s，请刷新后查看")
                    % {"on": f"{on:%Y-%m-%d %H:%M}", "notice": issued.label}
                }
            )
        notice = notice_issue(
            actor=actor,
            level=level,
            reason=REASON_OF[AssignmentKind(assignment.kind)],
            requirement=requirement,
            reply_due=reply_due,
            organisation=assignment.organisation,
            measure=assignment.measure,
            assignment=assignment,
        )
        _step(assignment, actor, "notice", notice.label)
    return notice
