"""A scripted history for the metrics tests: acceptances and reports written directly, on given dates."""

from __future__ import annotations

import calendar
import datetime as dt

from django.contrib.auth.models import User

from luoshi.plans.models import Measure, Organisation, Plan
from luoshi.progress.models import Report, ReportEvent, ReportingCycle

CHINA = dt.timezone(dt.timedelta(hours=8))


def cycle(plan: Plan, year: int, month: int) -> ReportingCycle:
    last = calendar.monthrange(year, month)[1]
    found, _ = ReportingCycle.objects.get_or_create(
        plan=plan,
        starts_on=dt.date(year, month, 1),
        defaults={
            "name": f"{year}年{month}月",
            "ends_on": dt.date(year, month, last),
            "due_on": dt.date(year, month, last),
        },
    )
    return found


def author() -> User:
    return User.objects.get_or_create(username="history-writer")[0]


def report(
    measure: Measure,
    on: dt.date,
    *,
    accepted: bool = False,
    status: str = "in_progress",
    returns: int = 0,
    submitted: dt.date | None = None,
) -> Report:
    """A report in the cycle of `on`, submitted that day (or `submitted`), accepted the same day if asked.

    Its events are written too (draft, submit, each office return and resubmission, approve, accept):
    figures rebuild a report as of a date from them.
    """
    plan = measure.task.plan
    at = dt.datetime.combine(submitted or on, dt.time(10), CHINA)
    lead = Organisation.objects.filter(
        responsibilities__measure=measure, responsibilities__role="lead"
    ).first()
    assert lead is not None, f"measure {measure} has no lead unit"
    found = Report.objects.create(
        measure=measure,
        cycle=cycle(plan, on.year, on.month),
        organisation=lead,
        state="accepted" if accepted else "submitted",
        progress_status=status,
        percent=100 if accepted else 50,
        return_count=returns,
        created_by=author(),
        submitted_at=at,
        approved_at=at if accepted else None,
        accepted_at=at if accepted else None,
    )
    content = {"progress_status": found.progress_status, "percent": found.percent}
    steps = [("draft", "", "draft", {}), ("submit", "draft", "submitted", content)]
    for _ in range(returns):
        steps += [
            ("approve", "submitted", "approved", {}),
            ("return", "approved", "draft", {"comment": "请补充"}),
            ("submit", "draft", "submitted", content),
        ]
    if accepted:
        steps += [("approve", "submitted", "approved", {}), ("accept", "approved", "accepted", {})]
    ReportEvent.objects.bulk_create(
        ReportEvent(
            report=found,
            actor=author(),
            action=action,
            from_state=source,
            to_state=target,
            at=at + dt.timedelta(seconds=index),
            **extra,
        )
        for index, (action, source, target, extra) in enumerate(steps)
    )
    return found


def implement_tasks(plan: Plan, numbers: range, on: dt.date) -> None:
    for measure in Measure.objects.filter(task__plan=plan, task__number__in=numbers).select_related(
        "task__plan"
    ):
        report(measure, on, accepted=True, status="completed")
