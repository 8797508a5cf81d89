"""Reads behind the office's documents: everything a document shows, gathered before it is written,
so that writing a document never queries (its figures come from one as-of read)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from luoshi.metrics.headline import Headline, headline
from luoshi.metrics.kpi import KpiStatus, kpi_statuses
from luoshi.metrics.rates import OrganisationRate, lead_ranking, rate_trend
from luoshi.metrics.scoring import Score, scores
from luoshi.plans.models import Plan
from luoshi.supervision.selectors import assignment_counts, notice_counts


def period_start(as_of: dt.date) -> dt.date:
    """The briefing covers the month that `as_of` falls in."""
    return as_of.replace(day=1)


@dataclass(frozen=True)
class BriefingData:
    """What the 工作通报 as of a date says: figures, trend, notices, ranking, KPIs (cases are in the facts)."""

    plan: Plan
    as_of: dt.date
    start: dt.date
    headline: Headline
    trend: list[tuple[dt.date, float]]
    notices: dict[str, int]
    ranking: list[OrganisationRate]
    kpis: list[KpiStatus]
    scores: list[Score]  # the year's 考核 to the date, as on the scores page
    assignments: dict[str, dict[str, int]]  # 批示, 议定事项, 协调事项 as they stood


def briefing_data(plan: Plan, as_of: dt.date) -> BriefingData:
    h = headline(plan, as_of)
    start = period_start(as_of)
    start_of_plan = plan.published_at.date() if plan.published_at else start
    return BriefingData(
        plan=plan,
        as_of=as_of,
        start=start,
        headline=h,
        trend=rate_trend(h.facts, start_of_plan, as_of),
        notices=notice_counts(as_of),
        ranking=lead_ranking(h.facts, as_of),
        kpis=kpi_statuses(plan, as_of),
        scores=scores(plan, as_of.replace(month=1, day=1), as_of),
        assignments=assignment_counts(as_of),
    )
