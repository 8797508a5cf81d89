"""创新案例 pages: register a case, improve its text, attach files, and the office's steps —
报送, 分类审查, 入选, 复制推广 (where and when). Views parse and render; the services decide."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from django.views.decorators.http import require_POST

from luoshi.accounts.policies import is_office, reads_plans
from luoshi.audit.services import fetch_visible
from luoshi.cases.models import CaseAttachment, CaseStage, InnovationCase
from luoshi.cases.policies import (
    can_advance_case,
    can_attach_to_case,
    can_propose_case,
    can_review_case,
    may_register_case,
    visible_cases,
)
from luoshi.cases.services import (
    EDITABLE_STAGES,
    NEXT_STAGE,
    case_advance,
    case_attach,
    case_create,
    case_file_read,
    case_review,
    case_update,
)
from luoshi.plans.limits import StaleEdit
from luoshi.progress.evidence import EvidenceCorrupted
from luoshi.web.access import current_plan, requires, user_of
from luoshi.web.case_forms import CaseFileForm, CaseForm, CaseReviewForm, CaseStepForm
from luoshi.web.forms import stale_form
from luoshi.web.views.errors import error_page

# stage → the words of the office's button that moves it on
STEP_LABELS: dict[str, str | Promise] = {
    CaseStage.DRAFT: gettext_lazy("报送"),
    CaseStage.REVIEWED: gettext_lazy("确认入选"),
    CaseStage.SELECTED: gettext_lazy("复制推广"),
}


def _case(request: HttpRequest, case_id: int) -> InnovationCase:
    return fetch_visible(
        visible_cases(request.user).select_related("organisation", "plan"),
        case_id,
        actor=request.user,
    )


def _case_form(request: HttpRequest, data: Any = None, **kwargs: Any) -> CaseForm:
    return CaseForm(data, plan=current_plan(request), office=is_office(request.user), **kwargs)


@requires(may_register_case, gettext_noop("仅片区办和各责任单位可以登记案例"))
def case_new(request: HttpRequest) -> HttpResponse:
    form = _case_form(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        tasks = data.pop("tasks")
        if not data.get("organisation"):
            data.pop("organisation", None)  # the unit's own
        try:
            case = case_create(
                actor=user_of(request), tasks=tasks, plan=current_plan(request), **data
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("已登记案例：%(t)s") % {"t": case.title})
            return redirect("web:case", case.pk)
    status = 422 if form.is_bound else 200
    return render(request, "web/case_form.html", {"form": form}, status=status)


@requires(reads_plans, gettext_noop("无权查看案例"))
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    return _detail(request, _case(request, case_id))


def _detail(
    request: HttpRequest, case: InnovationCase, status: int | None = None, **forms: Any
) -> HttpResponse:
    user = request.user
    editable = can_propose_case(user, case.organisation) and case.stage in EDITABLE_STAGES
    today = timezone.localdate()
    context = {
        "case": case,
        "tasks": case.tasks.order_by("number"),
        "reviews": case.reviews.select_related("reviewer"),
        "attachments": case.attachments.all(),
        "may_attach": can_attach_to_case(user, case),
        "file_form": forms.get("file_form") or CaseFileForm(),
        # a refused review stays on the page with its typed opinion, even if the case moved on
        "may_review": (can_review_case(user) and case.stage == CaseStage.SUBMITTED)
        or "review_form" in forms,
        "review_form": forms.get("review_form")
        or CaseReviewForm(initial={"on": today, "category": case.category}),
        "step_label": STEP_LABELS.get(case.stage)
        if can_advance_case(user) and case.stage in NEXT_STAGE
        else None,
        "promoting": case.stage == CaseStage.SELECTED,
        "step_form": forms.get("step_form")
        or CaseStepForm(initial={"on": today, "stage": case.stage}),
        "edit_form": forms.get("edit_form") or (_edit_form(request, case) if editable else None),
    }
    status = status or (422 if forms else 200)
    return render(request, "web/case_detail.html", context, status=status)


def _edit_form(request: HttpRequest, case: InnovationCase, data: Any = None) -> CaseForm:
    initial = {
        "title": case.title,
        "category": case.category,
        "level": case.level,
        "organisation": case.organisation_id,
        "summary": case.summary,
        "full_text": case.full_text,
        "tasks": ", ".join(str(t.number) for t in case.tasks.order_by("number")),
        "version": case.version,
    }
    return _case_form(request, data, initial=initial, editing=True)


@require_POST
@requires(may_register_case, gettext_noop("仅提出单位和片区办可以修改案例"))
def case_edit(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    form = _edit_form(request, case, request.POST)
    if not form.is_valid():
        return _detail(request, case, edit_form=form)
    data = dict(form.cleaned_data)
    data.pop("organisation", None)  # who proposed it does not change
    try:
        case_update(case=case, actor=user_of(request), tasks=data.pop("tasks"), **data)
    except StaleEdit as stale:  # someone saved meanwhile: what they saved, and the typed text kept
        form = stale_form(lambda data: _edit_form(request, case, data), request.POST, stale)
        return _detail(request, _case(request, case_id), status=409, edit_form=form)
    except ValidationError as error:
        form.add_service_errors(error)
        return _detail(request, _case(request, case_id), edit_form=form)
    messages.success(request, _("案例已保存"))
    return redirect("web:case", case.pk)


@require_POST
@requires(reads_plans, gettext_noop("无权上传案例附件"))
def case_file_upload(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    form = CaseFileForm(request.POST, request.FILES)
    if not form.is_valid():
        return _detail(request, case, file_form=form)
    upload = form.cleaned_data["file"]
    try:
        case_attach(case=case, upload=upload, name=upload.name or "", actor=user_of(request))
    except ValidationError as error:
        form.add_error("file", error.message_dict.get("file", error.messages))
        return _detail(request, case, file_form=form)
    messages.success(request, _("已上传附件：%(n)s") % {"n": upload.name})
    return redirect("web:case", case.pk)


@requires(reads_plans, gettext_noop("无权下载案例附件"))
def case_file(request: HttpRequest, case_file_id: int) -> HttpResponse:
    attachment = fetch_visible(
        CaseAttachment.objects.filter(case__in=visible_cases(request.user)),
        case_file_id,
        actor=request.user,
    )
    try:
        found = case_file_read(attachment=attachment, actor=user_of(request))
    except EvidenceCorrupted as error:
        return error_page(request, status=409, title=_("附件校验失败"), reason=str(error))
    except FileNotFoundError as missing:
        raise Http404 from missing
    response = HttpResponse(found.data, content_type=found.content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(found.name)}"
    return response


@require_POST
@requires(is_office, gettext_noop("只有片区办可以进行案例分类审查"))
def case_review_page(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    form = CaseReviewForm(request.POST)
    if not form.is_valid():
        return _detail(request, case, review_form=form)
    try:
        review = case_review(case=case, actor=user_of(request), **form.cleaned_data)
    except ValidationError as error:
        form.add_service_errors(error)
        return _detail(request, case, review_form=form)
    messages.success(request, _("已完成分类审查：%(r)s") % {"r": review.get_result_display()})
    return redirect("web:case", case.pk)


@require_POST
@requires(is_office, gettext_noop("只有片区办可以更新案例阶段"))
def case_step(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    form = CaseStepForm(request.POST)
    if not form.is_valid():
        return _detail(request, case, step_form=form)
    try:
        case = case_advance(
            case=case,
            on=form.cleaned_data["on"],
            scope=form.cleaned_data["scope"],
            seen=form.cleaned_data["stage"],
            actor=user_of(request),
        )
    except ValidationError as error:
        if "stage" in error.message_dict:  # moved on meanwhile: this step's form is gone
            messages.error(request, _("；").join(error.message_dict["stage"]))
            return redirect("web:case", case.pk)
        form.add_service_errors(error)
        return _detail(request, case, step_form=form)
    messages.success(request, _("案例阶段已更新为：%(s)s") % {"s": case.get_stage_display()})
    return redirect("web:case", case.pk)
