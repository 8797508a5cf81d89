"""The public portal (信息公开): the plan, each task's published status, 落实率 and published cases.
Nothing internal: no report text, no files, no people."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from luoshi.accounts.policies import is_security_admin, may_administer, reads_plans
from luoshi.cases.models import InnovationCase
from luoshi.consultation.models import CommentPeriod
from luoshi.consultation.policies import answers_public
from luoshi.metrics.facts import load_facts
from luoshi.metrics.rates import task_rate
from luoshi.plans.models import Plan
from luoshi.plans.selectors import public_plans
from luoshi.progress.models import Report


def home(request: HttpRequest) -> HttpResponse:
    """Each person's own start: the dashboard for those who read plans; the administrators (三权分立)
    their own pages, which hold no business data: the admin site, the security page, the audit trail."""
    if reads_plans(request.user):
        return redirect("web:dashboard")
    if may_administer(request.user):
        return redirect("admin:index")
    if is_security_admin(request.user):
        return redirect("security")
    if request.user.is_authenticated:
        return redirect("web:audit")
    return redirect("web:public")


def _published(plan: Plan) -> dict[int, list[Report]]:
    """Task id → the accepted reports the office chose to publish (only their work-done text is shown)."""
    found: dict[int, list[Report]] = {}
    reports = Report.objects.filter(measure__task__plan=plan, published=True, state="accepted")
    for report in reports.select_related("measure", "cycle"):
        found.setdefault(report.measure.task_id, []).append(report)
    return found


def public_plan(request: HttpRequest) -> Plan | None:
    """The version the office made public (?plan=ID among them); nothing else, however new."""
    shown = public_plans()
    chosen = request.GET.get("plan", "")
    return (shown.filter(pk=chosen).first() if chosen.isdigit() else None) or shown.first()


def public(request: HttpRequest) -> HttpResponse:
    plan = public_plan(request)
    if plan is None:
        return render(request, "web/public.html", {"plan": None})
    today = timezone.localdate()
    facts = load_facts(plan, today)
    return render(
        request,
        "web/public.html",
        {
            "plan": plan,
            "today": today,
            "rate": task_rate(facts, today),
            "tasks": facts.tasks,
            "others": public_plans().exclude(pk=plan.pk),
            "consultations": [
                p
                for p in CommentPeriod.objects.select_related("plan")
                if p.is_open(today) or answers_public(p, today)
            ],
            "published": _published(plan),
            "cases": InnovationCase.objects.filter(plan=plan, published=True).select_related(
                "organisation"
            ),
        },
    )
