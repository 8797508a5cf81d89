"""The headline figures for one plan as of a date: what `luoshi status`, the API, the dashboard and
the briefing all show."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import astuple, dataclass
from functools import cached_property
from typing import Any

from luoshi.metrics.cache import cached
from luoshi.metrics.facts import PlanFacts, TargetFact, load_facts
from luoshi.metrics.forecast import Forecast, forecast
from luoshi.metrics.lights import (
    Colour,
    Light,
    Thresholds,
    lights_as_of,
    task_lights,
)
from luoshi.metrics.rates import (
    Late,
    Rate,
    due_soon_tasks,
    measure_rate,
    overdue_tasks,
    target_in_force,
    task_rate,
)
from luoshi.plans.models import Plan


@dataclass
class Headline:
    as_of: dt.date
    plan: Plan
    rate: Rate
    measure_rate: Rate
    target: TargetFact | None
    forecasts: list[Forecast]
    overdue: list[Late]
    due_soon: list[Late]
    measure_lights: dict[int, Light]
    task_lights: dict[int, Light]

    @cached_property
    def facts(self) -> PlanFacts:
        """The facts the figures were computed from, through their own cache entry: pickled with
        the headline, a national plan's ~1 MB of facts were stored and read twice (every worker
        unpickled them once for the headline and once more for the pages' other figures)."""
        return load_facts(self.plan, self.as_of)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.pop("facts", None)
        plan = self.plan  # what load_facts reads of it, without cached relations
        state["plan"] = Plan(pk=plan.pk, title=plan.title, programme_id=plan.programme_id)
        return state

    @property
    def lights_by_colour(self) -> dict[str, int]:
        counts = Counter(light.colour for light in self.task_lights.values())
        return {c.key: counts.get(c, 0) for c in Colour}

    @property
    def on_target(self) -> bool | None:
        return None if self.target is None else self.rate.percent >= self.target.value


def plan_lights(plan: Plan, as_of: dt.date) -> tuple[dict[int, Light], dict[int, Light]]:
    """Every measure's and task's light as of a day, cached per (plan, day, thresholds) until the
    next write: the task list and the task page show them without lighting the whole plan again.
    Kept in the shared cache only (a few hundred small objects), so they never push a plan's
    facts out of a worker's memory."""
    thresholds = Thresholds.from_settings()

    def compute() -> tuple[dict[int, Light], dict[int, Light]]:
        facts = load_facts(plan, as_of)
        measures = lights_as_of(facts, as_of, thresholds)
        return measures, task_lights(facts, measures)

    return cached("lights", (plan.pk, as_of, _rules(thresholds)), compute, local=False)


def _rules(thresholds: Thresholds) -> str:
    return "-".join(map(str, astuple(thresholds)))


def headline(plan: Plan, as_of: dt.date) -> Headline:
    """The headline as of a day, cached per (plan, day, thresholds) until the next write."""
    thresholds = Thresholds.from_settings()
    return cached(
        "headline", (plan.pk, as_of, _rules(thresholds)), lambda: _headline(plan, as_of, thresholds)
    )


def _headline(plan: Plan, as_of: dt.date, thresholds: Thresholds) -> Headline:
    facts = load_facts(plan, as_of)
    measures = lights_as_of(facts, as_of, thresholds)
    found = Headline(
        as_of=as_of,
        plan=plan,
        rate=task_rate(facts, as_of),
        measure_rate=measure_rate(facts, as_of),
        target=target_in_force(facts, as_of),
        forecasts=forecast(facts, as_of),
        overdue=overdue_tasks(facts, as_of),
        due_soon=due_soon_tasks(facts, as_of, thresholds.due_soon_days),
        measure_lights=measures,
        task_lights=task_lights(facts, measures),
    )
    found.facts = facts  # the same object, for this process
    return found
