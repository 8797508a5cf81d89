"""KPIs, the case library, evaluations, scoring and the audit search."""

from __future__ import annotations

import datetime as dt

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from luoshi.accounts.policies import is_auditor, reads_plans
from luoshi.audit.models import AuditEvent
from luoshi.cases.models import Evaluation, InnovationCase
from luoshi.cases.selectors import case_progress
from luoshi.metrics.kpi import kpi_statuses
from luoshi.metrics.models import Observation
from luoshi.metrics.policies import can_see_scores
from luoshi.metrics.scoring import RULE_LABELS, scores
from luoshi.web.access import as_of, current_plan, requires


@requires(reads_plans, "无权查看")
def kpis(request: HttpRequest) -> HttpResponse:
    plan, day = current_plan(request), as_of(request)
    observations = (
        Observation.objects.filter(indicator__plan=plan)
        .select_related("indicator")
        .order_by("indicator__position", "year")
    )
    return render(
        request,
        "web/kpis.html",
        {"plan": plan, "as_of": day, "kpis": kpi_statuses(plan, day), "observations": observations},
    )


@requires(reads_plans, "无权查看")
def cases(request: HttpRequest) -> HttpResponse:
    plan, day = current_plan(request), as_of(request)
    library = (
        InnovationCase.objects.filter(plan=plan)
        .select_related("organisation")
        .prefetch_related("tasks")
    )
    evaluations = Evaluation.objects.filter(task__plan=plan).select_related("task")[:50]
    return render(
        request,
        "web/cases.html",
        {
            "plan": plan,
            "as_of": day,
            "cases": library,
            "progress": case_progress(plan, day),
            "evaluations": evaluations,
        },
    )


@requires(can_see_scores, "考核排名仅供片区办、领导和评估方查看")
def score_table(request: HttpRequest) -> HttpResponse:
    plan, day = current_plan(request), as_of(request)
    try:
        start = dt.date.fromisoformat(request.GET.get("start", ""))
    except ValueError:
        start = dt.date(day.year, 1, 1)
    table = scores(plan, start, day)
    return render(
        request,
        "web/scores.html",
        {"plan": plan, "as_of": day, "start": start, "table": table, "labels": RULE_LABELS},
    )


@requires(is_auditor, "审计日志仅供审计人员查看")
def audit(request: HttpRequest) -> HttpResponse:
    events = AuditEvent.objects.all()
    for name in ("username", "action", "outcome"):
        if value := request.GET.get(name):
            events = events.filter(**{name: value})
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = "&".join(f"{k}={v}" for k, v in request.GET.items() if k != "page")
    return render(request, "web/audit.html", {"page": page, "query": query, "filters": request.GET})
