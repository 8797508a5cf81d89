"""Linked plans: the office links a plan to the higher plan it implements and confirms the proposed
task links; everyone who reads plans (the provincial role too) sees the higher plan's tasks with the
progress of the linked tasks of every lower plan, as of a date."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from luoshi.plans.models import Measure, Plan, Task
from luoshi.versions.models import LinkState, MeasureLink, PlanLink, TaskLink
from luoshi.versions.policies import may_link, reads_rollup
from luoshi.versions.selectors import implemented, links_seen, rollup
from luoshi.versions.services import plan_link, task_links_confirm
from luoshi.web.access import as_of, requires, user_of
from luoshi.web.errors import int_param
from luoshi.web.templatetags.options import Choices


@require_POST
@requires(may_link, gettext_noop("仅片区办可以关联上级方案"))
def link_plan(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = get_object_or_404(Plan, pk=plan_id)
    chosen = request.POST.get("parent", "")
    parent = (
        Plan.objects.filter(pk=int_param("parent", chosen, signed=False)).first()
        if chosen
        else None
    )
    if parent is None:
        messages.error(request, _("请选择上级方案"))
        return redirect("web:plans")
    try:
        link = plan_link(plan=plan, parent=parent, actor=user_of(request))
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
        return redirect("web:plans")
    return redirect("web:task_links", link_id=link.pk)


@requires(may_link, gettext_noop("仅片区办可以确认任务关联"))
def task_links(request: HttpRequest, link_id: int) -> HttpResponse:
    """Each task of the lower plan with the higher plan's task proposed for it, to confirm or correct."""
    link = get_object_or_404(PlanLink.objects.select_related("plan", "parent"), pk=link_id)
    return _task_links_page(request, link)


def _task_links_page(
    request: HttpRequest,
    link: PlanLink,
    chosen: dict[int, int | None] | None = None,
    picked: dict[int, int | None] | None = None,
) -> HttpResponse:
    """The confirmation page; `chosen` and `picked` (a refused form's task and measure choices) are
    shown instead of the stored links, so nothing the user picked is lost."""
    found = {
        x.task_id: x
        for x in TaskLink.objects.filter(link=link).order_by("state")  # confirmed wins
    }
    rows = [
        (t, found.get(t.pk), _selected(t.pk, found, chosen))
        for t in Task.objects.filter(plan=link.plan).order_by("number")
    ]
    measures = _measure_rows(link, rows, picked or {})
    parents = Choices(
        (p.pk, f"{_('（')}{p.numeral}{_('）')}{Truncator(p.title).chars(40)}")
        for p in Task.objects.filter(plan=link.parent).order_by("number")
    )
    return render(
        request,
        "web/task_links.html",
        {
            "link": link,
            "rows": [(*row, measures.get(row[0].pk, [])) for row in rows],
            "parents": parents,
            "confirmed": LinkState.CONFIRMED,
            "seen": links_seen(link),
        },
    )


@dataclass(frozen=True)
class MeasureRow:
    """A measure of a linked task, its link (if any) and the higher task's measures to choose from."""

    measure: Measure
    found: MeasureLink | None
    selected: int | None
    choices: Choices | None


def _measure_rows(
    link: PlanLink,
    rows: list[tuple[Task, TaskLink | None, int | None]],
    picked: dict[int, int | None],
) -> dict[int, list[MeasureRow]]:
    """Task id → its measures, each offered the measures of the higher task chosen for the task."""
    chosen = {task.pk: parent for task, _found, parent in rows if parent is not None}
    offered: dict[int, list[tuple[int, str]]] = {}
    higher = Measure.objects.filter(task_id__in=set(chosen.values())).select_related("task")
    for m in higher.order_by("number"):
        offered.setdefault(m.task_id, []).append((m.pk, f"{m.code} {Truncator(m.text).chars(40)}"))
    choices = {task: Choices(labels) for task, labels in offered.items()}
    found = {
        x.measure_id: x
        for x in MeasureLink.objects.filter(link=link).order_by("state")  # confirmed wins
    }
    measures: dict[int, list[MeasureRow]] = {}
    for m in (
        Measure.objects.filter(task_id__in=list(chosen)).select_related("task").order_by("number")
    ):
        link_found = found.get(m.pk)
        selected = picked.get(m.pk, link_found.parent_measure_id if link_found else None)
        row = MeasureRow(m, link_found, selected, choices.get(chosen[m.task_id]))
        measures.setdefault(m.task_id, []).append(row)
    return measures


