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
