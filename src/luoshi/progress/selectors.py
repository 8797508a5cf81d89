"""Reads about progress: when measures and tasks became implemented, what each cycle expects."""

from __future__ import annotations

import datetime as dt

from django.db.models import Min, QuerySet
from django.utils import timezone

from luoshi.plans.models import Duty, Measure, Task
from luoshi.progress.models import IMPLEMENTING, Report, ReportingCycle, ReportState


def implemented_on(measures: QuerySet[Measure]) -> dict[int, dt.date]:
    """measure id → the date its completion report was accepted (已落实), for implemented ones only."""
    rows = (
        Report.objects.filter(
            measure__in=measures, state=ReportState.ACCEPTED, progress_status__in=IMPLEMENTING
        )
        .values("measure_id")
        .annotate(first=Min("accepted_at"))
    )
    return {r["measure_id"]: timezone.localdate(r["first"]) for r in rows}


def task_implemented_on(task: Task) -> dt.date | None:
    """A task is implemented when all its measures are, on the day the last one was accepted."""
    dates = implemented_on(task.measures.all())
    if not dates or len(dates) < task.measures.count():
        return None
    return max(dates.values())


def expected_reports(cycle: ReportingCycle) -> QuerySet[Measure]:
    """Measures of the cycle's plan still unimplemented at the cycle's start: each expects a report."""
    done = Report.objects.filter(
        state=ReportState.ACCEPTED,
        progress_status__in=IMPLEMENTING,
        accepted_at__date__lt=cycle.starts_on,
        measure__task__plan=cycle.plan,
    ).values("measure_id")
    return Measure.objects.filter(task__plan=cycle.plan).exclude(pk__in=done)


def lead_organisation_ids(measure: Measure) -> list[int]:
    return [d.organisation_id for d in measure.responsibilities.all() if d.role == Duty.LEAD]


def desk_counts(plan_id: int) -> dict[str, int]:
    """The review desk's counters: reports waiting for the office, and at the units' heads."""
    reports = Report.objects.filter(measure__task__plan_id=plan_id)
    return {
        "waiting_count": reports.filter(state=ReportState.APPROVED).count(),
        "submitted_count": reports.filter(state=ReportState.SUBMITTED).count(),
    }


def previous_report(measure: Measure, cycle: ReportingCycle) -> Report | None:
    """The latest report on `measure` before `cycle` that left the drafts: what 沿用上期 copies."""
    return (
        Report.objects.filter(measure=measure, cycle__starts_on__lt=cycle.starts_on)
        .exclude(state=ReportState.DRAFT)
        .select_related("cycle")
        .order_by("-cycle__starts_on")
        .first()
    )
