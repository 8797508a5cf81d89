"""When a measure or task is expected to be done by its unit's own schedule: the approved
milestones (节点) of its annual work plans as of D. The schedule ends with the last milestone; a
milestone missed by D pushes everything after it back by how late it already is (a unit that is
a month behind on one step is, at best, a month behind at the end). Only milestones approved by D
count, each met only if marked met by D (metrics.facts.milestones), so the outlook as of D never
depends on what happened later."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from luoshi.metrics.facts import PlanFacts
from luoshi.workplans.selectors import MilestoneFact


@dataclass(frozen=True)
class Outlook:
    expected_on: dt.date  # done, by the schedule, on this day
    slip_days: int  # how late the earliest missed milestone already is
    next_milestone: MilestoneFact | None  # the next one not met (None: all met)
    deadline: dt.date | None  # the measure's or task's own deadline
    whole: bool = True  # every open measure has a schedule (a task's date is otherwise a floor)

    @property
    def late(self) -> bool:
        return self.deadline is not None and self.expected_on > self.deadline


def measure_outlooks(facts: PlanFacts, as_of: dt.date) -> dict[int, Outlook]:
    """measure id → its outlook, for measures not yet done on as_of that have approved milestones."""
    found = {}
    task_due = {t.id: t.due_date for t in facts.tasks}
    for measure_id, milestones in facts.milestones.items():
        measure = facts.measures.get(measure_id)
        if measure is None or measure.done(as_of):
            continue
        pending = sorted((m for m in milestones if m.met_on is None), key=lambda m: m.due_on)
        missed = [m for m in pending if m.missed(as_of)]
        slip = (as_of - missed[0].due_on).days if missed else 0
        end = max(m.due_on for m in milestones)
        found[measure_id] = Outlook(
            expected_on=max(end + dt.timedelta(days=slip), as_of) if pending else as_of,
            slip_days=slip,
            next_milestone=pending[0] if pending else None,
            deadline=measure.due_date or task_due.get(measure.task_id),  # else the task's
        )
    return found


def task_outlooks(
    facts: PlanFacts, measures: dict[int, Outlook], as_of: dt.date
) -> dict[int, Outlook]:
    """task id → the outlook of its latest-finishing scheduled measure, for tasks not done on
    as_of (a task is done when all its measures are). `whole` says whether every measure still
    open has a schedule; if not, the task's date is only a lower bound."""
    found = {}
    for task in facts.tasks:
        if task.done(as_of):
            continue
        own = [measures[i] for i in task.measure_ids if i in measures]
        if own:
            last = max(own, key=lambda o: (o.expected_on, o.slip_days))
            open_ = [i for i in task.measure_ids if not facts.measures[i].done(as_of)]
            found[task.id] = Outlook(
                last.expected_on,
                max(o.slip_days for o in own),
                min(
                    (o.next_milestone for o in own if o.next_milestone),
                    key=lambda m: m.due_on,
                    default=None,
                ),
                task.due_date,
                whole=all(i in measures for i in open_),
            )
    return found
