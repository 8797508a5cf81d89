"""Reads about progress: when measures and tasks became implemented, what each cycle expects."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.db.models import F, Prefetch, Q, QuerySet

from luoshi.accounts.models import Role
from luoshi.accounts.policies import organisation_of, role_of, visible_measures
from luoshi.plans.models import HEAVY_PLAN_FIELDS, Duty, Measure, Plan, Responsibility, Task
from luoshi.plans.selectors import version_on, working_plans
from luoshi.progress.consistency import flags_by_report
from luoshi.progress.lineage import (
    implemented_through,
    implemented_through_each,
    lineage,
    lineages,
    reports_owned,
    reports_through,
)
from luoshi.progress.models import IMPLEMENTING, CycleStatus, Report, ReportingCycle, ReportState
from luoshi.progress.policies import visible_reports
from luoshi.progress.reminders import Item, reminders_of
from luoshi.progress.timing import (
    Deadline,
    days_late,
    deadline_batch,
    late_label,
    measure_deadline,
)


def implemented_on(measures: QuerySet[Measure]) -> dict[int, dt.date]:
    """measure id → the date its completion report was accepted (已落实), for implemented ones only;
    a report accepted on the measure a revision carried it over from counts as its own."""
    return implemented_through(lineage(list(measures.values_list("pk", flat=True))))


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
    each expects a report. A measure implemented under the measure a revision carried it over from
    is implemented."""
    plan = cycle_plan(cycle)
    owner = lineage(list(Measure.objects.filter(task__plan=plan).values_list("pk", flat=True)))
    done = Report.objects.filter(
        state=ReportState.ACCEPTED,
        progress_status__in=IMPLEMENTING,
        accepted_at__date__lt=cycle.starts_on,
        measure__in=list(owner),
    ).values_list("measure_id", flat=True)
    return Measure.objects.filter(task__plan=plan).exclude(pk__in={owner[m] for m in done})


def filed_in(cycle: ReportingCycle) -> dict[int, dt.datetime | None]:
    """Measures of the cycle's version with a report sent in the cycle → when it was first sent.
    A report sent under the measure a revision carried it over from counts: the measure is not
    missing from a cycle its predecessor reported in."""
    plan = cycle_plan(cycle)
    owner = lineage(list(Measure.objects.filter(task__plan=plan).values_list("pk", flat=True)))
    sent = reports_through(
        Report.objects.filter(cycle=cycle)
        .exclude(state=ReportState.DRAFT)
        .only("measure_id", "submitted_at"),
        owner,
    )
    return {
        pk: min((r.submitted_at for r in found if r.submitted_at), default=None)
        for pk, found in sent.items()
    }


def lead_organisation_ids(measure: Measure) -> list[int]:
    return [d.organisation_id for d in measure.responsibilities.all() if d.role == Duty.LEAD]


def desk_counts(plan_id: int) -> dict[str, int]:
    """The review desk's counters: reports waiting for the office, and at the units' heads."""
    reports = Report.objects.filter(measure__task__plan_id=plan_id)
    return {
        "waiting_count": reports.filter(state=ReportState.APPROVED).count(),
        "submitted_count": reports.filter(state=ReportState.SUBMITTED).count(),
    }


DESK_PAGE = 25  # reports waiting for 验收 shown at a time, most urgent first


