"""Reads about plans shared by commands, pages and the API."""

from __future__ import annotations

from luoshi.plans.models import Plan


def plan_or_latest(plan_id: int | str | None) -> Plan | None:
    """The plan with this id, or the most recently imported one when no id is given."""
    if plan_id:
        return Plan.objects.filter(pk=plan_id).first() if str(plan_id).isdigit() else None
    return Plan.objects.order_by("-imported_at").first()
