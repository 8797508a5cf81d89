"""Who may see and raise risks: the office, leaders and evaluators see all; a unit sees the risks
of the tasks it has duties in. A unit raises risks on its own measures' tasks; the office on any.
The office or the raising unit closes a risk."""

from __future__ import annotations

from django.db.models import QuerySet

from luoshi.accounts.policies import (
    DEPARTMENT,
    AnyUser,
    is_office,
    organisation_of,
    reads_everything,
    role_of,
)
from luoshi.plans.models import Measure, Task
from luoshi.risks.models import Risk, RiskStatus


def reads_risks(user: AnyUser) -> bool:
    return reads_everything(user) or role_of(user) in DEPARTMENT


def visible_risks(user: AnyUser) -> QuerySet[Risk]:
    if reads_everything(user):
        return Risk.objects.all()
    if role_of(user) in DEPARTMENT:
        return Risk.objects.filter(  # a subquery: no DISTINCT over whole rows
            task__in=Measure.objects.filter(
                responsibilities__organisation=organisation_of(user)
            ).values("task_id")
        )
    return Risk.objects.none()


def may_raise(user: AnyUser, task: Task) -> bool:
    if is_office(user):
        return True
    return (
        role_of(user) in DEPARTMENT
        and task.measures.filter(responsibilities__organisation=organisation_of(user)).exists()
    )


def may_close(user: AnyUser, risk: Risk) -> bool:
    if risk.status != RiskStatus.OPEN:
        return False
    return is_office(user) or (
        role_of(user) in DEPARTMENT
        and risk.organisation_id is not None
        and organisation_of(user) == risk.organisation
    )
