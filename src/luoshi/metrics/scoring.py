"""Department scoring (考核): points from a rule set (settings.LUOSHI_SCORING), a ranking per period,
and every point traceable to the event that produced it."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from luoshi.metrics.facts import MeasureFact, PlanFacts, load_facts
from luoshi.plans.models import Plan
from luoshi.progress.models import Report, ReportEvent


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
    facts = load_facts(plan)
    earned: dict[int, list[Point]] = defaultdict(list)
    for measure in facts.measures.values():
        if measure.implemented_on and start <= measure.implemented_on <= end:
            rule = "accepted_on_time" if _on_time(measure) else "accepted_late"
            for org in measure.leads:
                earned[org].append(
                    Point(rule, rules[rule], measure.implemented_on, f"举措 {measure.code}")
                )
    _report_points(plan, facts, start, end, rules, earned)
    _return_points(plan, start, end, rules, earned)
    return _rank(facts, earned)


def _on_time(measure: MeasureFact) -> bool:
    return measure.ongoing or measure.due_date is None or measure.implemented_on <= measure.due_date  # type: ignore[operator]


def _report_points(
    plan: Plan,
    facts: PlanFacts,
    start: dt.date,
    end: dt.date,
    rules: dict[str, int],
    earned: dict[int, list[Point]],
) -> None:
    """Each cycle due in the period expects a report on every unimplemented measure from its lead."""
    cycles = [c for c in facts.cycles if start <= c.due_on <= end]
    submitted = {
        (r["cycle_id"], r["measure_id"]): timezone.localdate(r["submitted_at"])
        for r in Report.objects.filter(
            cycle_id__in=[c.id for c in cycles], submitted_at__isnull=False
        ).values("cycle_id", "measure_id", "submitted_at")
    }
    for cycle in cycles:
        for measure in facts.measures.values():
            if measure.implemented_on and measure.implemented_on < cycle.starts_on:
                continue
            on = submitted.get((cycle.id, measure.id))
            reference = f"举措 {measure.code} · {cycle.name}"
            if on is None or on > end:
                point = Point("missing_report", rules["missing_report"], cycle.due_on, reference)
            elif on > cycle.due_on:
                point = Point(
                    "late_report",
                    rules["late_report"],
                    on,
                    f"{reference}（晚 {(on - cycle.due_on).days} 天）",
                )
            else:
                continue
            for org in measure.leads:
                earned[org].append(point)


def _return_points(
    plan: Plan, start: dt.date, end: dt.date, rules: dict[str, int], earned: dict[int, list[Point]]
) -> None:
    events = ReportEvent.objects.filter(
        action="return", report__measure__task__plan=plan, at__date__gte=start, at__date__lte=end
    ).values(
        "at",
        "comment",
        "report__organisation_id",
        "report__measure__number",
        "report__measure__task__number",
        "report__cycle__name",
    )
    for e in events:
        code = f"{e['report__measure__task__number']}.{e['report__measure__number']}"
        reference = f"举措 {code} · {e['report__cycle__name']}：{e['comment']}"
        earned[e["report__organisation_id"]].append(
            Point("returned", rules["returned"], timezone.localdate(e["at"]), reference)
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