def _selected(
    task_id: int, found: dict[int, TaskLink], chosen: dict[int, int | None] | None
) -> int | None:
    if chosen is not None and task_id in chosen:
        return chosen[task_id]
    link = found.get(task_id)
    return link.parent_task_id if link else None


@require_POST
@requires(may_link, gettext_noop("仅片区办可以确认任务关联"))
def task_links_save(request: HttpRequest, link_id: int) -> HttpResponse:
    link = get_object_or_404(PlanLink.objects.select_related("plan", "parent"), pk=link_id)
    choices = _picks(request, "parent-")
    was = _picks(request, "was-")
    # a measure's pick stands only under the higher task it was offered for: a task linked anew
    # gets fresh proposals for its measures instead
    measures = {
        int(m): p
        for (task, m), p in _measure_picks(request).items()
        if choices.get(task) == was.get(task)
    }
    try:
        count = task_links_confirm(
            link=link,
            choices=choices,
            actor=user_of(request),
            seen=request.POST.get("seen"),
            measures=measures,
        )
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
        if "seen" in refused.message_dict:  # changed meanwhile: the current page, their picks kept
            return _task_links_page(request, link, choices, measures)
        return redirect("web:task_links", link_id=link.pk)
    messages.success(request, _("已确认 %(n)s 项任务关联") % {"n": count})
    return redirect("web:rollup", plan_id=link.parent_id)


def _picks(request: HttpRequest, prefix: str) -> dict[int, int | None]:
    """`prefix<id>` fields as id → the chosen id (None: 不关联)."""
    found: dict[int, int | None] = {}
    for key in request.POST:
        number = key.removeprefix(prefix)
        if key.startswith(prefix) and _id_like(number):
            found[int_param(key, number, signed=False)] = _pick(key, request)
    return found


def _measure_picks(request: HttpRequest) -> dict[tuple[int, str], int | None]:
    """`measure-<task>-<measure>` fields as (task, measure) → the chosen higher measure."""
    found: dict[tuple[int, str], int | None] = {}
    for key in request.POST:
        task, _sep, measure = key.removeprefix("measure-").partition("-")
        if key.startswith("measure-") and _id_like(task) and _id_like(measure):
            int_param(key, measure, signed=False)  # an id, as the service reads it
            found[(int_param(key, task, signed=False), measure)] = _pick(key, request)
    return found


def _id_like(text: str) -> bool:
    """A field name's id part: other fields are not the form's and are ignored, as before."""
    return text.isascii() and text.isdigit()


def _pick(key: str, request: HttpRequest) -> int | None:
    """The id chosen in the field `key`; empty is 不关联. Anything else is a 400 naming the field
    (a hostile value, never a server error): the form only offers ids."""
    value = request.POST.get(key, "")
    return int_param(key, value, signed=False) if value else None


@requires(reads_rollup, gettext_noop("无权查看方案"))
def plan_rollup(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The higher plan's tasks with the linked tasks of every lower plan, and their 落实率 compared."""
    plan = get_object_or_404(Plan, pk=plan_id)
    day = as_of(request)
    return render(
        request,
        "web/rollup.html",
        {
            "plan": plan,
            "as_of": day,
            "rollup": rollup(plan, day),
            "implements": implemented(plan),
            "can_link": may_link(request.user),
        },
    )
