"""Reads of 督查督办: the message centre, the 督办台账 with its filters, an item's whole history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from luoshi.accounts.policies import AnyUser
from luoshi.plans.models import Measure
from luoshi.progress.models import Report, ReportEvent
from luoshi.progress.policies import visible_reports
from luoshi.supervision.models import (
    OPEN_STATES,
    Assignment,
    AssignmentEvent,
    AssignmentKind,
    AssignmentState,
    CycleMark,
    Delivery,
    DeliveryStatus,
    Message,
    Notice,
    NoticeEvent,
    NoticeState,
    NoticeStep,
    Urging,
)
from luoshi.supervision.policies import visible_assignments, visible_notices


def unread_count(user: AnyUser) -> int:
    return Message.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()


def failed_deliveries() -> QuerySet[Delivery]:
    """What the office must see: deliveries that did not get through."""
    return Delivery.objects.filter(status=DeliveryStatus.FAILED).select_related(
        "message__recipient", "channel"
    )


NOTICE_FILTERS = ("state", "level", "reason", "organisation", "year", "overdue", "q")


def notices_for(user: AnyUser, filters: dict[str, str], today: dt.date) -> QuerySet[Notice]:
    """The 督办台账 as the user may see it, filtered by state, level, reason, unit, year, lateness."""
    # everything a row's 督办事项 (Notice.subject) reads, so a page costs the same at any length
    found = visible_notices(user).select_related(
        "organisation", "measure__task", "task", "assignment"
    )
    for name in ("state", "level", "reason"):
        if value := filters.get(name):
            found = found.filter(**{name: value})
    if (org := filters.get("organisation", "")).isdigit():
        found = found.filter(organisation_id=int(org))
    if (year := filters.get("year", "")).isdigit():
        found = found.filter(year=int(year))
    if filters.get("overdue"):
        found = found.filter(state__in=OPEN_STATES, reply_due__lt=today)
    if q := filters.get("q", "").strip():
        found = found.filter(Q(requirement__icontains=q) | Q(reply__icontains=q))
    return found


def notice_counts(on: dt.date | None = None) -> dict[str, int]:
    """How many 督办单 stood in each state on `on` (issued by then; closed by then counts closed)."""
    day = on or timezone.localdate()
    issued = Notice.objects.filter(issued_at__date__lte=day)
    closed = issued.filter(closed_at__date__lte=day).count()
    total = issued.count()
    late = (
        issued.filter(reply_due__lt=day)
        .exclude(closed_at__date__lte=day)
        .exclude(replied_at__date__lte=day)
        .count()
    )
    return {"issued": total, "closed": closed, "open": total - closed, "late": late}


@dataclass
class Step:
    at: dt.datetime
    kind: str  # report | urging | notice | mark
    text: str
    who: str = ""
    details: list[str] = field(default_factory=list)


def _name(user: User | None) -> str:
    return (user.last_name or user.username) if user else gettext("系统")


def measure_history(measure: Measure, user: AnyUser) -> list[Step]:
    """Everything that happened to a measure, oldest first: reports, 催办 with their channels, 督办单
    steps, closed cycles' marks."""
    steps: list[Step] = []
    for e in ReportEvent.objects.filter(
        report__in=visible_reports(user).filter(measure=measure)
    ).select_related("report__cycle", "actor"):
        text = gettext("%(cycle)s 进展报告：%(action)s（%(before)s → %(after)s）") % {
            "cycle": e.report.cycle,
            "action": e.get_action_display(),
            "before": e.from_state or "—",
            "after": e.to_state,
        }
        steps.append(Step(e.at, "report", text, _name(e.actor), [e.comment] if e.comment else []))
    notices = visible_notices(user).filter(measure=measure)
    urgings = (
        Urging.objects.filter(Q(measure=measure) | Q(notice__in=notices))
        .select_related("recipient", "message")
        .prefetch_related("message__deliveries")
    )
    for u in urgings:
        inbox = gettext("站内消息（已读）") if u.message.read_at else gettext("站内消息（未读）")
        channels = [inbox] + [
            gettext("%(kind)s（%(status)s）")
            % {"kind": d.get_kind_display(), "status": d.get_status_display()}
            for d in u.message.deliveries.all()
        ]
        text = gettext("催办 · %(reason)s → %(rung)s %(name)s") % {
            "reason": u.get_reason_display(),
            "rung": u.get_rung_display(),
            "name": _name(u.recipient),
        }
        steps.append(
            Step(u.message.created_at, "urging", text, _name(None), [u.shown_detail, *channels])
        )
    for n in NoticeEvent.objects.filter(notice__in=notices).select_related("notice", "actor"):
        label = NoticeState(n.to_state).label
        details = [n.comment] if n.comment else []
        if n.action == NoticeStep.REPLY:
            details += [f.original_name for f in n.notice.files.all()]
        steps.append(Step(n.at, "notice", f"{n.notice.label} · {label}", _name(n.actor), details))
    for mark in CycleMark.objects.filter(measure=measure).select_related("cycle"):
        late = gettext("（晚 %(days)s 天）") % {"days": mark.days_late} if mark.days_late else ""
        text = gettext("%(cycle)s 关闭：%(kind)s%(late)s") % {
            "cycle": mark.cycle,
            "kind": mark.get_kind_display(),
            "late": late,
        }
        steps.append(Step(mark.recorded_at, "mark", text))
    steps += assignment_history(measure, user)
    return sorted(steps, key=lambda s: s.at)


