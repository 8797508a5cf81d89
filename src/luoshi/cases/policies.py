"""Who may propose and move innovation cases and record evaluations."""

from __future__ import annotations

from luoshi.accounts.models import Role
from luoshi.accounts.policies import DEPARTMENT, AnyUser, is_office, organisation_of, role_of
from luoshi.cases.models import EvaluationKind
from luoshi.plans.models import Duty, Organisation, Task


def can_propose_case(user: AnyUser, organisation: Organisation) -> bool:
    """A department proposes a case for its own organisation; the office for any."""
    return is_office(user) or (
        role_of(user) in DEPARTMENT and organisation == organisation_of(user)
    )


def can_advance_case(user: AnyUser) -> bool:
    """Only the office moves a case on (submitted, selected, promoted)."""
    return is_office(user)


def can_record_evaluation(user: AnyUser, task: Task, kind: str) -> bool:
    """Self-assessment by the task's lead unit; third-party and annual by evaluators or the office."""
    if is_office(user):
        return True
    if kind != EvaluationKind.SELF:
        return role_of(user) == Role.EVALUATOR
    return (
        role_of(user) in DEPARTMENT
        and task.measures.filter(
            responsibilities__organisation=organisation_of(user),
            responsibilities__role=Duty.LEAD,
        ).exists()
    )
