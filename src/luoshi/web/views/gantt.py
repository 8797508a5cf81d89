"""甘特图: per measure, a year's span month by month up to its deadline in force, with the approved
milestones (节点) and the date its unit's schedule says it will be done (metrics.outlook), for the
plan or one unit, as of a date. Server-rendered month cells (no script; the CSP forbids inline
styles), each marker in words for screen readers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from luoshi.accounts.policies import reads_plans
from luoshi.metrics.facts import MeasureFact, PlanFacts, load_facts
from luoshi.metrics.outlook import measure_outlooks
from luoshi.web.access import as_of, current_plan, requires
from luoshi.web.views.calendar import chosen_unit, unit_choices, year_of


@dataclass(frozen=True)
class Mark:
    day: dt.date
    kind: str  # "deadline", "milestone" or "outlook"
    text: str
    state: str  # "done", "late" or ""


@dataclass
class Row:
    measure: MeasureFact
    marks: list[Mark] = field(default_factory=list)
    start: int = 1  # first month of the bar
    end: int = 12  # last month of the bar
    beyond: bool = False  # the deadline is after the year

    def cells(self) -> list[tuple[int, bool, list[Mark]]]:
        """(month, inside the bar, the marks of that month) for the twelve months."""
        return [
            (
                month,
                self.start <= month <= self.end,
                [m for m in self.marks if m.day.month == month],
            )
            for month in range(1, 13)
        ]


def _row(
    facts: PlanFacts, measure: MeasureFact, due: dt.date | None, year: int, unit: int | None
) -> Row | None:
    """`due`: the measure's deadline in force (its task's when it has none of its own)."""
    day = facts.as_of
    row = Row(measure)
    if due and due.year == year:
        state = "done" if measure.done(day) else "late" if due < day else ""
        row.marks.append(Mark(due, "deadline", _("落实时限"), state))
    for milestone in facts.milestones.get(measure.id, ()):
        if milestone.due_on.year == year and unit in (None, milestone.organisation_id):
            met = milestone.met_on is not None
            state = "done" if met else "late" if milestone.missed(day) else ""
            row.marks.append(Mark(milestone.due_on, "milestone", milestone.deliverable, state))
    if not row.marks:
        return None
    row.marks.sort(key=lambda m: m.day)
    row.start = (
        min(m.day.month for m in row.marks if m.kind == "milestone")
        if any(m.kind == "milestone" for m in row.marks)
        else 1
    )
    row.beyond = due is None or due.year > year
    row.end = 12 if row.beyond else max(m.day.month for m in row.marks)
    return row


@requires(reads_plans, gettext_noop("无权查看"))
def gantt(request: HttpRequest) -> HttpResponse:
    plan, day = current_plan(request), as_of(request)
    facts = load_facts(plan, day)
    unit = chosen_unit(request)
    year = year_of(request, day.year)
    outlooks = measure_outlooks(facts, day)
    task_due = {t.id: t.due_date for t in facts.tasks}
    rows = []
    for measure in sorted(facts.measures.values(), key=lambda m: (m.task_id, m.code)):
        if unit is not None and unit not in (*measure.leads, *measure.supports):
            continue
        row = _row(facts, measure, measure.due_date or task_due.get(measure.task_id), year, unit)
        if row is None:
            continue
        outlook = outlooks.get(measure.id)
        if outlook and outlook.expected_on.year == year:
            state = "late" if outlook.late or outlook.slip_days else ""
            row.marks.append(Mark(outlook.expected_on, "outlook", _("按节点计划预计完成"), state))
        rows.append(row)
    return render(
        request,
        "web/gantt.html",
        {
            "plan": plan,
            "as_of": day,
            "year": year,
            "years": range(year - 2, year + 3),
            "months": range(1, 13),
            "rows": rows,
            "unit": unit,
            "unit_name": facts.organisations.get(unit, "") if unit else "",
            "units": unit_choices(facts),
        },
    )
