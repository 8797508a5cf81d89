"""KPIs, the case library, evaluations, scoring and the audit search."""

from __future__ import annotations

import datetime as dt

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_noop

from luoshi.accounts.policies import is_auditor, is_office, reads_plans
from luoshi.audit.actions import AuditAction
from luoshi.audit.models import AuditEvent, Outcome
from luoshi.cases.models import CaseLevel, CaseStage
from luoshi.cases.policies import may_register_case, visible_cases
from luoshi.metrics.case_targets import case_progress
from luoshi.metrics.facts import CaseFact, load_facts
from luoshi.metrics.kpi import kpi_statuses
from luoshi.metrics.observations import enters_values
from luoshi.metrics.policies import can_see_scores
from luoshi.metrics.scoring import RULE_LABELS, Score, scores
from luoshi.web.access import as_of, current_plan, query_date, requires
from luoshi.web.list_columns import CASES
from luoshi.web.views.appraisal import AdjustForm


@requires(reads_plans, gettext_noop("无权查看"))
def kpis(request: HttpRequest) -> HttpResponse:
    plan, day = current_plan(request), as_of(request)
    return render(
        request,
        "web/kpis.html",
        {
            "plan": plan,
            "as_of": day,
            "kpis": kpi_statuses(plan, day),
            "enters_values": enters_values(request.user),
        },
    )


CASE_FILTERS = ("stage", "level", "organisation", "q")


@requires(reads_plans, gettext_noop("无权查看"))
def cases(request: HttpRequest) -> HttpResponse:
    plan, day = current_plan(request), as_of(request)
    facts = load_facts(plan, day)  # cases and evaluations as they stood on the day
    filters = {k: request.GET[k].strip() for k in CASE_FILTERS if request.GET.get(k, "").strip()}
    rows = [c for c in facts.cases if _case_matches(c, filters)]
    if CASES.wants_export(request):
        return CASES.export(request, rows, as_of=day)
    return render(
        request,
        "web/cases.html",
        {
            "plan": plan,
            "as_of": day,
            **CASES.page(request, rows),
            "filters": filters,
            "stages": [s for s in CaseStage.choices if s[0] != CaseStage.DRAFT],
            "levels": CaseLevel.choices,
            "units": sorted({c.organisation for c in facts.cases}),
            "progress": case_progress(facts),
            "evaluations": facts.evaluations[:50],
            "may_register": may_register_case(request.user),
            "drafts": visible_cases(request.user)
            .filter(plan=plan, stage=CaseStage.DRAFT)
            .select_related("organisation"),
        },
    )


def _case_matches(case: CaseFact, filters: dict[str, str]) -> bool:
    q = filters.get("q", "")
    return (
        filters.get("stage", case.stage) == case.stage
        and filters.get("level", case.level) == case.level
        and filters.get("organisation", case.organisation) == case.organisation
        and (not q or q in case.title or q in case.summary)
    )


@requires(can_see_scores, gettext_noop("考核排名仅供片区办、领导和评估方查看"))
def score_table(request: HttpRequest) -> HttpResponse:
    plan, day = current_plan(request), as_of(request)
    start = query_date(request, "start")
    chosen = start is not None
    if start is None:
        start, chosen = dt.date(day.year, 1, 1), "as_of" in request.GET
    table = scores(plan, start, day)
    moved_from = None
    if not chosen and not _has_points(table):
        # Opening the page in a year without events would rank every unit #1 with 0:
        # show the last year that has some, and say so.
        for year in range(day.year - 1, day.year - 6, -1):
            earlier = scores(plan, dt.date(year, 1, 1), dt.date(year, 12, 31))
            if _has_points(earlier):
                moved_from, table = day.year, earlier
                start, day = dt.date(year, 1, 1), dt.date(year, 12, 31)
                break
    return render(
        request,
        "web/scores.html",
        {
            "plan": plan,
            "as_of": day,
            "start": start,
            "table": table,
            "labels": RULE_LABELS,
            "moved_from": moved_from,
            "empty": not _has_points(table),
            "adjust_form": AdjustForm() if is_office(request.user) else None,
        },
    )


def _has_points(table: list[Score]) -> bool:
    return any(s.points for s in table)


@requires(is_auditor, gettext_noop("审计日志仅供审计人员查看"))
def audit(request: HttpRequest) -> HttpResponse:
    events = AuditEvent.objects.all()
    for name in ("username", "action", "outcome"):
        if value := request.GET.get(name):
            events = events.filter(**{name: value})
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = "&".join(f"{k}={v}" for k, v in request.GET.items() if k != "page")
    return render(
        request,
        "web/audit.html",
        {
            "page": page,
            "query": query,
            "filters": request.GET,
            "actions": AuditAction.choices,
            "outcomes": Outcome.choices,
        },
    )
