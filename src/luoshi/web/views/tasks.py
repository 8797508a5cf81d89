"""Task list (filters, search by code, words, units and report text, pages), task detail, timeline."""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext, gettext_lazy, gettext_noop

from luoshi.accounts.models import ResponsiblePerson
from luoshi.accounts.policies import reads_plans
from luoshi.metrics.facts import PlanFacts, TaskFact, load_facts
from luoshi.metrics.headline import plan_lights
from luoshi.metrics.lights import Light
from luoshi.metrics.outlook import measure_outlooks, task_outlooks
from luoshi.metrics.rates import cohort_label
from luoshi.plans.models import Measure, Organisation, Responsibility, Section, Task
from luoshi.progress.policies import visible_reports
from luoshi.progress.selectors import earlier_reports, tasks_matching
from luoshi.progress.timing import Deadline, is_overdue
from luoshi.supervision.policies import may_urge
from luoshi.web.access import as_of, current_plan, requires
from luoshi.web.conditional import revalidated
from luoshi.web.errors import query_int
from luoshi.web.listing import NOT_SAVED, Column, Listing
from luoshi.web.views.supervision import instruct_context

HISTORY = 12  # a measure's reports listed on its task's page, latest first


class TaskRow(NamedTuple):
    task: TaskFact
    light: Light
    leads: list[str]
    done_on: dt.date | None  # implemented by the date shown


def _day(value: dt.date | None) -> str:
    return f"{value:%Y-%m-%d}" if value else ""


TASKS = Listing(
    key="tasks",
    title=gettext_lazy("任务清单"),
    default="number",
    tie=lambda r: r.task.id,
    columns=(
        Column(
            "light",
            gettext_lazy("灯"),
            lambda r: r.light.colour.label,
            sort=lambda r: r.light.colour.value,
            width=8,
        ),
        Column(
            "number",
            gettext_lazy("任务"),
            lambda r: gettext("（%(n)s）%(title)s") % {"n": r.task.number, "title": r.task.title},
            sort=lambda r: r.task.number,
            width=60,
        ),
        Column("leads", gettext_lazy("牵头单位"), lambda r: r.leads, width=30),
        Column(
            "due",
            gettext_lazy("截止"),
            lambda r: gettext_lazy("持续推进") if r.task.ongoing else _day(r.task.due_date),
            sort=lambda r: r.task.due_date,
            width=12,
        ),
        Column(
            "status",
            gettext_lazy("状态"),
            lambda r: gettext("已落实 %(day)s") % {"day": _day(r.done_on)}
            if r.done_on
            else gettext("推进中"),
            sort=lambda r: r.done_on,
            width=18,
        ),
    ),
)


def _matches(
    task: TaskFact,
    facts: PlanFacts,
    day: dt.date,
    light: Light,
    f: dict[str, str],
    found: set[int] | None,
) -> bool:
    measures = [facts.measures[i] for i in task.measure_ids]
    if f.get("organisation"):
        org = int(f["organisation"])  # checked by task_list
        role = f.get("role")
        if not any(
            (role != "supporting" and org in m.leads) or (role != "lead" and org in m.supports)
            for m in measures
        ):
            return False
    status = f.get("status")
    overdue = is_overdue(task.due_date, day, done=task.done(day))
    return not (
        (f.get("deadline") and cohort_label(task) != f["deadline"])
        or (f.get("light") and light.colour.key != f["light"])
        or (status == "done" and not task.done(day))
        or (status == "open" and task.done(day))
        or (status == "overdue" and not overdue)
        or (f.get("chapter") and task.section != f["chapter"])
        or (found is not None and task.id not in found)
    )


