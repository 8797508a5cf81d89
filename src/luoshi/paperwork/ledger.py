"""The ledger (工作台账) .xlsx: one row per measure with a stable ID, ready to filter and print; the
columns on the right are for a department to fill in and upload back (see ledger_import)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _l

from luoshi.accounts.models import ResponsiblePerson
from luoshi.metrics.facts import PlanFacts, load_facts
from luoshi.metrics.lights import lights_as_of
from luoshi.paperwork.workbook import Column, Sheet, in_every_language, workbook
from luoshi.plans.models import Duty, Measure, Organisation, Plan, Responsibility
from luoshi.progress.asof import ReportOnDate
from luoshi.progress.models import ProgressStatus, Report, ReportState
from luoshi.progress.timing import Deadline, deadline_batch, measure_deadline

SHEET = _l("工作台账")


@dataclass(frozen=True)
class LedgerColumn:
    """A column of the ledger: `key` names it in code (a report field for the editable ones),
    `label` is its header in the reader's language."""

    key: str
    label: str | Promise
    width: float
    editable: bool = False


COLUMNS = [
    LedgerColumn("id", "ID", 9),
    LedgerColumn("task", _l("任务"), 36),
    LedgerColumn("measure", _l("举措"), 50),
    LedgerColumn("lead", _l("牵头单位"), 16),
    LedgerColumn("supporting", _l("配合单位"), 24),
    LedgerColumn("person", _l("责任人"), 24),
    LedgerColumn("when", _l("落实时间"), 14),
    LedgerColumn("deadline", _l("截止日期"), 11),
    LedgerColumn("light", _l("灯"), 6),
    LedgerColumn("reasons", _l("预警原因"), 24),
    LedgerColumn("cycle", _l("最近报告周期"), 12),
    LedgerColumn("state", _l("最近报告状态"), 12),
    LedgerColumn("latest", _l("最近进展"), 30),
    LedgerColumn("progress_status", _l("本期进展状态"), 14, True),
    LedgerColumn("percent", _l("本期完成比例"), 10, True),
    LedgerColumn("work_done", _l("本期工作进展"), 36, True),
    LedgerColumn("problems", _l("本期问题与困难"), 24, True),
    LedgerColumn("next_steps", _l("本期下一步计划"), 24, True),
]
KEYS = [c.key for c in COLUMNS]
# Columns an upload may not change: what the plan says, compared with the database on import.
PLAN_COLUMNS = ["task", "measure", "lead", "supporting", "when", "deadline"]
EDITABLE = [c.key for c in COLUMNS if c.editable]


def headers() -> list[str]:
    """The header row in the active language."""
    return [str(c.label) for c in COLUMNS]


def measure_id(plan: Plan, measure: Measure) -> str:
    return f"{plan.pk}-{measure.task.number}.{measure.number}"


def ledger_measures(plan: Plan, organisation: Organisation | None = None) -> QuerySet[Measure]:
    duties = Prefetch(
        "responsibilities",
        queryset=Responsibility.objects.select_related("organisation").order_by("position"),
    )
    measures = (
        Measure.objects.filter(task__plan=plan).select_related("task").prefetch_related(duties)
    )
    if organisation is not None:
        measures = measures.filter(
            responsibilities__organisation=organisation, responsibilities__role=Duty.LEAD
        )
    return measures.order_by("task__number", "number")


def plan_values(plan: Plan, measure: Measure, as_of: dt.date | None = None) -> dict[str, str]:
    """The read-only plan columns of a measure's row, as written in the sheet in the active
    language. As of a date, a deadline moved by an extension reads "原定 X，延期至 Y" (see
    `same_deadline` on the way back)."""

    def names(roles: set[str]) -> str:
        return gettext("、").join(
            d.organisation.name for d in measure.responsibilities.all() if d.role in roles
        )

    words, due = measure.deadline_in_force
    task = gettext("（%(number)s）%(title)s") % {
        "number": measure.task.number,
        "title": measure.task.title,
    }
    return {
        "task": task,
        "measure": measure.text,
        "lead": names({Duty.LEAD}),
        "supporting": names({Duty.SUPPORTING, Duty.RESPONSIBLE}),
        "when": words,
        "deadline": (as_of and _extended(measure_deadline(measure, as_of)))
        or (due.isoformat() if due else ""),
    }


