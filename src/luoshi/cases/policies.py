"""Who may propose and move innovation cases and record evaluations."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from luoshi.accounts.models import Role
from luoshi.accounts.policies import (
    DEPARTMENT,
    AnyUser,
    is_office,
    organisation_of,
    reads_everything,
    reads_plans,
    role_of,
)
from luoshi.cases.models import CaseStage, EvaluationKind, InnovationCase
from luoshi.plans.models import Duty, Organisation, Task


def visible_cases(user: AnyUser) -> QuerySet[InnovationCase]:
    """Every case for the office, leaders and evaluators; for a unit, every case once submitted and
    its own drafts (a draft is the unit's work in progress)."""
    cases = InnovationCase.objects.all()
    if reads_everything(user):
        return cases
    if not reads_plans(user):
        return cases.none()
    return cases.filter(~Q(stage=CaseStage.DRAFT) | Q(organisation=organisation_of(user)))


def may_register_case(user: AnyUser) -> bool:
    """The office and the units (for themselves) register cases."""
    return is_office(user) or role_of(user) in DEPARTMENT


def can_propose_case(user: AnyUser, organisation: Organisation) -> bool:
    """A department proposes a case for its own organisation; the office for any."""
    return is_office(user) or (
        role_of(user) in DEPARTMENT and organisation == organisation_of(user)
    )


def can_advance_case(user: AnyUser) -> bool:
    """Only the office moves a case on (submitted, selected, promoted)."""
    return is_office(user)


def can_review_case(user: AnyUser) -> bool:
    """The 分类审查 is the office's (the plan puts it on the 片区办 before any promotion)."""
    return is_office(user)


def can_attach_to_case(user: AnyUser, case: InnovationCase) -> bool:
    """The proposing unit or the office adds files, until the case is promoted."""
    return case.stage != CaseStage.PROMOTED and can_propose_case(user, case.organisation)


def can_record_evaluation(user: AnyUser, task: Task | None, kind: str) -> bool:
    """Self-assessment of a task by its lead unit (of the plan as a whole, by the office);
    third-party and annual evaluations by evaluators or the office."""
    if is_office(user):
        return True
    if kind != EvaluationKind.SELF:
        return role_of(user) == Role.EVALUATOR
    return (
        task is not None
        and role_of(user) in DEPARTMENT
        and task.measures.filter(
            responsibilities__organisation=organisation_of(user),
            responsibilities__role=Duty.LEAD,
        ).exists()
    )


def may_record_evaluations(user: AnyUser) -> bool:
    """Who reaches the page to record one (the service checks the kind and the task)."""
    return is_office(user) or role_of(user) in DEPARTMENT | {Role.EVALUATOR}
