"""日历: a year's deadlines and approved milestones (节点) month by month, for the plan or one unit,
as of a date (deadlines in force then, milestones of plans approved by then, what was done)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_noop

from luoshi.accounts.policies import DEPARTMENT, organisation_of, reads_plans, role_of
from luoshi.metrics.facts import PlanFacts, load_facts
from luoshi.web.access import as_of, current_plan, requires


@dataclass(frozen=True)
class Entry:
    day: dt.date
    kind: str  # "deadline" or "milestone"
    code: str
    task_id: int
    text: str
    done: bool


def year_of(request: HttpRequest, default: int) -> int:
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else default


def _entries(facts: PlanFacts, year: int, unit: int | None) -> list[Entry]:
    day = facts.as_of
    found = []
    for m in facts.measures.values():
        mine = unit is None or unit in m.leads or unit in m.supports
        if mine and m.due_date and m.due_date.year == year:
            found.append(Entry(m.due_date, "deadline", m.code, m.task_id, "", m.done(day)))
        for milestone in facts.milestones.get(m.id, ()):
            if milestone.due_on.year == year and unit in (None, milestone.organisation_id):
                found.append(
                    Entry(
                        milestone.due_on,
                        "milestone",
                        m.code,
                        m.task_id,
                        milestone.deliverable,
                        milestone.met_on is not None,
                    )
                )
    return sorted(found, key=lambda e: (e.day, e.kind, e.code))


def chosen_unit(request: HttpRequest) -> int | None:
    """The unit asked for; a department opens on its own (an empty choice: the whole plan)."""
    own = organisation_of(request.user) if role_of(request.user) in DEPARTMENT else None
    raw = request.GET.get("organisation", "")
    if raw.isdigit():
        return int(raw)
    return own.pk if own and "organisation" not in request.GET else None


def unit_choices(facts: PlanFacts) -> list[tuple[int, str]]:
    units = sorted(
        {o for m in facts.measures.values() for o in (*m.leads, *m.supports)},
        key=lambda o: facts.organisations.get(o, ""),
    )
    return [(o, facts.organisations.get(o, "")) for o in units]


@requires(reads_plans, gettext_noop("无权查看"))
def calendar(request: HttpRequest) -> HttpResponse:
    plan, day = current_plan(request), as_of(request)
    facts = load_facts(plan, day)
    unit = chosen_unit(request)
    year = year_of(request, day.year)
    months: list[list[Entry]] = [[] for _ in range(12)]
    for entry in _entries(facts, year, unit):
        months[entry.day.month - 1].append(entry)
    return render(
        request,
        "web/calendar.html",
        {
            "plan": plan,
            "as_of": day,
            "year": year,
            "years": range(year - 2, year + 3),
            "months": [(index + 1, entries) for index, entries in enumerate(months)],
            "unit": unit,
            "unit_name": facts.organisations.get(unit, "") if unit else "",
            "units": unit_choices(facts),
        },
    )
