"""风险登记 pages: the register (filtered by status and level) with the form to raise a risk on a
task or measure, and closing one. They parse and render; risks.services decides."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from django.views.decorators.http import require_POST

from luoshi.audit.services import fetch_visible
from luoshi.plans.limits import StaleEdit
from luoshi.plans.models import Measure, Task
from luoshi.risks.models import Grade, Risk, RiskStatus
from luoshi.risks.policies import may_close, reads_risks, visible_risks
from luoshi.risks.services import risk_close, risk_edit, risk_raise
from luoshi.web.access import current_plan, requires, user_of
from luoshi.web.forms import stale_form

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class RiskForm(forms.Form):
    where = forms.CharField(label=gettext_lazy("任务或举措编号（如 23 或 23.2）"), max_length=12)
    description = forms.CharField(
        label=gettext_lazy("风险描述"), widget=forms.Textarea(attrs={"rows": 2})
    )
    likelihood = forms.ChoiceField(label=gettext_lazy("可能性"), choices=Grade.choices)
    impact = forms.ChoiceField(label=gettext_lazy("影响程度"), choices=Grade.choices)
    owner = forms.CharField(label=gettext_lazy("责任人"), max_length=100)
    mitigation = forms.CharField(
        label=gettext_lazy("应对措施"), widget=forms.Textarea(attrs={"rows": 2})
    )
    review_on = forms.DateField(label=gettext_lazy("复核日期"), widget=DATE)


class RiskEditForm(RiskForm):
    """The same fields but where (a risk stays on its task or measure), and the copy edited."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["where"]


def _place(request: HttpRequest, where: str) -> tuple[Task, Measure | None]:
    """'23' → task 23; '23.2' → its measure 2, in the plan shown."""
    plan = current_plan(request)
    task_no, _dot, measure_no = where.strip().partition(".")
    task = Task.objects.filter(plan=plan, number=task_no).first() if task_no.isdigit() else None
    if task is None:
        raise ValidationError({"where": _("没有编号为 %(w)s 的任务") % {"w": where}})
    if not measure_no:
        return task, None
    measure = task.measures.filter(number=measure_no).first() if measure_no.isdigit() else None
    if measure is None:
        raise ValidationError({"where": _("没有编号为 %(w)s 的举措") % {"w": where}})
    return task, measure


def _page(
    request: HttpRequest,
    form: RiskForm | None = None,
    status: int = 200,
    editing: Risk | None = None,
) -> HttpResponse:
    filters = {k: request.GET[k] for k in ("status", "level") if request.GET.get(k)}
    found = visible_risks(request.user).filter(plan=current_plan(request), **filters)
    found = found.select_related("task", "measure__task", "organisation")
    if form is None and request.GET.get("edit", "").isdigit():
        editing = fetch_visible(found, int(request.GET["edit"]), actor=request.user)
        form = RiskEditForm(initial={f: getattr(editing, f) for f in EDIT_FIELDS})
    return render(
        request,
        "web/risks.html",
        {
            "risks": [(r, may_close(request.user, r)) for r in found[:300]],
            "form": form or RiskForm(),
            "editing": editing,
            "filters": filters,
            "statuses": RiskStatus.choices,
            "levels": Grade.choices,
        },
        status=status,
    )


@requires(reads_risks, gettext_noop("无权查看风险登记"))
def risks(request: HttpRequest) -> HttpResponse:
    return _page(request)


@require_POST
@requires(reads_risks, gettext_noop("无权登记风险"))
def risk_new(request: HttpRequest) -> HttpResponse:
    form = RiskForm(request.POST)
    if form.is_valid():
        data: dict[str, Any] = form.cleaned_data
        try:
            task, measure = _place(request, data["where"])
            risk_raise(
                actor=user_of(request),
                task=task,
                measure=measure,
                description=data["description"],
                likelihood=data["likelihood"],
                impact=data["impact"],
                owner=data["owner"],
                mitigation=data["mitigation"],
                review_on=data["review_on"],
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("已登记风险"))
            return redirect("risks:list")
    return _page(request, form, status=400)


@require_POST
@requires(reads_risks, gettext_noop("无权操作风险"))
def risk_close_view(request: HttpRequest, risk_id: int) -> HttpResponse:
    risk = fetch_visible(visible_risks(request.user), risk_id, actor=request.user)
    try:
        risk_close(risk=risk, actor=user_of(request))
    except ValidationError as error:
        messages.error(request, _("；").join(error.messages))
    else:
        messages.success(request, _("已标记风险已化解"))
    return redirect("risks:list")


EDIT_FIELDS = (
    "description",
    "likelihood",
    "impact",
    "owner",
    "mitigation",
    "review_on",
    "version",
)


@require_POST
@requires(reads_risks, gettext_noop("无权修改风险"))
def risk_save(request: HttpRequest, risk_id: int) -> HttpResponse:
    risk = fetch_visible(visible_risks(request.user), risk_id, actor=request.user)
    form = RiskEditForm(request.POST)
    if form.is_valid():
        try:
            risk_edit(risk=risk, actor=user_of(request), **form.cleaned_data)
        except StaleEdit as stale:  # a colleague saved meanwhile: say what, keep the typed text
            form = stale_form(RiskEditForm, request.POST, stale)
            return _page(request, form, status=409, editing=risk)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("已保存风险"))
            return redirect("risks:list")
    return _page(request, form, status=400, editing=risk)


app_name = "risks"
urlpatterns = [
    path("", risks, name="list"),
    path("new/", risk_new, name="new"),
    path("<int:risk_id>/close/", risk_close_view, name="close"),
    path("<int:risk_id>/save/", risk_save, name="save"),
]
