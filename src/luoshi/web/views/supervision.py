"""督查督办 pages: the message centre, the 督办台账 and each 督办单's life, an item's history,
closing a cycle, the office's channels. They parse and render; supervision's services decide."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from django.views.decorators.http import require_POST

from luoshi.accounts.policies import is_office, reads_everything, visible_measures
from luoshi.audit.actions import AuditAction
from luoshi.audit.services import audit_record, fetch_visible
from luoshi.plans.models import Measure, Organisation
from luoshi.progress.models import ReportingCycle
from luoshi.progress.timing import measure_deadline
from luoshi.supervision import services
from luoshi.supervision.escalation import Urged, measures_urge, notices_urge, tasks_urge
from luoshi.supervision.extensions import extension_decide, extension_request
from luoshi.supervision.models import (
    OPEN_STATES,
    TEXT_LIMIT,
    AssignmentKind,
    Channel,
    ChannelKind,
    Extension,
    Level,
    Notice,
    NoticeState,
    Reason,
)
from luoshi.supervision.policies import (
    decides_extensions,
    may_decide,
    may_decide_extension,
    may_instruct,
    may_reply,
    may_request_extension,
    may_sign,
    may_urge,
    own_messages,
    reads_notices,
    visible_assignments,
    visible_notices,
)
from luoshi.supervision.selectors import (
    NOTICE_FILTERS,
    failed_deliveries,
    measure_history,
    notices_for,
    problems_as_of,
    proposals,
)
from luoshi.web.access import as_of, back_to, requires, user_of
from luoshi.web.forms_common import decide_then_history, say_invalid
from luoshi.web.list_columns import NOTICES

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})  # what <input type=date> reads


def logged_in(user: Any) -> bool:
    return bool(user.is_authenticated)


class NoticeForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("承办单位"), queryset=Organisation.objects.all(), required=False
    )
    measure = forms.CharField(label=gettext_lazy("举措编号（如 23.2，可空）"), required=False)
    level = forms.ChoiceField(label=gettext_lazy("督办级别"), choices=Level.choices)
    reason = forms.ChoiceField(label=gettext_lazy("督办事由"), choices=Reason.choices)
    requirement = forms.CharField(
        label=gettext_lazy("督办要求"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=TEXT_LIMIT,
    )
    reply_due = forms.DateField(label=gettext_lazy("反馈期限"), widget=DATE)


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label=gettext_lazy("办理情况"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=TEXT_LIMIT,
    )


class ChannelForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("渠道"), choices=[c for c in ChannelKind.choices if c[0] != "email"]
    )
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("单位"), queryset=Organisation.objects.all()
    )
    url = forms.URLField(
        label=gettext_lazy("Webhook / 网关地址"), max_length=500, assume_scheme="https"
    )
    secret = forms.CharField(label=gettext_lazy("密钥（可空）"), required=False, max_length=200)


def _defaults() -> dict[str, Any]:
    days = settings.LUOSHI_ESCALATION["reply_within_days"]
    return {"reply_due": timezone.localdate() + dt.timedelta(days)}


# ---- message centre -------------------------------------------------------------------------


@requires(logged_in, gettext_noop("请先登录"))
def message_list(request: HttpRequest) -> HttpResponse:
    found = own_messages(request.user).prefetch_related("deliveries")[:200]
    return render(request, "supervision/messages.html", {"items": found})


@requires(logged_in, gettext_noop("请先登录"))
def message_open(request: HttpRequest, message_id: int) -> HttpResponse:
    message = fetch_visible(own_messages(request.user), message_id, actor=request.user)
    services.messages_read(actor=user_of(request), message=message)
    return render(request, "supervision/message.html", {"message": message})


@require_POST
@requires(logged_in, gettext_noop("请先登录"))
def messages_read_all(request: HttpRequest) -> HttpResponse:
    services.messages_read(actor=user_of(request))
    return redirect("supervision:messages")


# ---- 督办台账 and 督办单 ------------------------------------------------------------------------


@requires(reads_notices, gettext_noop("无权查看督办台账"))
def register(request: HttpRequest) -> HttpResponse:
    filters = {k: request.GET[k] for k in NOTICE_FILTERS if request.GET.get(k)}
    found = notices_for(request.user, filters, timezone.localdate())
    if NOTICES.wants_export(request):
        return NOTICES.export(request, found)
    office = is_office(request.user)
    return render(
        request,
        "supervision/register.html",
        {
            **NOTICES.page(request, found),
            "filters": filters,
            "states": NoticeState.choices,
            "levels": Level.choices,
            "reasons": Reason.choices,
            "organisations": Organisation.objects.filter(notices__isnull=False).distinct(),
            "proposals": proposals()[:50] if office else [],
            "form": NoticeForm(initial=_defaults()) if office else None,
            "today": timezone.localdate(),
            "open_states": [s.value for s in OPEN_STATES],
        },
    )


@requires(reads_notices, gettext_noop("无权查看督办台账"))
def register_export(request: HttpRequest) -> HttpResponse:
    """The 督办台账 workbook (the list's export, kept at its old address for bookmarks)."""
    filters = {k: request.GET[k] for k in NOTICE_FILTERS if request.GET.get(k)}
    return NOTICES.export(request, notices_for(request.user, filters, timezone.localdate()))


def _picked(request: HttpRequest) -> list[int]:
    return [int(v) for v in request.POST.getlist("pick") if v.isdigit() and len(v) < 12]


def _urge_view(
    request: HttpRequest,
    *,
    list_name: str,
    nothing: str,
    template: str,
    urge_picked: Callable[..., list[Urged]],
) -> HttpResponse:
    """The bulk 催办 of the ticked rows of a list: one result per item on a page, or back to the list
    (its filters kept) saying nothing was ticked."""
    back = reverse(list_name) + "?" + request.POST.get("query", "")
    picked = _picked(request)
    results = urge_picked(user_of(request), picked, timezone.localdate()) if picked else []
    if not results:
        messages.error(request, nothing)
        return redirect(back)
    done = sum(1 for r in results if r.ok)
    context = {"results": results, "done": done, "left": len(results) - done, "back": back}
    return render(request, template, context)


@require_POST
@requires(may_urge, gettext_noop("仅片区办可以催办"))
def urge(request: HttpRequest) -> HttpResponse:
    """催办 many 督办单 at once: one confirmation (asked by the page), one result per 督办单."""
    return _urge_view(
        request,
        list_name="supervision:register",
        nothing=_("请先勾选要催办的督办单"),
        template="supervision/urge_result.html",
        urge_picked=lambda actor, ids, day: notices_urge(actor=actor, notice_ids=ids, today=day),
    )


@require_POST
@requires(may_urge, gettext_noop("仅片区办可以催办"))
def measures_urge_view(request: HttpRequest) -> HttpResponse:
    """催办 many measures at once from the measures list, the same way as 督办单."""
    return _urge_view(
        request,
        list_name="web:measures",
        nothing=_("请先勾选要催办的举措"),
        template="supervision/measure_urge_result.html",
        urge_picked=lambda actor, ids, day: measures_urge(actor=actor, measure_ids=ids, today=day),
    )


@require_POST
@requires(may_urge, gettext_noop("仅片区办可以催办"))
def tasks_urge_view(request: HttpRequest) -> HttpResponse:
    """催办 the measures of many tasks at once from the task list; one result per measure."""
    return _urge_view(
        request,
        list_name="web:tasks",
        nothing=_("请先勾选要催办的任务"),
        template="supervision/measure_urge_result.html",
        urge_picked=lambda actor, ids, day: tasks_urge(actor=actor, task_ids=ids, today=day),
    )


def _download(data: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


def _measure(plan_measure: str) -> Measure | None:
    text = plan_measure.strip()
    if not text:
        return None
    task, _dot, number = text.partition(".")
    found = Measure.objects.filter(task__number=task, number=number or 1).order_by("-task__plan_id")
    if not (task.isdigit() and (number or "1").isdigit()) or not found:
        raise ValidationError({"measure": _("没有编号为 %(code)s 的举措") % {"code": text}})
    return found.first()


@require_POST
@requires(is_office, gettext_noop("只有片区办可以下发督办单"))
def notice_new(request: HttpRequest) -> HttpResponse:
    form = NoticeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请完整填写督办单：%(f)s") % {"f": _("、").join(form.errors)})
        return redirect("supervision:register")
    data = form.cleaned_data
    try:
        measure = _measure(data["measure"])
        organisation = data["organisation"] or (_lead(measure) if measure else None)
        notice = services.notice_issue(
            actor=user_of(request),
            level=data["level"],
            reason=data["reason"],
            requirement=data["requirement"],
            reply_due=data["reply_due"],
            organisation=organisation,
            measure=measure,
        )
    except ValidationError as error:
        say_invalid(request, error)
        return redirect("supervision:register")
    messages.success(request, _("已下发 %(n)s") % {"n": notice.label})
    return redirect("supervision:notice", notice.pk)


def _leads(measure: Measure) -> list[Organisation]:
    return [
        d.organisation
        for d in measure.responsibilities.filter(role="lead").select_related("organisation")
    ]


def _exemption_form() -> forms.Form:
    from luoshi.web.views.appraisal import ExemptionForm

    return ExemptionForm(auto_id="exemption_%s")  # ids apart from the extension form's


def instruct_context(
    request: HttpRequest, target: dict[str, int], units: list[Organisation]
) -> dict[str, Any]:
    """The 批示 form for a leader on this page (see web.views.directives), its units preselected."""
    if not may_instruct(request.user):
        return {}
    from luoshi.web.views.directives import instruction_form

    return {
        "instruct_form": instruction_form({"organisations": units}),
        "instruct_target": target,
    }


def _lead(measure: Measure) -> Organisation | None:
    duty = measure.responsibilities.filter(role="lead").select_related("organisation").first()
    return duty.organisation if duty else None


def _visible(request: HttpRequest, notice_id: int) -> Notice:
    return fetch_visible(
        visible_notices(request.user).select_related("organisation", "measure__task", "task"),
        notice_id,
        actor=request.user,
    )


@requires(reads_notices, gettext_noop("无权查看督办单"))
def notice_page(request: HttpRequest, notice_id: int) -> HttpResponse:
    notice = _visible(request, notice_id)
    user = request.user
    return render(
        request,
        "supervision/notice.html",
        {
            "notice": notice,
            "events": notice.events.select_related("actor"),
            "files": notice.files.all(),
            "urgings": notice.urgings.select_related("recipient"),
            "may_sign": may_sign(user, notice),
            "may_reply": may_reply(user, notice),
            "may_decide": may_decide(user, notice),
            "may_issue": is_office(user) and notice.state == NoticeState.PROPOSED,
            "form": NoticeForm(
                initial=_defaults() | {"level": notice.level, "reason": notice.reason}
            ),
            "reply_form": ReplyForm(),
            **instruct_context(request, {"notice": notice.pk}, [notice.organisation]),
        },
    )


@requires(reads_notices, gettext_noop("无权查看督办单"))
def notice_download(request: HttpRequest, notice_id: int) -> HttpResponse:
    notice = _visible(request, notice_id)
    if notice.number is None:
        raise Http404(_("建议督办尚未编号"))
    audit_record(actor=user_of(request), action=AuditAction.EXPORT_DOCUMENT, obj=notice)
    from luoshi.supervision.document import notice_docx  # python-docx: loaded when asked for

    return _download(notice_docx(notice), f"{notice.label}.docx", DOCX)


@requires(reads_notices, gettext_noop("无权查看督办单"))
def notice_file(request: HttpRequest, notice_id: int, file_id: int) -> HttpResponse:
    notice = _visible(request, notice_id)
    try:
        found, data = services.notice_file(file_id=file_id, notice=notice)
    except notice.files.model.DoesNotExist as missing:
        raise Http404 from missing
    audit_record(actor=user_of(request), action=AuditAction.EVIDENCE_DOWNLOAD, obj=found)
    return _download(data, found.original_name, found.content_type)


def _act(request: HttpRequest, notice_id: int, act: Any) -> HttpResponse:
    """Run one step on a 督办单 the user can see; a refusal is a 403, bad input a message."""
    notice = _visible(request, notice_id)
    try:
        act(notice)
    except ValidationError as error:
        say_invalid(request, error)
        typed = (request.POST.get("reply") or request.POST.get("comment") or "").strip()
        if typed and "state" in error.message_dict:  # stale: the form it was typed in is gone
            messages.warning(request, _("您填写的内容未提交，原文：%(text)s") % {"text": typed})
    return redirect(back_to(request) or "supervision:notice", notice.pk)


@require_POST
@requires(is_office, gettext_noop("只有片区办可以下发督办单"))
def notice_issue(request: HttpRequest, notice_id: int) -> HttpResponse:
    form = NoticeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请完整填写督办单：%(f)s") % {"f": _("、").join(form.errors)})
        return redirect("supervision:notice", notice_id)
    data = form.cleaned_data
    return _act(
        request,
        notice_id,
        lambda n: services.notice_issue(
            actor=user_of(request),
            proposal=n,
            level=data["level"],
            reason=data["reason"],
            requirement=data["requirement"],
            reply_due=data["reply_due"],
            organisation=data["organisation"],
        ),
    )


@require_POST
@requires(is_office, gettext_noop("只有片区办可以处理督办建议"))
def notice_drop(request: HttpRequest, notice_id: int) -> HttpResponse:
    comment = request.POST.get("comment", "")
    return _act(
        request,
        notice_id,
        lambda n: services.notice_drop(notice=n, actor=user_of(request), comment=comment),
    )


@require_POST
@requires(reads_notices, gettext_noop("无权签收督办单"))
def notice_sign(request: HttpRequest, notice_id: int) -> HttpResponse:
    return _act(
        request, notice_id, lambda n: services.notice_sign(notice=n, actor=user_of(request))
    )


@require_POST
@requires(reads_notices, gettext_noop("无权反馈督办单"))
def notice_reply(request: HttpRequest, notice_id: int) -> HttpResponse:
    files = [(f, f.name or "") for f in request.FILES.getlist("files")]
    text = request.POST.get("reply", "")
    return _act(
        request,
        notice_id,
        lambda n: services.notice_reply(notice=n, actor=user_of(request), text=text, files=files),
    )


@require_POST
@requires(is_office, gettext_noop("只有片区办可以办结督办单"))
def notice_close(request: HttpRequest, notice_id: int) -> HttpResponse:
    comment = request.POST.get("comment", "")
    return _act(
        request,
        notice_id,
        lambda n: services.notice_decide(
            notice=n, actor=user_of(request), close=True, comment=comment
        ),
    )


@require_POST
@requires(is_office, gettext_noop("只有片区办可以退回督办单"))
def notice_return(request: HttpRequest, notice_id: int) -> HttpResponse:
    comment = request.POST.get("comment", "")
    return _act(
        request,
        notice_id,
        lambda n: services.notice_decide(
            notice=n, actor=user_of(request), close=False, comment=comment
        ),
    )


# ---- an item's history, cycles, channels ----------------------------------------------------


@requires(reads_notices, gettext_noop("无权查看该举措"))
def history(request: HttpRequest, measure_id: int) -> HttpResponse:
    measure = get_object_or_404(
        visible_measures(request.user).select_related("task"), pk=measure_id
    )
    extensions = list(
        measure.extensions.select_related("requested_by", "decided_by", "office_by", "measure")
    )
    return render(
        request,
        "supervision/history.html",
        {
            "measure": measure,
            "steps": measure_history(measure, request.user),
            "notices": visible_notices(request.user).filter(measure=measure),
            "deadline": measure_deadline(measure, timezone.localdate()),
            "extensions": extensions,
            "decidable": {x.pk for x in extensions if may_decide_extension(request.user, x)},
            **instruct_context(request, {"measure": measure.pk}, _leads(measure)),
            "may_request": may_request_extension(request.user, measure),
            "exemptions": measure.exemptions.select_related("organisation"),
            "exemption_form": _exemption_form()
            if may_request_extension(request.user, measure)
            else None,
            "may_decide_exemption": is_office(request.user),
            "extension_form": ExtensionForm(),
        },
    )


class ExtensionForm(forms.Form):
    requested_due = forms.DateField(label=gettext_lazy("申请延至"), widget=DATE)
    reason = forms.CharField(
        label=gettext_lazy("延期理由"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=TEXT_LIMIT,
    )


@require_POST
@requires(reads_notices, gettext_noop("无权申请延期"))
def extension_new(request: HttpRequest, measure_id: int) -> HttpResponse:
    measure = fetch_visible(visible_measures(request.user), measure_id, actor=request.user)
    form = ExtensionForm(request.POST)
    data = form.cleaned_data if form.is_valid() else {}
    try:
        extension_request(
            measure=measure,
            actor=user_of(request),
            requested_due=data.get("requested_due"),
            reason=data.get("reason") or request.POST.get("reason", ""),
        )
        messages.success(request, _("已提交延期申请，等待片区办审批"))
    except ValidationError as error:
        say_invalid(request, error)
    return redirect("supervision:history", measure.pk)


def _decide_extension(request: HttpRequest, extension_id: int, approve: bool) -> HttpResponse:
    asked = get_object_or_404(Extension, pk=extension_id)
    return decide_then_history(
        request, asked, lambda e, **step: extension_decide(extension=e, **step), approve
    )


@require_POST
@requires(decides_extensions, gettext_noop("只有片区办和领导可以审批延期"))
def extension_approve(request: HttpRequest, extension_id: int) -> HttpResponse:
    return _decide_extension(request, extension_id, approve=True)


@require_POST
@requires(decides_extensions, gettext_noop("只有片区办和领导可以审批延期"))
def extension_refuse(request: HttpRequest, extension_id: int) -> HttpResponse:
    return _decide_extension(request, extension_id, approve=False)


@requires(reads_everything, gettext_noop("无权查看问题汇总"))
def problems(request: HttpRequest) -> HttpResponse:
    day = as_of(request)
    coordination = (
        visible_assignments(request.user)
        .filter(kind=AssignmentKind.COORDINATION, created_at__date__lte=day)
        .select_related("raised_by", "organisation", "owner", "report")
    )
    return render(
        request,
        "supervision/problems.html",
        {
            "as_of": day,
            "reports": problems_as_of(request.user, day),
            "coordination": coordination,
            "raised": {a.report_id for a in coordination if a.report_id},
            "may_raise": is_office(request.user),
        },
    )


@require_POST
@requires(is_office, gettext_noop("只有片区办可以关闭填报周期"))
def cycle_close(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = get_object_or_404(ReportingCycle, pk=cycle_id)
    try:
        counts = services.cycle_close(cycle=cycle, actor=user_of(request))
        messages.success(
            request,
            _("已关闭 %(c)s：未报送 %(m)d 项，逾期报送 %(l)d 项")
            % {"c": cycle.name, "m": counts["missed"], "l": counts["late"]},
        )
    except ValidationError as error:
        say_invalid(request, error)
    return redirect(back_to(request) or "supervision:channels")


@requires(is_office, gettext_noop("只有片区办可以配置消息渠道"))
def channels(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "supervision/channels.html",
        {
            "channels": Channel.objects.select_related("organisation", "user"),
            "failed": failed_deliveries()[:100],
            "form": ChannelForm(),
            "cycles": ReportingCycle.objects.order_by("-starts_on")[:6],
        },
    )


@require_POST
@requires(is_office, gettext_noop("只有片区办可以配置消息渠道"))
def channel_add(request: HttpRequest) -> HttpResponse:
    form = ChannelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请正确填写渠道：%(f)s") % {"f": _("、").join(form.errors)})
        return redirect("supervision:channels")
    try:
        services.channel_add(actor=user_of(request), **form.cleaned_data)
        messages.success(request, _("已添加消息渠道"))
    except ValidationError as error:
        say_invalid(request, error)
    return redirect("supervision:channels")


app_name = "supervision"
urlpatterns: list[URLPattern] = [
    path("", register, name="register"),
    path("export.xlsx", register_export, name="export"),
    path("urge/", urge, name="urge"),
    path("measures/urge/", measures_urge_view, name="measures_urge"),
    path("tasks/urge/", tasks_urge_view, name="tasks_urge"),
    path("notices/new/", notice_new, name="notice_new"),
    path("notices/<int:notice_id>/", notice_page, name="notice"),
    path("notices/<int:notice_id>/docx", notice_download, name="notice_docx"),
    path("notices/<int:notice_id>/files/<int:file_id>", notice_file, name="notice_file"),
    path("notices/<int:notice_id>/issue/", notice_issue, name="notice_issue"),
    path("notices/<int:notice_id>/drop/", notice_drop, name="notice_drop"),
    path("notices/<int:notice_id>/sign/", notice_sign, name="notice_sign"),
    path("notices/<int:notice_id>/reply/", notice_reply, name="notice_reply"),
    path("notices/<int:notice_id>/close/", notice_close, name="notice_close"),
    path("notices/<int:notice_id>/return/", notice_return, name="notice_return"),
    path("measures/<int:measure_id>/", history, name="history"),
    path("measures/<int:measure_id>/extensions/new/", extension_new, name="extension_new"),
    path("extensions/<int:extension_id>/approve/", extension_approve, name="extension_approve"),
    path("extensions/<int:extension_id>/refuse/", extension_refuse, name="extension_refuse"),
    path("cycles/<int:cycle_id>/close/", cycle_close, name="cycle_close"),
    path("problems/", problems, name="problems"),
    path("channels/", channels, name="channels"),
    path("channels/add/", channel_add, name="channel_add"),
    path("messages/", message_list, name="messages"),
    path("messages/<int:message_id>/", message_open, name="message"),
    path("messages/read-all/", messages_read_all, name="messages_read_all"),
]

# 批示, meetings and 协调事项 live in their own module, under the same namespace.
from luoshi.web.views import appraisal, directives  # noqa: E402

urlpatterns += directives.urlpatterns + appraisal.urlpatterns
