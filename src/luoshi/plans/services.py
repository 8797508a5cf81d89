"""Loading a parsed plan into the database: one transaction, idempotent by content fingerprint."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction

from luoshi.audit.actions import AuditAction
from luoshi.audit.services import audit_record
from luoshi.ingest.model import OrganisationInfo, ParsedPlan, ParsedTask, UnitRef
from luoshi.plans.models import (
    Indicator,
    Measure,
    Organisation,
    OrganisationAlias,
    Plan,
    PlanStatus,
    PlanTarget,
    Responsibility,
    Section,
    Task,
)


@dataclass(frozen=True)
class ImportResult:
    plan: Plan
    created: bool


def plan_import(*, parsed: ParsedPlan, actor: User | None = None) -> ImportResult:
    """Store `parsed` as a new plan, or return the plan already stored from the same content."""
    existing = Plan.objects.filter(fingerprint=parsed.fingerprint).first()
    if existing is not None:
        return ImportResult(existing, created=False)
    with transaction.atomic():
        organisations = _organisations(parsed.organisations)
        plan = Plan.objects.create(
            title=parsed.title,
            issuer=parsed.issuer[:100],
            published_at=parsed.published_at,
            status=PlanStatus.DRAFT if parsed.is_draft else PlanStatus.FINAL,
            level=parsed.level,
            place=parsed.place,
            doc_number=parsed.doc_number,
            issuers=parsed.issuers,
            issued_on=parsed.issued_on,
            scope=parsed.scope,
            source_name=parsed.source_name,
            fingerprint=parsed.fingerprint,
            introduction=parsed.introduction,
            area_km2=parsed.area_km2,
            facts=parsed.facts,
            source_lines=[list(line) for line in parsed.source_lines],
            parse_report=[
                {"line": a.line, "code": str(a.code), "message": a.message}
                for a in parsed.report.anomalies
            ],
        )
        sections = {
            s.number: Section.objects.create(
                plan=plan,
                number=s.number,
                numeral=s.numeral,
                title=s.title,
                text=s.text,
                first_line=s.span.first,
                last_line=s.span.last,
            )
            for s in parsed.sections
        }
        _tasks(plan, sections, parsed.tasks, organisations)
        _indicators(plan, parsed)
        audit_record(
            actor=actor,
            action=AuditAction.PLAN_IMPORT,
            obj=plan,
            detail={
                "source": parsed.source_name,
                "tasks": len(parsed.tasks),
                "measures": len(parsed.measures),
            },
        )
    return ImportResult(plan, created=True)


def _organisations(infos: list[OrganisationInfo]) -> dict[str, Organisation]:
    """Get or create each organisation the document names, with the aliases the directory knows."""
    found = {o.name: o for o in Organisation.objects.filter(name__in=[i.name for i in infos])}
    for info in infos:
        if info.name not in found:
            found[info.name] = Organisation.objects.create(
                name=info.name, kind=info.kind, level=info.level, in_directory=info.known
            )
        known = set(found[info.name].aliases.values_list("name", flat=True))
        OrganisationAlias.objects.bulk_create(
            [
                OrganisationAlias(organisation=found[info.name], name=a)
                for a in info.aliases
                if a not in known
            ],
            ignore_conflicts=True,
        )
    return found


def _tasks(
    plan: Plan,
    sections: dict[int, Section],
    tasks: list[ParsedTask],
    organisations: dict[str, Organisation],
) -> None:
    stored_tasks = Task.objects.bulk_create(
        [
            Task(
                plan=plan,
                section=sections[t.section_number],
                number=t.number,
                numeral=t.numeral,
                title=t.title,
                deadline_text=t.deadline.text if t.deadline else "",
                due_kind=t.deadline.kind if t.deadline else "unknown",
                due_date=t.deadline.due_date if t.deadline else None,
                evaluation_target=t.evaluation_target,
                units_note=t.units_note,
                first_line=t.span.first,
                last_line=t.span.last,
            )
            for t in tasks
        ]
    )
    measures: list[Measure] = []
    duties: list[Responsibility] = []
    for task, parsed in zip(stored_tasks, tasks, strict=True):
        duties += _duties(parsed.units, organisations, task=task)
        for m in parsed.measures:
            measures.append(
                Measure(
                    task=task,
                    number=m.number,
                    number_as_written=m.number_as_written or "",
                    group=m.group,
                    text=m.text,
                    scope=m.scope,
                    deadline_text=m.deadline.text if m.deadline else "",
                    due_kind=m.deadline.kind if m.deadline else "",
                    due_date=m.deadline.due_date if m.deadline else None,
                    units_note=m.units_note,
                    first_line=m.span.first,
                    last_line=m.span.last,
                )
            )
    stored_measures = Measure.objects.bulk_create(measures)
    parsed_measures = [m for t in tasks for m in t.measures]
    for measure, parsed_measure in zip(stored_measures, parsed_measures, strict=True):
        duties += _duties(parsed_measure.units, organisations, measure=measure)
    Responsibility.objects.bulk_create(duties)


def _duties(
    units: list[UnitRef],
    organisations: dict[str, Organisation],
    *,
    task: Task | None = None,
    measure: Measure | None = None,
) -> list[Responsibility]:
    return [
        Responsibility(
            task=task,
            measure=measure,
            organisation=organisations[u.name],
            role=u.role,
            position=position,
            as_written=u.as_written,
            and_others=u.and_others,
            source=u.source,
        )
        for position, u in enumerate(units, start=1)
    ]


def _indicators(plan: Plan, parsed: ParsedPlan) -> None:
    Indicator.objects.bulk_create(
        Indicator(
            plan=plan,
            position=position,
            category=i.category,
            name=i.name,
            unit=i.unit,
            target_kind=i.kind,
            province_target=i.province.text,
            area_target=i.area.text,
            province_value=i.province.value,
            area_value=i.area.value,
            province_by_year={str(y): str(v) for y, v in i.province.by_year.items()},
            area_by_year={str(y): str(v) for y, v in i.area.by_year.items()},
            period_years=i.area.years or i.province.years,
            source_line=i.line,
        )
        for position, i in enumerate(parsed.indicators, start=1)
    )
    PlanTarget.objects.bulk_create(
        PlanTarget(
            plan=plan, kind=t.kind, year=t.year, value=t.value, text=t.text, source_line=t.line
        )
        for t in parsed.targets
    )
