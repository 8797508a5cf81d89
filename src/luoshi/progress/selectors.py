"""Reads about progress: when measures and tasks became implemented, what each cycle expects."""

from __future__ import annotations

import datetime as dt
import re

from django.db.models import Min, Q, QuerySet
from django.utils import timezone

from luoshi.plans.models import Duty, Measure, Plan, Task
from luoshi.plans.selectors import version_on
from luoshi.progress.lineage import lineage
from luoshi.progress.models import IMPLEMENTING, Report, ReportingCycle, ReportState


def implemented_on(measures: QuerySet[Measure]) -> dict[int, dt.date]:
    """measure id → the date its completion report was accepted (已落实), for implemented ones only;
    a report accepted on the measure a revision carried it over from counts as its own."""
    owner = lineage(list(measures.values_list("pk", flat=True)))
    rows = (
        Report.objects.filter(
            measure__in=list(owner), state=ReportState.ACCEPTED, progress_status__in=IMPLEMENTING
        )
        .values("measure_id")
        .annotate(first=Min("accepted_at"))
    )
    found: dict[int, dt.date] = {}
    for r in rows:
        day, pk = timezone.localdate(r["first"]), owner[r["measure_id"]]
        found[pk] = min(day, found.get(pk, day))
    return found


def task_implemented_on(task: Task) -> dt.date | None:
    """A task is implemented when all its measures are, on the day the last one was accepted."""
    dates = implemented_on(task.measures.all())
    if not dates or len(dates) < task.measures.count():
        return None
    return max(dates.values())


def cycle_plan(cycle: ReportingCycle) -> Plan:
    """The version of the cycle's programme that applies at the cycle's start."""
    return version_on(cycle.plan.programme, cycle.starts_on) or cycle.plan


def expected_reports(cycle: ReportingCycle) -> QuerySet[Measure]:
    """Measures of the plan version in force for the cycle still unimplemented at the cycle's start:
    each expects a report."""
    plan = cycle_plan(cycle)
    done = Report.objects.filter(
        state=ReportState.ACCEPTED,
        progress_status__in=IMPLEMENTING,
        accepted_at__date__lt=cycle.starts_on,
        measure__task__plan=plan,
    ).values("measure_id")
    return Measure.objects.filter(task__plan=plan).exclude(pk__in=done)


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


def tasks_matching(plan_id: int, query: str, reports: QuerySet[Report]) -> set[int]:
    """Tasks of the plan matching every word of `query`, in any order. A word matches a measure code
    (45 or 45.3), the task's words, a measure's text, a responsible unit's name or alias, or what
    a report on one of its measures says (only among `reports`, those the reader may see)."""
    found: set[int] | None = None
    for word in query.split():
        ids = set(_tasks_matching_word(plan_id, word, reports))
        found = ids if found is None else found & ids
    return found or set()


def _tasks_matching_word(plan_id: int, word: str, reports: QuerySet[Report]) -> QuerySet[Task, int]:
    code = re.fullmatch(r"(\d+)(?:[.．](\d+))?", word)
    match = (
        Q(title__icontains=word)
        | Q(evaluation_target__icontains=word)
        | Q(measures__text__icontains=word)
        | Q(measures__responsibilities__organisation__name__icontains=word)
        | Q(measures__responsibilities__organisation__aliases__name__icontains=word)
        | Q(responsibilities__organisation__name__icontains=word)
        | Q(measures__reports__in=reports)
        & (
            Q(measures__reports__work_done__icontains=word)
            | Q(measures__reports__problems__icontains=word)
            | Q(measures__reports__next_steps__icontains=word)
        )
    )
    if code:
        number = Q(number=int(code[1]))
        match |= number & Q(measures__number=int(code[2])) if code[2] else number
    return (
        Task.objects.filter(plan_id=plan_id).filter(match).values_list("pk", flat=True).distinct()
    )
