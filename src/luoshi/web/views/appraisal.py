"""考核 pages' writes: 容错免责 asked on a measure's history and decided by the office there, and the
office's 加减分 on the scores page. They parse and render; supervision.appraisal decides."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from django.views.decorators.http import require_POST

from luoshi.accounts.policies import is_office, visible_measures
from luoshi.audit.services import fetch_visible
from luoshi.plans.models import Organisation
from luoshi.supervision.appraisal import exemption_decide, exemption_request, score_adjust
from luoshi.supervision.models import TEXT_LIMIT, Exemption
from luoshi.supervision.policies import reads_notices
from luoshi.web.access import requires, user_of
from luoshi.web.forms_common import decide_then_history, say_invalid


class ExemptionForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("免责理由"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=TEXT_LIMIT,
    )
    evidence = forms.CharField(
        label=gettext_lazy("依据材料（文件名、文号或说明）"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=TEXT_LIMIT,
    )


class AdjustForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("单位"), queryset=Organisation.objects.order_by("name")
    )
    points = forms.IntegerField(
        label=gettext_lazy("分值（负数为减分）"), min_value=-20, max_value=20
    )
    reason = forms.CharField(label=gettext_lazy("理由"), max_length=200)


@require_POST
@requires(reads_notices, gettext_noop("无权申请容错免责"))
def exemption_new(request: HttpRequest, measure_id: int) -> HttpResponse:
    measure = fetch_visible(visible_measures(request.user), measure_id, actor=request.user)
    try:
        exemption_request(
            measure=measure,
            actor=user_of(request),
            reason=request.POST.get("reason", ""),
            evidence=request.POST.get("evidence", ""),
        )
        messages.success(request, _("已提交容错免责申请，等待片区办认定"))
    except ValidationError as error:
        say_invalid(request, error)
    return redirect("supervision:history", measure.pk)


def _decide(request: HttpRequest, exemption_id: int, approve: bool) -> HttpResponse:
    asked = get_object_or_404(Exemption, pk=exemption_id)
    return decide_then_history(
        request, asked, lambda e, **step: exemption_decide(exemption=e, **step), approve
    )


@require_POST
@requires(is_office, gettext_noop("只有片区办可以认定容错免责"))
def exemption_approve(request: HttpRequest, exemption_id: int) -> HttpResponse:
    return _decide(request, exemption_id, approve=True)


@require_POST
@requires(is_office, gettext_noop("只有片区办可以认定容错免责"))
def exemption_refuse(request: HttpRequest, exemption_id: int) -> HttpResponse:
    return _decide(request, exemption_id, approve=False)


@require_POST
@requires(is_office, gettext_noop("只有片区办可以加减分"))
def adjust(request: HttpRequest) -> HttpResponse:
    form = AdjustForm(request.POST)
    data = form.cleaned_data if form.is_valid() else {}
    try:
        score_adjust(
            actor=user_of(request),
            organisation=data.get("organisation"),
            points=data.get("points"),
            reason=data.get("reason") or request.POST.get("reason", ""),
        )
        messages.success(request, _("已记入考核"))
    except ValidationError as error:
        say_invalid(request, error)
    return redirect("web:scores")


urlpatterns: list[URLPattern] = [
    path("measures/<int:measure_id>/exemptions/new/", exemption_new, name="exemption_new"),
    path("exemptions/<int:exemption_id>/approve/", exemption_approve, name="exemption_approve"),
    path("exemptions/<int:exemption_id>/refuse/", exemption_refuse, name="exemption_refuse"),
    path("scores/adjust/", adjust, name="score_adjust"),
]
