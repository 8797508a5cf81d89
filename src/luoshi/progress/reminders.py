"""Reminders (催办): what each person must do soon, sent once a day at most per item."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import CharField, Prefetch, Q, Value
from django.utils.translation import gettext, gettext_noop

from luoshi.accounts.models import Membership, ResponsiblePerson, Role
from luoshi.audit.actions import AuditAction
from luoshi.audit.services import audit_record
from luoshi.plans.models import HEAVY_PLAN_FIELDS, Duty, Measure, Plan, Responsibility
from luoshi.plans.selectors import versions_on
from luoshi.progress.lineage import implemented_through_each, lineages
from luoshi.progress.models import (
    CycleStatus,
    Reminder,
    Report,
    ReportingCycle,
    ReportState,
)
from luoshi.progress.timing import days_late

HEAVY = ("plan", "plan__programme__in_force")  # plans read with each cycle


@dataclass(frozen=True)
class Item:
    kind: str  # due_soon | overdue | review
    key: str
    text: str


def _reporters_by_organisation(organisation_ids: set[int] | None) -> dict[int, list[User]]:
    people: dict[int, list[User]] = defaultdict(list)
    found = Membership.objects.filter(role=Role.REPORTER, user__is_active=True)
    if organisation_ids is not None:
        found = found.filter(organisation__in=organisation_ids)
    for m in found.select_related("user"):
        if m.organisation_id is not None:
            people[m.organisation_id].append(m.user)
    return people


def _due_items(
    today: dt.date,
    days: int,
    organisation_ids: set[int] | None = None,
    plan_ids: set[int] | None = None,
) -> dict[User, list[Item]]:
    """Reports due soon or overdue in the open cycles, for the reporters of each lead unit (or the
    person named for the measure); only for `organisation_ids` when given. A fixed number of
    queries however many cycles and plans are open: the expected measures are worked out here, per
    cycle, from one read of each kind (what `expected_reports` answers for one cycle); only the
    cycles of `plan_ids` when given."""
    items: dict[User, list[Item]] = defaultdict(list)
    cycles = list(
        ReportingCycle.objects.filter(
            status=CycleStatus.OPEN, starts_on__lte=today, due_on__lte=today + dt.timedelta(days)
        )
        .select_related("plan__programme__in_force")
        .defer(*(f"{plan}__{name}" for plan in HEAVY for name in HEAVY_PLAN_FIELDS))
    )
    if not cycles:
        return items
    # the version of each cycle's programme in force at its start (cycle_plan, for all at once)
    versions = versions_on([(c.plan.programme, c.starts_on) for c in cycles])
    plan_of = {c.pk: found or c.plan for c, found in zip(cycles, versions, strict=True)}
    if plan_ids is not None:  # the cycles of these plans only
        cycles = [c for c in cycles if plan_of[c.pk].pk in plan_ids]
        plan_of = {c.pk: plan_of[c.pk] for c in cycles}
    measures = _lead_measures(set(plan_of.values()), organisation_ids)
    # a report or an implementation under the measure a revision carried over counts for it, as in
    # expected_reports and filed_in; per version, as an earlier one may be due in another cycle
    by_plan: dict[int, list[int]] = defaultdict(list)
    for m in measures:
        by_plan[m.task.plan_id].append(m.pk)
    owner = defaultdict(dict, lineages(by_plan))
    implemented = implemented_through_each(list(owner.values()))
    reports = Report.objects.filter(cycle__in=cycles).exclude(state=ReportState.DRAFT)
    if organisation_ids is not None:  # 我的任务: its units' measures' reports, not every unit's
        reports = reports.filter(measure__in={pk for own in owner.values() for pk in own})
    sent = list(reports.values_list("measure_id", "cycle_id"))  # `reports_through`, one read
    submitted = {
        (own[measure_id], cycle_id)
        for own in owner.values()
        for measure_id, cycle_id in sent
        if measure_id in own
    }
    reporters = _reporters_by_organisation(organisation_ids)
    persons = ResponsiblePerson.objects.select_related("person__user")
    if organisation_ids is not None:  # 我的任务: the units asked about, not every unit's 责任人
        persons = persons.filter(organisation__in=organisation_ids)
    named = {
        (p.measure_id, p.organisation_id): p.person.user
        for p in persons
        if p.person.user is not None and p.person.user.is_active
    }
    of_plan: dict[int, list[Measure]] = defaultdict(list)
    for m in measures:
        of_plan[m.task.plan_id].append(m)
    for cycle in cycles:
        kind = "overdue" if days_late(cycle.due_on, today) else "due_soon"
        for measure in of_plan[plan_of[cycle.pk].pk]:
            done = implemented.get(measure.pk)
            if (measure.pk, cycle.pk) in submitted or (done is not None and done < cycle.starts_on):
                continue
            item = _due_item(measure, cycle, kind, today)
            for org_id in _leads(measure):
                if organisation_ids is not None and org_id not in organisation_ids:
                    continue
                person = named.get((measure.pk, org_id))
                for user in [person] if person else reporters.get(org_id, []):
                    items[user].append(item)
    return items


def _lead_measures(plans: set[Plan], organisation_ids: set[int] | None) -> list[Measure]:
    found = Measure.objects.filter(task__plan__in=plans)
    if organisation_ids is not None:
        found = found.filter(  # a subquery: no DISTINCT over whole rows
            pk__in=Responsibility.objects.filter(
                organisation__in=organisation_ids, role=Duty.LEAD
            ).values("measure_id")
        )
    return list(
        found.select_related("task").prefetch_related(
            Prefetch("responsibilities", queryset=Responsibility.objects.all())
        )
    )


def _leads(measure: Measure) -> list[int]:
    return [d.organisation_id for d in measure.responsibilities.all() if d.role == Duty.LEAD]


def _due_item(measure: Measure, cycle: ReportingCycle, kind: str, today: dt.date) -> Item:
    values = {"cycle": cycle.name, "code": measure.code}
    if kind == "overdue":
        text = gettext("%(cycle)s 举措 %(code)s 进展报告（已逾期 %(days)s 天）") % {
            **values,
            "days": days_late(cycle.due_on, today),
        }
    else:
        text = gettext("%(cycle)s 举措 %(code)s 进展报告（%(month)s月%(day)s日前）") % {
            **values,
            "month": f"{cycle.due_on:%m}",
            "day": f"{cycle.due_on:%d}",
        }
    return Item(kind, f"report:{measure.pk}:{cycle.pk}", text)


_WAITING: dict[str, str] = {
    ReportState.SUBMITTED: gettext_noop("%(cycle)s 举措 %(code)s 待审核"),
    ReportState.APPROVED: gettext_noop("%(cycle)s 举措 %(code)s 待验收"),
}


def _review_items(
    organisation_ids: set[int] | None = None,
    *,
    with_office: bool = True,
    plan_ids: set[int] | None = None,
) -> dict[User, list[Item]]:
    """Reports waiting for review: the heads' queue (submitted) of each unit, the office's 验收
    queue (approved); only the queue of `organisation_ids`' heads, and the office's if `with_office`,
    when given; only on the plans `plan_ids` when given."""
    items: dict[User, list[Item]] = defaultdict(list)
    waiting = Report.objects.filter(
        state__in=[ReportState.SUBMITTED, ReportState.APPROVED]
    ).select_related("measure__task", "cycle")
    if organisation_ids is not None:
        heads_queue = Q(state=ReportState.SUBMITTED, organisation__in=organisation_ids)
        waiting = waiting.filter(
            heads_queue | Q(state=ReportState.APPROVED) if with_office else heads_queue
        )
    if plan_ids is not None:
        waiting = waiting.filter(measure__task__plan__in=plan_ids)
    office = [
        m.user
        for m in Membership.objects.filter(role=Role.OFFICE, user__is_active=True).select_related(
            "user"
        )
    ]
    heads = defaultdict(list)
    of_heads = Membership.objects.filter(role=Role.HEAD, user__is_active=True)
    if organisation_ids is not None:  # the only units whose queue is read
        of_heads = of_heads.filter(organisation__in=organisation_ids)
    for m in of_heads.select_related("user"):
        heads[m.organisation_id].append(m.user)
    for report in waiting:
        item = Item(
            "review",
            f"review:{report.pk}:{report.state}",
            gettext(_WAITING[report.state])
            % {"cycle": report.cycle.name, "code": report.measure.code},
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


def reminders_of(
    user: User, *, today: dt.date, days: int, plan_ids: set[int] | None = None
) -> list[Item]:
    """What `user` is reminded of today (我的任务, /api/me/reminders): the same items as
    `reminders_for` gives them, read only for the units they work for (their membership's, and
    those that name them 责任人 of a measure) and, for the office, its 验收 queue; only on the
    plans `plan_ids` when given (我的任务 showing one plan of many)."""
    # one read: the membership's unit and role, and each unit naming them 责任人 (no role)
    found = list(
        Membership.objects.filter(user=user)
        .values_list("organisation_id", "role")
        .union(
            ResponsiblePerson.objects.filter(person__user=user).values_list(
                "organisation_id", Value("", output_field=CharField())
            )
        )
    )
    units = {unit for unit, _ in found if unit is not None}
    office = any(role == Role.OFFICE for _, role in found)
    due = _due_items(today, days, units, plan_ids).get(user, []) if units else []
    waiting = (
        _review_items(units, with_office=office, plan_ids=plan_ids).get(user, [])
        if units or office
        else []
    )
    return due + waiting


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
                gettext("【落实】催办提醒（%(n)s 项）") % {"n": len(new)},
                body,
                settings.DEFAULT_FROM_EMAIL,
                [email],
            )
        sent += 1
    return sent
