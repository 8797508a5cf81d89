"""Where the rate is heading: from the recent pace of acceptances, the expected rate at each target
date, whether the target will be met, and how many tasks must still be accepted per month."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.utils.translation import gettext

from luoshi.metrics.facts import PlanFacts, TargetFact
from luoshi.metrics.outlook import measure_outlooks, task_outlooks
from luoshi.metrics.rates import task_rate

DAYS_PER_MONTH = 365.25 / 12


@dataclass(frozen=True)
class Forecast:
    target: TargetFact
    deadline: dt.date
    required: int  # tasks that must be implemented by the deadline
    done_now: int
    pace_per_month: float
    expected_done: int
    expected_percent: float
    will_meet: bool
    months_left: float
    needed_per_month: float | None  # None once the deadline has come
    past: bool  # the deadline is on or before as_of: expected_* are what was actually achieved
    # tasks not done yet whose units' approved milestones (节点) finish them by the deadline
    scheduled: int = 0

    @property
    def short_by(self) -> int:
        """Tasks missing from the target (0 when met or expected to be met)."""
        return max(0, self.required - self.expected_done)

    @property
    def verdict(self) -> str:
        """In words, as pages and documents print it."""
        if self.past:
            if self.will_meet:
                return gettext("已达到")
            return gettext("未达到，差 %(short_by)s 项") % {"short_by": self.short_by}
        if self.will_meet:
            return gettext("预计可以达到")
        return gettext("预计差 %(short_by)s 项，需每月落实 %(needed)s 项") % {
            "short_by": self.short_by,
            "needed": self.needed_per_month,
        }


def forecast(facts: PlanFacts, as_of: dt.date, window_months: int = 6) -> list[Forecast]:
    total = len(facts.tasks)
    now = task_rate(facts, as_of)
    window_start = as_of - dt.timedelta(days=round(window_months * DAYS_PER_MONTH))
    recent = now.done - task_rate(facts, window_start).done
    pace = recent / window_months
    outlooks = task_outlooks(facts, measure_outlooks(facts, as_of), as_of).values()
    result = []
    for target in facts.rate_targets():
        deadline = target.deadline
        assert deadline is not None
        required = math.ceil(target.value * total / 100)
        if deadline <= as_of:  # the deadline has come: a verdict, not a pace
            achieved = task_rate(facts, deadline).done
            result.append(
                Forecast(
                    target,
                    deadline,
                    required,
                    now.done,
                    pace,
                    achieved,
                    _percent(achieved, total),
                    achieved >= required,
                    0.0,
                    None,
                    past=True,
                )
            )
            continue
        months = (deadline - as_of).days / DAYS_PER_MONTH
        expected = min(total, now.done + math.floor(pace * months))
        needed = max(0, required - now.done)
        result.append(
            Forecast(
                target,
                deadline,
                required,
                now.done,
                pace,
                expected,
                _percent(expected, total),
                expected >= required,
                round(months, 1),
                round(needed / months, 1),
                past=False,
                scheduled=sum(o.whole and o.expected_on <= deadline for o in outlooks),
            )
        )
    return result


def _percent(done: int, total: int) -> float:
    return round(100 * done / total, 1) if total else 0.0
