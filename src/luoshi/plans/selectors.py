"""Reads about plans shared by commands, pages and the API: which version is in force, public, or
applies on a date. An import never changes any of these answers; only the office's choice does."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from luoshi.plans.models import Duty, Organisation, Plan, Programme, Responsibility, Task


def plans_in_force() -> QuerySet[Plan]:
    """The version each programme works on, in the order the programmes were created."""
    return Plan.objects.filter(pk__in=Programme.objects.values("in_force")).order_by("programme_id")


def public_plans() -> QuerySet[Plan]:
    """The version each programme shows on the public portal."""
    return Plan.objects.filter(pk__in=Programme.objects.values("public")).order_by("programme_id")


def working_plans(organisation: Organisation | None = None) -> list[Plan]:
    """The plans people work on: those in force (with a duty of `organisation`, when given).
    Before the office has put any version in force, the first plan ever imported — a later import
    never takes its place by itself."""
    found = plans_in_force()
    if organisation is not None:  # a subquery, not a join: no DISTINCT over whole plan rows
        found = found.filter(
            pk__in=Task.objects.filter(
                measures__responsibilities__organisation=organisation
            ).values("plan_id")
        )
    plans = list(found)
    if plans or Programme.objects.filter(in_force__isnull=False).exists():
        return plans
    first = Plan.objects.order_by("imported_at", "pk").first()
    return [first] if first else []


def default_plan(organisation: Organisation | None = None) -> Plan | None:
    """The plan a page shows when the user has not chosen one."""
    mine = working_plans(organisation)
    if mine:
        return mine[0]
    every = working_plans()
    return every[0] if every else None


def plan_or_default(plan_id: int | str | None) -> Plan | None:
    """The plan with this id, or the default plan (never simply the newest import)."""
    if plan_id:
        return Plan.objects.filter(pk=plan_id).first() if str(plan_id).isdigit() else None
    return default_plan()


def version_on(programme: Programme, day: dt.date) -> Plan | None:
    """Which version of `programme` applies on `day`: the last one put in force with an effective date
    on or before `day`; before the first effective date, the first version put in force."""
    dated = programme.versions.filter(effective_from__isnull=False)
    applying = dated.filter(effective_from__lte=day).order_by("-effective_from", "-pk").first()
    return applying or dated.order_by("effective_from", "pk").first() or programme.in_force


def versions_on(wanted: list[tuple[Programme, dt.date]]) -> list[Plan | None]:
    """`version_on` for many (programme, day) pairs in one query: lists read for many cycles."""
    dated: dict[int, list[Plan]] = {}
    programmes = {programme.pk for programme, _ in wanted}
    for plan in Plan.objects.filter(programme__in=programmes, effective_from__isnull=False):
        dated.setdefault(plan.programme_id, []).append(plan)
    found: list[Plan | None] = []
    for programme, day in wanted:
        versions = dated.get(programme.pk, [])
        applying = [p for p in versions if p.effective_from and p.effective_from <= day]
        first = min(versions, key=lambda p: (p.effective_from, p.pk), default=None)
        latest = max(applying, key=lambda p: (p.effective_from, p.pk), default=None)
        found.append(latest or first or programme.in_force)
    return found


@dataclass(frozen=True)
class Matrix:
    """Organisations × tasks of a plan: per organisation (most tasks led first) a cell per task,
    "L" if it leads a measure of the task, "S" if it only supports one, "" otherwise."""

    tasks: list[Task]
    rows: list[tuple[int, str, list[str]]]  # organisation id, name, cells in task order


def responsibility_matrix(plan: Plan) -> Matrix:
    """The matrix from the plan's measure duties, in three narrow queries (no figures: the
    duties are the same on every day)."""
    tasks = list(Task.objects.filter(plan=plan).only("id", "number", "title").order_by("number"))
    cells: dict[int, dict[int, str]] = {}
    for org, task, role in Responsibility.objects.filter(measure__task__plan=plan).values_list(
        "organisation_id", "measure__task_id", "role"
    ):
        if role == Duty.LEAD:
            cells.setdefault(org, {})[task] = "L"
        else:
            cells.setdefault(org, {}).setdefault(task, "S")
    names = dict(Organisation.objects.filter(pk__in=cells).values_list("id", "name"))
    orgs = sorted(cells, key=lambda o: (-sum(v == "L" for v in cells[o].values()), names[o]))
    return Matrix(tasks, [(o, names[o], [cells[o].get(t.pk, "") for t in tasks]) for o in orgs])
