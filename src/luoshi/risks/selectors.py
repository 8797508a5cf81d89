"""Reads on the risk register: the high risks open on a day (for lights, pages and the briefing)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q

from luoshi.risks.models import Grade, Risk


@dataclass(frozen=True)
class RiskFact:
    id: int
    task_id: int
    measure_id: int | None
    description: str
    owner: str
    raised_on: dt.date


def open_high_risks_as_of(plan_id: int, as_of: dt.date) -> list[RiskFact]:
    """High risks raised by `as_of` and not closed by then. One query."""
    return [
        RiskFact(r.pk, r.task_id, r.measure_id, r.description, r.owner, r.raised_on)
        for r in Risk.objects.filter(plan_id=plan_id, level=Grade.HIGH, raised_on__lte=as_of)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=as_of))
        .order_by("raised_on", "pk")
    ]
