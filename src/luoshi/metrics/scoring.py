"""Department scoring (考核): points from a rule set (settings.LUOSHI_SCORING), a ranking per period,
and every point traceable to the event that produced it.

The plan's own work (acceptances, reports, returns) is normalised to 百分制: 100 × the points earned ÷
the points the unit could earn (accepted_on_time × the measures it leads), so a unit leading 34
measures is compared with one leading 2 on the same scale. On top come 加分 / 减分 in plain points:
selected and promoted cases (settings.LUOSHI_SCORING_CASES) and what other apps register (督办单 not
answered in time, the office's own 加减分). An approved 容错免责 (registered the same way) replaces
each deduction it covers on its measure by a zero-point line that says why. Everything is as of the
period's end: a later event or decision changes nothing before it. The scores page, the API and the
工作通报 all call `scores`."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from luoshi.metrics.facts import MeasureFact, PlanFacts, load_facts
from luoshi.plans.models import Plan
from luoshi.progress.timing import days_late


@dataclass(frozen=True)
class Point:
    rule: str
    points: int
    on: dt.date
    reference: str  # e.g. "举措 23.2 · 2021年06月"
    measure_id: int | None = None  # the measure it is about, for 容错免责


@dataclass
class Score:
    organisation_id: int
    name: str
    total: Decimal = Decimal(0)  # base + extra
    rank: int = 0
    points: list[Point] = field(default_factory=list)
    measures: int = 0  # measures led: the 百分制's denominator
    base: Decimal = Decimal(0)  # the plan's work in 百分制
    extra: int = 0  # 加分 / 减分 in plain points


@dataclass
class Adjustments:
    """What another app adds as of a period's end: points per organisation, and exemptions
    ((organisation id, measure id) → the reason) that cancel that measure's deductions."""

    points: dict[int, list[Point]] = field(default_factory=dict)
    exempt: dict[tuple[int, int], str] = field(default_factory=dict)


AdjustmentSource = Callable[[Plan, dt.date, dt.date], Adjustments]
_sources: list[AdjustmentSource] = []


def register_score_source(source: AdjustmentSource) -> None:
    """Let another app (supervision: 督办, 加减分, 容错免责) add to every score."""
    if source not in _sources:
        _sources.append(source)


# The plan's own work, normalised; every other rule is a plain 加分 / 减分.
PLAN_RULES = {
    "accepted_on_time",
    "accepted_late",
    "late_report",
    "missing_report",
    "returned",
    "exempted",
}


RULE_LABELS = {
    "accepted_on_time": _("按期落实"),
    "accepted_late": _("逾期落实"),
    "late_report": _("逾期报送"),
    "missing_report": _("未报送"),
    "returned": _("报告被退回"),
    "exempted": _("容错免责（不扣分）"),
    "case_selected": _("案例入选"),
    "case_promoted": _("案例复制推广"),
    "notice_late": _("督办单逾期未反馈"),
    "adjustment": _("片区办加减分"),
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
                    Point(
                        rule,
                        rules[rule],
                        measure.implemented_on,
                        gettext("举措 %(code)s") % {"code": measure.code},
                        measure.id,
                    )
                )
    _report_points(facts, start, end, rules, earned)
    _return_points(facts, start, end, rules, earned)
    _case_points(facts, start, end, earned)
    exempt: dict[tuple[int, int], str] = {}
    for source in _sources:
        found = source(plan, start, end)
        exempt |= found.exempt
        for org, points in found.points.items():
            earned[org].extend(points)
    return _rank(facts, _exempted(earned, exempt), rules["accepted_on_time"])


def _case_points(
    facts: PlanFacts, start: dt.date, end: dt.date, earned: dict[int, list[Point]]
) -> None:
    """加分 for the unit's cases selected, and promoted (by the case's level), in the period."""
    bonus = settings.LUOSHI_SCORING_CASES
    ids = {name: org for org, name in facts.organisations.items()}
    for case in facts.cases:
        org = ids.get(case.organisation)
        if org is None:
            continue
        if case.selected_on and start <= case.selected_on <= end:
            earned[org].append(
                Point(
                    "case_selected",
                    bonus["selected"],
                    case.selected_on,
                    gettext("案例“%(title)s”") % {"title": case.title},
                )
            )
        if case.promoted_on and start <= case.promoted_on <= end:
            reference = gettext("案例“%(title)s”（%(level)s，%(scope)s）") % {
                "title": case.title,
                "level": case.level_label,
                "scope": case.promoted_scope_label,
            }
            earned[org].append(
                Point("case_promoted", bonus.get(case.level, 0), case.promoted_on, reference)
            )


def _exempted(
    earned: dict[int, list[Point]], exempt: dict[tuple[int, int], str]
) -> dict[int, list[Point]]:
    """Each deduction on an exempted measure becomes a zero-point line with the reason."""
    for org, points in earned.items():
        earned[org] = [
            Point(
                "exempted",
                0,
                p.on,
                gettext("%(reference)s（容错免责，原 %(points)s 分：%(why)s）")
                % {
                    "reference": p.reference,
                    "points": p.points,
                    "why": exempt[(org, p.measure_id)],
                },
                p.measure_id,
            )
            if p.points < 0 and p.measure_id is not None and (org, p.measure_id) in exempt
            else p
            for p in points
        ]
    return earned


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
            reference = gettext("举措 %(code)s · %(cycle)s") % {
                "code": measure.code,
                "cycle": cycle.name,
            }
            if on is None:
                point = Point(
                    "missing_report", rules["missing_report"], cycle.due_on, reference, measure.id
                )
            elif days_late(cycle.due_on, on):
                point = Point(
                    "late_report",
                    rules["late_report"],
                    on,
                    gettext("%(reference)s（晚 %(days)s 天）")
                    % {"reference": reference, "days": days_late(cycle.due_on, on)},
                    measure.id,
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
                reference = gettext("举措 %(code)s · %(cycle)s：%(comment)s") % {
                    "code": code,
                    "cycle": names.get(report.cycle_id, ""),
                    "comment": returned.comment,
                }
                earned[report.organisation_id].append(
                    Point("returned", rules["returned"], returned.on, reference, report.measure_id)
                )


def _rank(facts: PlanFacts, earned: dict[int, list[Point]], full: int) -> list[Score]:
    leads: dict[int, int] = defaultdict(int)
    for m in facts.measures.values():
        for org in m.leads:
            leads[org] += 1
    table = []
    for org, count in leads.items():
        points = sorted(earned.get(org, []), key=lambda p: p.on)
        work = sum(p.points for p in points if p.rule in PLAN_RULES)
        base = (Decimal(100) * work / (count * full)).quantize(Decimal("0.1"))
        extra = sum(p.points for p in points if p.rule not in PLAN_RULES)
        table.append(
            Score(org, facts.organisations[org], base + extra, 0, points, count, base, extra)
        )
    table.sort(key=lambda s: (-s.total, s.name))
    for index, score in enumerate(table):
        score.rank = (
            table[index - 1].rank if index and table[index - 1].total == score.total else index + 1
        )
    return table
