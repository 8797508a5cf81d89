"""年度工作计划 pages: a unit drafts its year's milestones (节点) and submits them; the office approves
or returns; the unit marks milestones met. They parse and render; workplans.services decides."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from django.views.decorators.http import require_POST

from luoshi.accounts.policies import is_office, organisation_of, visible_measures
from luoshi.accounts.selectors import unit_measures
from luoshi.audit.actions import AuditAction
from luoshi.audit.services import fetch_visible, refuse
from luoshi.web.access import current_plan, requires, user_of
from luoshi.workplans import services
from luoshi.workplans.models import Milestone, WorkPlan
from luoshi.workplans.policies import (
    may_amend,
    may_decide,
    may_draft,
    may_mark_met,
    may_submit,
    reads_work_plans,
    visible_work_plans,
)
from luoshi.workplans.selectors import revisions, year_plans

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class MilestoneForm(forms.Form):
    measure = forms.ChoiceField(label=gettext_lazy("举措"))
    due_on = forms.DateField(label=gettext_lazy("节点日期"), widget=DATE)
    deliverable = forms.CharField(
        label=gettext_lazy("节点任务"), widget=forms.Textarea(attrs={"rows": 2})
    )
    result = forms.CharField(
        label=gettext_lazy("可检验的成果"), widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, work_plan: WorkPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        measures = unit_measures(work_plan.plan, work_plan.organisation)
        field = self.fields["measure"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—")] + [(str(m.pk), f"{m.code} {m.text[:40]}") for m in measures]


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else timezone.localdate().year


@requires(reads_work_plans, gettext_noop("无权查看年度工作计划"))
def work_plans(request: HttpRequest) -> HttpResponse:
    plan, year = current_plan(request), _year(request)
    organisation = organisation_of(request.user)
    found = year_plans(plan, year).filter(pk__in=visible_work_plans(request.user))
    return render(
        request,
        "web/workplans.html",
        {
            "plan": plan,
            "year": year,
            "years": range(year - 2, year + 2),
            "plans": found,
            "office": is_office(request.user),
            "own": organisation if not is_office(request.user) else None,
        },
    )


@require_POST
@requires(reads_work_plans, gettext_noop("无权编制年度工作计划"))
def work_plan_new(request: HttpRequest) -> HttpResponse:
    raw = request.POST.get("year", "")
    year = int(raw) if raw.isdigit() and len(raw) == 4 else 0
    try:
        work_plan = services.work_plan_open(
            plan=current_plan(request), year=year, actor=user_of(request)
        )
    except ValidationError as error:
        messages.error(request, _("；").join(error.messages))
        return redirect("workplans:list")
    return redirect("workplans:detail", work_plan.pk)


def _detail(
    request: HttpRequest,
    work_plan: WorkPlan,
    form: MilestoneForm | None = None,
    status: int = 200,
    reason: str = "",
) -> HttpResponse:
    user = request.user
    drafting = may_draft(user, work_plan)
    milestones = list(work_plan.milestones.select_related("measure__task").order_by("due_on", "pk"))
    return render(
        request,
        "web/workplan.html",
        {
            "wp": work_plan,
            "milestones": [(m, may_mark_met(user, m)) for m in milestones],
            "form": form or (MilestoneForm(work_plan=work_plan) if drafting else None),
            "drafting": drafting,
            "may_submit": may_submit(user, work_plan),
            "may_decide": may_decide(user, work_plan),
            "may_amend": may_amend(user, work_plan) and not work_plan.amendments.exists(),
            "revisions": revisions(work_plan),
            "reason": reason,
            "today": timezone.localdate(),
        },
        status=status,
    )


@requires(reads_work_plans, gettext_noop("无权查看年度工作计划"))
def work_plan_page(request: HttpRequest, work_plan_id: int) -> HttpResponse:
    work_plan = fetch_visible(visible_work_plans(request.user), work_plan_id, actor=request.user)
    return _detail(request, work_plan)


def _work_plan(request: HttpRequest, work_plan_id: int) -> WorkPlan:
    return fetch_visible(visible_work_plans(request.user), work_plan_id, actor=request.user)


@require_POST
@requires(reads_work_plans, gettext_noop("无权编制年度工作计划"))
def milestone_new(request: HttpRequest, work_plan_id: int) -> HttpResponse:
    work_plan = _work_plan(request, work_plan_id)
    if not may_draft(request.user, work_plan):  # before reading the form: one audited refusal
        raise refuse(
            actor=request.user,
            action=AuditAction.MILESTONE_ADD,
            obj=work_plan,
            message=_("只有本单位可以在计划草拟或退回时添加节点"),
        )
    form = MilestoneForm(request.POST, work_plan=work_plan)
    if form.is_valid():
        data = form.cleaned_data
        measure = visible_measures(request.user).filter(pk=data["measure"]).first()
        try:
            if measure is None:
                raise ValidationError({"measure": _("请选择本单位的举措")})
            services.milestone_add(
                work_plan=work_plan,
                measure=measure,
                due_on=data["due_on"],
                deliverable=data["deliverable"],
                result=data["result"],
                actor=user_of(request),
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("已添加节点"))
            return redirect("workplans:detail", work_plan.pk)
    return _detail(request, work_plan, form, status=400)


def _milestone(request: HttpRequest, milestone_id: int) -> Milestone:
    visible = Milestone.objects.filter(work_plan__in=visible_work_plans(request.user))
    return fetch_visible(visible.select_related("work_plan"), milestone_id, actor=request.user)


@require_POST
@requires(reads_work_plans, gettext_noop("无权编制年度工作计划"))
def milestone_drop(request: HttpRequest, milestone_id: int) -> HttpResponse:
    milestone = _milestone(request, milestone_id)
    work_plan_id = milestone.work_plan_id
    services.milestone_drop(milestone=milestone, actor=user_of(request))
    return redirect("workplans:detail", work_plan_id)


@require_POST
@requires(reads_work_plans, gettext_noop("无权操作年度工作计划"))
def milestone_done(request: HttpRequest, milestone_id: int) -> HttpResponse:
    milestone = _milestone(request, milestone_id)
    try:
        services.milestone_meet(milestone=milestone, actor=user_of(request))
    except ValidationError as error:
        messages.error(request, _("；").join(error.messages))
    else:
        messages.success(request, _("节点已标记完成"))
    target = request.POST.get("next", "")
    return redirect(target if target == "/my/" else f"/workplans/{milestone.work_plan_id}/")


@require_POST
@requires(reads_work_plans, gettext_noop("无权报送年度工作计划"))
def work_plan_submit(request: HttpRequest, work_plan_id: int) -> HttpResponse:
    work_plan = _work_plan(request, work_plan_id)
    try:
        services.work_plan_submit(work_plan=work_plan, actor=user_of(request))
    except ValidationError as error:
        messages.error(request, _("；").join(error.messages))
    else:
        messages.success(request, _("已报送片区办审定"))
    return redirect("workplans:detail", work_plan.pk)


@require_POST
@requires(reads_work_plans, gettext_noop("无权修订年度工作计划"))
def work_plan_amend(request: HttpRequest, work_plan_id: int) -> HttpResponse:
    work_plan = _work_plan(request, work_plan_id)
    reason = request.POST.get("reason", "")
    try:
        amendment = services.work_plan_amend(
            work_plan=work_plan, actor=user_of(request), reason=reason
        )
    except ValidationError as error:  # the typed reason stays in its box
        for message in error.messages:
            messages.error(request, message)
        return _detail(request, work_plan, status=400, reason=reason)
    messages.success(request, _("已新建修订稿，审定前原计划继续有效"))
    return redirect("workplans:detail", amendment.pk)


def _decide(request: HttpRequest, work_plan_id: int, approve: bool) -> HttpResponse:
    work_plan = _work_plan(request, work_plan_id)
    try:
        services.work_plan_decide(
            work_plan=work_plan,
            actor=user_of(request),
            approve=approve,
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as error:
        messages.error(request, _("；").join(error.messages))
    else:
        messages.success(request, _("已审定") if approve else _("已退回"))
    return redirect("workplans:detail", work_plan.pk)


@require_POST
@requires(is_office, gettext_noop("只有片区办可以审定年度工作计划"))
def work_plan_approve(request: HttpRequest, work_plan_id: int) -> HttpResponse:
    return _decide(request, work_plan_id, approve=True)


@require_POST
@requires(is_office, gettext_noop("只有片区办可以退回年度工作计划"))
def work_plan_return(request: HttpRequest, work_plan_id: int) -> HttpResponse:
    return _decide(request, work_plan_id, approve=False)


app_name = "workplans"
urlpatterns = [
    path("", work_plans, name="list"),
    path("new/", work_plan_new, name="new"),
    path("<int:work_plan_id>/", work_plan_page, name="detail"),
    path("<int:work_plan_id>/milestones/new/", milestone_new, name="milestone_new"),
    path("<int:work_plan_id>/submit/", work_plan_submit, name="submit"),
    path("<int:work_plan_id>/approve/", work_plan_approve, name="approve"),
    path("<int:work_plan_id>/return/", work_plan_return, name="return"),
    path("<int:work_plan_id>/amend/", work_plan_amend, name="amend"),
    path("milestones/<int:milestone_id>/drop/", milestone_drop, name="milestone_drop"),
    path("milestones/<int:milestone_id>/done/", milestone_done, name="milestone_done"),
]
