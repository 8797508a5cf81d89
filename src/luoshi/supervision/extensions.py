"""延期申请 and the rule approved ones add to progress.timing.deadline_in_force.

Approved extensions as a rule of progress.timing.deadline_in_force: from the decision's date on,
a measure (and its task, when the new date is later than the task's) is held to the new deadline;
before that date nothing changes, so every figure as of an earlier day stays what it was."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext as _

from luoshi.accounts.policies import is_office, organisation_of
from luoshi.audit.actions import AuditAction
from luoshi.audit.services import audit_record, refuse
from luoshi.plans.models import Measure
from luoshi.progress.timing import batch_memo, deadline_in_force
from luoshi.supervision.messaging import message_send
from luoshi.supervision.models import TEXT_LIMIT, Extension, ExtensionState
from luoshi.supervision.policies import (
    decides_extensions,
    may_decide_extension,
    may_request_extension,
    needs_leader,
    overseers,
)
from luoshi.supervision.stale import locked_state, stale_decision
from luoshi.supervision.texts import text

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
            message=gettext("只有牵头单位可以申请延期"),
        )
    today = timezone.localdate()
    current = _in_force(measure, today)
    errors = {}
    if requested_due is None:
        errors["requested_due"] = gettext("请填写申请延至的日期")
    elif requested_due <= max(today, current or today):
        errors["requested_due"] = gettext("延期后的期限应晚于今天和现行期限")
    if not reason.strip():
        errors["reason"] = gettext("请说明延期理由")
    elif len(reason) > TEXT_LIMIT:
        errors["reason"] = gettext("不能超过 %(n)s 字") % {"n": TEXT_LIMIT}
    if Extension.objects.filter(measure=measure, state=ExtensionState.PENDING).exists():
        errors["measure"] = gettext("该举措已有待审批的延期申请")
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
    """The office approves (the new deadline is in force from today) or refuses, with a note. A key
    item's long extension, once the office agrees, waits for its 分管领导, whose date then counts."""
    action = AuditAction.EXTENSION_APPROVE if approve else AuditAction.EXTENSION_REFUSE
    if not decides_extensions(actor):
        raise refuse(
            actor=actor,
            action=action,
            obj=extension,
            message=gettext("只有片区办和领导可以审批延期"),
        )
    if extension.state not in (ExtensionState.PENDING, ExtensionState.LEADER):
        raise _decided(extension)
    if extension.state == ExtensionState.LEADER and is_office(actor):
        # The office's own page, left open after its decision: say where the request is now.
        raise ValidationError(
            {
                "state": _("该申请已由片区办于 %(on)s 同意，待分管领导审批")
                % {"on": extension.office_on}
            }
        )
    if not may_decide_extension(actor, extension):
        who = (
            gettext("片区办") if extension.state == ExtensionState.PENDING else gettext("分管领导")
        )
        raise refuse(
            actor=actor,
            action=action,
            obj=extension,
            message=gettext("该申请待%(who)s审批") % {"who": who},
        )
    if not approve and not note.strip():
        raise ValidationError({"note": gettext("不予批准须说明理由")})
    stage = "office" if extension.state == ExtensionState.PENDING else "leader"
    with transaction.atomic():
        # Locked: of two people deciding at once, the second finds the first one's decision.
        if locked_state(Extension, extension.pk) != extension.state:
            extension.refresh_from_db()
            raise _decided(extension)
        if approve and stage == "office" and needs_leader(extension):
            extension.state = ExtensionState.LEADER
            extension.office_by, extension.office_on = actor, timezone.localdate()
            extension.office_note = note
            _tell(
                overseers(extension.organisation),
                extension,
                gettext_noop("延期申请待分管领导审批：举措 %(code)s"),
            )
        else:
            extension.state = ExtensionState.APPROVED if approve else ExtensionState.REFUSED
            extension.decided_by, extension.decided_on = actor, timezone.localdate()
            extension.decision_note = note
            said = (
                gettext_noop("延期申请已批准：举措 %(code)s")
                if approve
                else gettext_noop("延期申请不予批准：举措 %(code)s")
            )
            _tell([extension.requested_by], extension, said)
        extension.save()
        audit_record(
            actor=actor,
            action=action,
            obj=extension,
            detail={
                "stage": stage,
                "state": extension.state,
                "original_due": str(extension.original_due),
                "requested_due": str(extension.requested_due),
            },
        )
    return extension


def _decided(extension: Extension) -> ValidationError:
    """Decided by someone else first (a colleague, another tab): by whom, when, and how."""
    return stale_decision(
        extension,
        gettext("该申请已于 %(when)s 由 %(who)s 审批，当前状态：%(state)s。请刷新后再操作。"),
        state=ExtensionState(extension.state).label,
    )


def _tell(people: Iterable[User], extension: Extension, subject: str) -> None:
    """`subject`: a gettext_noop'd text with %(code)s, the measure's code."""
    link = reverse("supervision:history", args=[extension.measure_id])
    code = extension.measure.code
    body = text(
        gettext_noop("举措 %(code)s：原定 %(was)s，申请延至 %(asked)s。%(reason)s"),
        code=code,
        was=str(extension.original_due or "—"),
        asked=str(extension.requested_due),
        reason=extension.reason,
    )
    for person in people:
        message_send(recipient=person, subject=text(subject, code=code), body=body, link=link)