def desk_page(
    plan: Plan, number: int, today: dt.date
) -> tuple[dict[str, int], list[Report], int, list[ReportingCycle]]:
    """The review desk: its counters, its page `number` of reports waiting for 验收 (each with its
    flags and days late) — the page number it fell back to — and the programme's latest cycles."""
    counts = desk_counts(plan.pk)
    # Most urgent first: the measure's deadline (overdue ones lead), then the longest wait; a page
    # at a time, so the desk costs the same with 50 or 5,000 reports waiting.
    pages = Paginator(
        Report.objects.filter(measure__task__plan=plan, state=ReportState.APPROVED)
        .select_related("measure__task", "cycle", "organisation")
        .order_by(F("measure__task__due_date").asc(nulls_last=True), "approved_at", "pk"),
        DESK_PAGE,
    )
    pages.count = counts["waiting_count"]  # the counter's count: no second COUNT
    page = pages.get_page(number)
    waiting: list[Any] = list(page)
    flags = flags_by_report(waiting, today)
    with deadline_batch():
        for report in waiting:
            report.flags = flags[report.pk]  # shown beside the report before the office accepts it
            # The one overdue rule: days past the deadline in force (an approved 延期 moves it).
            late = days_late(measure_deadline(report.measure, today).in_force, today)
            report.late = late_label(late) if late else ""
    cycles = ReportingCycle.objects.filter(plan__programme=plan.programme_id).order_by(
        "-starts_on"
    )[:6]
    return counts, waiting, page.number, list(cycles)


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
    code = re.fullmatch(r"(\d+)(?:[.\uff0e](\d+))?", word)  # 45.3 or 45．3 (full-width stop)
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


@dataclass
class WorkbenchRow:
    """One measure on 我的任务: whether the unit leads it, when it was implemented, this cycle's report."""

    measure: Measure
    lead: bool
    deadline: Deadline  # the deadline in force today (an approved extension moves it)
    done: dt.date | None
    report: Report | None


@dataclass
class PlanGroup:
    """One plan's part of 我的任务, under the open cycle of its programme."""

    plan: Plan
    cycle: ReportingCycle | None
    year: int  # the work year: the open cycle's, or this year when none is open
    due: list[WorkbenchRow] = field(default_factory=list)
    supporting: list[WorkbenchRow] = field(default_factory=list)
    done_count: int = 0


@dataclass(frozen=True)
class Queued:
    """A report waiting for the unit's head, with what to look at before approving it."""

    report: Report
    flags: list[str]


@dataclass
class Workbench:
    """我的任务 of a unit's user: plans, returned reports, drafts, the head's queue, reminders."""

    groups: list[PlanGroup]
    returned: list[Report]
    drafts: list[Report]
    queue: list[Queued]
    reminders: list[Item]

    @property
    def done_count(self) -> int:
        return sum(g.done_count for g in self.groups)


# A unit working on more plans than this sees 我的任务 one plan at a time, chosen as on every page:
# dozens of plans' measures, drafts and reminders on one page are neither readable nor quick.
SHOWN_TOGETHER = 5


def workbench(
    user: User,
    *,
    today: dt.date,
    remind_days: int,
    plans: list[Plan] | None = None,
    scoped: bool = False,
) -> Workbench:
    """Everything 我的任务 shows for `plans` (by default every plan the unit works on; only these
    plans' drafts, queue and reminders when `scoped`), read in a number of queries that grows
    neither with the reports nor with the plans."""
    organisation = organisation_of(user)
    plans = working_plans(organisation) if plans is None else plans
    waiting = visible_reports(user).filter(
        organisation=organisation, state__in=[ReportState.DRAFT, ReportState.SUBMITTED]
    )
    if scoped:
        waiting = waiting.filter(measure__task__plan__in=plans)
    mine = list(
        waiting.select_related("measure__task__plan", "cycle").defer(
            *(f"measure__task__plan__{name}" for name in HEAVY_PLAN_FIELDS)
        )
    )
    drafts = sorted(
        (r for r in mine if r.state == ReportState.DRAFT), key=lambda r: r.updated_at, reverse=True
    )
    queue = sorted(
        (r for r in mine if r.state == ReportState.SUBMITTED),
        key=lambda r: r.submitted_at or r.updated_at,
    )
    head = role_of(user) == Role.HEAD
    flags = flags_by_report(queue, today) if head else {}
    return Workbench(
        groups=_plan_groups(user, plans, today),
        returned=[r for r in drafts if r.return_reason],
        drafts=[r for r in drafts if not r.return_reason],
        queue=[Queued(r, flags[r.pk]) for r in queue] if head else [],
        reminders=reminders_of(
            user,
            today=today,
            days=remind_days,
            plan_ids={p.pk for p in plans} if scoped else None,
        ),
    )


