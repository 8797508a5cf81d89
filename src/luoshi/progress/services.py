"""Writes of the reporting loop. Each is one transaction that leaves an event and an audit row."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from luoshi.accounts.policies import is_office, leads, organisation_of
from luoshi.audit.actions import AuditAction
from luoshi.audit.models import AuditEvent, Outcome
from luoshi.audit.services import audit_record, refuse
from luoshi.plans.limits import date_errors, refuse_if
from luoshi.plans.models import Measure, Plan
from luoshi.progress.consistency import contradictions
from luoshi.progress.models import (
    TEXT_LIMIT,
    Contribution,
    CycleStatus,
    ProgressStatus,
    Report,
    ReportEvent,
    ReportingCycle,
    ReportState,
    ReportStep,
)
from luoshi.progress.policies import can_contribute, can_edit, may_act_as, may_undo_accept
from luoshi.progress.selectors import implemented_on, previous_report
from luoshi.progress.workflow import Action, Transition, transition_for

EDITABLE_FIELDS = ("progress_status", "percent", "work_done", "problems", "next_steps")


class StaleReport(Exception):
    """Someone changed the report since this copy was read; the message says who, when and what,
    and `report` is the current copy (a page can open it)."""

    def __init__(self, message: str, report: Report | None = None) -> None:
        super().__init__(message)
        self.report = report


def _stale(report: Report) -> StaleReport:
    """The refusal of an action taken on an old copy, naming the latest change in the trail."""
    last = (
        AuditEvent.objects.filter(
            object_type=Report._meta.label_lower,
            object_id=str(report.pk),
            outcome=Outcome.SUCCESS,
            action__startswith="report_",
        )
        .select_related("user")
        .order_by("-at", "-id")
        .first()
    )
    if last is None:
        return StaleReport(_("该报告已被他人修改，请刷新后再操作"), report)
    at = timezone.localtime(last.at)
    when = f"{at:%H:%M}"
    if at.date() != timezone.localdate():
        when = _("%(month)s月%(day)s日 %(time)s") % {"month": at.month, "day": at.day, "time": when}
    organisation = organisation_of(last.user) if last.user else None
    who = (
        organisation.name if organisation else (last.user and last.user.last_name) or last.username
    )
    verbs = {f"report_{a.value}": str(a.label) for a in Action}
    verbs["report_draft"] = _("新建")
    what = verbs.get(last.action, _("修改"))
    return StaleReport(
        _("该报告已于 %(when)s 由 %(who)s %(what)s，当前状态：%(state)s。请刷新后再操作。")
        % {"when": when, "who": who, "what": what, "state": ReportState(report.state).label},
        report,
    )


def _refuse(actor: User, action: AuditAction, obj: Any, message: str) -> PermissionDenied:
    # Called before the refused change's transaction opens, so the refusal stays in the trail.
    return refuse(actor=actor, action=action, obj=obj, message=message)


def cycle_open(
    *,
    plan: Plan,
    starts_on: dt.date,
    ends_on: dt.date,
    actor: User,
    due_on: dt.date | None = None,
    name: str = "",
) -> ReportingCycle:
    """The office opens a reporting cycle with its own dates (default: due on the last day)."""
    if not is_office(actor):
        raise _refuse(actor, AuditAction.CYCLE_OPEN, plan, gettext("只有片区办可以开启填报周期"))
    refuse_if(date_errors(starts_on=starts_on, ends_on=ends_on, due_on=due_on))
    if ends_on < starts_on:
        raise ValidationError({"ends_on": gettext("结束日期不能早于开始日期")})
    if ReportingCycle.objects.filter(
        plan__programme=plan.programme_id, starts_on=starts_on
    ).exists():  # cycles belong to the programme: a new version reports in the same ones
        raise ValidationError({"starts_on": gettext("该方案已有从这一天开始的填报周期")})
    cycle = ReportingCycle(
        plan=plan,
        typed_name=name.strip(),  # none: named from its period, in each reader's language
        starts_on=starts_on,
        ends_on=ends_on,
        due_on=due_on or ends_on,
        opened_by=actor,
    )
    cycle.full_clean()  # a second cycle starting the same day is refused here, not by the database
    with transaction.atomic():
        cycle.save()
        audit_record(actor=actor, action=AuditAction.CYCLE_OPEN, obj=cycle)
    return cycle


def cycle_open_month(*, plan: Plan, year: int, month: int, actor: User) -> ReportingCycle:
    """The default monthly cycle."""
    last = calendar.monthrange(year, month)[1]
    return cycle_open(
        plan=plan,
        starts_on=dt.date(year, month, 1),
        ends_on=dt.date(year, month, last),
        actor=actor,
    )


def _clean(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({name: gettext("不可修改的字段") for name in unknown})
    errors = {}
    if "progress_status" in fields and fields["progress_status"] not in ProgressStatus.values:
        errors["progress_status"] = gettext("无效的进展状态")
    if "percent" in fields and not (
        isinstance(fields["percent"], int) and 0 <= fields["percent"] <= 100
    ):
        errors["percent"] = gettext("完成比例应为 0–100 的整数")
    for name in ("work_done", "problems", "next_steps"):
        if len(fields.get(name) or "") > TEXT_LIMIT:
            errors[name] = gettext("不能超过 %(n)s 字") % {"n": TEXT_LIMIT}
    if errors:
        raise ValidationError(errors)
    return fields


def report_draft(*, measure: Measure, cycle: ReportingCycle, actor: User, **fields: Any) -> Report:
    """A lead organisation's reporter starts the cycle's report on a measure."""
    if not leads(actor, measure):
        raise _refuse(
            actor, AuditAction.REPORT_DRAFT, measure, gettext("只有牵头单位可以填报该举措")
        )
    if cycle.status != CycleStatus.OPEN:
        raise ValidationError({"cycle": gettext("该填报周期未开放")})
    if cycle.plan.programme_id != measure.task.plan.programme_id:
        raise ValidationError({"cycle": gettext("该填报周期属于另一个方案，不能填报本方案的举措")})
    if implemented_on(Measure.objects.filter(pk=measure.pk)):  # here or in the version it revises
        raise ValidationError({"measure": gettext("该举措已落实，无需再报")})
    fields = _clean(fields)
    organisation = organisation_of(actor)
    assert organisation is not None  # leads() holds only for a department member
    try:
        # The unique constraint, not a look-up first, decides who came first: two clients starting
        # the same report at once (two tabs, two colleagues) both pass any look-up.
        with transaction.atomic():
            report = Report.objects.create(
                measure=measure,
                cycle=cycle,
                organisation=organisation,
                created_by=actor,
                **fields,
            )
            ReportEvent.objects.create(
                report=report, actor=actor, action=ReportStep.DRAFT, to_state=report.state
            )
            audit_record(actor=actor, action=AuditAction.REPORT_DRAFT, obj=report)
    except IntegrityError:
        existing = Report.objects.filter(measure=measure, cycle=cycle).first()
        if existing is None:  # another constraint: not a race
            raise
        raise _stale(existing) from None
    return report


def report_update(*, report: Report, actor: User, version: int, **fields: Any) -> Report:
    """Save a draft's fields if nobody changed it since `version` was read; a stale save is refused
    with what happened meanwhile (the caller keeps the user's text on screen)."""
    current = Report.objects.select_related("measure", "organisation").get(pk=report.pk)
    if current.version != version:
        raise _stale(current)
    if not can_edit(actor, current):
        raise _refuse(
            actor,
            AuditAction.REPORT_UPDATE,
            report,
            gettext("无权修改该报告（仅牵头单位可修改草稿，已验收的报告不可修改）"),
        )
    changes = _clean(fields)
    with transaction.atomic():
        updated = Report.objects.filter(
            pk=report.pk, version=version, state=ReportState.DRAFT
        ).update(**changes, version=F("version") + 1, updated_at=timezone.now())
        if not updated:
            raise _stale(current)
        report.refresh_from_db()
        audit_record(
            actor=actor,
            action=AuditAction.REPORT_UPDATE,
            obj=report,
            detail={"fields": sorted(changes)},
        )
    return report


def report_transition(
    *, report: Report, action: str, actor: User, reason: str = "", version: int | None = None
) -> Report:
    """Move a report through the workflow table; the row is locked so two reviewers cannot race.
    With `version` (the copy the user saw), an action on a report changed since is refused as stale."""
    with transaction.atomic():
        report = (
            Report.objects.select_for_update()
            .select_related("measure__task", "organisation")
            .get(pk=report.pk)
        )
        if version is not None and version != report.version:
            raise _stale(report)
        if action == Action.UNDO_ACCEPT:
            allowed = is_office(actor)
            if allowed:
                _undo_accept(report, actor)
            transition: Transition | None = None
        else:
            transition = transition_for(report.state, action)
            allowed = may_act_as(actor, report, transition.actor)
        if allowed and transition is not None:
            if transition.needs_reason and not reason.strip():
                raise ValidationError({"reason": _("退回时必须填写理由")})
            if action == Action.SUBMIT:
                _check_complete(report)
            source = report.state
            _apply(report, Action(action), transition.target, reason)
            report.return_count += transition.counts_as_return
            report.version += 1
            report.save()
            ReportEvent.objects.create(
                report=report,
                actor=actor,
                action=action,
                from_state=source,
                to_state=report.state,
                comment=reason,
                progress_status=report.progress_status,
                percent=report.percent,
            )
            detail = {"from": source, "to": report.state, "reason": reason}
            audit_record(
                actor=actor, action=AuditAction.report_transition(action), obj=report, detail=detail
            )
    if not allowed:
        raise _refuse(
            actor, AuditAction.report_transition(action), report, gettext("无权对该报告执行此操作")
        )
    return report


def _undo_accept(report: Report, actor: User) -> None:
    """撤销验收: back to 单位已审核, as a step of its own in the history, so a figure as of a day
    between the acceptance and its undoing counts it and a figure as of a later day does not."""
    if report.state != ReportState.ACCEPTED:
        raise _stale(report)
    if not may_undo_accept(report):
        raise ValidationError(
            {
                "action": _("验收已超过 %(n)d 分钟或报告已公开，不能撤销")
                % {"n": settings.LUOSHI_UNDO_ACCEPT_MINUTES}
            }
        )
    report.state, report.accepted_at = ReportState.APPROVED, None
    report.updated_at = timezone.now()
    report.version += 1
    report.save()
    ReportEvent.objects.create(
        report=report,
        actor=actor,
        action=Action.UNDO_ACCEPT,
        from_state=ReportState.ACCEPTED,
        to_state=report.state,
        progress_status=report.progress_status,
        percent=report.percent,
    )
    audit_record(
        actor=actor,
        action=AuditAction.REPORT_UNDO_ACCEPT,
        obj=report,
        detail={"from": ReportState.ACCEPTED, "to": report.state},
    )


def _check_complete(report: Report) -> None:
    """A report goes to the head only when it says something and does not contradict itself. A
    draft may (it is work in progress, and what was typed is never refused)."""
    errors = contradictions(report.measure, report.progress_status, report.percent)
    if not report.work_done.strip():
        errors["work_done"] = _("提交前请填写工作进展")
    if errors:
        raise ValidationError(errors)


def _apply(report: Report, action: Action, target: str, reason: str) -> None:
    now = timezone.now()
    report.state = target
    report.updated_at = now
    if action == Action.SUBMIT:
        report.submitted_at = now
    elif action == Action.WITHDRAW:
        report.submitted_at = None
    elif action == Action.APPROVE:
        report.approved_at = now
    elif action == Action.ACCEPT:
        report.accepted_at = now
    else:  # returned to draft, by the head or the office
        report.return_reason = reason


def report_carry_forward(*, measure: Measure, cycle: ReportingCycle, actor: User) -> Report:
    """No change since last cycle (沿用上期): copy the previous report into this cycle and submit it at once."""
    if not leads(actor, measure):
        raise _refuse(
            actor, AuditAction.REPORT_CARRY_FORWARD, measure, gettext("只有牵头单位可以填报该举措")
        )
    previous = previous_report(measure, cycle)
    if previous is None:
        raise ValidationError({"measure": gettext("没有可沿用的上期报告")})
    with transaction.atomic():
        fields = {name: getattr(previous, name) for name in EDITABLE_FIELDS}
        report = report_draft(measure=measure, cycle=cycle, actor=actor, **fields)
        Report.objects.filter(pk=report.pk).update(carried_forward=True)
        report = report_transition(report=report, action=Action.SUBMIT, actor=actor)
    return report


def report_publish(*, report: Report, actor: User, published: bool) -> Report:
    """The office chooses which accepted reports the public portal shows (信息公开)."""
    if not is_office(actor):
        raise _refuse(actor, AuditAction.REPORT_PUBLISH, report, gettext("只有片区办可以公开报告"))
    with transaction.atomic():
        # read under the row lock: an acceptance undone (撤销验收) since the page was shown must
        # not leave a report no longer accepted marked public
        state = Report.objects.select_for_update().values_list("state", flat=True).get(pk=report.pk)
        if state != ReportState.ACCEPTED:
            raise ValidationError({"published": gettext("只有已验收的报告可以公开")})
        Report.objects.filter(pk=report.pk).update(published=published)
        report.published = published
        audit_record(
            actor=actor,
            action=AuditAction.REPORT_PUBLISH,
            obj=report,
            detail={"published": published},
        )
    return report


def contribution_save(
    *, measure: Measure, cycle: ReportingCycle, actor: User, text: str
) -> Contribution:
    """A supporting organisation's input, which the lead sees when drafting."""
    if not can_contribute(actor, measure):
        raise _refuse(
            actor, AuditAction.CONTRIBUTION_SAVE, measure, gettext("只有配合单位可以提交配合进展")
        )
    if len(text) > TEXT_LIMIT or not text.strip():
        raise ValidationError({"text": gettext("请填写 1–%(n)s 字") % {"n": TEXT_LIMIT}})
    if cycle.plan.programme_id != measure.task.plan.programme_id:
        raise ValidationError({"cycle": gettext("该填报周期属于另一个方案，不能填报本方案的举措")})
    with transaction.atomic():
        contribution, _ = Contribution.objects.update_or_create(
            measure=measure,
            cycle=cycle,
            organisation=organisation_of(actor),
            defaults={"text": text, "author": actor},
        )
        audit_record(actor=actor, action=AuditAction.CONTRIBUTION_SAVE, obj=contribution)
    return contribution
