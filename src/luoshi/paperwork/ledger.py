"""The ledger (工作台账) .xlsx: one row per measure with a stable ID, ready to filter and print; the
columns on the right are for a department to fill in and upload back (see ledger_import)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, QuerySet

from luoshi.accounts.models import ResponsiblePerson
from luoshi.metrics.facts import PlanFacts, load_facts
from luoshi.metrics.lights import lights_as_of
from luoshi.paperwork.workbook import Column, Sheet, workbook
from luoshi.plans.models import Duty, Measure, Organisation, Plan, Responsibility
from luoshi.progress.asof import ReportOnDate
from luoshi.progress.models import ProgressStatus, Report, ReportState
from luoshi.progress.timing import deadline_batch, measure_deadline

SHEET = "工作台账"


COLUMNS = [
    Column("ID", 9),
    Column("任务", 36),
    Column("举措", 50),
    Column("牵头单位", 16),
    Column("配合单位", 24),
    Column("责任人", 24),
    Column("落实时间", 14),
    Column("截止日期", 11),
    Column("灯", 6),
    Column("预警原因", 24),
    Column("最近报告周期", 12),
    Column("最近报告状态", 12),
    Column("最近进展", 30),
    Column("本期进展状态", 14, True),
    Column("本期完成比例", 10, True),
    Column("本期工作进展", 36, True),
    Column("本期问题与困难", 24, True),
    Column("本期下一步计划", 24, True),
]
HEADERS = [c.header for c in COLUMNS]
# Columns an upload may not change: what the plan says, compared with the database on import.
PLAN_COLUMNS = ["任务", "举措", "牵头单位", "配合单位", "落实时间", "截止日期"]
EDITABLE = [c.header for c in COLUMNS if c.editable]


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
    """The read-only plan columns of a measure's row, as written in the sheet. As of a date, a
    deadline moved by an extension reads "原定 X，延期至 Y" (see `same_deadline` on the way back)."""

    def names(roles: set[str]) -> str:
        return "、".join(
            d.organisation.name for d in measure.responsibilities.all() if d.role in roles
        )

    words, due = measure.deadline_in_force
    return {
        "任务": f"（{measure.task.number}）{measure.task.title}",
        "举措": measure.text,
        "牵头单位": names({Duty.LEAD}),
        "配合单位": names({Duty.SUPPORTING, Duty.RESPONSIBLE}),
        "落实时间": words,
        "截止日期": (as_of and measure_deadline(measure, as_of).note)
        or (due.isoformat() if due else ""),
    }


def same_deadline(cell: str, measure: Measure) -> bool:
    """The sheet's 截止日期 still says the written deadline, with or without an extension beside it:
    an extension approved after the export does not make the returned sheet "changed"."""
    _words, due = measure.deadline_in_force
    written = due.isoformat() if due else ""
    return cell == written or cell.startswith(f"原定 {written or '—'}，延期至 ")


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
                values["任务"],
                values["举措"],
                values["牵头单位"],
                values["配合单位"],
                person,
                values["落实时间"],
                values["截止日期"],
                str(light.colour.label),
                "；".join(light.reasons),
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
    sheet = Sheet(SHEET, COLUMNS, rows, wrap=True, freeze="B2", auto_filter=True, landscape=True)
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
