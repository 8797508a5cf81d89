"""落实率 as of a date: overall, by organisation, by deadline cohort, by chapter; the target in force;
overdue and due-soon lists. Plain functions over PlanFacts."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext

from luoshi.metrics.facts import MeasureFact, PlanFacts, TargetFact, TaskFact
from luoshi.progress.timing import days_late, days_left, is_due_soon, is_overdue


@dataclass(frozen=True)
class Rate:
    done: int
    total: int

    @property
    def percent(self) -> float:
        """Rounded to one decimal, as the office reports it."""
        return round(100 * self.done / self.total, 1) if self.total else 0.0


def _rate(items: Iterable[TaskFact | MeasureFact], as_of: dt.date) -> Rate:
    items = list(items)
    return Rate(sum(i.done(as_of) for i in items), len(items))


def task_rate(facts: PlanFacts, as_of: dt.date) -> Rate:
    return _rate(facts.tasks, as_of)


def measure_rate(facts: PlanFacts, as_of: dt.date) -> Rate:
    return _rate(facts.measures.values(), as_of)


def target_in_force(facts: PlanFacts, as_of: dt.date) -> TargetFact | None:
    """The next rate target not yet past (≥50% by 2021-12-31 all through 2021); the last one after that."""
    targets = facts.rate_targets()
    return next(
        (t for t in targets if t.deadline and t.deadline >= as_of), targets[-1] if targets else None
    )


@dataclass(frozen=True)
class OrganisationRate:
    organisation_id: int
    name: str
    as_lead: Rate
    as_supporting: Rate


def rates_by_organisation(facts: PlanFacts, as_of: dt.date) -> list[OrganisationRate]:
    """Measures implemented among those each organisation leads / supports; biggest load first."""
    leads: dict[int, list[MeasureFact]] = {}
    supports: dict[int, list[MeasureFact]] = {}
    for m in facts.measures.values():
        for org in m.leads:
            leads.setdefault(org, []).append(m)
        for org in m.supports:
            supports.setdefault(org, []).append(m)
    rows = [
        OrganisationRate(
            org,
            facts.organisations[org],
            _rate(leads.get(org, []), as_of),
            _rate(supports.get(org, []), as_of),
        )
        for org in set(leads) | set(supports)
    ]
    return sorted(rows, key=lambda r: (-r.as_lead.total, -r.as_supporting.total, r.name))


def lead_ranking(facts: PlanFacts, as_of: dt.date) -> list[OrganisationRate]:
    """Organisations that lead measures, best implementation rate first (the 排名 of dashboards and briefings)."""
    leading = (r for r in rates_by_organisation(facts, as_of) if r.as_lead.total)
    return sorted(leading, key=lambda r: (-r.as_lead.percent, -r.as_lead.total))


def cohort_label(task: TaskFact) -> str:
    if task.ongoing:
        return gettext("持续推进")
    return task.due_date.isoformat() if task.due_date else gettext("未定")


def rates_by_cohort(facts: PlanFacts, as_of: dt.date) -> dict[str, Rate]:
    """Tasks grouped by deadline (2021-08-31, 2022-08-31, …, 持续推进)."""
    groups: dict[str, list[TaskFact]] = {}
    for task in facts.tasks:
        groups.setdefault(cohort_label(task), []).append(task)
    return {label: _rate(groups[label], as_of) for label in sorted(groups)}


def rates_by_section(facts: PlanFacts, as_of: dt.date) -> dict[str, Rate]:
    groups: dict[str, list[TaskFact]] = {}
    for task in facts.tasks:
        groups.setdefault(task.section, []).append(task)
    return {label: _rate(tasks, as_of) for label, tasks in groups.items()}


@dataclass(frozen=True)
class Late:
    task: TaskFact
    days: int  # overdue by (positive) or due in (for the due-soon list)


def overdue_tasks(facts: PlanFacts, as_of: dt.date) -> list[Late]:
    """Due date passed, not implemented — most overdue first."""
    late = [
        Late(t, days_late(t.due_date, as_of))
        for t in facts.tasks
        if is_overdue(t.due_date, as_of, done=t.done(as_of))
    ]
    return sorted(late, key=lambda x: (-x.days, x.task.number))


def due_soon_tasks(facts: PlanFacts, as_of: dt.date, days: int) -> list[Late]:
    soon = [
        Late(t, days_left(t.due_date, as_of))
        for t in facts.tasks
        if t.due_date and is_due_soon(t.due_date, as_of, days, done=t.done(as_of))
    ]
    return sorted(soon, key=lambda x: (x.days, x.task.number))


def rate_trend(facts: PlanFacts, start: dt.date, end: dt.date) -> list[tuple[dt.date, float]]:
    """落实率 at each month's end from `start` to `end` (and at `end` itself)."""
    points, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        day = min(end, dt.date(year, month, calendar.monthrange(year, month)[1]))
        points.append((day, task_rate(facts, day).percent))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return points
