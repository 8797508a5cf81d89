"""The as-of loader: everything the figures need about one plan as it stood on a date, in a fixed
number of queries.

`load_facts(plan, as_of)` is the one place where time is cut: reports in the state they had on D
(rebuilt from their events), acceptances and returns by D, cases submitted by D in the stage they
had reached on D, evaluations dated by D. The rules (rates, forecast, lights,
scoring, briefing) are plain functions over these facts and never filter dates on the database
themselves, so deleting everything after D changes no figure as of D.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

from django.utils import timezone

from luoshi.cases.models import CaseStage, Evaluation, Finding, InnovationCase
from luoshi.metrics.cache import cached
from luoshi.plans.models import Duty, Measure, Organisation, Plan, PlanTarget, Responsibility, Task
from luoshi.progress.asof import ReportOnDate, implemented_on, reports_as_of
from luoshi.progress.models import ReportingCycle
from luoshi.progress.timing import deadline_batch, deadline_in_force
from luoshi.risks.selectors import RiskFact, open_high_risks_as_of
from luoshi.workplans.selectors import MilestoneFact, milestones_as_of


@dataclass(frozen=True)
class MeasureFact:
    id: int
    code: str
    task_id: int
    due_date: dt.date | None
    ongoing: bool
    leads: tuple[int, ...]
    supports: tuple[int, ...]
    implemented_on: dt.date | None

    def done(self, as_of: dt.date) -> bool:
        return self.implemented_on is not None and self.implemented_on <= as_of


@dataclass(frozen=True)
class TaskFact:
    id: int
    number: int
    title: str
    section: str
    due_date: dt.date | None
    ongoing: bool
    measure_ids: tuple[int, ...]
    implemented_on: dt.date | None

    def done(self, as_of: dt.date) -> bool:
        return self.implemented_on is not None and self.implemented_on <= as_of


@dataclass(frozen=True)
class CycleFact:
    id: int
    name: str
    starts_on: dt.date
    due_on: dt.date


@dataclass(frozen=True)
class TargetFact:
    kind: str
    year: int | None
    value: float

    @property
    def deadline(self) -> dt.date | None:
        return dt.date(self.year, 12, 31) if self.year else None


@dataclass(frozen=True)
class CaseFact:
    """A case as it stood on D: only the stages reached by D (a later promotion is not known)."""

    id: int
    title: str
    summary: str
    organisation: str
    level: str
    level_label: str
    category_label: str
    stage: str
    stage_label: str
    submitted_on: dt.date
    reviewed_on: dt.date | None
    selected_on: dt.date | None
    promoted_on: dt.date | None
    promoted_scope_label: str
    task_numbers: tuple[tuple[int, int], ...]  # (task id, number)


@dataclass(frozen=True)
class EvaluationFact:
    id: int
    task_id: int | None  # None: the plan as a whole
    task_number: int | None
    kind: str
    kind_label: str
    evaluator: str
    evaluated_on: dt.date
    score: str
    grade: str
    opinion: str = ""
    target_met: bool | None = None


@dataclass(frozen=True)
class RectificationFact:
    """A 整改 item (an evaluation's finding given to a unit) as it stood on D: assigned by D, done
    only if the office closed it by D — late like a measure (progress.timing) until then."""

    id: int
    evaluation_id: int
    text: str
    organisation_id: int
    organisation: str
    due_on: dt.date
    closed_on: dt.date | None

    def done(self, as_of: dt.date) -> bool:
        return self.closed_on is not None and self.closed_on <= as_of


@dataclass
class PlanFacts:
    plan_id: int
    title: str
    as_of: dt.date
    tasks: list[TaskFact]
    measures: dict[int, MeasureFact]
    targets: list[TargetFact]
    cycles: list[CycleFact]  # started by as_of, in date order
    organisations: dict[int, str]
    reports: dict[tuple[int, int], ReportOnDate] = field(
        default_factory=dict
    )  # (cycle, measure) → the report as it stood on as_of

    # Cases and evaluations are read when first asked for (most figures do not need them), with
    # the same cut in time as everything else here.
    @cached_property
    def cases(self) -> list[CaseFact]:
        """Cases submitted by as_of, in date order, each in the stage it had reached then."""
        return cases_as_of(self.plan_id, self.as_of)

    @cached_property
    def rectifications(self) -> list[RectificationFact]:
        """整改 items assigned by as_of, by deadline."""
        return rectifications_as_of(self.plan_id, self.as_of)

    @cached_property
    def evaluations(self) -> list[EvaluationFact]:
        """Evaluations dated by as_of, latest first."""
        return evaluations_as_of(self.plan_id, self.as_of)

    @cached_property
    def milestones(self) -> dict[int, list[MilestoneFact]]:
        """measure id → the milestones of work plans approved by as_of (workplans.selectors)."""
        found: dict[int, list[MilestoneFact]] = {}
        for m in milestones_as_of(self.plan_id, self.as_of):
            found.setdefault(m.measure_id, []).append(m)
        return found

    @cached_property
    def high_risks(self) -> list[RiskFact]:
        """High risks open on as_of (risks.selectors)."""
        return open_high_risks_as_of(self.plan_id, self.as_of)

    def rate_targets(self) -> list[TargetFact]:
        return sorted(
            (t for t in self.targets if t.kind == "implementation_rate" and t.year),
            key=lambda t: t.year or 0,
        )


def load_facts(plan: Plan, as_of: dt.date | None = None) -> PlanFacts:
    """A plan's facts as they stood at the end of `as_of` (today by default), cached per
    (plan, day) until the next write (metrics/cache.py)."""
    day = as_of or timezone.localdate()
    return cached("facts", (plan.pk, day), lambda: _load_uncached(plan, day))


def _load_uncached(plan: Plan, as_of: dt.date) -> PlanFacts:
    with deadline_batch():  # deadline rules (extensions) read their data once for the whole plan
        return _load_facts(plan, as_of)


def _load_facts(plan: Plan, as_of: dt.date) -> PlanFacts:
    reports = reports_as_of(plan.pk, as_of)
    implemented = implemented_on(reports)
    duties: dict[int, dict[str, list[int]]] = {}
    for measure_id, org_id, role in Responsibility.objects.filter(
        measure__task__plan=plan
    ).values_list("measure_id", "organisation_id", "role"):
        duties.setdefault(measure_id, {}).setdefault(
            "lead" if role == Duty.LEAD else "support", []
        ).append(org_id)
    task_rows = Task.objects.filter(plan=plan).select_related("section").order_by("number")
    measures_by_task: dict[int, list[MeasureFact]] = {}
    for m in Measure.objects.filter(task__plan=plan).values(
        "id",
        "number",
        "task_id",
        "task__number",
        "task__due_date",
        "task__due_kind",
        "deadline_text",
        "due_date",
        "due_kind",
    ):
        own = bool(m["deadline_text"])  # a deadline stated on the measure overrides its task's
        fact = MeasureFact(
            id=m["id"],
            code=f"{m['task__number']}.{m['number']}",
            task_id=m["task_id"],
            due_date=deadline_in_force(
                m["due_date"] if own else m["task__due_date"], as_of, measure_id=m["id"]
            ),
            ongoing=(m["due_kind"] if own else m["task__due_kind"]) == "ongoing",
            leads=tuple(duties.get(m["id"], {}).get("lead", ())),
            supports=tuple(duties.get(m["id"], {}).get("support", ())),
            implemented_on=implemented.get(m["id"]),
        )
        measures_by_task.setdefault(fact.task_id, []).append(fact)
    tasks = [_task_fact(t, measures_by_task.get(t.pk, []), as_of) for t in task_rows]
    return PlanFacts(
        plan_id=plan.pk,
        title=plan.title,
        as_of=as_of,
        tasks=tasks,
        measures={m.id: m for ms in measures_by_task.values() for m in ms},
        targets=[
            TargetFact(t.kind, t.year, float(t.value)) for t in PlanTarget.objects.filter(plan=plan)
        ],
        cycles=[
            CycleFact(c.pk, c.name, c.starts_on, c.due_on)
            for c in ReportingCycle.objects.filter(
                plan__programme=plan.programme_id, starts_on__lte=as_of
            ).order_by("starts_on")
        ],
        organisations=dict(Organisation.objects.values_list("id", "name")),
        reports={(r.cycle_id, r.measure_id): r for r in reports.values()},
    )


def _by(day: dt.date | None, as_of: dt.date) -> dt.date | None:
    return day if day is not None and day <= as_of else None


# Stages in the order a case reaches them, each with the date that says it was reached.
_STAGE_DATES = [
    (CaseStage.PROMOTED, "promoted_on"),
    (CaseStage.SELECTED, "selected_on"),
    (CaseStage.REVIEWED, "reviewed_on"),
    (CaseStage.REJECTED, "rejected_on"),
]


def cases_as_of(plan_id: int, as_of: dt.date) -> list[CaseFact]:
    """Cases submitted by `as_of`, each in the stage it had reached then (a case still in draft on D
    did not exist for D). Read through `PlanFacts.cases`; two queries."""
    found = []
    for case in (
        InnovationCase.objects.filter(plan_id=plan_id, submitted_on__lte=as_of)
        .select_related("organisation")
        .prefetch_related("tasks")
        .order_by("submitted_on", "pk")
    ):
        stage = next(
            (s for s, f in _STAGE_DATES if _by(getattr(case, f), as_of)), CaseStage.SUBMITTED
        )
        promoted = _by(case.promoted_on, as_of)
        found.append(
            CaseFact(
                id=case.pk,
                title=case.title,
                summary=case.summary,
                organisation=case.organisation.name,
                level=case.level,
                level_label=case.get_level_display(),
                category_label=case.get_category_display(),
                stage=stage,
                stage_label=str(CaseStage(stage).label),
                submitted_on=case.submitted_on,  # type: ignore[arg-type]
                reviewed_on=_by(case.reviewed_on, as_of),
                selected_on=_by(case.selected_on, as_of),
                promoted_on=promoted,
                promoted_scope_label=case.get_promoted_scope_display() if promoted else "",
                task_numbers=tuple((t.pk, t.number) for t in case.tasks.all()),
            )
        )
    return found


def evaluations_as_of(plan_id: int, as_of: dt.date) -> list[EvaluationFact]:
    """Evaluations of the plan (as a whole or of one task) dated by `as_of`, latest first."""
    return [
        EvaluationFact(
            id=e.pk,
            task_id=e.task_id,
            task_number=e.task.number if e.task else None,
            kind=e.kind,
            kind_label=e.get_kind_display(),
            evaluator=e.evaluator,
            evaluated_on=e.evaluated_on,
            score="" if e.score is None else str(e.score),
            grade=e.grade,
            opinion=e.findings,
            target_met=e.target_met,
        )
        for e in Evaluation.objects.filter(plan_id=plan_id, evaluated_on__lte=as_of)
        .select_related("task")
        .order_by("-evaluated_on", "-pk")
    ]


def _task_fact(task: Task, measures: list[MeasureFact], as_of: dt.date) -> TaskFact:
    dates = [m.implemented_on for m in measures]
    done = max(dates) if measures and all(dates) else None  # type: ignore[type-var]
    return TaskFact(
        id=task.pk,
        number=task.number,
        title=task.title,
        section=task.section.title,
        due_date=deadline_in_force(task.due_date, as_of, task_id=task.pk),
        ongoing=task.due_kind == "ongoing",
        measure_ids=tuple(m.id for m in measures),
        implemented_on=done,
    )


def rectifications_as_of(plan_id: int, as_of: dt.date) -> list[RectificationFact]:
    """Findings made 整改 items by `as_of` (their closing known only if it happened by then)."""
    return [
        RectificationFact(
            id=f.pk,
            evaluation_id=f.evaluation_id,
            text=f.text,
            organisation_id=f.organisation_id,  # type: ignore[arg-type]
            organisation=f.organisation.name if f.organisation else "",
            due_on=f.due_on,  # type: ignore[arg-type]
            closed_on=_by(f.closed_on, as_of),
        )
        for f in Finding.objects.filter(
            evaluation__plan_id=plan_id,
            assigned_on__lte=as_of,
            evaluation__evaluated_on__lte=as_of,
        )
        .select_related("organisation")
        .order_by("due_on", "pk")
    ]
