"""Warning lights (红黄绿灯) for measures, tasks and organisations, each with the reason shown.

red    = overdue, or returned `red_returns` times, or no report for `red_missed_cycles` cycles
yellow = due within `due_soon_days` days and not reported complete, or no report last cycle
green  = otherwise (and every implemented measure)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import IntEnum

from django.conf import settings

from luoshi.metrics.facts import CycleFact, MeasureFact, PlanFacts, load_reports
from luoshi.progress.models import IMPLEMENTING


class Colour(IntEnum):
    GREEN = 0
    YELLOW = 1
    RED = 2

    @property
    def label(self) -> str:
        return {0: "绿灯", 1: "黄灯", 2: "红灯"}[self]

    @property
    def key(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class Thresholds:
    due_soon_days: int = 60
    red_returns: int = 2
    red_missed_cycles: int = 2
    yellow_missed_cycles: int = 1

    @classmethod
    def from_settings(cls) -> Thresholds:
        return cls(**getattr(settings, "LUOSHI_LIGHTS", {}))


@dataclass
class Light:
    colour: Colour = Colour.GREEN
    reasons: list[str] = field(default_factory=list)

    def raise_to(self, colour: Colour, reason: str) -> None:
        self.colour = max(self.colour, colour)
        self.reasons.append(reason)


def cycles_to_load(
    facts: PlanFacts, as_of: dt.date, thresholds: Thresholds | None = None
) -> list[int]:
    """The cycles whose reports the lights look at: the last ones ended and the current one."""
    thresholds = thresholds or Thresholds.from_settings()
    started = [c for c in facts.cycles if c.starts_on <= as_of]
    return [
        c.id
        for c in started[
            -(max(thresholds.red_missed_cycles, thresholds.yellow_missed_cycles) + 1) :
        ]
    ]


def lights_as_of(
    facts: PlanFacts, as_of: dt.date, thresholds: Thresholds | None = None
) -> dict[int, Light]:
    """Load the reports the lights look at into `facts`, then light every measure."""
    thresholds = thresholds or Thresholds.from_settings()
    facts.reports = load_reports(cycles_to_load(facts, as_of, thresholds))
    return measure_lights(facts, as_of, thresholds)


def measure_lights(
    facts: PlanFacts, as_of: dt.date, thresholds: Thresholds | None = None
) -> dict[int, Light]:
    thresholds = thresholds or Thresholds.from_settings()
    started = [c for c in facts.cycles if c.starts_on <= as_of]
    ended = [c for c in started if c.due_on < as_of]
    return {
        m.id: _measure_light(facts, m, as_of, started, ended, thresholds)
        for m in facts.measures.values()
    }


def _measure_light(
    facts: PlanFacts,
    m: MeasureFact,
    as_of: dt.date,
    started: list[CycleFact],
    ended: list[CycleFact],
    t: Thresholds,
) -> Light:
    light = Light()
    if m.done(as_of):
        light.reasons.append("已落实")
        return light
    if m.due_date and m.due_date < as_of:
        light.raise_to(Colour.RED, f"逾期 {(as_of - m.due_date).days} 天")
    reports = [facts.reports.get((c.id, m.id)) for c in started]
    latest = next((r for r in reversed(reports) if r is not None), None)
    if latest and latest.return_count >= t.red_returns:
        light.raise_to(Colour.RED, f"退回 {latest.return_count} 次")
    missed = _missed_in_a_row(facts, m, as_of, ended)
    if missed >= min(t.red_missed_cycles, t.yellow_missed_cycles):
        reason = f"连续 {missed} 个周期未报送" if missed > 1 else "上个周期未报送"
        light.raise_to(Colour.RED if missed >= t.red_missed_cycles else Colour.YELLOW, reason)
    reported_complete = latest is not None and latest.progress_status in IMPLEMENTING
    if (
        m.due_date
        and as_of <= m.due_date <= as_of + dt.timedelta(t.due_soon_days)
        and not reported_complete
    ):
        light.raise_to(Colour.YELLOW, f"{(m.due_date - as_of).days} 天后到期，尚未报告完成")
    return light


def _missed_in_a_row(
    facts: PlanFacts, m: MeasureFact, as_of: dt.date, ended: list[CycleFact]
) -> int:
    missed = 0
    for cycle in reversed(ended):
        report = facts.reports.get((cycle.id, m.id))
        if report is not None and report.submitted_on is not None and report.submitted_on <= as_of:
            break
        missed += 1
    return missed


def roll_up(lights: list[tuple[str, Light]]) -> Light:
    """A task's or an organisation's light: its worst measure, with the measures behind it named."""
    rolled = Light()
    for name, light in lights:
        if light.colour > Colour.GREEN:
            rolled.raise_to(light.colour, f"{name}：{'；'.join(light.reasons)}")
    if not rolled.reasons:
        rolled.reasons.append("全部举措正常" if lights else "无举措")
    return rolled


def task_lights(facts: PlanFacts, measure_lights_: dict[int, Light]) -> dict[int, Light]:
    return {
        t.id: roll_up(
            [(f"举措 {facts.measures[i].code}", measure_lights_[i]) for i in t.measure_ids]
        )
        for t in facts.tasks
    }


def organisation_lights(facts: PlanFacts, measure_lights_: dict[int, Light]) -> dict[int, Light]:
    """By the measures each organisation leads."""
    led: dict[int, list[tuple[str, Light]]] = {}
    for m in facts.measures.values():
        for org in m.leads:
            led.setdefault(org, []).append((f"举措 {m.code}", measure_lights_[m.id]))
    return {org: roll_up(lights) for org, lights in led.items()}
