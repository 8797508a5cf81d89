"""Everything the figures need about one plan, loaded in a fixed number of queries.

The rules (rates, forecast, lights, scoring) are plain functions over these facts, so they are
tested with hand-made facts as well as with the database, and no figure costs a query per task.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from luoshi.plans.models import Measure, Organisation, Plan, PlanTarget, Responsibility, Role, Task
from luoshi.progress.models import Report, ReportingCycle
from luoshi.progress.selectors import implemented_on


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
class ReportFact:
    measure_id: int
    cycle_id: int
    submitted_on: dt.date | None
    return_count: int
    progress_status: str


@dataclass(frozen=True)
class TargetFact:
    kind: str
    year: int | None
    value: float

    @property
    def deadline(self) -> dt.date | None:
        return dt.date(self.year, 12, 31) if self.year else None


@dataclass
class PlanFacts:
    plan_id: int
    title: str
    tasks: list[TaskFact]
    measures: dict[int, MeasureFact]
    targets: list[TargetFact]
    cycles: list[CycleFact]  # in date order
    organisations: dict[int, str]
    reports: dict[tuple[int, int], ReportFact] = field(
        default_factory=dict
    )  # (cycle, measure) → report

    def rate_targets(self) -> list[TargetFact]:
        return sorted(
            (t for t in self.targets if t.kind == "implementation_rate" and t.year),
            key=lambda t: t.year or 0,
        )


def load_facts(plan: Plan) -> PlanFacts:
    """Load a plan's facts; reports are loaded separately, for the cycles a rule looks at."""
    implemented = _implemented_on(plan)
    duties: dict[int, dict[str, list[int]]] = {}
    for measure_id, org_id, role in Responsibility.objects.filter(
        measure__task__plan=plan
    ).values_list("measure_id", "organisation_id", "role"):
        duties.setdefault(measure_id, {}).setdefault(
            "lead" if role == Role.LEAD else "support", []
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
            due_date=m["due_date"] if own else m["task__due_date"],
            ongoing=(m["due_kind"] if own else m["task__due_kind"]) == "ongoing",
            leads=tuple(duties.get(m["id"], {}).get("lead", ())),
            supports=tuple(duties.get(m["id"], {}).get("support", ())),
            implemented_on=implemented.get(m["id"]),
        )
        measures_by_task.setdefault(fact.task_id, []).append(fact)
    tasks = [_task_fact(t, measures_by_task.get(t.pk, [])) for t in task_rows]
    return PlanFacts(
        plan_id=plan.pk,
        title=plan.title,
        tasks=tasks,
        measures={m.id: m for ms in measures_by_task.values() for m in ms},
        targets=[
            TargetFact(t.kind, t.year, float(t.value)) for t in PlanTarget.objects.filter(plan=plan)
        ],
        cycles=[
            CycleFact(c.pk, c.name, c.starts_on, c.due_on)
            for c in ReportingCycle.objects.filter(plan=plan).order_by("starts_on")
        ],
        organisations=dict(Organisation.objects.values_list("id", "name")),
    )


def _task_fact(task: Task, measures: list[MeasureFact]) -> TaskFact:
    dates = [m.implemented_on for m in measures]
    done = max(dates) if measures and all(dates) else None  # type: ignore[type-var]
    return TaskFact(
        id=task.pk,
        number=task.number,
        title=task.title,
        section=task.section.title,
        due_date=task.due_date,
        ongoing=task.due_kind == "ongoing",
        measure_ids=tuple(m.id for m in measures),
        implemented_on=done,
    )


def _implemented_on(plan: Plan) -> dict[int, dt.date]:
    return implemented_on(Measure.objects.filter(task__plan=plan))


def load_reports(cycle_ids: list[int]) -> dict[tuple[int, int], ReportFact]:
    rows = Report.objects.filter(cycle_id__in=cycle_ids).values(
        "measure_id", "cycle_id", "submitted_at", "return_count", "progress_status"
    )
    return {
        (r["cycle_id"], r["measure_id"]): ReportFact(
            r["measure_id"],
            r["cycle_id"],
            timezone.localdate(r["submitted_at"]) if r["submitted_at"] else None,
            r["return_count"],
            r["progress_status"],
        )
        for r in rows
    }
