"""驾驶舱: where the plan stands against its targets as of a date, and where it is heading."""

from __future__ import annotations

import calendar
import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from luoshi.accounts.policies import reads_plans
from luoshi.cases.selectors import case_progress
from luoshi.metrics.facts import PlanFacts
from luoshi.metrics.headline import headline
from luoshi.metrics.kpi import kpi_statuses
from luoshi.metrics.rates import rates_by_organisation, task_rate
from luoshi.web.access import as_of, current_plan, requires


def trend(facts: PlanFacts, start: dt.date, end: dt.date) -> list[tuple[str, float]]:
    """落实率 at each month's end from `start` to `end` (and at `end` itself)."""
    points, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        day = min(end, dt.date(year, month, calendar.monthrange(year, month)[1]))
        points.append((day.isoformat(), task_rate(facts, day).percent))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return points


@requires(reads_plans, "无权查看驾驶舱")
def dashboard(request: HttpRequest) -> HttpResponse:
    plan, day = current_plan(request), as_of(request)
    h = headline(plan, day)
    start = plan.published_at.date() if plan.published_at else day
    ranking = sorted(
        (r for r in rates_by_organisation(h.facts, day) if r.as_lead.total),
        key=lambda r: (-r.as_lead.percent, -r.as_lead.total),
    )
    chart = {
        "trend": trend(h.facts, start, day),
        "targets": [
            [t.deadline.isoformat(), t.value] for t in h.facts.rate_targets() if t.deadline
        ],
    }
    return render(
        request,
        "web/dashboard.html",
        {
            "plan": plan,
            "as_of": day,
            "h": h,
            "kpis": kpi_statuses(plan, day),
            "cases": case_progress(plan, day),
            "ranking": ranking,
            "chart": chart,
            "overdue": h.overdue[:10],
        },
    )
