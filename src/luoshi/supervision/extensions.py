"""延期申请 and the rule approved ones add to progress.timing.deadline_in_force.

Approved extensions as a rule of progress.timing.deadline_in_force: from the decision's date on,
a measure (and its task, when the new date is later than the task's) is held to the new deadline;
before that date nothing changes, so every figure as of an earlier day stays what it was."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from luoshi.accounts.policies import organisation_of
from luoshi.audit.actions import AuditAction
from luoshi.audit.services import audit_record, refuse
from luoshi.plans.models import Measure
from luoshi.progress.timing import batch_memo, deadline_in_force
from luoshi.supervision.models import TEXT_LIMIT, Extension, ExtensionState
from luoshi.supervision.policies import may_decide_extension, may_request_extension

Decisions = dict[str, dict[int, list[tuple[dt.date, dt.date]]]]


def _approved() -> Decisions:
    """measure id / task id → [(decided on, new deadline)] in decision order; one query."""
    found: Decisions = {"measure": defaultdict(list), "task": defaultdict(list)}
    rows = (
        Extension.objects.filter(state=ExtensionState.APPROVED, decided_on__isnull=False)
        .order_by("decided_on", "id")
        .values_list("measure_id", "measure__task_id", "decided_on", "requested_due")
    )
    for measure_id, task_id, decided_on, due in rows:
        assert decided_on is not None  # filtered above
        found["measure"][measure_id].append((decided_on, due))
        found["task"][task_id].append((decided_on, due))
    return found


def extension_rule(
    due: dt.date | None, as_of: dt.date, measure_id: int | None, task_id: int | None
) -> dt.date | None:
    decisions: Decisions = batch_memo("supervision.extensions", _approved)
    if measure_id is not None:
        applying = [d for on, d in decisions["measure"].get(measure_id, []) if on <= as_of]
        return applying[-1] if applying else due
    if task_id is not None:
        later = [d for on, d in decisions["task"].get(task_id, []) if on <= as_of]
        if later and due is not None:
            return max(due, *later)
    return due


def _in_force(measure: Measure, on: dt.date) -> dt.date | None:
    _words, written = measure.deadline_in_force
    return deadline_in_force(written, on, measure_id=measure.pk)


def extension_request(
    *, measure: Measure, actor: User, requested_due: dt.date | None, reason: str
) -> Extension:
    """A lead unit asks to move the deadline, with its reasons; the office decides."""
    if not may_request_extension(actor, measure):
        raise refuse(
            actor=actor,
            action=AuditAction.EXTENSION_REQUEST,
            obj=measure,
            message="只有牵头单位可以申请延期",
        )
    today = timezone.localdate()
    current = _in_force(measure, today)
    errors = {}
    if requested_due is None:
        errors["requested_due"] = "请填写申请延至的日期"
    elif requested_due <= max(today, current or today):
        errors["requested_due"] = "延期后的期限应晚于今天和现行期限"
    if not reason.strip():
        errors["reason"] = "请说明延期理由"
    elif len(reason) > TEXT_LIMIT:
        errors["reason"] = f"不能超过 {TEXT_LIMIT} 字"
    if Extension.objects.filter(measure=measure, state=ExtensionState.PENDING).exists():
        errors["measure"] = "该举措已有待审批的延期申请"
    if errors:
        raise ValidationError(errors)
    organisation = organisation_of(actor)
    assert organisation is not None and requested_due is not None
    with transaction.atomic():
        extension = Extension.objects.create(
            measure=measure,
            organisation=organisation,
            original_due=current,
            requested_due=requested_due,
            reason=reason,
            requested_by=actor,
        )
        audit_record(actor=actor, action=AuditAction.EXTENSION_REQUEST, obj=extension)
    return extension


def extension_decide(
    *, extension: Extension, actor: User, approve: bool, note: str = ""
) -> Extension:
    """The office approves (the new deadline is in force from today) or refuses, with a note."""
    action = AuditAction.EXTENSION_APPROVE if approve else AuditAction.EXTENSION_REFUSE
    if not may_decide_extension(actor):
        raise refuse(actor=actor, action=action, obj=extension, message="只有片区办可以审批延期")
    if extension.state != ExtensionState.PENDING:
        raise ValidationError({"state": "该申请已审批"})
    if not approve and not note.strip():
        raise ValidationError({"note": "不予批准须说明理由"})
    with transaction.atomic():
        extension.state = ExtensionState.APPROVED if approve else ExtensionState.REFUSED
        extension.decided_by, extension.decided_on = actor, timezone.localdate()
        extension.decision_note = note
        extension.save()
        audit_record(
            actor=actor,
            action=action,
            obj=extension,
            detail={
                "original_due": str(extension.original_due),
                "requested_due": str(extension.requested_due),
            },
        )
    return extension
