"""Documents: the briefing (Word/PDF), the ledger out and back in, work plans, open data."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST
from django_tasks.base import TaskResult

from luoshi.accounts.policies import organisation_of, reads_plans
from luoshi.audit.services import refuse
from luoshi.paperwork.access import ledger_scope, may_get_workplan, may_send_upward
from luoshi.paperwork.briefing import briefing_docx
from luoshi.paperwork.downloads import DOCX, PDF, XLSX, attachment
from luoshi.paperwork.jobs import (
    GeneratedFileGone,
    briefing_job_file,
    briefing_pdf_queue,
    may_fetch_job,
)
from luoshi.paperwork.jobs import briefing_job as briefing_job_of
from luoshi.paperwork.ledger import ledger_xlsx
from luoshi.paperwork.ledger_import import LedgerRefused, ledger_apply, ledger_preview
from luoshi.paperwork.opendata import open_csv, open_json
from luoshi.paperwork.upward import upward_json, upward_xlsx
from luoshi.paperwork.workplan import workplan_docx, workplan_xlsx
from luoshi.plans.limits import EARLIEST, LATEST, year_errors
from luoshi.plans.models import Organisation, Plan
from luoshi.progress.models import ReportingCycle
from luoshi.progress.services import StaleReport
from luoshi.progress.timing import open_cycle
from luoshi.web import pending
from luoshi.web.access import as_of, current_plan, requires, user_of
from luoshi.web.errors import query_int
from luoshi.web.views.public import public_plan
from luoshi.web.views.workbench import in_department


@requires(reads_plans, gettext_noop("无权查看文书"))
def documents(request: HttpRequest) -> HttpResponse:
    plan = current_plan(request)
    return render(
        request,
        "web/documents.html",
        {
            "plan": plan,
            "as_of": as_of(request),
            "organisation": organisation_of(request.user),
            "may_send_upward": may_send_upward(request.user),
        },
    )


@requires(reads_plans, gettext_noop("无权下载通报"))
def briefing(request: HttpRequest) -> HttpResponse:
    plan, day = current_plan(request), as_of(request)
    if request.GET.get("format") == "pdf":  # made by the job worker, not in this request
        job = briefing_pdf_queue(plan=plan, as_of=day, user_id=user_of(request).pk)
        return redirect("web:briefing_job", job_id=job)
    return _send(request, plan, briefing_docx(plan, day), f"briefing-{day}.docx", DOCX)


@requires(reads_plans, gettext_noop("无权下载通报"))
def briefing_job(request: HttpRequest, job_id: str) -> HttpResponse:
    """The PDF job's state; the page reloads itself until the file is ready."""
    job = _job(request, job_id)
    return render(request, "web/briefing_job.html", {"job": job, "as_of": job.args[1]})


@requires(reads_plans, gettext_noop("无权下载通报"))
def briefing_job_download(request: HttpRequest, job_id: str) -> HttpResponse:
    job = _job(request, job_id)
    try:
        data = briefing_job_file(job)
    except GeneratedFileGone:  # a normal end of a file's life, not an error page
        messages.info(request, _("该通报文件已超过保留期被清理，请重新生成"))
        return redirect("web:documents")
    if data is None:
        raise Http404(_("通报尚未生成"))
    plan = get_object_or_404(Plan, pk=job.args[0])
    return _send(request, plan, data, f"briefing-{job.args[1]}.pdf", PDF)


@requires(reads_plans, gettext_noop("无权下载台账"))
def ledger(request: HttpRequest) -> HttpResponse:
    allowed, organisation = ledger_scope(request.user)
    if not allowed:
        raise refuse(actor=request.user, message=_("无权下载台账"))
    plan, day = current_plan(request), as_of(request)
    return _send(request, plan, ledger_xlsx(plan, day, organisation), f"ledger-{day}.xlsx", XLSX)


