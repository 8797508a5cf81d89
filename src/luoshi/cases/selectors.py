"""Reads of cases and evaluations that are not figures as of a date (those come from
metrics.facts.load_facts, the one as-of loader)."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from luoshi.cases.models import Finding, FindingState, InnovationCase
from luoshi.plans.models import Organisation, Plan
from luoshi.progress.timing import days_late


def case_detail(plan: Plan) -> QuerySet[InnovationCase]:
    """The plan's cases with what their page shows."""
    return (
        InnovationCase.objects.filter(plan=plan)
        .select_related("organisation", "created_by")
        .prefetch_related("tasks", "reviews__reviewer", "attachments")
    )


def open_rectifications(
    organisation: Organisation | None, today: dt.date
) -> list[tuple[Finding, int]]:
    """The unit's 整改 items not yet closed, by deadline, each with its days late on `today`
    (我的任务 renders them as they are)."""
    found = (
        Finding.objects.filter(
            organisation=organisation, state__in=[FindingState.OPEN, FindingState.REPORTED]
        )
        .select_related("evaluation__task")
        .order_by("due_on", "pk")
    )
    return [(f, days_late(f.due_on, today)) for f in found]
