"""Documents over the API: briefing, ledger (out and back in), work plans."""

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks.base import TaskResultStatus
from ninja import File, Router
from ninja.files import UploadedFile

from luoshi.accounts.policies import DEPARTMENT, reads_plans, role_of
from luoshi.api.auth import RoleGate
from luoshi.api.metrics import requested_day, requested_plan
from luoshi.audit.services import refuse
from luoshi.paperwork.access import ledger_scope, may_get_workplan, may_send_upward
from luoshi.paperwork.briefing import briefing_docx
from luoshi.paperwork.downloads import DOCX, PDF, XLSX, attachment
from luoshi.paperwork.jobs import (
    GeneratedFileGone,
    briefing_job,
    briefing_job_file,
    briefing_pdf_queue,
    may_fetch_job,
)
from luoshi.paperwork.ledger import ledger_xlsx
from luoshi.paperwork.ledger_import import LedgerRefused, ledger_apply, ledger_preview
from luoshi.paperwork.upward import upward_json, upward_xlsx
from luoshi.paperwork.workplan import workplan_docx, workplan_xlsx
from luoshi.plans.limits import refuse_if, year_errors
from luoshi.plans.models import Organisation, Plan
from luoshi.progress.models import ReportingCycle
from luoshi.progress.timing import open_cycle
from luoshi.tokens.models import Scope

gate = RoleGate(reads_plans, gettext_lazy("无权下载文书"))
router = Router(tags=["documents"], auth=gate)


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@router.get("/documents/briefing")
def briefing(
    request: HttpRequest,
    as_of: dt.date | None = None,
    format: str = "docx",
    plan: int | None = None,
) -> HttpResponse:
    """The 工作通报 as .docx; as PDF it is made by the job worker (`luoshi db_worker`), not in this
    request: 202 with the job's URL (also in `Location`) to poll until it answers with the file."""
    found, day = requested_plan(plan), requested_day(as_of)
    if format == "pdf":
        job = briefing_pdf_queue(plan=found, as_of=day, user_id=_user(request).pk)
        return _waiting(job, "READY")
    return _send(request, found, briefing_docx(found, day), f"briefing-{day}.docx", DOCX)


@router.get("/documents/jobs/{job_id}", url_name="document_job")
def document_job(request: HttpRequest, job_id: str) -> HttpResponse:
    """A queued PDF: 202 with its state while the worker has not finished, then the file (200);
    409 if making it failed. Only the person who asked may poll it (others: 403, audited)."""
    job = briefing_job(job_id)
    if job is None:
        raise Http404(_("没有这个生成任务"))
    if not may_fetch_job(job, _user(request).pk):
        raise refuse(actor=request.user, message=_("只能获取本人生成的文书"))
    if job.status == TaskResultStatus.FAILED:
        return JsonResponse({"detail": _("生成失败，请重新请求"), "status": job.status}, status=409)
    try:
        data = briefing_job_file(job)
    except GeneratedFileGone:
        message = _("该通报文件已超过保留期被清理，请重新生成")
        return JsonResponse({"detail": message, "status": "PRUNED"}, status=410)
    if data is None:
        return _waiting(job_id, str(job.status))
    plan = get_object_or_404(Plan, pk=job.args[0])
    return _send(request, plan, data, f"briefing-{job.args[1]}.pdf", PDF)


def _waiting(job_id: str, status: str) -> HttpResponse:
    url = reverse("api:document_job", kwargs={"job_id": job_id})
    response = JsonResponse({"job": job_id, "status": status, "url": url}, status=202)
    response["Location"] = url
    response["Retry-After"] = "2"
    return response


@router.get("/documents/upward", auth=gate.allowing(Scope.STATUS_READ))
def upward(
    request: HttpRequest,
    as_of: dt.date | None = None,
    format: str = "json",
    plan: int | None = None,
) -> HttpResponse:
    """The upward report of a plan as of a day (`luoshi-upward/1`, docs/upward-export.md): JSON or .xlsx."""
    if not may_send_upward(request.user):
        raise refuse(actor=request.user, message=_("无权导出上报数据"))
    if format not in ("json", "xlsx"):
        raise ValidationError({"format": [_("format 只能是 json 或 xlsx")]})
    found, day = requested_plan(plan), requested_day(as_of)
    if format == "xlsx":
        return _send(request, found, upward_xlsx(found, day), f"upward-{day}.xlsx", XLSX)
    data = upward_json(found, day).encode()
    return _send(request, found, data, f"upward-{day}.json", "application/json; charset=utf-8")


@router.get("/documents/ledger")
def ledger(
    request: HttpRequest, as_of: dt.date | None = None, plan: int | None = None
) -> HttpResponse:
    allowed, organisation = ledger_scope(request.user)
    if not allowed:
        raise refuse(actor=request.user, message=_("无权下载台账"))
    found, day = requested_plan(plan), requested_day(as_of)
    return _send(request, found, ledger_xlsx(found, day, organisation), f"ledger-{day}.xlsx", XLSX)


@router.get("/documents/workplan/{organisation_id}")
def workplan(
    request: HttpRequest,
    organisation_id: int,
    format: str = "docx",
    year: int | None = None,
    plan: int | None = None,
) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    if not may_get_workplan(request.user, organisation):
        raise refuse(actor=request.user, message=_("只能下载本单位的工作计划"))
    refuse_if(year_errors(year=year))
    found, year = requested_plan(plan), year or timezone.localdate().year
    if format == "xlsx":
        return _send(
            request, found, workplan_xlsx(found, organisation, year), f"workplan-{year}.xlsx", XLSX
        )
    return _send(
        request, found, workplan_docx(found, organisation, year), f"workplan-{year}.docx", DOCX
    )


def _send(
    request: HttpRequest, plan: Plan, data: bytes, name: str, content_type: str
) -> HttpResponse:
    return attachment(
        actor=_user(request), plan=plan, data=data, name=name, content_type=content_type
    )


def _cycle(plan: Plan) -> ReportingCycle:
    cycle = open_cycle(plan.pk, timezone.localdate())
    if cycle is None:
        raise Http404(_("当前没有开放的填报周期"))
    return cycle


def _department(request: HttpRequest) -> None:
    if role_of(request.user) not in DEPARTMENT:
        raise refuse(actor=request.user, message=_("仅责任单位可以上传台账"))


@router.post("/ledger/preview", response=dict[str, Any])
def preview(
    request: HttpRequest, file: File[UploadedFile], plan: int | None = None
) -> dict[str, Any]:
    _department(request)
    found = requested_plan(plan)
    try:
        changes = ledger_preview(
            plan=found,
            cycle=_cycle(found),
            data=file.read(),
            actor=_user(request),
            name=file.name or "",
        )
    except LedgerRefused as refused:
        raise ValidationError({"file": [str(p) for p in refused.problems]}) from refused
    return {
        "changes": [
            {
                "row": c.row,
                "measure": f"{c.measure.task.number}.{c.measure.number}",
                "fields": c.fields,
                "before": c.before,
            }
            for c in changes
        ]
    }


@router.post("/ledger/apply", response=dict[str, Any])
def apply(
    request: HttpRequest, file: File[UploadedFile], plan: int | None = None
) -> dict[str, Any]:
    _department(request)
    found = requested_plan(plan)
    try:
        reports = ledger_apply(
            plan=found,
            cycle=_cycle(found),
            data=file.read(),
            actor=_user(request),
            name=file.name or "",
        )
    except LedgerRefused as refused:
        raise ValidationError({"file": [str(p) for p in refused.problems]}) from refused
    return {"drafts": [r.pk for r in reports]}
