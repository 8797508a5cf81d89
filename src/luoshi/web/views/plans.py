"""Plans: the list (and which one the pages show), and importing a document: preview, then confirm."""

from __future__ import annotations

import datetime as dt
from pathlib import PurePath

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from luoshi.accounts.policies import is_office, reads_plans
from luoshi.ingest import IngestError, ParsedPlan
from luoshi.ingest.indicators import with_kinds
from luoshi.paperwork.downloads import DOCX, attachment
from luoshi.paperwork.revision_table import revision_docx
from luoshi.plans.ingest_text import describe
from luoshi.plans.models import Level, Plan, PlanStatus, TargetKind
from luoshi.plans.policies import may_choose_versions
from luoshi.plans.revisions import KIND_LABELS, plan_diff
from luoshi.plans.services import plan_import, plan_make_public, plan_put_in_force, plan_repeal
from luoshi.plans.summary import plan_summary
from luoshi.plans.uploads import LEVELS, TASK_STYLES, PlanRefused, parse_upload
from luoshi.versions.services import plan_revise
from luoshi.web import pending
from luoshi.web.access import current_plan, requires, user_of

UPLOADS = "plan-uploads"


@requires(reads_plans, gettext_noop("无权查看方案"))
def plan_list(request: HttpRequest) -> HttpResponse:
    plans = (
        Plan.objects.annotate(
            task_count=Count("tasks", distinct=True), measure_count=Count("tasks__measures")
        )
        .select_related("programme", "revises")
        .order_by("programme_id", "-imported_at")
    )
    return render(
        request,
        "web/plans.html",
        {
            "plans": plans,
            "current": current_plan(request) if plans else None,
            "can_import": is_office(request.user),
            "can_choose": may_choose_versions(request.user),
            "revisable": Plan.objects.exclude(status=PlanStatus.REPEALED).order_by("pk"),
            "today": timezone.localdate(),
        },
    )


CHOICES = {
    "in_force": _l("设为现行版本"),
    "public": _l("设为公开版本"),
    "unpublish": _l("撤下公开"),
    "repeal": _l("废止"),
}


@require_POST
@requires(may_choose_versions, gettext_noop("仅片区办可以选择现行版本和公开版本"))
def plan_choose(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The office's choice of a version, in two steps: what will change, then the confirmed change."""
    plan = get_object_or_404(Plan.objects.select_related("programme"), pk=plan_id)
    action = request.POST.get("action", "")
    if action not in CHOICES:
        messages.error(request, _("未知的操作"))
        return redirect("web:plans")
    effective = _date(request.POST.get("effective_from", "")) or timezone.localdate()
    if request.POST.get("confirm") != "1":
        return render(
            request,
            "web/plan_choose.html",
            {
                "plan": plan,
                "action": action,
                "label": CHOICES[action],
                "effective_from": effective,
                "in_force": plan.programme.in_force,
                "public": plan.programme.public,
            },
        )
    actor = user_of(request)
    try:
        if action == "in_force":
            plan_put_in_force(plan=plan, actor=actor, effective_from=effective)
        elif action in ("public", "unpublish"):
            plan_make_public(plan=plan, actor=actor, public=action == "public")
        else:
            plan_repeal(plan=plan, actor=actor)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
        return redirect("web:plans")
    messages.success(
        request, _("%(action)s：%(title)s") % {"action": CHOICES[action], "title": plan.title}
    )
    return redirect("web:plans")


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


@require_POST
@requires(is_office, gettext_noop("仅片区办可以导入方案"))
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
    context |= _revision(request, parsed)
    return render(request, "web/plan_preview.html", context)


def _revises(request: HttpRequest) -> Plan | None:
    chosen = request.POST.get("revises", "")
    return Plan.objects.filter(pk=chosen).first() if chosen.isdigit() else None


def _forced(request: HttpRequest) -> dict[str, str | None]:
    """The office's corrections of the proposed matches: new code → old code ("" = no match)."""
    return {
        key.removeprefix("match-"): request.POST.get(key) or None
        for key in request.POST
        if key.startswith("match-")
    }


def _revision(request: HttpRequest, parsed: ParsedPlan) -> dict[str, object]:
    """The 修订对照表 when the document is a new version of a stored plan."""
    revises = _revises(request)
    if revises is None:
        return {}
    diff = plan_diff(revises, parsed, _forced(request))
    return {
        "revises": revises,
        "diff": diff,
        "diff_rows": [
            (entry, [e.old for e in diff.removed if e.level == entry.level and e.old])
            for entry in diff.changed + diff.added + diff.removed
        ],
        "kind_labels": KIND_LABELS,
    }


@require_POST
@requires(is_office, gettext_noop("仅片区办可以导入方案"))
def plan_confirm(request: HttpRequest) -> HttpResponse:
    path = pending.path_of(UPLOADS, request.POST.get("token", ""), ".bin")
    name = PurePath(request.POST.get("name", "")).name or "plan.txt"
    revises = _revises(request)
    if request.POST.get("recompare") and path.exists():  # the office corrected a match: show again
        parsed = parse_upload(
            name=name, data=path.read_bytes(), level=_level(request), **_structure(request)
        )
        context: dict[str, object] = {
            "name": name,
            "level": _level(request) or "",
            "token": request.POST["token"],
        }
        try:
            parsed = with_kinds(parsed, _kinds(request))
        except IngestError as refused:
            context["kind_error"] = describe(refused)
        context |= _preview(parsed) | _revision(request, parsed)
        return render(request, "web/plan_preview.html", context)
    try:
        parsed = parse_upload(
            name=name, data=path.read_bytes(), level=_level(request), **_structure(request)
        )
        parsed = with_kinds(parsed, _kinds(request))
        diff = plan_diff(revises, parsed, _forced(request)) if revises else None
        if revises is not None:
            result = plan_revise(parsed=parsed, actor=user_of(request), revises=revises, diff=diff)
        else:
            result = plan_import(parsed=parsed, actor=user_of(request))
    except (PlanRefused, IngestError) as refused:  # the preview read it (or a forged kind)
        messages.error(
            request, describe(refused) if isinstance(refused, IngestError) else str(refused)
        )
        return redirect("web:plans")
    finally:
        path.unlink(missing_ok=True)
    if result.created:
        messages.success(
            request,
            _("已导入方案：%(title)s。它尚未生效、尚未公开，各页面仍显示原方案，直到片区办选定。")
            % {"title": result.plan.title},
        )
    else:
        messages.info(
            request, _("该方案此前已导入，未作改动：%(title)s") % {"title": result.plan.title}
        )
    return redirect("web:plans")  # not switched to it: an import changes nobody's view


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


def _kinds(request: HttpRequest) -> dict[str, str]:
    """The kinds the office chose in the preview: indicator name → kind ("" = as read)."""
    return {
        key.removeprefix("kind:"): value
        for key in request.POST
        if key.startswith("kind:") and (value := request.POST.get(key, ""))
    }


def _preview(parsed: ParsedPlan) -> dict[str, object]:
    return {
        "kind_choices": TargetKind.choices,
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


@requires(reads_plans, gettext_noop("无权查看方案"))
def revision_table(request: HttpRequest, plan_id: int) -> HttpResponse:
    """修改对照表 of a stored revision against the version it revises, as .docx."""
    plan = get_object_or_404(Plan.objects.select_related("revises"), pk=plan_id)
    return attachment(
        actor=user_of(request),
        plan=plan,
        data=revision_docx(plan),
        name=_("修改对照表-%(id)s.docx") % {"id": plan.pk},
        content_type=DOCX,
    )
