"""容错免责 and the office's 加减分, and what they (and late 督办单) add to 考核
(registered with metrics.scoring, so the scores page, the API and the 工作通报 count them alike)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Min, Q
from django.utils import timezone
from django.utils.translation import gettext

from luoshi.accounts.policies import is_office, organisation_of
from luoshi.audit.actions import AuditAction
from luoshi.audit.services import audit_record, refuse
from luoshi.metrics.scoring import Adjustments, Point
from luoshi.plans.models import Measure, Organisation, Plan
from luoshi.supervision.models import (
    TEXT_LIMIT,
    Exemption,
    ExemptionState,
    Notice,
    NoticeState,
    NoticeStep,
    ScoreAdjustment,
)
from luoshi.supervision.policies import may_request_extension
from luoshi.supervision.stale import locked_state, stale_decision


def exemption_request(*, measure: Measure, actor: User, reason: str, evidence: str) -> Exemption:
    """A lead unit asks for 容错免责 on a measure, with its reasons and the material it rests on."""
    if not may_request_extension(actor, measure):  # the same people: the measure's lead unit
        raise refuse(
            actor=actor,
            action=AuditAction.EXEMPTION_REQUEST,
            obj=measure,
            message=gettext("只有牵头单位可以申请容错免责"),
        )
    errors = {}
    for name, value, what in (
        ("reason", reason, gettext("免责理由")),
        ("evidence", evidence, gettext("依据材料")),
    ):
        if not value.strip():
            errors[name] = gettext("请填写%(what)s") % {"what": what}
        elif len(value) > TEXT_LIMIT:
            errors[name] = gettext("不能超过 %(n)s 字") % {"n": TEXT_LIMIT}
    organisation = organisation_of(actor)
    if Exemption.objects.filter(
        measure=measure, organisation=organisation, state=ExemptionState.PENDING
    ).exists():
        errors["measure"] = gettext("该举措已有待认定的容错免责申请")
    if errors:
        raise ValidationError(errors)
    assert organisation is not None
    with transaction.atomic():
        exemption = Exemption.objects.create(
            measure=measure,
            organisation=organisation,
            reason=reason,
            evidence=evidence,
            requested_by=actor,
        )
        audit_record(actor=actor, action=AuditAction.EXEMPTION_REQUEST, obj=exemption)
    return exemption


def exemption_decide(
    *, exemption: Exemption, actor: User, approve: bool, note: str = ""
) -> Exemption:
    """The office decides; an approval counts in 考核 from its date on (earlier scores unchanged)."""
    action = AuditAction.EXEMPTION_APPROVE if approve else AuditAction.EXEMPTION_REFUSE
    if not is_office(actor):
        raise refuse(
            actor=actor, action=action, obj=exemption, message=gettext("只有片区办可以认定容错免责")
        )
    if exemption.state != ExemptionState.PENDING:
        raise _decided(exemption)
    if not approve and not note.strip():
        raise ValidationError({"note": gettext("不予免责须说明理由")})
    with transaction.atomic():
        # Locked: of two office users deciding at once, the second is told it is decided.
        if locked_state(Exemption, exemption.pk) != ExemptionState.PENDING:
            exemption.refresh_from_db()
            raise _decided(exemption)
        exemption.state = ExemptionState.APPROVED if approve else ExemptionState.REFUSED
        exemption.decided_by, exemption.decided_on = actor, timezone.localdate()
        exemption.decision_note = note
        exemption.save()
        audit_record(actor=actor, action=action, obj=exemption, detail={"note": note})
    return exemption


def _decided(exemption: Exemption) -> ValidationError:
    """Decided by someone else first (a colleague, another tab): by whom, when, and how."""
    return stale_decision(
        exemption,
        gettext("该申请已于 %(when)s 由 %(who)s 认定，当前状态：%(state)s。请刷新后再操作。"),
        state=ExemptionState(exemption.state).label,
    )


def score_adjust(
    *, actor: User, organisation: Organisation | None, points: int | None, reason: str
) -> ScoreAdjustment:
    """The office's 加分 / 减分 for a unit, with its reason, dated today."""
    if not is_office(actor):
        raise refuse(
            actor=actor, action=AuditAction.SCORE_ADJUST, message=gettext("只有片区办可以加减分")
        )
    errors = {}
    if organisation is None:
        errors["organisation"] = gettext("请选择单位")
    if points is None or points == 0 or abs(points) > 20:
        errors["points"] = gettext("分值应为 -20 至 20 之间的非零整数")
    if not reason.strip():
        errors["reason"] = gettext("请填写加减分理由")
    elif len(reason) > 200:
        errors["reason"] = gettext("不能超过 200 字")
    if errors:
        raise ValidationError(errors)
    assert organisation is not None and points is not None
    with transaction.atomic():
        adjustment = ScoreAdjustment.objects.create(
            organisation=organisation,
            points=points,
            reason=reason,
            on=timezone.localdate(),
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action=AuditAction.SCORE_ADJUST,
            obj=adjustment,
            detail={"points": points, "reason": reason},
        )
    return adjustment


def score_source(plan: Plan, start: dt.date, end: dt.date) -> Adjustments:
    """What supervision adds to 考核 as of `end`: exemptions decided by then, 督办单 whose reply
    deadline passed in the period without a reply by it, and the office's 加减分 in the period."""
    found = Adjustments(points={}, exempt={})
    for e in Exemption.objects.filter(
        state=ExemptionState.APPROVED, decided_on__lte=end, measure__task__plan=plan
    ):
        found.exempt[(e.organisation_id, e.measure_id)] = e.reason[:60]
    late = (
        Notice.objects.filter(issued_at__date__lte=end, reply_due__gte=start, reply_due__lt=end)
        .exclude(state__in=[NoticeState.PROPOSED, NoticeState.DROPPED])
        .filter(Q(measure__task__plan=plan) | Q(measure__isnull=True))
        .select_related("measure__task", "task")
        # The first reply in the trail: `replied_at` is the latest, and a reply returned and
        # given again late must not make a 督办单 answered in time late as of an earlier day.
        .annotate(first_reply=Min("events__at", filter=Q(events__action=NoticeStep.REPLY)))
    )
    penalty = settings.LUOSHI_SCORING["notice_late"]
    for n in late:
        assert n.reply_due is not None
        if n.first_reply is not None and timezone.localdate(n.first_reply) <= n.reply_due:
            continue
        what = gettext("%(notice)s（%(subject)s）逾期未反馈") % {
            "notice": n.label,
            "subject": n.subject,
        }
        point = Point("notice_late", penalty, n.reply_due, what, n.measure_id)
        found.points.setdefault(n.organisation_id, []).append(point)
    for a in ScoreAdjustment.objects.filter(on__gte=start, on__lte=end):
        found.points.setdefault(a.organisation_id, []).append(
            Point("adjustment", a.points, a.on, a.reason)
        )
    return found
