"""Warning lights (红黄绿灯) for measures, tasks and organisations, each with the reason shown.

red    = overdue, or returned `red_returns` times, or no report for `red_missed_cycles` cycles
yellow = due within `due_soon_days` days and not reported complete, or no report last cycle, or a
         milestone of the unit's approved work plan (年度工作计划) passed and not met, or an open
         high risk (风险登记) on the measure or its task
green  = otherwise (and every implemented measure)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from luoshi.metrics.facts import CycleFact, MeasureFact, PlanFacts
from luoshi.progress.asof import ReportOnDate
from luoshi.progress.models import IMPLEMENTING
from luoshi.progress.timing import (
    days_late,
    days_left,
    due_in_label,
    is_due_soon,
    is_overdue,
    late_label,
)


class Colour(models.IntegerChoices):
    """Ordered: a light only ever rises to the worst colour among its reasons."""

    GREEN = 0, _("绿灯")
    YELLOW = 1, _("黄灯")
    RED = 2, _("红灯")

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


def lights_as_of(
    facts: PlanFacts, as_of: dt.date | None = None, thresholds: Thresholds | None = None
) -> dict[int, Light]:
    """Light every measure as of the facts' date (the facts hold the reports as they stood then)."""
    return measure_lights(facts, as_of or facts.as_of, thresholds)


def measure_lights(
    facts: PlanFacts, as_of: dt.date, thresholds: Thresholds | None = None
) -> dict[int, Light]:
    if as_of != facts.as_of:  # the reports in `facts` are the ones as they stood on facts.as_of
        raise ValueError(f"facts loaded as of {facts.as_of} cannot light {as_of}")
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
        light.reasons.append(gettext("已落实"))
        return light
    if is_overdue(m.due_date, as_of, done=False):
        light.raise_to(Colour.RED, late_label(days_late(m.due_date, as_of)))
    reports = [r for c in started if (r := facts.reports.get((c.id, m.id))) is not None]
    latest = reports[-1] if reports else None
    returns = latest.return_count if latest else 0
    if returns >= t.red_returns:
        light.raise_to(Colour.RED, gettext("退回 %(n)s 次") % {"n": returns})
    missed = _missed_in_a_row(facts, m, as_of, ended)
    if missed >= min(t.red_missed_cycles, t.yellow_missed_cycles):
        reason = (
            gettext("连续 %(n)s 个周期未报送") % {"n": missed}
            if missed > 1
            else gettext("上个周期未报送")
        )
        light.raise_to(Colour.RED if missed >= t.red_missed_cycles else Colour.YELLOW, reason)
    sent = next((r for r in reversed(reports) if _sent_by(r, as_of)), None)
    reported_complete = sent is not None and sent.progress_status in IMPLEMENTING
    for risk in facts.high_risks:  # a task's risk concerns each of its measures
        if risk.measure_id == m.id or (risk.measure_id is None and risk.task_id == m.task_id):
            light.raise_to(
                Colour.YELLOW, gettext("高风险：%(risk)s") % {"risk": risk.description[:40]}
            )
    for milestone in facts.milestones.get(m.id, ()):
        if milestone.missed(as_of):
            light.raise_to(
                Colour.YELLOW,
                gettext("节点逾期：%(deliverable)s（%(due)s）")
                % {"deliverable": milestone.deliverable, "due": f"{milestone.due_on:%Y-%m-%d}"},
            )
    if m.due_date and is_due_soon(m.due_date, as_of, t.due_soon_days, done=reported_complete):
        due = due_in_label(days_left(m.due_date, as_of))
        light.raise_to(Colour.YELLOW, gettext("%(due)s，尚未报告完成") % {"due": due})
    return light


def _sent_by(report: ReportOnDate, as_of: dt.date) -> bool:
    return report.submitted_on is not None and report.submitted_on <= as_of


def _missed_in_a_row(
    facts: PlanFacts, m: MeasureFact, as_of: dt.date, ended: list[CycleFact]
) -> int:
    """Ended cycles, most recent first, with no report sent by `as_of`, back to the last one sent."""
    missed = 0
    for cycle in reversed(ended):
        report = facts.reports.get((cycle.id, m.id))
        if report is not None and _sent_by(report, as_of):
            break
        missed += 1
    return missed


def roll_up(lights: list[tuple[str, Light]]) -> Light:
    """A task's or an organisation's light: its worst measure, with the measures behind it named."""
    rolled = Light()
    for name, light in lights:
        if light.colour > Colour.GREEN:
            reasons = gettext("；").join(light.reasons)
            rolled.raise_to(
                light.colour, gettext("%(name)s：%(reasons)s") % {"name": name, "reasons": reasons}
            )
    if not rolled.reasons:
        rolled.reasons.append(gettext("全部举措正常") if lights else gettext("无举措"))
    return rolled


def _measure(code: str) -> str:
    return gettext("举措 %(code)s") % {"code": code}


def task_lights(facts: PlanFacts, measure_lights_: dict[int, Light]) -> dict[int, Light]:
    return {
        t.id: roll_up(
            [(_measure(facts.measures[i].code), measure_lights_[i]) for i in t.measure_ids]
        )
        for t in facts.tasks
    }


def organisation_lights(facts: PlanFacts, measure_lights_: dict[int, Light]) -> dict[int, Light]:
    """By the measures each organisation leads, and its 整改 items: one past its deadline and not
    closed by the facts' date is red, like an overdue measure (the same time rule)."""
    led: dict[int, list[tuple[str, Light]]] = {}
    for m in facts.measures.values():
        for org in m.leads:
            led.setdefault(org, []).append((_measure(m.code), measure_lights_[m.id]))
    found = {org: roll_up(lights) for org, lights in led.items()}
    for item in facts.rectifications:
        late = days_late(item.due_on, facts.as_of)
        if item.done(facts.as_of) or not late:
            continue
        light = found.setdefault(item.organisation_id, Light())
        if light.colour == Colour.GREEN:
            light.reasons = []  # "全部举措正常" no longer sums it up
        light.raise_to(
            Colour.RED,
            gettext("整改事项“%(item)s”%(late)s")
            % {"item": item.text[:20], "late": late_label(late)},
        )
    return found
