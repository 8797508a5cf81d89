"""驾驶舱: where the plan stands against its targets as of a date, and where it is heading."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_noop

from luoshi.accounts.policies import reads_plans
from luoshi.metrics.cache import cached
from luoshi.metrics.case_targets import case_progress, rectification_summary
from luoshi.metrics.facts import PlanFacts
from luoshi.metrics.headline import headline
from luoshi.metrics.kpi import kpi_statuses
from luoshi.metrics.rates import lead_ranking, rate_trend
from luoshi.supervision.selectors import notice_counts
from luoshi.web.access import as_of, current_plan, requires
from luoshi.web.conditional import revalidated

RANKING_ROWS = 12


def _risks(facts: PlanFacts) -> list[tuple[int, int, str, str]]:
    """Open high risks as of the day: (task id, task number, description, owner)."""
    numbers = {t.id: t.number for t in facts.tasks}
    return [
        (r.task_id, numbers.get(r.task_id, 0), r.description, r.owner) for r in facts.high_risks
    ]


@requires(reads_plans, gettext_noop("无权查看驾驶舱"))
@revalidated
def dashboard(request: HttpRequest) -> HttpResponse:
    plan, day = current_plan(request), as_of(request)
    h = headline(plan, day)
    start = plan.published_at.date() if plan.published_at else day
    ranking = lead_ranking(h.facts, day)
    # Leaders look for who lags: lowest first with each unit's place in the full ranking.
    placed = list(enumerate(ranking, start=1))[::-1]
    show_all = request.GET.get("ranking") == "all"
    chart = {
        "trend": [(d.isoformat(), v) for d, v in rate_trend(h.facts, start, day)],
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
            # kept until the next write, like the headline (metrics/cache.py): ~5 queries
            "kpis": cached("kpis", (plan.pk, day), lambda: kpi_statuses(plan, day), local=False),
            "cases": case_progress(h.facts),
            "ranking": placed if show_all else placed[:RANKING_ROWS],
            "ranking_all": show_all,
            "ranking_total": len(ranking),
            "chart": chart,
            "overdue": h.overdue[:10],
            "notices": cached("notices", (day,), lambda: notice_counts(day), local=False),
            "rectifications": rectification_summary(h.facts),
            "risks": _risks(h.facts),
            "screen": request.GET.get("screen") == "1",  # 大屏: full screen for the leading group
        },
    )
