"""Department scoring (考核): points from a rule set (settings.LUOSHI_SCORING), a ranking per period,
and every point traceable to the event that produced it."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings

from luoshi.metrics.facts import MeasureFact, PlanFacts, load_facts
from luoshi.plans.models import Plan
from luoshi.progress.timing import days_late


@dataclass(frozen=True)
class Point:
    rule: str
    points: int
    on: dt.date
    reference: str  # e.g. "举措 23.2 · 2021年06月"


@dataclass
class Score:
    organisation_id: int
    name: str
    total: int = 0
    rank: int = 0
    points: list[Point] = field(default_factory=list)


RULE_LABELS = {
    "accepted_on_time": "按期落实",
    "accepted_late": "逾期落实",
    "late_report": "逾期报送",
    "missing_report": "未报送",
    "returned": "报告被退回",
}


def scores(
    plan: Plan, start: dt.date, end: dt.date, rules: dict[str, int] | None = None
) -> list[Score]:
    """The ranking of lead organisations for [start, end], best first; ties share a rank."""
    rules = rules or settings.LUOSHI_SCORING
    facts = load_facts(plan, end)
    earned: dict[int, list[Point]] = defaultdict(list)
    for measure in facts.measures.values():
        if measure.implemented_on and start <= measure.implemented_on <= end:
            rule = "accepted_on_time" if _on_time(measure) else "accepted_late"
            for org in measure.leads:
                earned[org].append(
                    Point(rule, rules[rule], measure.implemented_on, f"举措 {measure.code}")
                )
    _report_points(facts, start, end, rules, earned)
    _return_points(facts, start, end, rules, earned)
    return _rank(facts, earned)


def _on_time(measure: MeasureFact) -> bool:
    return measure.ongoing or measure.due_date is None or measure.implemented_on <= measure.due_date  # type: ignore[operator]


def _report_points(
    facts: PlanFacts,
    start: dt.date,
    end: dt.date,
    rules: dict[str, int],
    earned: dict[int, list[Point]],
) -> None:
    """Each cycle due in the period expects a report on every unimplemented measure from its lead."""
    cycles = [c for c in facts.cycles if start <= c.due_on <= end]
    for cycle in cycles:
        for measure in facts.measures.values():
            if measure.implemented_on and measure.implemented_on < cycle.starts_on:
                continue
            report = facts.reports.get((cycle.id, measure.id))
            on = report.submitted_on if report else None
            reference = f"举措 {measure.code} · {cycle.name}"
            if on is None:
                point = Point("missing_report", rules["missing_report"], cycle.due_on, reference)
            elif days_late(cycle.due_on, on):
                point = Point(
                    "late_report",
                    rules["late_report"],
                    on,
                    f"{reference}（晚 {days_late(cycle.due_on, on)} 天）",
                )
            else:
                continue
            for org in measure.leads:
                earned[org].append(point)


def _return_points(
    facts: PlanFacts,
    start: dt.date,
    end: dt.date,
    rules: dict[str, int],
    earned: dict[int, list[Point]],
) -> None:
    names = {c.id: c.name for c in facts.cycles}
    for report in facts.reports.values():
        code = facts.measures[report.measure_id].code
        for returned in report.returns:
            if start <= returned.on <= end:
                reference = f"举措 {code} · {names.get(report.cycle_id, '')}：{returned.comment}"
                earned[report.organisation_id].append(
                    Point("returned", rules["returned"], returned.on, reference)
                )


def _rank(facts: PlanFacts, earned: dict[int, list[Point]]) -> list[Score]:
    leads = {org for m in facts.measures.values() for org in m.leads}
    table = [
        Score(
            org,
            facts.organisations[org],
            sum(p.points for p in earned.get(org, [])),
            0,
            sorted(earned.get(org, []), key=lambda p: p.on),
        )
        for org in leads
    ]
    table.sort(key=lambda s: (-s.total, s.name))
    for index, score in enumerate(table):
        score.rank = (
            table[index - 1].rank if index and table[index - 1].total == score.total else index + 1
        )
    return table
