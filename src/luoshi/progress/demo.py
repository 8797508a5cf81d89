"""A realistic reporting history for the demo database (`make run`): monthly cycles from March 2021
to December 2023, reports that are mostly on time and sometimes late or missing, returns, and
acceptances that bring the plan close to — not exactly on — its targets.

Seeded, so every `make run` shows the same history. Written in bulk, as a fixture would be: it is
demonstration data, not the record of anybody's actions, so it leaves no audit rows.
"""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
import random

from django.contrib.auth.models import User
from django.db import transaction

from luoshi.accounts.models import Membership, Role
from luoshi.plans.models import Duty, Measure, Organisation, Plan
from luoshi.progress.models import (
    CycleStatus,
    ProgressStatus,
    Report,
    ReportEvent,
    ReportingCycle,
    ReportState,
)

FIRST_CYCLE = dt.date(2021, 3, 1)
LAST_CYCLE = dt.date(2023, 12, 1)
CHINA = dt.timezone(dt.timedelta(hours=8))

DONE = [
    "完成方案制定并印发实施",
    "相关系统已上线运行",
    "完成首批试点企业对接",
    "召开专题推进会，明确分工",
    "出台配套细则",
]
PROBLEMS = [
    "需省级部门授权，正在对接",
    "部门间数据尚未完全打通",
    "试点企业积极性有待提高",
    "资金保障尚未落实",
]
NEXT = [
    "加快推进，按期完成",
    "加强与省直部门沟通协调",
    "扩大试点范围",
    "总结经验，形成制度创新案例",
]


def _months() -> list[dt.date]:
    months, month = [], FIRST_CYCLE
    while month <= LAST_CYCLE:
        months.append(month)
        month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return months


def _month_end(month: dt.date) -> dt.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def _at(day: dt.date, hour: int, rng: random.Random) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, rng.randrange(60), tzinfo=CHINA)


