"""Reads about linked plans: which plans implement a plan, the proposed and confirmed task links, and
the roll-up of the lower plans' progress onto the higher plan's tasks, as of a date."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TypeVar

from django.db.models import QuerySet

from luoshi.metrics.facts import MeasureFact, PlanFacts, TaskFact, load_facts
from luoshi.metrics.rates import Rate, measure_rate, task_rate
from luoshi.plans.models import Plan
from luoshi.plans.selectors import version_on
from luoshi.versions.models import LinkState, MeasureLink, PlanLink, TaskLink

L = TypeVar("L", TaskLink, MeasureLink)


@dataclass(frozen=True)
class LinkedProgress:
    """A lower plan's task linked to a higher plan's task, and how far it is on the date."""

    plan: Plan
    task: TaskFact
    measures: Rate

    @property
    def done(self) -> bool:
        return self.measures.total > 0 and self.measures.done == self.measures.total


@dataclass(frozen=True)
class LinkedMeasure:
    """A lower plan's measure linked to a measure of the higher plan's task, and whether it was
    implemented on the date."""

    plan: Plan
    parent_code: str
    measure: MeasureFact
    done: bool


@dataclass
class ParentRow:
    task: TaskFact
    linked: list[LinkedProgress] = field(default_factory=list)
    measures_linked: list[LinkedMeasure] = field(default_factory=list)

    @property
    def measures(self) -> Rate:
        """The linked tasks' measures together: done of all, across every lower plan."""
        return Rate(
            sum(x.measures.done for x in self.linked), sum(x.measures.total for x in self.linked)
        )


@dataclass(frozen=True)
class ChildRate:
    """One lower plan compared with the others: its own 落实率 as of the date."""

    plan: Plan
    tasks: Rate
    measures: Rate
    linked_tasks: int
    link_id: int


@dataclass
class Rollup:
    parent: Plan
    as_of: dt.date
    rows: list[ParentRow]
    children: list[ChildRate]


def links_of(parent: Plan) -> QuerySet[PlanLink]:
    """The plans that implement `parent`, each version with its own link."""
    return PlanLink.objects.filter(parent=parent).select_related("plan__programme")


def implemented(plan: Plan) -> QuerySet[PlanLink]:
    """The higher plans `plan` implements."""
    return PlanLink.objects.filter(plan=plan).select_related("parent")


def links_seen(link: PlanLink) -> str:
    """A token of the link's task links as they are now: the confirmation form carries it, so a
    confirmation made on a page opened before someone else changed the links is refused, not
    applied over their choices (as a progress report's version does)."""
    rows = TaskLink.objects.filter(link=link).order_by("pk")
    measures = MeasureLink.objects.filter(link=link).order_by("pk")
    state = (
        ";".join(
            f"{t}:{p}:{s}" for t, p, s in rows.values_list("task_id", "parent_task_id", "state")
        )
        + "|"
        + ";".join(
            f"{m}:{p}:{s}"
            for m, p, s in measures.values_list("measure_id", "parent_measure_id", "state")
        )
    )
    return hashlib.sha256(state.encode()).hexdigest()[:16]


def child_plans(parent: Plan, as_of: dt.date) -> list[PlanLink]:
    """One link per lower programme linked by the end of `as_of` (a plan linked later was not a
    lower plan then): to its version applying on `as_of` when that version is linked, else to its
    latest linked version."""
    by_programme: dict[int, list[PlanLink]] = {}
    linked = links_of(parent).filter(linked_at__date__lte=as_of)
    for link in linked.order_by("plan__imported_at", "plan_id"):
        by_programme.setdefault(link.plan.programme_id, []).append(link)
    chosen = []
    for links in by_programme.values():
        applying = version_on(links[0].plan.programme, as_of)
        chosen.append(
            next((x for x in links if x.plan_id == getattr(applying, "pk", None)), links[-1])
        )
    return chosen


def decided_by(links: QuerySet[L], as_of: dt.date) -> QuerySet[L]:
    """The links among `links` the office had confirmed by the end of `as_of`: task and measure
    links alike count in the roll-up as of a date only from the day they were confirmed."""
    return links.filter(state=LinkState.CONFIRMED, decided_at__date__lte=as_of)


def rollup(parent: Plan, as_of: dt.date) -> Rollup:
    """Each task of `parent` with the progress, on `as_of`, of the confirmed linked tasks of every
    lower plan; and the lower plans' 落实率 side by side. Every figure uses only facts as of `as_of`."""
    parent_facts = load_facts(parent, as_of)
    rows = {t.id: ParentRow(t) for t in parent_facts.tasks}
    links = child_plans(parent, as_of)
    tasks_of = _pairs(TaskLink, links, as_of, "task_id", "parent_task_id")  # one read for all
    measures_of = _pairs(MeasureLink, links, as_of, "measure_id", "parent_measure_id")
    children = []
    for link in links:
        facts = load_facts(link.plan, as_of)
        tasks = {t.id: t for t in facts.tasks}
        confirmed = tasks_of[link.pk]
        for task_id, parent_task_id in confirmed:
            if parent_task_id in rows and task_id in tasks:
                rows[parent_task_id].linked.append(
                    LinkedProgress(link.plan, tasks[task_id], _task_measures(facts, tasks[task_id]))
                )
        _measures_linked(rows, parent_facts, link, facts, measures_of[link.pk])
        children.append(
            ChildRate(
                link.plan,
                task_rate(facts, as_of),
                measure_rate(facts, as_of),
                len({task for task, _ in confirmed}),
                link.pk,
            )
        )
    return Rollup(parent, as_of, list(rows.values()), children)


def _pairs(
    model: type[L], links: list[PlanLink], as_of: dt.date, mine: str, higher: str
) -> defaultdict[int, list[tuple[int, int]]]:
    """Link id → the (lower, higher) ids of its links of `model` confirmed by `as_of`, in the
    model's order (by task and measure number)."""
    found: defaultdict[int, list[tuple[int, int]]] = defaultdict(list)
    confirmed = decided_by(model.objects.filter(link__in=links), as_of)
    for link_id, low, high in confirmed.values_list("link_id", mine, higher):
        found[link_id].append((low, high))
    return found


def _measures_linked(
    rows: dict[int, ParentRow],
    parent: PlanFacts,
    link: PlanLink,
    facts: PlanFacts,
    confirmed: list[tuple[int, int]],
) -> None:
    """The confirmed measure links of `link` as of the date, onto the higher task's row."""
    as_of = facts.as_of
    for measure_id, parent_id in confirmed:
        mine, higher = facts.measures.get(measure_id), parent.measures.get(parent_id)
        if mine is not None and higher is not None and higher.task_id in rows:
            rows[higher.task_id].measures_linked.append(
                LinkedMeasure(link.plan, higher.code, mine, mine.done(as_of))
            )


def _task_measures(facts: PlanFacts, task: TaskFact) -> Rate:
    return Rate(
        sum(facts.measures[i].done(facts.as_of) for i in task.measure_ids), len(task.measure_ids)
    )
