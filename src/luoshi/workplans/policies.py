"""Who may see and do what with annual work plans: the unit drafts, its head submits, the office
decides; the office, leaders and evaluators read every unit's, a unit reads its own."""

from __future__ import annotations

from django.db.models import QuerySet

from luoshi.accounts.policies import (
    DEPARTMENT,
    AnyUser,
    is_head_of,
    is_office,
    organisation_of,
    reads_everything,
    role_of,
)
from luoshi.workplans.models import Milestone, WorkPlan, WorkPlanState


def visible_work_plans(user: AnyUser) -> QuerySet[WorkPlan]:
    if reads_everything(user):
        return WorkPlan.objects.all()
    if role_of(user) in DEPARTMENT:
        return WorkPlan.objects.filter(organisation=organisation_of(user))
    return WorkPlan.objects.none()


def reads_work_plans(user: AnyUser) -> bool:
    return reads_everything(user) or role_of(user) in DEPARTMENT


def of_unit(user: AnyUser, work_plan: WorkPlan) -> bool:
    return role_of(user) in DEPARTMENT and organisation_of(user) == work_plan.organisation


def may_draft(user: AnyUser, work_plan: WorkPlan) -> bool:
    """The unit's reporters and head write milestones while the plan is a draft or returned."""
    return of_unit(user, work_plan) and work_plan.editable


def may_submit(user: AnyUser, work_plan: WorkPlan) -> bool:
    return is_head_of(user, work_plan.organisation) and work_plan.editable


def may_decide(user: AnyUser, work_plan: WorkPlan) -> bool:
    return is_office(user) and work_plan.state == WorkPlanState.SUBMITTED


def may_mark_met(user: AnyUser, milestone: Milestone) -> bool:
    """Only milestones in force: of an approved revision not yet superseded by an amendment."""
    plan = milestone.work_plan
    return of_unit(user, plan) and plan.in_force and not milestone.met_on


def may_amend(user: AnyUser, work_plan: WorkPlan) -> bool:
    """The unit head opens an amendment of the plan in force (one amendment open at a time, which
    the service checks under a lock)."""
    return is_head_of(user, work_plan.organisation) and work_plan.in_force
