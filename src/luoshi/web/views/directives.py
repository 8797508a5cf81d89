"""督办事项 pages: 领导批示, meetings and their 议定事项, 协调事项 — the list, each item's life, and
the forms that write them. They parse and render; supervision.assignments decides."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from django.views.decorators.http import require_POST
from django_stubs_ext import StrOrPromise

from luoshi.accounts.models import Role
from luoshi.accounts.policies import is_office, reads_everything, visible_measures
from luoshi.audit.actions import AuditAction
from luoshi.audit.services import audit_record, fetch_visible
from luoshi.plans.models import Organisation, Task
from luoshi.progress.policies import visible_reports
from luoshi.supervision import assignments as services
from luoshi.supervision import meetings
from luoshi.supervision.models import (
    TEXT_LIMIT,
    Assignment,
    AssignmentKind,
    AssignmentState,
    Level,
    Meeting,
    MeetingKind,
)
from luoshi.supervision.policies import (
    may_answer,
    may_assign,
    may_close,
    may_instruct,
    may_raise_coordination,
    may_record_meeting,
    reads_notices,
    visible_assignments,
    visible_meetings,
    visible_notices,
)
from luoshi.supervision.selectors import ASSIGNMENT_FILTERS, assignment_counts, assignments_for
from luoshi.web.access import back_to, requires, user_of
from luoshi.web.forms_common import say_invalid
from luoshi.web.views.supervision import (
    DATE,
    NoticeForm,
    _defaults,
    _download,
    instruct_context,
)


def _text_field(label: StrOrPromise, rows: int = 3, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label,
        widget=forms.Textarea(attrs={"rows": rows}),
        max_length=TEXT_LIMIT,
        required=required,
    )


class InstructionForm(forms.Form):
    text = _text_field(gettext_lazy("批示内容"))
    organisations = forms.ModelMultipleChoiceField(
        label=gettext_lazy("落实单位"), queryset=Organisation.objects.order_by("name")
    )
    due_on = forms.DateField(label=gettext_lazy("落实期限"), widget=DATE)


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("会议类型"), choices=MeetingKind.choices)
    title = forms.CharField(label=gettext_lazy("会议名称"), max_length=200)
    held_on = forms.DateField(label=gettext_lazy("会议日期"), widget=DATE)
    attendees = _text_field(gettext_lazy("参会人员"), rows=2, required=False)
    minutes = forms.FileField(label=gettext_lazy("会议纪要（可空）"), required=False)


class DecisionForm(forms.Form):
    text = _text_field(gettext_lazy("议定事项"), rows=2)
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("承办单位"), queryset=Organisation.objects.order_by("name")
    )
    due_on = forms.DateField(label=gettext_lazy("办理期限"), widget=DATE)


class CoordinationForm(forms.Form):
    text = _text_field(gettext_lazy("需协调解决的问题"))


class AssignForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("承办单位"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
    )
    owner = forms.ModelChoiceField(
        label=gettext_lazy("或请示领导"),
        queryset=User.objects.filter(membership__role=Role.LEADER, is_active=True),
        required=False,
    )
    due_on = forms.DateField(label=gettext_lazy("办理期限"), widget=DATE)


def instruction_form(initial: dict[str, Any] | None = None) -> InstructionForm:
    """The 批示 form other pages include for leaders (measure history, 督办单, task page)."""
    return InstructionForm(initial=(initial or {}) | {"due_on": _defaults()["reply_due"]})


def _form_errors(request: HttpRequest, form: forms.Form) -> None:
    messages.error(request, _("请完整填写：%(f)s") % {"f": "、".join(form.errors)})


# ---- the list and each item -----------------------------------------------------------------


@requires(reads_notices, gettext_noop("无权查看督办事项"))
def assignment_list(request: HttpRequest) -> HttpResponse:
    return _assignment_page(request)


def _assignment_page(
    request: HttpRequest, meeting_form: MeetingForm | None = None, status: int = 200
) -> HttpResponse:
    """The list; a refused meeting comes back in its form as typed (its file must be chosen again)."""
    filters = {k: request.GET[k] for k in ASSIGNMENT_FILTERS if request.GET.get(k)}
    today = timezone.localdate()
    user = request.user
    if meeting_form is None and may_record_meeting(user):
        meeting_form = MeetingForm()
    return render(
        request,
        "supervision/assignments.html",
        {
            "items": assignments_for(user, filters, today)[:300],
            "filters": filters,
            "query": urlencode(filters),
            "kinds": AssignmentKind.choices,
            "states": AssignmentState.choices,
            "counts": assignment_counts(today) if reads_everything(user) else None,
            "meetings": visible_meetings(user)[:20],
            "meeting_form": meeting_form,
            "coordination_form": CoordinationForm() if may_raise_coordination(user) else None,
            "today": today,
            **instruct_context(request, {}, []),  # a leader's 批示 on a unit's work at large
        },
        status=status,
    )


def _visible(request: HttpRequest, assignment_id: int) -> Assignment:
    return fetch_visible(
        visible_assignments(request.user).select_related(
            "organisation", "owner", "raised_by", "instruction__author", "meeting", "measure__task"
        ),
        assignment_id,
        actor=request.user,
    )


@requires(reads_notices, gettext_noop("无权查看督办事项"))
def assignment_page(request: HttpRequest, assignment_id: int) -> HttpResponse:
    item = _visible(request, assignment_id)
    user = request.user
    office = is_office(user) and item.organisation_id is not None
    return render(
        request,
        "supervision/assignment.html",
        {
            "item": item,
            "events": item.events.select_related("actor"),
            "notices": visible_notices(user).filter(assignment=item),
            "may_answer": may_answer(user, item),
            "may_close": may_close(user, item),
            "assign_form": AssignForm(initial=_defaults() | {"due_on": _defaults()["reply_due"]})
            if may_assign(user, item)
            else None,
            "notice_form": NoticeForm(initial=_defaults() | {"level": Level.GENERAL})
            if office and item.state != AssignmentState.CLOSED
            else None,
        },
    )


def _act(
    request: HttpRequest, assignment_id: int, act: Callable[[Assignment], Any]
) -> HttpResponse:
    """One step on an item the user can see; a refusal is a 403, bad input a message."""
    item = _visible(request, assignment_id)
    try:
        act(item)
    except ValidationError as error:
        say_invalid(request, error)
    return redirect("supervision:assignment", item.pk)


@require_POST
@requires(reads_notices, gettext_noop("无权反馈督办事项"))
def assignment_answer(request: HttpRequest, assignment_id: int) -> HttpResponse:
    text = request.POST.get("answer", "")
    return _act(
        request,
        assignment_id,
        lambda a: services.assignment_answer(actor=user_of(request), assignment=a, text=text),
    )


def _decide(request: HttpRequest, assignment_id: int, close: bool) -> HttpResponse:
    comment = request.POST.get("comment", "")
    return _act(
        request,
        assignment_id,
        lambda a: services.assignment_decide(
            actor=user_of(request), assignment=a, close=close, comment=comment
        ),
    )


@require_POST
@requires(reads_everything, gettext_noop("只有片区办或批示领导可以办结"))
def assignment_close(request: HttpRequest, assignment_id: int) -> HttpResponse:
    return _decide(request, assignment_id, close=True)


@require_POST
@requires(reads_everything, gettext_noop("只有片区办或批示领导可以退回"))
def assignment_return(request: HttpRequest, assignment_id: int) -> HttpResponse:
    return _decide(request, assignment_id, close=False)


@require_POST
@requires(is_office, gettext_noop("只有片区办可以分派协调事项"))
def assignment_assign(request: HttpRequest, assignment_id: int) -> HttpResponse:
    form = AssignForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("supervision:assignment", assignment_id)
    data = form.cleaned_data
    return _act(
        request,
        assignment_id,
        lambda a: services.coordination_assign(
            actor=user_of(request),
            assignment=a,
            due_on=data["due_on"],
            organisation=data["organisation"],
            owner=data["owner"],
        ),
    )


@require_POST
@requires(is_office, gettext_noop("只有片区办可以下发督办单"))
def assignment_notice(request: HttpRequest, assignment_id: int) -> HttpResponse:
    form = NoticeForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("supervision:assignment", assignment_id)
    data = form.cleaned_data
    item = _visible(request, assignment_id)
    try:
        notice = services.assignment_to_notice(
            actor=user_of(request),
            assignment=item,
            level=data["level"],
            requirement=data["requirement"],
            reply_due=data["reply_due"],
        )
    except ValidationError as error:
        say_invalid(request, error)
        return redirect("supervision:assignment", item.pk)
    messages.success(request, _("已下发 %(n)s") % {"n": notice.label})
    return redirect("supervision:notice", notice.pk)


# ---- writing them ---------------------------------------------------------------------------


@require_POST
@requires(may_instruct, gettext_noop("只有领导可以批示"))
def instruction_new(request: HttpRequest) -> HttpResponse:
    """A 批示 posted from a measure's history, a 督办单 or a task page (the target in hidden fields)."""
    form = InstructionForm(request.POST)
    back = back_to(request) or "supervision:assignments"
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(back)
    user = request.user
    targets: dict[str, Any] = {}
    for name, visible in (
        ("measure", visible_measures(user)),
        ("task", Task.objects.all()),
        ("report", visible_reports(user)),
        ("notice", visible_notices(user)),
    ):
        if (raw := request.POST.get(name, "")).isdigit():
            targets[name] = fetch_visible(visible, int(raw), actor=user)
    data = form.cleaned_data
    try:
        services.instruction_write(
            actor=user_of(request),
            text=data["text"],
            organisations=list(data["organisations"]),
            due_on=data["due_on"],
            **targets,
        )
        messages.success(request, _("批示已送达落实单位"))
    except ValidationError as error:
        say_invalid(request, error)
    return redirect(back)