def _completion_month(measure: Measure, rng: random.Random) -> dt.date | None:
    """Most measures land before their task's deadline; some late, a few not at all."""
    due = measure.task.due_date or dt.date(
        2022, 6, 30
    )  # ongoing: mechanism in place around mid-2022
    roll = rng.random()
    if roll < 0.02:
        return None
    shift = rng.randint(1, 6) if roll < 0.11 else -rng.randint(0, 8)
    month = dt.date(due.year, due.month, 1)
    total = month.year * 12 + month.month - 1 + shift
    month = dt.date(total // 12, total % 12 + 1, 1)
    return max(FIRST_CYCLE, month) if month <= LAST_CYCLE else None


def _department_users(organisations: list[Organisation]) -> dict[int, tuple[User, User]]:
    """A reporter and a head for every lead unit (demo accounts where they exist, else unusable logins)."""
    people: dict[int, dict[str, User]] = {}
    for m in Membership.objects.filter(role__in=[Role.REPORTER, Role.HEAD]).select_related("user"):
        if m.organisation_id is not None:
            people.setdefault(m.organisation_id, {}).setdefault(m.role, m.user)
    found = {}
    for org in organisations:
        roles = people.setdefault(org.pk, {})
        for role, suffix in ((Role.REPORTER, "tb"), (Role.HEAD, "sh")):
            if role not in roles:
                user = User.objects.create(
                    username=f"dept{org.pk}-{suffix}", last_name=f"{org.name}{role.label}"
                )
                user.set_unusable_password()
                user.save()
                Membership.objects.create(user=user, organisation=org, role=role)
                roles[role] = user
        found[org.pk] = (roles[Role.REPORTER], roles[Role.HEAD])
    return found


def demo_history_ensure(plan: Plan, office: User, seed: int = 2021) -> int:
    """Write the history once per plan; returns the number of reports written (0 if already there)."""
    if ReportingCycle.objects.filter(plan__programme=plan.programme_id).exists():
        return 0
    rng = random.Random(seed)
    measures = list(
        Measure.objects.filter(task__plan=plan)
        .select_related("task")
        .prefetch_related("responsibilities__organisation")
    )
    leads = {
        m.pk: next(d.organisation for d in m.responsibilities.all() if d.role == Duty.LEAD)
        for m in measures
    }
    with transaction.atomic():
        people = _department_users(sorted(set(leads.values()), key=lambda o: o.pk))
        done_in = {m.pk: _completion_month(m, rng) for m in measures}
        for measure in _kept_open(measures, leads, rng):
            done_in[measure.pk] = None  # the demo departments still have work in the open cycle
        reports: list[Report] = []
        events: list[list[ReportEvent]] = []
        in_flight = itertools.count()
        for month in _months():
            cycle = ReportingCycle.objects.create(
                plan=plan,
                starts_on=month,
                ends_on=_month_end(month),
                due_on=_month_end(month),
                opened_by=office,
                status=CycleStatus.OPEN if month == LAST_CYCLE else CycleStatus.CLOSED,
            )
            for measure in measures:
                finish = done_in[measure.pk]
                if finish is not None and finish < month:
                    continue  # implemented earlier: no more reports
                if rng.random() < 0.08 and finish != month:
                    continue  # missing this cycle
                reporter, head = people[leads[measure.pk].pk]
                report, steps = _report(
                    measure, cycle, leads[measure.pk], reporter, head, office, finish, rng
                )
                if month == LAST_CYCLE and finish is None:
                    stage = OPEN_STAGES[next(in_flight) % len(OPEN_STAGES)]
                    if stage is None:
                        continue  # not reported yet: shows as due in the workbench
                    report, steps = _in_flight(report, steps, stage)
                reports.append(report)
                events.append(steps)
        Report.objects.bulk_create(reports)
        ReportEvent.objects.bulk_create(
            [e for report, steps in zip(reports, events, strict=True) for e in _bind(report, steps)]
        )
    return len(reports)


DEMO_DEPARTMENTS = ("市市场监管局", "岳阳海关", "市人民银行")
# How the open cycle's reports on unfinished measures stand: missing, draft, with the head, with the
# office, returned by the office.
OPEN_STAGES: list[str | None] = [None, "draft", "submitted", "approved", "returned"]


def _kept_open(
    measures: list[Measure], leads: dict[int, Organisation], rng: random.Random
) -> list[Measure]:
    kept = []
    for name in DEMO_DEPARTMENTS:
        # late-deadline or ongoing measures: the open cycle's work, without undoing the early years
        led = [
            m
            for m in measures
            if leads[m.pk].name == name and (m.task.due_date or dt.date.max).year >= 2023
        ]
        kept += rng.sample(led, min(5, len(led)))
    return kept


def _in_flight(
    report: Report, steps: list[ReportEvent], stage: str
) -> tuple[Report, list[ReportEvent]]:
    """Cut an accepted report's history back to `stage` (the open cycle is still being worked on)."""
    upto = {"draft": 1, "submitted": 2, "approved": 3, "returned": 4}[stage]
    steps = steps[:upto]
    if stage == "returned":
        last = steps[-1]
        steps[-1] = ReportEvent(
            actor=last.actor,
            action="return",
            from_state="approved",  # the office
            to_state="draft",
            comment="请补充本月办件量数据",
            at=last.at,
        )
    report.state = {
        "draft": ReportState.DRAFT,
        "submitted": ReportState.SUBMITTED,
        "approved": ReportState.APPROVED,
        "returned": ReportState.DRAFT,
    }[stage]
    report.return_count = 1 if stage == "returned" else 0
    report.return_reason = "请补充本月办件量数据" if stage == "returned" else ""
    report.accepted_at = None
    report.approved_at = report.approved_at if stage == "approved" else None
    report.submitted_at = report.submitted_at if stage in ("submitted", "approved") else None
    report.version = len(steps)
    return report, steps


def _bind(report: Report, steps: list[ReportEvent]) -> list[ReportEvent]:
    for step in steps:
        step.report = report
    return steps


def _report(
    measure: Measure,
    cycle: ReportingCycle,
    organisation: Organisation,
    reporter: User,
    head: User,
    office: User,
    finish: dt.date | None,
    rng: random.Random,
) -> tuple[Report, list[ReportEvent]]:
    completing = finish == cycle.starts_on
    months_left = ((finish or dt.date(2024, 6, 1)) - cycle.starts_on).days / 30
    percent = 100 if completing else max(5, min(95, int(100 - months_left * rng.uniform(6, 12))))
    status = (
        (
            ProgressStatus.ONGOING_IN_PLACE
            if measure.task.due_kind == "ongoing"
            else ProgressStatus.COMPLETED
        )
        if completing
        else ProgressStatus.IN_PROGRESS
    )
    late = rng.random() < 0.12
    submitted = (
        cycle.due_on + dt.timedelta(days=rng.randint(1, 12))
        if late
        else cycle.due_on - dt.timedelta(days=rng.randint(0, 6))
    )
    returns = 0 if rng.random() > 0.10 else (2 if rng.random() < 0.2 else 1)
    steps = [
        ReportEvent(
            actor=reporter,
            action="draft",
            from_state="",
            to_state="draft",
            at=_at(submitted - dt.timedelta(days=2), 9, rng),
        )
    ]
    day = submitted
    for round_ in range(returns + 1):
        steps.append(
            ReportEvent(
                actor=reporter,
                action="submit",
                from_state="draft",
                to_state="submitted",
                at=_at(day, 10, rng),
                progress_status=status,
                percent=percent,
            )
        )
        day += dt.timedelta(days=rng.randint(0, 2))
        steps.append(
            ReportEvent(
                actor=head,
                action="approve",
                from_state="submitted",
                to_state="approved",
                at=_at(day, 15, rng),
            )
        )
        day += dt.timedelta(days=rng.randint(1, 4))
        if round_ < returns:
            steps.append(
                ReportEvent(
                    actor=office,
                    action="return",
                    from_state="approved",
                    to_state="draft",
                    comment=rng.choice(
                        ["请补充佐证材料", "进展描述不具体，请量化", "完成时限与方案不一致"]
                    ),
                    at=_at(day, 11, rng),
                )
            )
            day += dt.timedelta(days=rng.randint(1, 3))
    accepted = _at(day, 16, rng)
    steps.append(
        ReportEvent(
            actor=office, action="accept", from_state="approved", to_state="accepted", at=accepted
        )
    )
    report = Report(
        measure=measure,
        cycle=cycle,
        organisation=organisation,
        state=ReportState.ACCEPTED,
        progress_status=status,
        percent=percent,
        work_done=f"{rng.choice(DONE)}，完成进度{percent}%。",
        problems="" if completing or rng.random() < 0.6 else rng.choice(PROBLEMS),
        next_steps="" if completing else rng.choice(NEXT),
        return_count=returns,
        return_reason=next((s.comment for s in reversed(steps) if s.action == "return"), ""),
        version=len(steps),
        created_by=reporter,
        created_at=steps[0].at,
        updated_at=accepted,
        submitted_at=steps[-3].at,
        approved_at=steps[-2].at,
        accepted_at=accepted,
    )
    return report, steps
