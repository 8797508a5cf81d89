"""征求意见 pages: the public's draft with a comment form per task and measure (and the answers once
the period is over); the office's periods, moderation, answers and the 意见采纳情况表."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from luoshi.audit.context import client_ip
from luoshi.consultation.challenge import challenge_answered, challenge_new
from luoshi.consultation.models import TEXT_LIMIT, Answer, Comment, CommentPeriod
from luoshi.consultation.policies import answers_public, may_comment, may_run_consultations
from luoshi.consultation.selectors import main_comments
from luoshi.consultation.services import (
    comment_answer,
    comment_moderate,
    comment_submit,
    period_open,
)
from luoshi.consultation.tables import adoption_docx, adoption_xlsx
from luoshi.paperwork.downloads import DOCX, XLSX, attachment
from luoshi.plans.models import Measure, Plan, Task
from luoshi.web.access import requires, user_of
from luoshi.web.errors import int_param


def public_draft(request: HttpRequest, period_id: int) -> HttpResponse:
    period = get_object_or_404(CommentPeriod.objects.select_related("plan"), pk=period_id)
    today = timezone.localdate()
    return render(
        request,
        "web/consult_public.html",
        {
            "period": period,
            "closed_reason": may_comment(period, today),
            "tasks": period.plan.tasks.prefetch_related("measures").order_by("number"),
            "answered": main_comments(period) if answers_public(period, today) else None,
            "challenge": challenge_new(),
            "limit": TEXT_LIMIT,
        },
    )


@require_POST
def public_comment(request: HttpRequest, period_id: int) -> HttpResponse:
    period = get_object_or_404(CommentPeriod, pk=period_id)
    target: Task | Measure | None = None
    if request.POST.get("measure", "").isdigit():
        target = Measure.objects.filter(pk=request.POST["measure"]).first()
    elif request.POST.get("task", "").isdigit():
        target = Task.objects.filter(pk=request.POST["task"]).first()
    nonce = challenge_answered(
        request.POST.get("challenge_token", ""), request.POST.get("challenge", "")
    )
    try:
        if nonce is None:
            raise ValidationError({"challenge": _("验证答案不正确，请重新计算")})
        comment_submit(
            period=period,
            target=target,
            text=request.POST.get("text", ""),
            name=request.POST.get("name", ""),
            contact=request.POST.get("contact", ""),
            address=client_ip(request) or "",
            challenge=nonce,
        )
    except ValidationError as refused:
        context = {
            "period": period,
            "errors": refused.messages,
            "typed": request.POST,  # never lose typed text: the form comes back filled
            "target": target,
            "challenge": challenge_new(),
            "limit": TEXT_LIMIT,
        }
        return render(request, "web/consult_retry.html", context)  # the form again, filled
    messages.success(request, _("意见已提交，感谢参与。审核后将统一答复。"))
    return redirect("consultation:public", period_id=period.pk)


@requires(may_run_consultations, gettext_noop("仅片区办可以办理征求意见"))
def periods(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "web/consult_periods.html",
        {
            "periods": CommentPeriod.objects.select_related("plan"),
            "plans": Plan.objects.order_by("pk"),
        },
    )


@require_POST
@requires(may_run_consultations, gettext_noop("仅片区办可以办理征求意见"))
def open_period(request: HttpRequest) -> HttpResponse:
    plan = get_object_or_404(Plan, pk=int_param("plan", request.POST.get("plan", "")))
    try:
        period_open(
            plan=plan,
            opens_on=dt.date.fromisoformat(request.POST.get("opens_on", "")),
            closes_on=dt.date.fromisoformat(request.POST.get("closes_on", "")),
            scope=request.POST.get("scope", "")[:300],
            name_required=bool(request.POST.get("name_required")),
            contact_required=bool(request.POST.get("contact_required")),
            actor=user_of(request),
        )
    except ValueError:
        messages.error(request, _("请填写开始和截止日期"))
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    return redirect("consultation:periods")


@requires(may_run_consultations, gettext_noop("仅片区办可以办理征求意见"))
def period_comments(request: HttpRequest, period_id: int) -> HttpResponse:
    period = get_object_or_404(CommentPeriod.objects.select_related("plan"), pk=period_id)
    return render(
        request,
        "web/consult_comments.html",
        {
            "period": period,
            "comments": period.comments.select_related("task", "measure__task", "duplicate_of"),
            "answers": Answer.choices,
        },
    )


@require_POST
@requires(may_run_consultations, gettext_noop("仅片区办可以办理征求意见"))
def moderate(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = get_object_or_404(Comment, pk=comment_id)
    action, actor = request.POST.get("action", ""), user_of(request)
    try:
        if action in ("approve", "reject"):
            comment_moderate(comment=comment, actor=actor, accept=action == "approve")
        elif action == "duplicate":
            main = Comment.objects.filter(pk=request.POST.get("duplicate_of") or 0).first()
            if main is None:
                raise ValidationError({"duplicate_of": _("请选择要归并到的意见")})
            comment_moderate(comment=comment, actor=actor, accept=True, duplicate_of=main)
        elif action == "answer":
            comment_answer(
                comment=comment,
                actor=actor,
                answer=request.POST.get("answer", ""),
                reason=request.POST.get("reason", ""),
                change_code=request.POST.get("change_code", ""),
            )
        else:
            raise ValidationError({"action": _("未知的操作")})
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    return redirect(reverse("consultation:comments", args=[comment.period_id]) + f"#c{comment.pk}")


@requires(may_run_consultations, gettext_noop("仅片区办可以办理征求意见"))
def adoption_table(request: HttpRequest, period_id: int, fmt: str) -> HttpResponse:
    period = get_object_or_404(CommentPeriod.objects.select_related("plan"), pk=period_id)
    if fmt not in ("docx", "xlsx"):
        raise Http404
    data = adoption_docx(period) if fmt == "docx" else adoption_xlsx(period)
    return attachment(
        actor=user_of(request),
        plan=period.plan,
        data=data,
        name=_("意见采纳情况表-%(id)s.%(ext)s") % {"id": period.pk, "ext": fmt},
        content_type=DOCX if fmt == "docx" else XLSX,
    )


app_name = "consultation"
urlpatterns = [
    path("", periods, name="periods"),
    path("open/", open_period, name="open"),
    path("<int:period_id>/", period_comments, name="comments"),
    path("<int:period_id>/public/", public_draft, name="public"),
    path("<int:period_id>/comment/", public_comment, name="comment"),
    path("<int:period_id>/table.<str:fmt>", adoption_table, name="table"),
    path("comments/<int:comment_id>/moderate/", moderate, name="moderate"),
]