def _plan_groups(user: User, plans: list[Plan], today: dt.date) -> list[PlanGroup]:
    """One group per plan, read for all the plans at once (a unit may work on dozens)."""
    organisation = organisation_of(user)
    measures = list(
        visible_measures(user)
        .filter(task__plan__in=plans)
        .prefetch_related(
            Prefetch(
                "responsibilities", queryset=Responsibility.objects.select_related("organisation")
            )
        )
        .select_related("task")
        .order_by("task__number", "number")
    )
    by_plan: dict[int, list[int]] = {p.pk: [] for p in plans}
    for m in measures:
        by_plan[m.task.plan_id].append(m.pk)
    owners = lineages(by_plan)  # a revision's measure counts what it carries over
    done = implemented_through_each(list(owners.values()))
    # a measure is only ever reported under its own programme's open cycle
    cycles = _open_cycles(plans, today)
    this_cycle = _cycle_reports(cycles, owners)
    with deadline_batch():  # one read of the extensions for the whole list
        deadlines = {m.pk: measure_deadline(m, today) for m in measures}
    groups = {}
    for p in plans:
        cycle = cycles.get(p.pk)
        groups[p.pk] = PlanGroup(
            plan=p, cycle=cycle, year=cycle.starts_on.year if cycle else today.year
        )
    for m in measures:
        group = groups[m.task.plan_id]
        lead = any(
            d.role == Duty.LEAD
            and organisation is not None
            and d.organisation_id == organisation.pk
            for d in m.responsibilities.all()
        )
        report = this_cycle.get(m.task.plan_id, {}).get(m.pk)
        row = WorkbenchRow(m, lead, deadlines[m.pk], done.get(m.pk), report)
        if row.done:
            group.done_count += 1
        else:
            (group.due if lead else group.supporting).append(row)
    return [groups[p.pk] for p in plans]


def _open_cycles(plans: list[Plan], today: dt.date) -> dict[int, ReportingCycle]:
    """plan id → `open_cycle(plan, today)` (its programme's latest open cycle), in one query."""
    latest: dict[int, ReportingCycle] = {}
    for cycle in (
        ReportingCycle.objects.filter(
            plan__programme__in={p.programme_id for p in plans},
            status=CycleStatus.OPEN,
            starts_on__lte=today,
        )
        .annotate(programme_id=F("plan__programme_id"))
        .order_by("-starts_on")
    ):
        latest.setdefault(cycle.programme_id, cycle)
    return {p.pk: latest[p.programme_id] for p in plans if p.programme_id in latest}


def earlier_reports(reports: QuerySet[Report], measure_ids: list[int]) -> dict[int, list[Report]]:
    """The reports each measure carries over from the measures it revises (修订), from `reports`
    (the reader's visible ones), newest first, each with its measure and plan."""
    earlier = {pk: mine for pk, mine in lineage(measure_ids).items() if pk != mine}
    return reports_through(
        reports.select_related("cycle", "measure__task__plan").order_by("-cycle__starts_on", "-pk"),
        earlier,
    )


def _cycle_reports(
    cycles: dict[int, ReportingCycle], owners: dict[int, dict[int, int]]
) -> dict[int, dict[int, Report]]:
    """plan id → each of its measures' report in the plan's cycle (`cycles`): its own, or else one
    sent under a measure it was carried over from (a revision confirmed mid-cycle leaves the
    measure reported for that cycle); one read for all the plans."""
    reports = list(
        Report.objects.filter(
            cycle__in=list(cycles.values()),
            measure__in={pk for plan_id in cycles for pk in owners.get(plan_id, {})},
        )
    )
    found: dict[int, dict[int, Report]] = {}
    for plan_id, cycle in cycles.items():
        owner = owners.get(plan_id, {})
        through = reports_owned((r for r in reports if r.cycle_id == cycle.pk), owner)
        mine = found[plan_id] = {}
        for pk, sent_here in through.items():
            own = [r for r in sent_here if r.measure_id == pk]
            sent = [r for r in sent_here if r.state != ReportState.DRAFT]
            if own or sent:
                mine[pk] = (own or sent)[0]
    return found
