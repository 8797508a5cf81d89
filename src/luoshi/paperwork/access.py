"""Who may download which document (pages and API ask here)."""

from __future__ import annotations

from luoshi.accounts.policies import DEPARTMENT, AnyUser, organisation_of, reads_everything, role_of
from luoshi.plans.models import Organisation


def ledger_scope(user: AnyUser) -> tuple[bool, Organisation | None]:
    """(allowed, organisation to restrict to): the office and leaders see all, a department its own."""
    if reads_everything(user):
        return True, None
    if role_of(user) in DEPARTMENT:
        return True, organisation_of(user)
    return False, None


def may_get_workplan(user: AnyUser, organisation: Organisation) -> bool:
    return reads_everything(user) or (
        role_of(user) in DEPARTMENT and organisation_of(user) == organisation
    )


def may_send_upward(user: AnyUser) -> bool:
    """The upward report covers the whole plan: those who read everything (office, leaders, …)."""
    return reads_everything(user)