def _extended(deadline: Deadline) -> str:
    """A moved deadline as the sheet writes it, "" when it was not moved."""
    if not deadline.extended or deadline.in_force is None:
        return ""
    return _extended_words() % {
        "a": f"{deadline.written:%Y-%m-%d}" if deadline.written else "—",
        "b": f"{deadline.in_force:%Y-%m-%d}",
    }


def _extended_words() -> str:
    return gettext("原定 %(a)s，延期至 %(b)s")


def same_deadline(cell: str, measure: Measure) -> bool:
    """The sheet's 截止日期 still says the written deadline, with or without an extension beside it
    (in either language): an extension approved after the export does not make the returned sheet
    "changed"."""
    _words, due = measure.deadline_in_force
    written = due.isoformat() if due else ""
    starts = in_every_language(lambda: _extended_words().split("%(b)s")[0] % {"a": written or "—"})
    return cell == written or any(cell.startswith(start) for start in starts)


def ledger_xlsx(plan: Plan, as_of: dt.date, organisation: Organisation | None = None) -> bytes:
    measures = list(ledger_measures(plan, organisation))
    facts = load_facts(plan, as_of)
    lights = lights_as_of(facts, as_of)
    latest = _latest_reports(facts)
    texts = dict(
        Report.objects.filter(pk__in=[r.id for r in latest.values()]).values_list("pk", "work_done")
    )
    cycle_names = {c.id: c.name for c in facts.cycles}
    people = _lead_people(measures)
    with deadline_batch():  # the extensions read once for every row
        plan_columns = {m.pk: plan_values(plan, m, as_of) for m in measures}
    rows = []
    for m in measures:
        report = latest.get(m.pk)
        light = lights[m.pk]
        person = people.get(m.pk, "")
        values = plan_columns[m.pk]
        rows.append(
            [
                measure_id(plan, m),
                values["task"],
                values["measure"],
                values["lead"],
                values["supporting"],
                person,
                values["when"],
                values["deadline"],
                str(light.colour.label),
                gettext("；").join(light.reasons),
                cycle_names[report.cycle_id] if report else "",
                str(ReportState(report.state).label) if report else "",
                _content(report, texts[report.id]) if report else "",
                "",
                "",
                "",
                "",
                "",
            ]
        )
    columns = [Column(str(c.label), c.width, c.editable) for c in COLUMNS]
    sheet = Sheet(
        str(SHEET), columns, rows, wrap=True, freeze="B2", auto_filter=True, landscape=True
    )
    return workbook(sheet)


def _lead_people(measures: list[Measure]) -> dict[int, str]:
    """Each measure's 责任人 named by its lead unit, with post and phones, as the ledger prints it."""
    leads = {
        (m.pk, d.organisation_id)
        for m in measures
        for d in m.responsibilities.all()
        if d.role == Duty.LEAD
    }
    return {
        p.measure_id: " ".join(x for x in (p.person.name, p.person.post, p.person.phones) if x)
        for p in ResponsiblePerson.objects.filter(measure__in=measures).select_related("person")
        if (p.measure_id, p.organisation_id) in leads
    }


def _latest_reports(facts: PlanFacts) -> dict[int, ReportOnDate]:
    """Each measure's report of the latest cycle, as it stood on the facts' date."""
    order = {c.id: index for index, c in enumerate(facts.cycles)}
    latest: dict[int, ReportOnDate] = {}
    for (cycle_id, measure_id), report in sorted(
        facts.reports.items(), key=lambda item: order.get(item[0][0], -1)
    ):
        if cycle_id in order:
            latest[measure_id] = report
    return latest


def _content(report: ReportOnDate, work_done: str) -> str:
    """What the report said as last submitted (nothing while it was still a first draft)."""
    if not report.progress_status:
        return ""
    return f"{ProgressStatus(report.progress_status).label} {report.percent}% {work_done}"
