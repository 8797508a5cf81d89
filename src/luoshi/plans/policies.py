"""Rules about a plan's versions: which one people work on, which one the public sees, who decides."""

from __future__ import annotations

from django.utils.translation import gettext

from luoshi.accounts.policies import AnyUser, is_office
from luoshi.plans.models import Plan, PlanStatus


def may_choose_versions(user: AnyUser) -> bool:
    """Only the office puts a version in force, makes it public, or repeals it."""
    return is_office(user)


def may_be_in_force(plan: Plan) -> str | None:
    """Why `plan` cannot be put in force, or None. A repealed version stays history."""
    if plan.status == PlanStatus.REPEALED:
        return gettext("已废止的方案不能设为现行版本")
    return None


def may_be_public(plan: Plan) -> str | None:
    """Why `plan` cannot be made public, or None."""
    if plan.status == PlanStatus.REPEALED:
        return gettext("已废止的方案不能公开")
    return None