def proposals() -> QuerySet[Notice]:
    return Notice.objects.filter(state=NoticeState.PROPOSED).select_related(
        "organisation", "measure__task"
    )


def problems_as_of(user: AnyUser, day: dt.date) -> list[Report]:
    """问题与困难: the latest submitted report of each measure that names one, as it was filed by `day`."""
    latest: dict[int, Report] = {}
    for report in (
        visible_reports(user)
        .filter(submitted_at__date__lte=day)
        .exclude(problems="")
        .select_related("measure__task", "organisation", "cycle")
        .order_by("cycle__starts_on")
    ):
        latest[report.measure_id] = report
    return sorted(latest.values(), key=lambda r: (r.measure.task.number, r.measure.number))


ASSIGNMENT_FILTERS = ("kind", "state", "organisation", "overdue")


def assignments_for(user: AnyUser, filters: dict[str, str], today: dt.date) -> QuerySet[Assignment]:
    """批示, 议定事项 and 协调事项 as the user may see them, filtered by kind, state, unit, lateness."""
    found = visible_assignments(user).select_related(
        "organisation", "owner", "raised_by", "instruction__author", "meeting", "measure__task"
    )
    for name in ("kind", "state"):
        if value := filters.get(name):
            found = found.filter(**{name: value})
    if (org := filters.get("organisation", "")).isdigit():
        found = found.filter(Q(organisation_id=int(org)) | Q(raised_by_id=int(org)))
    if filters.get("overdue"):
        found = found.filter(state=AssignmentState.OPEN, due_on__lt=today)
    return found


def assignment_counts(on: dt.date | None = None) -> dict[str, dict[str, int]]:
    """Per kind, as they stood on `on`: made by then, closed by then, open and overdue."""
    day = on or timezone.localdate()
    counts: dict[str, dict[str, int]] = {}
    for kind in AssignmentKind.values:
        made = Assignment.objects.filter(kind=kind, created_at__date__lte=day)
        closed = made.filter(closed_at__date__lte=day).count()
        late = (
            made.filter(due_on__lt=day)
            .exclude(closed_at__date__lte=day)
            .exclude(answered_at__date__lte=day)
            .count()
        )
        total = made.count()
        counts[kind] = {"total": total, "closed": closed, "open": total - closed, "late": late}
    return counts


def assignment_history(measure: Measure, user: AnyUser) -> list[Step]:
    """A measure's 批示 / 议定事项 / 协调事项 steps, for its history."""
    steps = []
    events = AssignmentEvent.objects.filter(
        assignment__in=visible_assignments(user).filter(measure=measure)
    ).select_related("assignment", "actor")
    for e in events:
        a = e.assignment
        label = AssignmentState(e.to_state).label
        text = gettext("%(kind)s #%(pk)s（%(unit)s）· %(state)s") % {
            "kind": a.get_kind_display(),
            "pk": a.pk,
            "unit": a.organisation or a.raised_by,
            "state": label,
        }
        steps.append(Step(e.at, "assignment", text, _name(e.actor), [e.comment or a.text[:80]]))
    return steps