@requires(reads_plans, gettext_noop("无权下载工作计划"))
def workplan(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    if not may_get_workplan(request.user, organisation):
        raise refuse(actor=request.user, message=_("只能下载本单位的工作计划"))
    plan, year = current_plan(request), _year(request)
    if request.GET.get("format") == "xlsx":
        return _send(
            request, plan, workplan_xlsx(plan, organisation, year), f"workplan-{year}.xlsx", XLSX
        )
    return _send(
        request, plan, workplan_docx(plan, organisation, year), f"workplan-{year}.docx", DOCX
    )


@requires(may_send_upward, gettext_noop("无权导出上报数据"))
def upward(request: HttpRequest, fmt: str) -> HttpResponse:
    """The upward report of the plan as of the date (docs/upward-export.md), JSON or Excel."""
    if fmt not in ("json", "xlsx"):
        raise Http404
    plan, day = current_plan(request), as_of(request)
    if fmt == "xlsx":
        return _send(request, plan, upward_xlsx(plan, day), f"upward-{day}.xlsx", XLSX)
    data = upward_json(plan, day).encode()
    return _send(request, plan, data, f"upward-{day}.json", "application/json; charset=utf-8")


def _job(request: HttpRequest, job_id: str) -> TaskResult[Any]:
    job = briefing_job_of(job_id)
    if job is None:
        raise Http404
    if not may_fetch_job(job, user_of(request).pk):
        raise refuse(actor=request.user, message=_("只能查看本人生成的通报"))
    return job


def _year(request: HttpRequest) -> int:
    year = query_int(request, "year") or timezone.localdate().year
    if year_errors(year=year):
        raise BadRequest(
            _("年份应在 %(first)d–%(last)d 之间") % {"first": EARLIEST.year, "last": LATEST.year}
        )
    return year


def _send(
    request: HttpRequest, plan: Plan, data: bytes, name: str, content_type: str
) -> HttpResponse:
    return attachment(
        actor=user_of(request), plan=plan, data=data, name=name, content_type=content_type
    )


def _open_cycle(plan: Plan) -> ReportingCycle:
    cycle = open_cycle(plan.pk, timezone.localdate())
    if cycle is None:
        raise Http404(_("当前没有开放的填报周期"))
    return cycle


@require_POST
@requires(in_department, gettext_noop("仅责任单位可以上传台账"))
def ledger_upload(request: HttpRequest) -> HttpResponse:
    plan = current_plan(request)
    cycle = _open_cycle(plan)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("请选择要上传的文件"))
        return redirect("web:documents")
    data = upload.read(settings.LUOSHI_MAX_UPLOAD_BYTES + 1)
    context: dict[str, object] = {"plan": plan, "cycle": cycle, "name": upload.name}
    try:
        context["changes"] = ledger_preview(
            plan=plan, cycle=cycle, data=data, actor=user_of(request), name=upload.name or ""
        )
    except LedgerRefused as refused:
        context["problems"] = refused.problems
        return render(request, "web/ledger_preview.html", context, status=422)
    context["token"] = pending.keep("ledger-uploads", data, ".xlsx")
    return render(request, "web/ledger_preview.html", context)


@require_POST
@requires(in_department, gettext_noop("仅责任单位可以上传台账"))
def ledger_confirm(request: HttpRequest) -> HttpResponse:
    plan = current_plan(request)
    path = pending.path_of("ledger-uploads", request.POST.get("token", ""), ".xlsx")
    try:
        reports = ledger_apply(
            plan=plan, cycle=_open_cycle(plan), data=path.read_bytes(), actor=user_of(request)
        )
        messages.success(request, _("已导入 %(n)d 份草稿报告，请核对后提交") % {"n": len(reports)})
    except LedgerRefused as refused:
        messages.error(request, str(refused))
    except StaleReport as stale:  # a report changed between preview and confirm: nothing applied
        messages.error(request, _("台账未导入：%(why)s") % {"why": stale})
    finally:
        path.unlink(missing_ok=True)
    return redirect("web:workbench")


def open_data(request: HttpRequest, fmt: str) -> HttpResponse:
    """Public: the published fields of every task of the public version (docs/open-data.md)."""
    plan = public_plan(request)
    if plan is None:
        raise Http404
    day = timezone.localdate()
    if fmt == "csv":
        return HttpResponse(open_csv(plan, day), content_type="text/csv; charset=utf-8")
    return HttpResponse(open_json(plan, day), content_type="application/json; charset=utf-8")
