"""我的任务: a department's measures, what is due this cycle, drafts, returns, and the head's queue;
the report page with its form, evidence and workflow buttons."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from luoshi.accounts.policies import (
    DEPARTMENT,
    is_office,
    organisation_of,
    reads_plans,
    role_of,
    visible_measures,
)
from luoshi.audit.services import fetch_visible
from luoshi.cases.selectors import open_rectifications
from luoshi.metrics.cache import cached
from luoshi.plans.models import Measure
from luoshi.progress.consistency import report_flags
from luoshi.progress.evidence import Download, EvidenceCorrupted, evidence_add, evidence_read
from luoshi.progress.models import (
    TEXT_LIMIT,
    Contribution,
    Evidence,
    Report,
    ReportEvent,
    ReportingCycle,
    ReportState,
)
from luoshi.progress.policies import can_edit, may_act_as, may_undo_accept, visible_reports
from luoshi.progress.selectors import SHOWN_TOGETHER, desk_counts, previous_report
from luoshi.progress.selectors import workbench as read_workbench
from luoshi.progress.services import (
    EDITABLE_FIELDS,
    StaleReport,
    contribution_save,
    report_carry_forward,
    report_draft,
    report_publish,
    report_transition,
    report_update,
)
from luoshi.progress.workflow import TRANSITIONS, Action, InvalidTransition
from luoshi.web.access import back_to, current_plan, plans_of, requires, user_of
from luoshi.web.errors import int_param
from luoshi.web.forms import EvidenceForm, ReportForm, TransitionForm
from luoshi.web.views.errors import error_page
from luoshi.workplans.selectors import year_milestones


def in_department(user: Any) -> bool:
    return role_of(user) in DEPARTMENT


@requires(in_department, gettext_noop("“我的任务”仅供各责任单位使用"))
def workbench(request: HttpRequest) -> HttpResponse:
    return _workbench_page(request)


def _workbench_page(
    request: HttpRequest, typed: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    """我的任务; `typed` is a refused contribution shown again as typed, with the reason beside it."""
    user = user_of(request)
    today = timezone.localdate()
    unit = organisation_of(user)
    plans = plans_of(request, unit)
    # many plans: one at a time, switched in the page's heading like every other page
    one = [current_plan(request)] if len(plans) > SHOWN_TOGETHER else None
    shown = one or plans
    # Kept per (viewer, plans, day) until the next write anywhere (metrics/cache.py): the selector
    # costs ~25 queries, and a unit's people open 我的任务 far more often than anything changes.
    found = cached(
        "workbench",
        (user.pk, *(p.pk for p in shown), one is not None, today, settings.LUOSHI_REMIND_DAYS),
        lambda: read_workbench(
            user,
            today=today,
            remind_days=settings.LUOSHI_REMIND_DAYS,
            plans=shown,
            scoped=one is not None,
        ),
        local=False,
    )
    return render(
        request,
        "web/workbench.html",
        {
            "workbench": found,
            "several_plans": len(plans) > 1,
            "plan_count": len(plans),
            "one_at_a_time": one is not None,
            "milestones": year_milestones(unit, [(g.plan, g.year) for g in found.groups]),
            "today": today,
            # 整改事项 of the unit's evaluations (cases app), with their days late
            "rectifications": open_rectifications(unit, today),
            "typed": typed or {},
            "text_limit": TEXT_LIMIT,
        },
        status=status,
    )


def _measure_for(request: HttpRequest, measure_id: int) -> Measure:
    return fetch_visible(
        visible_measures(request.user).select_related("task"), measure_id, actor=request.user
    )


@require_POST
@requires(in_department, gettext_noop("仅责任单位可以填报"))
def start_report(request: HttpRequest, measure_id: int) -> HttpResponse:
    measure = _measure_for(request, measure_id)
    cycle = get_object_or_404(ReportingCycle, pk=int_param("cycle", request.POST.get("cycle", "")))
    if request.POST.get("carry_forward") and not request.POST.get("confirm"):
        return render(  # 沿用上期 shows what it would copy and asks once
            request,
            "web/carry_forward.html",
            {"measure": measure, "cycle": cycle, "previous": previous_report(measure, cycle)},
        )
    try:
        if request.POST.get("carry_forward"):
            report = report_carry_forward(measure=measure, cycle=cycle, actor=user_of(request))
            messages.success(request, _("已沿用上期报告并提交"))
        else:
            report = report_draft(measure=measure, cycle=cycle, actor=user_of(request))
    except StaleReport as stale:  # started meanwhile (another tab, a colleague): open that one
        messages.warning(request, str(stale))
        if stale.report is None:
            return redirect("web:workbench")
        return redirect("web:report", stale.report.pk)
    except ValidationError as error:
        messages.error(request, _("；").join(error.messages))
        return redirect("web:workbench")
    return redirect("web:report", report.pk)


@require_POST
@requires(in_department, gettext_noop("仅配合单位可以提交配合进展"))
def contribute(request: HttpRequest, measure_id: int) -> HttpResponse:
    measure = _measure_for(request, measure_id)
    cycle = get_object_or_404(ReportingCycle, pk=int_param("cycle", request.POST.get("cycle", "")))
    text = request.POST.get("text", "")
    try:
        contribution_save(measure=measure, cycle=cycle, actor=user_of(request), text=text)
    except ValidationError as error:  # shown again as typed, never lost to a redirect
        typed = {"measure_id": measure.pk, "text": text, "error": _("；").join(error.messages)}
        return _workbench_page(request, typed, status=422)
    messages.success(request, _("配合进展已提交，牵头单位填报时可见"))
    return redirect("web:workbench")


def _actions(user: Any, report: Report) -> list[dict[str, Any]]:
    found = [
        {"action": action.value, "label": action.label, "needs_reason": t.needs_reason}
        for (state, action), t in TRANSITIONS.items()
        if state == report.state and may_act_as(user, report, t.actor)
    ]
    if is_office(user) and may_undo_accept(report):
        found.append({"action": Action.UNDO_ACCEPT.value, "label": Action.UNDO_ACCEPT.label})
    return found


def _visible_report(request: HttpRequest, report_id: int) -> Report:
    # A report the user may not see (another unit's draft) is one audited refusal and a 404.
    return fetch_visible(
        visible_reports(request.user).select_related("measure__task", "cycle", "organisation"),
        report_id,
        actor=request.user,
    )


@requires(reads_plans, gettext_noop("无权查看报告"))
def report_page(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _visible_report(request, report_id)
    user = user_of(request)
    form = ReportForm(
        initial={
            **{f: getattr(report, f) for f in EDITABLE_FIELDS},
            "version": report.version,
        }
    )
    if request.method == "POST":
        form, saved = _save(request, report)
        if request.headers.get("X-Autosave"):
            return _autosave_answer(form, saved)
        if saved is not None and not form.errors:
            return redirect("web:report", report.pk)
        report = saved or report
    return render(
        request,
        "web/report.html",
        {
            "report": report,
            "form": form,
            # A refused save keeps the form on screen with what was typed, whatever the state now.
            "editable": can_edit(user, report) or form.is_bound,
            "may_publish": is_office(user) and report.state == ReportState.ACCEPTED,
            # Before the head approves or the office accepts: what contradicts the deadline or the
            # earlier report (a person decides; the report may still be right).
            "flags": report_flags(report)
            if report.state in (ReportState.SUBMITTED, ReportState.APPROVED)
            and (is_office(user) or role_of(user) == "head")
            else [],
            "actions": _actions(user, report),
            "undo_minutes": settings.LUOSHI_UNDO_ACCEPT_MINUTES,
            "events": _labelled(report.events.select_related("actor")),
            "evidence": report.evidence.all(),
            "contributions": Contribution.objects.filter(
                measure=report.measure, cycle=report.cycle
            ).select_related("organisation"),
            "saved": {
                "id": report.pk,
                "version": report.version,
                "fields": {f: getattr(report, f) for f in EDITABLE_FIELDS},
            },
        },
    )


def _labelled(events: Any) -> list[ReportEvent]:
    """Each step with the words a person reads (提交, 退回…) instead of its code."""
    found = list(events)
    for event in found:
        event.label = event.get_action_display()
    return found


def _save(request: HttpRequest, report: Report) -> tuple[ReportForm, Report | None]:
    """One form for text, file and 提交: the text is saved first, so no button loses it.
    Returns the form to show (the user's input, with errors beside their fields) and the report
    as saved, or None when nothing could be saved."""
    form = ReportForm(request.POST, request.FILES)
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    fields = {name: data[name] for name in EDITABLE_FIELDS}
    user = user_of(request)
    try:
        saved = report_update(report=report, actor=user, version=data["version"], **fields)
    except StaleReport as stale:
        form.add_error(None, str(stale))
        return form, None
    except ValidationError as error:
        form.add_service_errors(error)
        return form, None
    form = ReportForm({**request.POST.dict(), "version": saved.version})
    form.is_valid()
    try:
        if data["file"]:
            evidence_add(report=saved, upload=data["file"], name=data["file"].name, actor=user)
            messages.success(request, _("已上传：%(name)s") % {"name": data["file"].name})
        if "submit" in request.POST:
            saved = report_transition(
                report=saved, action=Action.SUBMIT, actor=user, version=saved.version
            )
            messages.success(request, _("已保存并提交，等待本单位负责人审核"))
        else:
            messages.success(request, _("已保存"))
    except (StaleReport, InvalidTransition) as refused:
        form.add_error(None, str(refused))
    except ValidationError as error:
        form.add_service_errors(error)
    return form, saved


def _autosave_answer(form: ReportForm, saved: Report | None) -> HttpResponse:
    """The page's script saves while the user types; it learns the new version or why not."""
    if saved is None:
        errors = {k: [str(m) for m in v] for k, v in form.errors.items()}
        return JsonResponse(
            {"detail": _("；").join(m for v in errors.values() for m in v), "errors": errors},
            status=409 if "__all__" in errors else 422,
        )
    at = timezone.localtime(saved.updated_at)
    return JsonResponse({"version": saved.version, "saved_at": f"{at:%H:%M:%S}"})


@require_POST
@requires(reads_plans, gettext_noop("无权操作报告"))
def report_action(request: HttpRequest, report_id: int) -> HttpResponse:
    report = fetch_visible(visible_reports(request.user), report_id, actor=request.user)
    form = TransitionForm(request.POST)
    if request.headers.get("HX-Request"):  # the review desk acts in place
        return _act_in_place(request, report, form)
    try:
        done = _act(request, report, form)
        messages.success(request, _("操作成功：%(action)s") % {"action": done})
    except (InvalidTransition, StaleReport) as error:  # a refusal (PermissionDenied) is a 403
        messages.error(request, str(error))
        _keep_reason(request)
    except ValidationError as error:
        messages.error(request, _("；").join(error.messages))
        _keep_reason(request)
    return redirect(back_to(request) or reverse("web:report", args=[report.pk]))


def _typed_reason(request: HttpRequest) -> str:
    return (request.POST.get("reason") or "").strip()


def _keep_reason(request: HttpRequest) -> None:
    """A reason typed for an action that did not happen (the page was stale): never lost — it comes
    back with the message, whether or not the page still has the form it was typed into."""
    if reason := _typed_reason(request):
        messages.warning(request, _("您填写的理由未提交，原文：%(reason)s") % {"reason": reason})


def _act(request: HttpRequest, report: Report, form: TransitionForm) -> str:
    """Carry out the posted action on the version the user saw; returns the action's label."""
    if not form.is_valid():
        raise ValidationError(_("请求无效，请刷新页面后重试"))
    action: str = form.cleaned_data["action"]
    report_transition(
        report=report,
        action=action,
        actor=user_of(request),
        reason=form.cleaned_data["reason"],
        version=form.cleaned_data["version"],
    )
    return str(Action(action).label) if action in Action.values else action


def _act_in_place(request: HttpRequest, report: Report, form: TransitionForm) -> HttpResponse:
    """The desk's row after an action: a message in its place (with 撤销 where it applies), or why
    not and the report's current state; the counter is updated out of band."""
    try:
        done = _act(request, report, form)
        ok, text = True, _("已%(action)s：%(report)s") % {"action": done, "report": report}
    except (InvalidTransition, StaleReport) as error:
        ok, text = False, str(error)
    except ValidationError as error:
        ok, text = False, _("；").join(error.messages)
    report.refresh_from_db()
    return render(
        request,
        "web/_desk_row.html",
        {
            "ok": ok,
            "text": text,
            "report": report,
            "kept_reason": "" if ok else _typed_reason(request),
            "undo": ok and form.cleaned_data["action"] == Action.ACCEPT and may_undo_accept(report),
            "undo_minutes": settings.LUOSHI_UNDO_ACCEPT_MINUTES,
            **desk_counts(report.measure.task.plan_id),
        },
    )


@require_POST
@requires(reads_plans, gettext_noop("无权操作报告"))
def publish_report(request: HttpRequest, report_id: int) -> HttpResponse:
    report = fetch_visible(visible_reports(request.user), report_id, actor=request.user)
    try:
        report_publish(
            report=report, actor=user_of(request), published=request.POST.get("published") == "1"
        )
        messages.success(request, _("已更新公开状态"))
    except ValidationError as error:
        messages.error(request, _("；").join(error.messages))
    return redirect("web:report", report.pk)


@require_POST
@requires(in_department, gettext_noop("仅牵头单位可以上传佐证材料"))
def upload_evidence(request: HttpRequest, report_id: int) -> HttpResponse:
    report = fetch_visible(visible_reports(request.user), report_id, actor=request.user)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            evidence_add(report=report, upload=upload, name=upload.name, actor=user_of(request))
            messages.success(request, _("已上传：%(name)s") % {"name": upload.name})
        except ValidationError as error:
            messages.error(request, _("；").join(error.messages))
    else:
        messages.error(request, _("请选择要上传的文件"))
    return redirect("web:report", report.pk)


@requires(reads_plans, gettext_noop("无权下载"))
def download_evidence(request: HttpRequest, evidence_id: int) -> HttpResponse:
    try:
        download: Download = evidence_read(evidence_id=evidence_id, actor=user_of(request))
    except Evidence.DoesNotExist:
        raise Http404 from None
    except EvidenceCorrupted as corrupted:  # already audited as a failed download
        return error_page(request, status=409, title=_("佐证材料校验失败"), reason=str(corrupted))
    response = HttpResponse(download.data, content_type=download.content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(download.name)}"
    return response
