"""Plans: the list (and which one the pages show), and importing a document: preview, then confirm."""

from __future__ import annotations

from pathlib import PurePath

from django.conf import settings
from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from luoshi.accounts.policies import is_office, reads_plans
from luoshi.ingest import ParsedPlan
from luoshi.plans.models import Level, Plan
from luoshi.plans.services import plan_import
from luoshi.plans.summary import plan_summary
from luoshi.plans.uploads import LEVELS, TASK_STYLES, PlanRefused, parse_upload
from luoshi.web import pending
from luoshi.web.access import current_plan, requires, user_of

UPLOADS = "plan-uploads"


@requires(reads_plans, "无权查看方案")
def plan_list(request: HttpRequest) -> HttpResponse:
    plans = Plan.objects.annotate(
        task_count=Count("tasks", distinct=True), measure_count=Count("tasks__measures")
    ).order_by("-imported_at")
    return render(
        request,
        "web/plans.html",
        {
            "plans": plans,
            "current": current_plan(request) if plans else None,
            "can_import": is_office(request.user),
        },
    )


@require_POST
@requires(is_office, "仅片区办可以导入方案")
def plan_upload(request: HttpRequest) -> HttpResponse:
    """Upload and preview; sent again with the kept upload's token and where the tasks are (the
    part, the numbering), the same document is read again that way."""
    upload = request.FILES.get("file")
    level = _level(request)
    token = request.POST.get("token", "") if not upload else ""
    if token:
        name = PurePath(request.POST.get("name", "")).name or "plan.txt"
        kept = pending.path_of(UPLOADS, token, ".bin")
        data = kept.read_bytes() if kept.exists() else b""
    else:
        name = PurePath(upload.name).name if upload and upload.name else ""
        data = upload.read(settings.LUOSHI_MAX_IMPORT_BYTES + 1) if upload else b""
    structure = _structure(request)
    context: dict[str, object] = {"name": name, "level": level or "", **structure}
    try:
        parsed = parse_upload(name=name, data=data, level=level, **structure)
    except PlanRefused as refused:
        context["error"] = str(refused)
        return render(request, "web/plan_preview.html", context, status=422)
    context |= _preview(parsed)
    context["token"] = token or pending.keep(UPLOADS, data, ".bin")
    context["task_styles"] = TASK_STYLES
    return render(request, "web/plan_preview.html", context)


@require_POST
@requires(is_office, "仅片区办可以导入方案")
def plan_confirm(request: HttpRequest) -> HttpResponse:
    path = pending.path_of(UPLOADS, request.POST.get("token", ""), ".bin")
    name = PurePath(request.POST.get("name", "")).name or "plan.txt"
    try:
        parsed = parse_upload(
            name=name, data=path.read_bytes(), level=_level(request), **_structure(request)
        )
        result = plan_import(parsed=parsed, actor=user_of(request))
    except PlanRefused as refused:  # the preview read it: only a changed reader gets here
        messages.error(request, str(refused))
        return redirect("web:plans")
    finally:
        path.unlink(missing_ok=True)
    if result.created:
        messages.success(request, _("已导入方案：%(title)s") % {"title": result.plan.title})
    else:
        messages.info(
            request, _("该方案此前已导入，未作改动：%(title)s") % {"title": result.plan.title}
        )
    return redirect(f"{reverse('web:plans')}?plan={result.plan.pk}")


def _structure(request: HttpRequest) -> dict[str, str | None]:
    """Where the office said the tasks are, if it did."""
    style = request.POST.get("task_style", "")
    return {
        "tasks_in": request.POST.get("tasks_in", "").strip()[:40] or None,
        "task_style": style if style in TASK_STYLES else None,
    }


def _level(request: HttpRequest) -> str | None:
    level = request.POST.get("level", "")
    return level if level in LEVELS else None


def _preview(parsed: ParsedPlan) -> dict[str, object]:
    return {
        "summary": plan_summary(parsed),
        "level_label": Level(parsed.level).label,
        "parsed": parsed,
        "items": [
            row
            for t in parsed.tasks
            for row in [
                (str(t.number), t, t.title, True),
                *((f"{t.number}.{m.number}", m, m.text, False) for m in t.measures),
            ]
        ],
        "existing": Plan.objects.filter(fingerprint=parsed.fingerprint).first(),
    }