@requires(reads_plans, gettext_noop("无权查看任务"))
@revalidated
def task_list(request: HttpRequest) -> HttpResponse:
    plan, day = current_plan(request), as_of(request)
    facts = load_facts(plan, day)
    _, lights = plan_lights(plan, day)
    filters: dict[str, str] = {
        k: str(v)
        for k, v in request.GET.items()
        if k not in (*NOT_SAVED, "as_of", "sort", "size") and v
    }
    query_int(request, "organisation")  # a 400 naming it, if malformed
    found = None
    if q := filters.get("q", "").strip():
        found = tasks_matching(plan.pk, q, visible_reports(request.user))
    rows = [
        TaskRow(
            t,
            lights[t.id],
            sorted(
                {facts.organisations[o] for i in t.measure_ids for o in facts.measures[i].leads}
            ),
            t.implemented_on if t.done(day) else None,
        )
        for t in facts.tasks
        if _matches(t, facts, day, lights[t.id], filters, found)
    ]
    if TASKS.wants_export(request):
        return TASKS.export(request, rows, as_of=day)
    return render(
        request,
        "web/task_list.html",
        {
            "plan": plan,
            "as_of": day,
            **TASKS.page(request, rows),
            "count": len(rows),
            "filters": filters,
            "organisations": Organisation.objects.filter(
                responsibilities__measure__task__plan=plan
            ).distinct(),
            "cohorts": sorted({cohort_label(t) for t in facts.tasks}),
            "urges": may_urge(request.user),
            "chapters": Section.objects.filter(plan=plan, tasks__isnull=False).distinct(),
        },
    )


@requires(reads_plans, gettext_noop("无权查看任务"))
def task_detail(request: HttpRequest, task_id: int) -> HttpResponse:
    day = as_of(request)
    duties = Prefetch(
        "responsibilities", queryset=Responsibility.objects.select_related("organisation")
    )
    people = Prefetch(
        "responsible_people",
        queryset=ResponsiblePerson.objects.select_related("person", "organisation"),
    )
    history = visible_reports(request.user).filter(cycle__starts_on__lte=day)  # as on the day
    reports = Prefetch(
        "reports",
        # the latest few per measure (a window per measure in the same query): the page does the
        # same work after ten years of monthly reports as after one; the rest is on the report list
        queryset=history.select_related("cycle").order_by("-cycle__starts_on", "-pk")[:HISTORY],
        to_attr="history",  # a sliced prefetch needs its own attribute
    )
    task = get_object_or_404(
        Task.objects.select_related("plan", "section").prefetch_related(
            duties,
            Prefetch(
                "measures", queryset=Measure.objects.prefetch_related(duties, people, reports)
            ),
        ),
        pk=task_id,
    )
    facts = load_facts(task.plan, day)
    measure_light, lights = plan_lights(task.plan, day)
    outlooks = measure_outlooks(facts, day)  # the units' approved 节点, as of the day
    # a revised measure's history: the reports of the measures it revises, marked as theirs
    measure_ids = [m.pk for m in task.measures.all()]
    earlier = earlier_reports(history, measure_ids)
    counts = dict(
        history.filter(measure__in=measure_ids)
        .values("measure")
        .annotate(n=Count("pk"))
        .values_list("measure", "n")
    )
    context: dict[str, Any] = {
        "task": task,
        "as_of": day,
        "light": lights[task.pk],
        "history": HISTORY,
        "measures": [
            (
                m,
                measure_light[m.pk],
                Deadline(*m.deadline_in_force, facts.measures[m.pk].due_date),
                earlier.get(m.pk, []),
                outlooks.get(m.pk),
                counts.get(m.pk, 0),
            )
            for m in task.measures.all()
        ],
        "outlook": task_outlooks(facts, outlooks, day).get(task.pk),
        "source": task.plan.source_text(task.first_line, task.last_line),
        "implemented_on": next(t.implemented_on for t in facts.tasks if t.id == task.pk),
        # as of the day, like every figure on the page
        "evaluations": [e for e in facts.evaluations if e.task_id == task.pk],
        "cases": [c for c in facts.cases if task.pk in dict(c.task_numbers)],
        "risks": [r for r in facts.high_risks if r.task_id == task.pk],
    }
    leads = [d.organisation for d in task.responsibilities.all() if d.role == "lead"]
    context |= instruct_context(request, {"task": task.pk}, leads)
    return render(request, "web/task_detail.html", context)


@requires(reads_plans, gettext_noop("无权查看任务"))
def timeline(request: HttpRequest) -> HttpResponse:
    """Tasks by due date: what falls due when, and what is done."""
    plan, day = current_plan(request), as_of(request)
    facts = load_facts(plan, day)
    _, lights = plan_lights(plan, day)
    groups: dict[str, list[tuple[TaskFact, Light]]] = {}
    for task in sorted(facts.tasks, key=lambda t: (t.due_date or dt.date.max, t.number)):
        groups.setdefault(cohort_label(task), []).append((task, lights[task.id]))
    return render(request, "web/timeline.html", {"plan": plan, "as_of": day, "groups": groups})
