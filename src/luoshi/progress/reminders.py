"""Reminders (催办): what each person must do soon, sent once a day at most per item."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Prefetch

from luoshi.accounts.models import Membership, ResponsiblePerson, Role
from luoshi.audit.actions import AuditAction
from luoshi.audit.services import audit_record
from luoshi.plans.models import Measure, Responsibility
from luoshi.progress.models import CycleStatus, Reminder, Report, ReportingCycle, ReportState
from luoshi.progress.selectors import expected_reports, lead_organisation_ids
from luoshi.progress.timing import days_late


@dataclass(frozen=True)
class Item:
    kind: str  # due_soon | overdue | review
    key: str
    text: str


def _reporters_by_organisation() -> dict[int, list[User]]:
    people: dict[int, list[User]] = defaultdict(list)
    for m in Membership.objects.filter(role=Role.REPORTER, user__is_active=True).select_related(
        "user"
    ):
        if m.organisation_id is not None:
            people[m.organisation_id].append(m.user)
    return people


def _due_items(today: dt.date, days: int) -> dict[User, list[Item]]:
    items: dict[User, list[Item]] = defaultdict(list)
    reporters = _reporters_by_organisation()
    named = {
        (p.measure_id, p.organisation_id): p.person.user
        for p in ResponsiblePerson.objects.select_related("person__user")
        if p.person.user is not None and p.person.user.is_active
    }
    cycles = ReportingCycle.objects.filter(
        status=CycleStatus.OPEN, starts_on__lte=today, due_on__lte=today + dt.timedelta(days)
    )
    for cycle in cycles:
        done = (
            Report.objects.filter(cycle=cycle).exclude(state=ReportState.DRAFT).values("measure_id")
        )
        measures = (
            expected_reports(cycle)
            .exclude(pk__in=done)
            .select_related("task")
            .prefetch_related(Prefetch("responsibilities", queryset=Responsibility.objects.all()))
        )
        kind = "overdue" if days_late(cycle.due_on, today) else "due_soon"
        for measure in measures:
            item = _due_item(measure, cycle, kind, today)
            for org_id in lead_organisation_ids(measure):
                person = named.get((measure.pk, org_id))
                for user in [person] if person else reporters.get(org_id, []):
                    items[user].append(item)
    return items


def _due_item(measure: Measure, cycle: ReportingCycle, kind: str, today: dt.date) -> Item:
    when = (
        f"已逾期 {days_late(cycle.due_on, today)} 天"
        if kind == "overdue"
        else f"{cycle.due_on:%m月%d日}前"
    )
    return Item(
        kind,
        f"report:{measure.pk}:{cycle.pk}",
        f"{cycle.name} 举措 {measure.code} 进展报告（{when}）",
    )


_WAITING: dict[str, str] = {ReportState.SUBMITTED: "审核", ReportState.APPROVED: "验收"}


def _review_items() -> dict[User, list[Item]]:
    items: dict[User, list[Item]] = defaultdict(list)
    waiting = Report.objects.filter(
        state__in=[ReportState.SUBMITTED, ReportState.APPROVED]
    ).select_related("measure__task", "cycle")
    office = [
        m.user
        for m in Membership.objects.filter(role=Role.OFFICE, user__is_active=True).select_related(
            "user"
        )
    ]
    heads = defaultdict(list)
    for m in Membership.objects.filter(role=Role.HEAD, user__is_active=True).select_related("user"):
        heads[m.organisation_id].append(m.user)
    for report in waiting:
        item = Item(
            "review",
            f"review:{report.pk}:{report.state}",
            f"{report.cycle.name} 举措 {report.measure.code} 待{_WAITING[report.state]}",
        )
        for user in (
            office if report.state == ReportState.APPROVED else heads[report.organisation_id]
        ):
            items[user].append(item)
    return items


def reminders_for(*, today: dt.date, days: int) -> dict[User, list[Item]]:
    """Everything everyone should be reminded of today (also shown in the app)."""
    merged = _due_items(today, days)
    for user, items in _review_items().items():
        merged[user] = merged.get(user, []) + items
    return merged


def send_reminders(*, today: dt.date, days: int) -> int:
    """E-mail each person their new items due soon or waiting for review (one mail per person);
    returns the number of mails sent. An overdue report is not mailed here: the 催办 ladder
    (supervision.escalation, run by the same daily job) tells its reporter once, then climbs."""
    sent = 0
    for user, items in reminders_for(today=today, days=days).items():
        already = set(
            Reminder.objects.filter(recipient=user, sent_on=today).values_list("kind", "key")
        )
        new = [i for i in items if i.kind != "overdue" and (i.kind, i.key) not in already]
        email = getattr(user, "email", "")
        if not new or not email:
            continue
        with transaction.atomic():
            Reminder.objects.bulk_create(
                [Reminder(recipient=user, kind=i.kind, key=i.key, sent_on=today) for i in new]
            )
            audit_record(
                actor=None,
                action=AuditAction.REMINDER_SENT,
                obj=user,
                detail={"items": [i.key for i in new]},
            )
            body = "\n".join(f"· {i.text}" for i in new)
            send_mail(
                f"【落实】催办提醒（{len(new)} 项）", body, settings.DEFAULT_FROM_EMAIL, [email]
            )
        sent += 1
    return sent
