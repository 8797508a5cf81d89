"""Case counts against the plan's case targets, from the as-of facts (a case counts from the day it
was submitted, within its target's year when the target has one); 整改 items open and late on D."""

from __future__ import annotations

from dataclasses import dataclass

from luoshi.cases.models import CaseLevel
from luoshi.metrics.facts import CaseFact, PlanFacts, RectificationFact
from luoshi.plans.models import PlanTargetKind
from luoshi.progress.timing import days_late, is_overdue

SUBMITTED_LEVELS: dict[str, set[str]] = {
    PlanTargetKind.NATIONAL_CASES: {CaseLevel.NATIONAL},
    PlanTargetKind.CASES: {CaseLevel.NATIONAL, CaseLevel.PROVINCE},
}


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


def counted(facts: PlanFacts, levels: set[str], year: int | None) -> list[CaseFact]:
    """Cases known on the facts' date at one of `levels`, submitted in `year` (any year: None)."""
    return [
        c
        for c in facts.cases
        if c.level in levels and (year is None or c.submitted_on.year == year)
    ]


def case_progress(facts: PlanFacts) -> list[CaseProgress]:
    """Each case target of the plan with the number of cases that count for it on the facts' date."""
    return [
        CaseProgress(
            t.kind,
            str(PlanTargetKind(t.kind).label),
            t.year,
            int(t.value),
            len(counted(facts, SUBMITTED_LEVELS[PlanTargetKind(t.kind)], t.year)),
        )
        for t in facts.targets
        if t.kind in SUBMITTED_LEVELS
    ]


def national_cases_submitted(facts: PlanFacts, year: int) -> int:
    return len(counted(facts, {CaseLevel.NATIONAL.value}, year))


def rectification_summary(facts: PlanFacts) -> dict[str, object]:
    """整改 items not closed on the facts' date, and the late ones (most days late first), by the
    same time rule as measures: due on D is not late on D."""
    day = facts.as_of
    open_items = [r for r in facts.rectifications if not r.done(day)]
    late: list[tuple[RectificationFact, int]] = sorted(
        (
            (r, days_late(r.due_on, day))
            for r in open_items
            if is_overdue(r.due_on, day, done=False)
        ),
        key=lambda pair: -pair[1],
    )
    return {"open": len(open_items), "late": late}
