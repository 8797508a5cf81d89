"""Who may see and act on reports, contributions and evidence (built on accounts.policies)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from luoshi.accounts.policies import (
    DEPARTMENT,
    AnyUser,
    is_head_of,
    is_office,
    leads,
    organisation_of,
    reads_everything,
    role_of,
    supports,
)
from luoshi.plans.models import Measure, Responsibility
from luoshi.progress.models import Report, ReportState
from luoshi.progress.workflow import Actor


def visible_reports(user: AnyUser) -> QuerySet[Report]:
    """Everything for the office, leaders and evaluators; reports on their measures for a department.
    A draft is seen by its own organisation only; the office also follows a draft it has sent
    back (returned), so a second office click on it is told what happened instead of a 404."""
    in_department = role_of(user) in DEPARTMENT
    organisation = organisation_of(user) if in_department else None
    shown = ~Q(state=ReportState.DRAFT)
    if is_office(user):
        shown |= Q(return_count__gt=0)
    if in_department:
        shown |= Q(organisation=organisation)
    if reads_everything(user):
        return Report.objects.filter(shown)
    if in_department:
        # a subquery, not a join: no DISTINCT over whole report rows (slow on 400,000 reports)
        return Report.objects.filter(
            shown,
            measure__in=Responsibility.objects.filter(organisation=organisation).values(
                "measure_id"
            ),
        )
    return Report.objects.none()


def files(user: AnyUser, report: Report) -> bool:
    """The filing (lead) organisation's reporter or head, whatever the report's state."""
    return (
        role_of(user) in DEPARTMENT
        and organisation_of(user) == report.organisation
        and leads(user, report.measure)
    )


def can_edit(user: AnyUser, report: Report) -> bool:
    """Only a draft, only by the filing organisation. Accepted is final."""
    return report.state == ReportState.DRAFT and files(user, report)


def may_act_as(user: AnyUser, report: Report, actor: Actor) -> bool:
    if actor == Actor.OFFICE:
        return is_office(user)
    if actor == Actor.LEAD_HEAD:
        return is_head_of(user, report.organisation)
    return files(user, report)  # the transition table has already checked the state


def can_contribute(user: AnyUser, measure: Measure) -> bool:
    return supports(user, measure)


def may_undo_accept(report: Report, now: dt.datetime | None = None) -> bool:
    """An acceptance can be taken back for a few minutes, while the public portal does not show it
    (and the office is who may: see report_transition)."""
    window = dt.timedelta(minutes=settings.LUOSHI_UNDO_ACCEPT_MINUTES)
    return (
        report.state == ReportState.ACCEPTED
        and not report.published
        and report.accepted_at is not None
        and (now or timezone.now()) - report.accepted_at <= window
    )
