"""审核台: reports waiting for the office in order of urgency, accept or return, reminders, cycles."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, pgettext_lazy
from django.views.decorators.http import require_POST

from luoshi.accounts.policies import is_office
from luoshi.metrics.cache import cached
from luoshi.progress.bulk import PUBLISH, UNPUBLISH, parse_picks, reports_bulk
from luoshi.progress.models import Report, ReportState
from luoshi.progress.reminders import send_reminders
from luoshi.progress.selectors import DESK_PAGE, desk_counts, desk_page
from luoshi.progress.services import cycle_open
from luoshi.progress.workflow import Action
from luoshi.supervision.escalation import escalate
from luoshi.web.access import current_plan, requires, user_of
from luoshi.web.forms import CycleForm

BULK_LABELS = {
    Action.ACCEPT.value: Action.ACCEPT.label,
    Action.RETURN.value: Action.RETURN.label,
    PUBLISH: pgettext_lazy("bulk action", "公开"),
    UNPUBLISH: pgettext_lazy("bulk action", "撤销公开"),
}


@requires(is_office, gettext_noop("审核台仅供片区办使用"))
def review_desk(request: HttpRequest) -> HttpResponse:
    plan = current_plan(request)
    today = timezone.localdate()
    asked = request.GET.get("page", "")
    number = min(int(asked), 10**6) if asked.isdigit() else 1  # get_page's rule: 1 if malformed
    # Kept per (plan, page, day) until the next write anywhere (metrics/cache.py).
    counts, waiting, number, cycles = cached(
        "desk", (plan.pk, number, today), lambda: desk_page(plan, number, today), local=False
    )
    pages: Paginator[Report] = Paginator([], DESK_PAGE)
    pages.count = counts["waiting_count"]
    return render(
        request,
        "web/review.html",
        {
            "plan": plan,
            "waiting": waiting,
            "page": Page(waiting, number, pages),
            "query": _without_page(request),
            **counts,
            "cycles": cycles,
            "today": today,
            "cycle_form": CycleForm(),
            "overdue_day": today,
        },
    )


def _without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@require_POST
@requires(is_office, gettext_noop("仅片区办可以催办"))
def remind_now(request: HttpRequest) -> HttpResponse:
    # What the daily job does, now: due-soon mails, then the ladder for what is late.
    today = timezone.localdate()
    sent = send_reminders(today=today, days=settings.LUOSHI_REMIND_DAYS)
    outcome = escalate(today=today)
    messages.success(
        request,
        _("已发送催办邮件 %(n)d 封；逾期催办 %(u)d 项") % {"n": sent, "u": outcome.urgings},
    )
    return redirect("web:review")


@require_POST
@requires(is_office, gettext_noop("仅片区办可以开启填报周期"))
def open_cycle(request: HttpRequest) -> HttpResponse:
    form = CycleForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            cycle = cycle_open(
                plan=current_plan(request),
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                due_on=data["due_on"],
                actor=user_of(request),
            )
            messages.success(request, _("已开启填报周期：%(name)s") % {"name": cycle.name})
        except ValidationError as error:
            messages.error(request, _("；").join(error.messages))
    else:
        messages.error(request, _("请填写正确的日期"))
    return redirect("web:review")


@require_POST
@requires(is_office, gettext_noop("仅片区办可以批量办理"))
def bulk(request: HttpRequest) -> HttpResponse:
    """Many reports, one confirmation (asked by the page), one result per report."""
    picks = parse_picks(request.POST.getlist("pick"))
    back = "web:unpublished" if request.POST.get("from") == "unpublished" else "web:review"
    if not picks:
        messages.error(request, _("请先勾选要办理的报告"))
        return redirect(back)
    action = request.POST.get("action", "")
    try:
        results = reports_bulk(
            picks=picks,
            action=action,
            actor=user_of(request),
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as error:
        messages.error(request, _("；").join(error.messages))
        return redirect(back)
    done = sum(1 for r in results if r.ok)
    return render(
        request,
        "web/bulk_result.html",
        {
            "results": results,
            "done": done,
            "left": len(results) - done,
            "action": BULK_LABELS.get(action, action),
            # Undo of a 公开 (until the next step changes a report): the same picks, unpublished.
            "undo": [f"{r.report_id}:{r.report.version}" for r in results if r.ok and r.report]
            if action == PUBLISH
            else [],
            "back": back,
            **desk_counts(current_plan(request).pk),
        },
    )


@requires(is_office, gettext_noop("审核台仅供片区办使用"))
def unpublished(request: HttpRequest) -> HttpResponse:
    """Accepted reports the public portal does not show yet, to publish (in bulk)."""
    plan = current_plan(request)
    reports = (
        Report.objects.filter(measure__task__plan=plan, state=ReportState.ACCEPTED, published=False)
        .select_related("measure__task", "cycle", "organisation")
        .order_by("-accepted_at", "pk")
    )
    return render(request, "web/unpublished.html", {"plan": plan, "reports": reports})
