"""Who may link plans and read the roll-up."""

from __future__ import annotations

from django.utils.translation import gettext

from luoshi.accounts.policies import AnyUser, is_office, reads_plans


def may_link(user: AnyUser) -> bool:
    """Only the office links a plan to the plan it implements and confirms the task links."""
    return is_office(user)


def reads_rollup(user: AnyUser) -> bool:
    """Every plan reader, the provincial role included (it reads every child plan, read-only)."""
    return reads_plans(user)


def why_not_linked(plan_id: int, parent_id: int, same_programme: bool) -> str | None:
    """Why `plan` cannot implement `parent`, or None."""
    if plan_id == parent_id:
        return gettext("方案不能关联自身")
    if same_programme:
        return gettext("同一方案系列的版本是修订关系，不是上下级关系")
    return None
