"""资金保障 pages: a unit lists, adds and edits its reform projects' amounts; the office and leaders
see totals by unit and by source; both export to Excel. They parse and render; funding.services
decides."""

from __future__ import annotations

from decimal import Decimal
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

from luoshi.accounts.policies import DEPARTMENT, role_of
from luoshi.audit.actions import AuditAction
from luoshi.audit.services import audit_record, fetch_visible
from luoshi.funding.models import Project, Source
from luoshi.funding.policies import may_edit, reads_funding, visible_projects
from luoshi.funding.selectors import grand_total, totals_by_source, totals_by_unit
from luoshi.funding.services import project_add, project_edit
from luoshi.paperwork.workbook import Sheet, columns, workbook
from luoshi.plans.limits import StaleEdit
from luoshi.plans.models import Measure
from luoshi.web.access import current_plan, requires, user_of
from luoshi.web.forms import stale_form


class ProjectForm(forms.Form):
    """Amounts parse as numbers here; their bounds are the service's, told naming the field."""

    where = forms.CharField(label=gettext_lazy("举措编号（如 23.2）"), max_length=12)
    name = forms.CharField(label=gettext_lazy("项目名称"), max_length=200)
    source = forms.ChoiceField(label=gettext_lazy("资金来源"), choices=Source.choices)
    planned = forms.DecimalField(label=gettext_lazy("计划投资（元）"))
    allocated = forms.DecimalField(label=gettext_lazy("已下达（元）"))
    spent = forms.DecimalField(label=gettext_lazy("已支出（元）"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)  # the copy edited


def _measure(request: HttpRequest, where: str) -> Measure:
    task_no, _dot, measure_no = where.strip().partition(".")
    measure = (
        Measure.objects.filter(
            task__plan=current_plan(request), task__number=task_no, number=measure_no
        )
        .select_related("task")
        .first()
        if task_no.isdigit() and measure_no.isdigit()
        else None
    )
    if measure is None:
        raise ValidationError({"where": _("没有编号为 %(w)s 的举措") % {"w": where}})
    return measure


def _projects(request: HttpRequest) -> Any:
    return (
        visible_projects(request.user)
        .filter(plan=current_plan(request))
        .select_related("organisation", "measure__task")
    )


def _page(
    request: HttpRequest,
    form: ProjectForm | None = None,
    editing: int | None = None,
    status: int = 200,
) -> HttpResponse:
    projects = _projects(request)
    if form is None and request.GET.get("edit", "").isdigit():
        project = fetch_visible(projects, int(request.GET["edit"]), actor=request.user)
        editing = project.pk
        form = ProjectForm(
            initial={
                "where": project.measure.code,
                "name": project.name,
                "source": project.source,
                "planned": project.planned,
                "allocated": project.allocated,
                "spent": project.spent,
                "version": project.version,
            }
        )
    return render(
        request,
        "web/funding.html",
        {
            "projects": [(p, may_edit(request.user, p)) for p in projects[:500]],
            "by_unit": totals_by_unit(projects),
            "by_source": totals_by_source(projects),
            "total": grand_total(projects),
            "keeps": role_of(request.user) in DEPARTMENT,
            "form": form or ProjectForm(),
            "editing": editing,
        },
        status=status,
    )


@requires(reads_funding, gettext_noop("无权查看资金保障"))
def funding(request: HttpRequest) -> HttpResponse:
    return _page(request)


def _save(request: HttpRequest, project: Project | None) -> HttpResponse:
    form = ProjectForm(request.POST)
    if form.is_valid():
        data: dict[str, Any] = form.cleaned_data
        amounts: dict[str, Decimal] = {k: data[k] for k in ("planned", "allocated", "spent")}
        try:
            if project is None:
                project_add(
                    actor=user_of(request),
                    measure=_measure(request, data["where"]),
                    name=data["name"],
                    source=data["source"],
                    amounts=amounts,
                )
            else:
                project_edit(
                    actor=user_of(request),
                    project=project,
                    measure=_measure(request, data["where"]),
                    name=data["name"],
                    source=data["source"],
                    amounts=amounts,
                    version=data["version"],
                )
        except StaleEdit as stale:  # someone saved meanwhile: show what they saved, keep the text
            form = stale_form(ProjectForm, request.POST, stale)
            return _page(request, form, editing=project.pk if project else None, status=409)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("已保存改革项目"))
            return redirect("funding:list")
    return _page(request, form, editing=project.pk if project else None, status=400)


@require_POST
@requires(reads_funding, gettext_noop("无权登记改革项目"))
def project_new(request: HttpRequest) -> HttpResponse:
    return _save(request, None)


@require_POST
@requires(reads_funding, gettext_noop("无权修改改革项目"))
def project_save(request: HttpRequest, project_id: int) -> HttpResponse:
    project = fetch_visible(_projects(request), project_id, actor=request.user)
    return _save(request, project)


@requires(reads_funding, gettext_noop("无权导出资金保障"))
def funding_export(request: HttpRequest) -> HttpResponse:
    projects = _projects(request)
    money = (_("计划投资（元）"), _("已下达（元）"), _("已支出（元）"))
    totals = [
        (t.label, t.projects, t.planned, t.allocated, t.spent) for t in totals_by_unit(projects)
    ]
    sources = [
        (t.label, t.projects, t.planned, t.allocated, t.spent) for t in totals_by_source(projects)
    ]
    rows = [
        (
            p.organisation.name,
            p.measure.code,
            p.name,
            p.get_source_display(),
            p.planned,
            p.allocated,
            p.spent,
        )
        for p in projects
    ]
    content = workbook(
        Sheet(
            _("改革项目清单"),
            columns(
                (_("责任单位"), _("举措"), _("项目名称"), _("资金来源"), *money), (24, 8, 36, 10)
            ),
            rows,
            auto_filter=True,
        ),
        Sheet(_("按单位汇总"), columns((_("责任单位"), _("项目数"), *money), (24,)), totals),
        Sheet(_("按来源汇总"), columns((_("资金来源"), _("项目数"), *money), (12,)), sources),
    )
    audit_record(
        actor=user_of(request), action=AuditAction.EXPORT_FUNDING, detail={"rows": len(rows)}
    )
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = "attachment; filename*=UTF-8''funding.xlsx"
    return response


app_name = "funding"
urlpatterns = [
    path("", funding, name="list"),
    path("new/", project_new, name="new"),
    path("<int:project_id>/save/", project_save, name="save"),
    path("export/", funding_export, name="export"),
]