@require_POST
@requires(may_record_meeting, gettext_noop("只有片区办可以记录会议"))
def meeting_new(request: HttpRequest) -> HttpResponse:
    form = MeetingForm(request.POST, request.FILES)
    if not form.is_valid():
        _form_errors(request, form)
        return _assignment_page(request, form, status=400)
    data = form.cleaned_data
    upload = data.pop("minutes")
    try:
        meeting = meetings.meeting_record(
            actor=user_of(request), minutes=(upload, upload.name or "") if upload else None, **data
        )
    except ValidationError as error:  # e.g. minutes of a type not taken: the typed text stays
        say_invalid(request, error)
        return _assignment_page(request, form, status=400)
    return redirect("supervision:meeting", meeting.pk)


def _meeting(request: HttpRequest, meeting_id: int) -> Meeting:
    return fetch_visible(visible_meetings(request.user), meeting_id, actor=request.user)


@requires(reads_notices, gettext_noop("无权查看会议"))
def meeting_page(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    return render(
        request,
        "supervision/meeting.html",
        {
            "meeting": meeting,
            "decisions": visible_assignments(request.user)
            .filter(meeting=meeting)
            .select_related("organisation"),
            "form": DecisionForm(initial={"due_on": _defaults()["reply_due"]})
            if may_record_meeting(request.user)
            else None,
            "today": timezone.localdate(),
        },
    )


@requires(reads_notices, gettext_noop("无权查看会议纪要"))
def meeting_minutes(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    if not meeting.minutes_stored:
        raise Http404(_("该会议没有会议纪要"))
    data = meetings.meeting_minutes(meeting)
    audit_record(actor=user_of(request), action=AuditAction.EXPORT_DOCUMENT, obj=meeting)
    return _download(data, meeting.minutes_name, meeting.minutes_type)


@require_POST
@requires(may_record_meeting, gettext_noop("只有片区办可以添加议定事项"))
def decision_new(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("supervision:meeting", meeting.pk)
    try:
        meetings.decision_add(actor=user_of(request), meeting=meeting, **form.cleaned_data)
    except ValidationError as error:
        say_invalid(request, error)
    return redirect("supervision:meeting", meeting.pk)


@require_POST
@requires(may_raise_coordination, gettext_noop("只有责任单位和片区办可以提出协调事项"))
def coordination_new(request: HttpRequest) -> HttpResponse:
    """From a unit (its own problem) or the office (a report's 问题与困难, `report` posted)."""
    form = CoordinationForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(back_to(request) or "supervision:assignments")
    report = None
    if (raw := request.POST.get("report", "")).isdigit():
        report = fetch_visible(visible_reports(request.user), int(raw), actor=request.user)
    try:
        item = services.coordination_raise(
            actor=user_of(request), text=form.cleaned_data["text"], report=report
        )
    except ValidationError as error:
        say_invalid(request, error)
        return redirect(back_to(request) or "supervision:assignments")
    messages.success(request, _("已提出协调事项"))
    return redirect("supervision:assignment", item.pk)


urlpatterns: list[URLPattern] = [
    path("assignments/", assignment_list, name="assignments"),
    path("assignments/<int:assignment_id>/", assignment_page, name="assignment"),
    path(
        "assignments/<int:assignment_id>/answer/",
        assignment_answer,
        name="assignment_answer",
    ),
    path("assignments/<int:assignment_id>/close/", assignment_close, name="assignment_close"),
    path(
        "assignments/<int:assignment_id>/return/",
        assignment_return,
        name="assignment_return",
    ),
    path(
        "assignments/<int:assignment_id>/assign/",
        assignment_assign,
        name="assignment_assign",
    ),
    path(
        "assignments/<int:assignment_id>/notice/",
        assignment_notice,
        name="assignment_notice",
    ),
    path("instructions/new/", instruction_new, name="instruction_new"),
    path("meetings/new/", meeting_new, name="meeting_new"),
    path("meetings/<int:meeting_id>/", meeting_page, name="meeting"),
    path("meetings/<int:meeting_id>/minutes", meeting_minutes, name="meeting_minutes"),
    path("meetings/<int:meeting_id>/decisions/new/", decision_new, name="decision_new"),
    path("coordination/new/", coordination_new, name="coordination_new"),
]
