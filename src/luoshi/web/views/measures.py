"""The lists of measures (with their lights as of a date) and of progress reports, as the user may
see them: a unit its own, the office and overseers all. Sort, page size, saved filters and the
Excel export come from web.listing."""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext, gettext_lazy

from luoshi.accounts.policies import reads_plans, visible_measures
from luoshi.metrics.facts import load_facts
from luoshi.metrics.lights import Light, lights_as_of
from luoshi.plans.models import Measure
from luoshi.progress.models import ReportingCycle, ReportState
from luoshi.progress.policies import visible_reports
from luoshi.progress.timing import is_overdue
from luoshi.supervision.policies import may_urge
from luoshi.web.access import as_of, current_plan, requires
from luoshi.web.errors import query_int
from luoshi.web.list_columns import day, when
from luoshi.web.listing import Column, Listing

DENIED = gettext_lazy("无权查看任务")


class MeasureRow(NamedTuple):
    measure: Measure
    light: Light
    leads: list[str]
    due: dt.date | None
    done_on: dt.date | None  # implemented by the date shown
    overdue: bool


MEASURES = Listing(
    key="measures",
    title=gettext_lazy("举措清单"),
    default="code",
    tie=lambda r: r.measure.pk,
    columns=(
        Column(
            "code",
            gettext_lazy("编号"),
            lambda r: r.measure.code,
            sort=lambda r: (r.measure.task.number, r.measure.number),
            width=10,
        ),
        Column(
            "light",
            gettext_lazy("灯"),
            lambda r: r.light.colour.label,
            sort=lambda r: r.light.colour.value,
            width=8,
        ),
        Column("text", gettext_lazy("举措"), lambda r: r.measure.text, width=60),
        Column("leads", gettext_lazy("牵头单位"), lambda r: r.leads, width=24),
        Column("due", gettext_lazy("截止"), lambda r: day(r.due), sort=lambda r: r.due, width=12),
        Column(
            "status",
            gettext_lazy("状态"),
            lambda r: gettext("已落实 %(day)s") % {"day": day(r.done_on)}
            if r.done_on
            else (gettext("逾期") if r.overdue else gettext("推进中")),
            sort=lambda r: (r.done_on is not None, not r.overdue),
            width=16,
        ),
    ),
)


@requires(reads_plans, DENIED)
def measure_list(request: HttpRequest) -> HttpResponse:
    plan, today = current_plan(request), as_of(request)
    facts = load_facts(plan, today)
    lights = lights_as_of(facts, today)
    light, status, q = (request.GET.get(k, "").strip() for k in ("light", "status", "q"))
    rows = []
    shown = visible_measures(request.user).filter(task__plan=plan).select_related("task")
    if q:
        shown = shown.filter(text__icontains=q)
    for m in shown:
        fact = facts.measures[m.pk]
        done = fact.implemented_on if fact.done(today) else None
        late = done is None and is_overdue(fact.due_date, today, done=False)
        row = MeasureRow(
            m,
            lights[m.pk],
            sorted(facts.organisations[o] for o in fact.leads),
            fact.due_date,
            done,
            late,
        )
        if _keeps(row, light, status):
            rows.append(row)
    if MEASURES.wants_export(request):
        return MEASURES.export(request, rows, as_of=today)
    filters = {"light": light, "status": status, "q": q}
    context: dict[str, Any] = {
        "plan": plan,
        "as_of": today,
        "filters": filters,
        "urges": may_urge(request.user),
    }
    return render(request, "web/measure_list.html", context | MEASURES.page(request, rows))


def _keeps(row: MeasureRow, light: str, status: str) -> bool:
    return (not light or row.light.colour.key == light) and (
        not status
        or (status == "done" and row.done_on is not None)
        or (status == "open" and row.done_on is None)
        or (status == "overdue" and row.overdue)
    )


REPORTS = Listing(
    key="reports",
    title=gettext_lazy("进展报告"),
    default="-cycle",
    columns=(
        Column(
            "cycle", gettext_lazy("填报周期"), lambda r: r.cycle.name, order=("cycle__starts_on",)
        ),
        Column(
            "measure",
            gettext_lazy("举措"),
            lambda r: r.measure.code,
            order=("measure__task__number", "measure__number"),
            width=10,
        ),
        Column(
            "organisation",
            gettext_lazy("单位"),
            lambda r: str(r.organisation),
            order=("organisation__name",),
            width=18,
        ),
        Column("state", gettext_lazy("状态"), lambda r: r.get_state_display(), width=10),
        Column("percent", gettext_lazy("进度"), lambda r: r.percent, width=8),
        Column(
            "submitted",
            gettext_lazy("提交时间"),
            lambda r: when(r.submitted_at),
            order=("submitted_at",),
            width=17,
        ),
        Column(
            "published",
            gettext_lazy("公开"),
            lambda r: gettext("已公开") if r.published else "",
            width=8,
        ),
        Column("work_done", gettext_lazy("工作进展"), lambda r: r.work_done, width=60, shown=False),
        Column("problems", gettext_lazy("问题与困难"), lambda r: r.problems, width=40, shown=False),
    ),
)


@requires(reads_plans, DENIED)
def report_list(request: HttpRequest) -> HttpResponse:
    plan = current_plan(request)
    found = visible_reports(request.user).filter(measure__task__plan=plan)
    state, cycle = request.GET.get("state", ""), request.GET.get("cycle", "")
    if state in ReportState.values:
        found = found.filter(state=state)
    if cycle.isdigit() and len(cycle) < 12:
        found = found.filter(cycle_id=int(cycle))
    measure = None
    if (measure_id := query_int(request, "measure")) is not None:  # a measure's whole history
        measure = (
            Measure.objects.filter(pk=measure_id, task__plan=plan).select_related("task").first()
        )
        found = found.filter(measure_id=measure_id)
    found = found.select_related("measure__task", "cycle", "organisation")
    if REPORTS.wants_export(request):
        return REPORTS.export(request, found)
    context: dict[str, Any] = {
        "plan": plan,
        "filters": {"state": state, "cycle": cycle},
        "measure": measure,
        "states": ReportState.choices,
        "cycles": ReportingCycle.objects.filter(plan=plan).order_by("-starts_on"),
    }
    return render(request, "web/report_list.html", context | REPORTS.page(request, found))
