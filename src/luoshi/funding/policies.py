"""Who reads and keeps funding: the office, leaders and evaluators read every unit's projects and
the totals; a unit's head and reporters read and keep their own unit's projects, on measures the
unit has duties in."""

from __future__ import annotations

from django.db.models import QuerySet

from luoshi.accounts.policies import DEPARTMENT, AnyUser, organisation_of, reads_everything, role_of
from luoshi.funding.models import Project
from luoshi.plans.models import Measure


def reads_funding(user: AnyUser) -> bool:
    return reads_everything(user) or role_of(user) in DEPARTMENT


def visible_projects(user: AnyUser) -> QuerySet[Project]:
    if reads_everything(user):
        return Project.objects.all()
    if role_of(user) in DEPARTMENT:
        return Project.objects.filter(organisation=organisation_of(user))
    return Project.objects.none()


def may_add(user: AnyUser, measure: Measure) -> bool:
    return (
        role_of(user) in DEPARTMENT
        and measure.responsibilities.filter(organisation=organisation_of(user)).exists()
    )


def may_edit(user: AnyUser, project: Project) -> bool:
    return role_of(user) in DEPARTMENT and organisation_of(user) == project.organisation
