"""Reads on work plans: the milestones that count on a day (approved by then), a unit's year."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from luoshi.plans.models import Organisation, Plan
from luoshi.workplans.models import Milestone, WorkPlan, WorkPlanState


@dataclass(frozen=True)
class MilestoneFact:
    id: int
    measure_id: int
    organisation_id: int
    due_on: dt.date
    deliverable: str
    met_on: dt.date | None  # met by the day asked about, else None

    def missed(self, as_of: dt.date) -> bool:
        return self.due_on < as_of and self.met_on is None


def milestones_as_of(plan_id: int, as_of: dt.date) -> list[MilestoneFact]:
    """Milestones of the work-plan revisions in force on `as_of`: approved by then (a plan approved
    later did not exist for that day) and not yet superseded by an amendment approved by then;
    each met only if it was marked met by then. One query."""
    return [
        MilestoneFact(
            id=m.pk,
            measure_id=m.measure_id,
            organisation_id=m.work_plan.organisation_id,
            due_on=m.due_on,
            deliverable=m.deliverable,
            met_on=m.met_on if m.met_on and m.met_on <= as_of else None,
        )
        for m in Milestone.objects.filter(
            work_plan__plan_id=plan_id,
            work_plan__state=WorkPlanState.APPROVED,
            work_plan__approved_on__lte=as_of,
        )
        .exclude(work_plan__superseded_on__lte=as_of)
        .select_related("work_plan")
    ]


def _in_force(organisation: Organisation) -> QuerySet[Milestone]:
    """The unit's milestones in force: approved, not superseded by an amendment."""
    return Milestone.objects.filter(
        work_plan__organisation=organisation,
        work_plan__state=WorkPlanState.APPROVED,
        work_plan__superseded_on__isnull=True,
    ).select_related("measure__task", "work_plan")


def unit_milestones(organisation: Organisation, plan: Plan, year: int) -> QuerySet[Milestone]:
    """The milestones in force of a unit's year (approved, not superseded by an amendment), for
    我的任务 and the printed work plan."""
    return _in_force(organisation).filter(work_plan__plan=plan, work_plan__year=year)


def year_milestones(
    organisation: Organisation | None, years: list[tuple[Plan, int]]
) -> list[Milestone]:
    """The milestones in force (节点) of the unit's work plans for each (plan, work year), not yet
    met first, then by date (我的任务); one query however many plans."""
    if organisation is None or not years:
        return []
    wanted = Q(pk__in=[])
    for plan, year in years:
        wanted |= Q(work_plan__plan=plan, work_plan__year=year)
    found = _in_force(organisation).filter(wanted)
    return sorted(found, key=lambda m: (m.met_on is not None, m.due_on))


def year_plans(plan: Plan, year: int) -> QuerySet[WorkPlan]:
    """Each unit's revisions not superseded: the one in force and an amendment under way."""
    return (
        WorkPlan.objects.filter(plan=plan, year=year, superseded_on__isnull=True)
        .select_related("organisation")
        .order_by("organisation__name", "revision")
    )


def revisions(work_plan: WorkPlan) -> QuerySet[WorkPlan]:
    """Every revision of the unit's plan for that year, oldest first (the page's history)."""
    return WorkPlan.objects.filter(
        plan_id=work_plan.plan_id, organisation_id=work_plan.organisation_id, year=work_plan.year
    ).order_by("revision")
