"""Case counts against the plan's targets."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from luoshi.cases.models import CaseLevel, Evaluation, InnovationCase
from luoshi.plans.models import Plan, PlanTargetKind

SUBMITTED_LEVELS = {
    PlanTargetKind.NATIONAL_CASES: [CaseLevel.NATIONAL],
    PlanTargetKind.CASES: [CaseLevel.NATIONAL, CaseLevel.PROVINCE],
}


def cases_submitted_by(plan: Plan, as_of: dt.date) -> list[InnovationCase]:
    """Cases submitted on or before `as_of` (a case still in draft on D did not exist for D)."""
    return list(
        InnovationCase.objects.filter(plan=plan, submitted_on__lte=as_of)
        .select_related("organisation")
        .order_by("submitted_on", "pk")
    )


def evaluations_by(plan: Plan, as_of: dt.date) -> QuerySet[Evaluation]:
    """Evaluations of the plan's tasks dated on or before `as_of`, latest first."""
    return Evaluation.objects.filter(task__plan=plan, evaluated_on__lte=as_of).select_related(
        "task"
    )


def national_cases_submitted(plan: Plan, year: int, as_of: dt.date) -> int:
    return InnovationCase.objects.filter(
        plan=plan, level=CaseLevel.NATIONAL, submitted_on__year=year, submitted_on__lte=as_of
    ).count()


@dataclass(frozen=True)
class CaseProgress:
    kind: str
    label: str
    year: int | None
    target: int
    count: int

    @property
    def met(self) -> bool:
        return self.count >= self.target


def case_progress(plan: Plan, as_of: dt.date) -> list[CaseProgress]:
    """Each case target of the plan with the number of cases submitted (by `as_of`) that count for it."""
    rows = []
    for target in plan.targets.filter(kind__in=list(SUBMITTED_LEVELS)):
        cases = InnovationCase.objects.filter(
            plan=plan,
            level__in=SUBMITTED_LEVELS[PlanTargetKind(target.kind)],
            submitted_on__lte=as_of,
        )
        if target.year:
            cases = cases.filter(submitted_on__year=target.year)
        rows.append(
            CaseProgress(
                target.kind,
                target.get_kind_display(),
                target.year,
                int(target.value),
                cases.count(),
            )
        )
    return rows
