"""指标填报: the office (or the unit it assigned) enters and corrects indicator values, one by one or
as an Excel table with a preview; every entry stays in the history."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from luoshi.metrics.models import Observation
from luoshi.metrics.observations import COMPUTED_KINDS, enters_values, observation_record
from luoshi.metrics.values_import import (
    ValuesRefused,
    values_apply,
    values_preview,
    values_template,
)
from luoshi.paperwork.downloads import XLSX
from luoshi.plans.models import Indicator, Plan
from luoshi.web import pending
from luoshi.web.access import current_plan, requires, user_of
from luoshi.web.forms import IndicatorValueForm, ValuesUploadForm

DENIED = gettext_noop("仅片区办或指定的填报单位可以填报指标")


def _indicators(plan: Plan) -> list[Indicator]:
    return list(plan.indicators.exclude(target_kind__in=COMPUTED_KINDS))


def _page(
    request: HttpRequest, plan: Plan, form: IndicatorValueForm, status: int = 200
) -> HttpResponse:
    history = (
        Observation.objects.filter(indicator__plan=plan)
        .select_related("indicator", "entered_by", "corrects")
        .order_by("indicator__position", "year", "quarter", "entered_at", "pk")
    )
    return render(
        request,
        "web/kpi_values.html",
        {"plan": plan, "form": form, "upload": ValuesUploadForm(), "history": history},
        status=status,
    )


def _form(plan: Plan, data: object = None) -> IndicatorValueForm:
    choices = [(i.pk, i.name) for i in _indicators(plan)]
    return IndicatorValueForm(data, indicators=choices)


@requires(enters_values, DENIED)
def kpi_values(request: HttpRequest) -> HttpResponse:
    plan = current_plan(request)
    if request.method != "POST":
        return _page(request, plan, _form(plan))
    form = _form(plan, request.POST)
    if not form.is_valid():
        return _page(request, plan, form, status=422)
    data = form.cleaned_data
    indicator = get_object_or_404(Indicator, pk=data.pop("indicator"), plan=plan)
    try:
        entry = observation_record(indicator=indicator, actor=user_of(request), **data)
    except ValidationError as error:
        form.add_service_errors(error)
        return _page(request, plan, form, status=422)
    except PermissionDenied as refused:
        form.add_error("indicator", str(refused))
        return _page(request, plan, form, status=403)
    words = _("已更正") if entry.corrects_id else _("已录入")
    done = _("%(done)s：%(name)s %(year)s") % {
        "done": words,
        "name": indicator.name,
        "year": entry.year,
    }
    messages.success(request, done)
    return redirect("web:kpi_values")


@requires(enters_values, DENIED)
def kpi_values_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(values_template(current_plan(request)), content_type=XLSX)
    response["Content-Disposition"] = "attachment; filename*=UTF-8''kpi-values.xlsx"
    return response


@require_POST
@requires(enters_values, DENIED)
def kpi_values_upload(request: HttpRequest) -> HttpResponse:
    plan = current_plan(request)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("请选择要上传的文件"))
        return redirect("web:kpi_values")
    data = upload.read(settings.LUOSHI_MAX_UPLOAD_BYTES + 1)
    context: dict[str, object] = {"plan": plan, "name": upload.name}
    try:
        if len(data) > settings.LUOSHI_MAX_UPLOAD_BYTES:
            raise ValuesRefused([_("文件过大")])
        context["rows"] = values_preview(
            plan=plan, data=data, actor=user_of(request), name=upload.name or ""
        )
    except ValuesRefused as refused:
        context["problems"] = refused.problems
        return render(request, "web/kpi_values_preview.html", context, status=422)
    context["token"] = pending.keep("kpi-uploads", data, ".xlsx")
    return render(request, "web/kpi_values_preview.html", context)


@require_POST
@requires(enters_values, DENIED)
def kpi_values_confirm(request: HttpRequest) -> HttpResponse:
    plan = current_plan(request)
    path = pending.path_of("kpi-uploads", request.POST.get("token", ""), ".xlsx")
    try:
        stored = values_apply(plan=plan, data=path.read_bytes(), actor=user_of(request))
        messages.success(request, _("已导入 %(n)d 个数值") % {"n": len(stored)})
    except ValuesRefused as refused:
        messages.error(request, str(refused))
    finally:
        path.unlink(missing_ok=True)
    return redirect("web:kpi_values")
