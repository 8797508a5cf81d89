"""Loading a parsed plan into the database: one transaction, idempotent by content fingerprint."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from luoshi.audit.actions import AuditAction
from luoshi.audit.models import Outcome
from luoshi.audit.services import audit_record
from luoshi.ingest.model import OrganisationInfo, ParsedPlan, ParsedTask, UnitRef
from luoshi.plans import policies
from luoshi.plans.models import (
    Indicator,
    Measure,
    Organisation,
    OrganisationAlias,
    Plan,
    PlanStatus,
    PlanTarget,
    Programme,
    Responsibility,
    Section,
    Task,
)
from luoshi.plans.revisions import Diff, plan_diff


@dataclass(frozen=True)
class ImportResult:
    plan: Plan
    created: bool


def plan_import(
    *,
    parsed: ParsedPlan,
    actor: User | None = None,
    revises: Plan | None = None,
    diff: Diff | None = None,
) -> ImportResult:
    """Store `parsed` as a new plan — a new programme, or a new version of `revises`'s programme —
    or return the plan already stored from the same content. The new plan is neither in force nor
    public: what everybody sees stays as it was until the office chooses otherwise."""
    existing = Plan.objects.filter(fingerprint=parsed.fingerprint).first()
    if existing is not None:
        return ImportResult(existing, created=False)
    with transaction.atomic():
        organisations = _organisations(parsed.organisations)
        programme = revises.programme if revises else Programme.objects.create(name=parsed.title)
        plan = Plan.objects.create(
            programme=programme,
            revises=revises,
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
                {"line": a.line, "code": str(a.code), "message": str(a.message)}
                | a.message.as_json()
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
        if revises is not None:
            _carry(plan, diff or plan_diff(revises, parsed))
        audit_record(
            actor=actor,
            action=AuditAction.PLAN_IMPORT,
            obj=plan,
            detail={
                "source": parsed.source_name,
                "tasks": len(parsed.tasks),
                "measures": len(parsed.measures),
                "programme": programme.pk,
                "revises": revises.pk if revises else None,
            },
        )
    return ImportResult(plan, created=True)


def _carry(plan: Plan, diff: Diff) -> None:
    """Link each matched task and measure to the one it revises: progress reads through the link."""
    tasks = list(plan.tasks.order_by("number"))
    for old_id, position in diff.task_pairs.items():
        tasks[position].carried_from_id = old_id
    Task.objects.bulk_update(tasks, ["carried_from"])
    measures = list(Measure.objects.filter(task__plan=plan).order_by("task__number", "number"))
    for old_id, position in diff.measure_pairs.items():
        measures[position].carried_from_id = old_id
    Measure.objects.bulk_update(measures, ["carried_from"])


def _refused(actor: User | None, action: AuditAction, plan: Plan, reason: str) -> None:
    audit_record(
        actor=actor, action=action, obj=plan, outcome=Outcome.REFUSED, detail={"reason": reason}
    )


def plan_put_in_force(
    *, plan: Plan, actor: User | None, effective_from: dt.date | None = None
) -> Plan:
    """The office makes `plan` the version of its programme that everybody works on, from
    `effective_from` (today by default); the version before it keeps applying to earlier dates."""
    if actor is not None and not policies.may_choose_versions(actor):
        _refused(actor, AuditAction.PLAN_IN_FORCE, plan, gettext("只有片区办可以选择现行版本"))
        raise PermissionDenied(gettext("只有片区办可以选择现行版本"))
    reason = policies.may_be_in_force(plan)
    if reason:
        _refused(actor, AuditAction.PLAN_IN_FORCE, plan, reason)
        raise ValidationError({"plan": reason})
    effective_from = effective_from or timezone.localdate()
    with transaction.atomic():
        programme = Programme.objects.select_for_update().get(pk=plan.programme_id)
        before = programme.in_force_id
        programme.in_force = plan
        programme.save(update_fields=["in_force"])
        plan.effective_from = effective_from
        plan.save(update_fields=["effective_from"])
        audit_record(
            actor=actor,
            action=AuditAction.PLAN_IN_FORCE,
            obj=plan,
            detail={"before": before, "effective_from": effective_from.isoformat()},
        )
    return plan


def plan_make_public(*, plan: Plan, actor: User | None, public: bool = True) -> Plan:
    """The office chooses the version of its programme the public portal shows (or shows none)."""
    if actor is not None and not policies.may_choose_versions(actor):
        _refused(actor, AuditAction.PLAN_PUBLIC, plan, gettext("只有片区办可以选择公开版本"))
        raise PermissionDenied(gettext("只有片区办可以选择公开版本"))
    reason = policies.may_be_public(plan) if public else None
    if reason:
        _refused(actor, AuditAction.PLAN_PUBLIC, plan, reason)
        raise ValidationError({"plan": reason})
    with transaction.atomic():
        programme = Programme.objects.select_for_update().get(pk=plan.programme_id)
        before = programme.public_id
        if public:
            programme.public = plan
        elif programme.public_id == plan.pk:
            programme.public = None
        programme.save(update_fields=["public"])
        audit_record(
            actor=actor,
            action=AuditAction.PLAN_PUBLIC,
            obj=plan,
            detail={"before": before, "after": programme.public_id},
        )
    return plan


def plan_repeal(*, plan: Plan, actor: User | None) -> Plan:
    """The office marks a version 已废止: it stays readable with its history, but is no longer in
    force nor public."""
    if actor is not None and not policies.may_choose_versions(actor):
        _refused(actor, AuditAction.PLAN_REPEAL, plan, gettext("只有片区办可以废止方案"))
        raise PermissionDenied(gettext("只有片区办可以废止方案"))
    with transaction.atomic():
        programme = Programme.objects.select_for_update().get(pk=plan.programme_id)
        programme.in_force = None if programme.in_force_id == plan.pk else programme.in_force
        programme.public = None if programme.public_id == plan.pk else programme.public
        programme.save(update_fields=["in_force", "public"])
        before = plan.status
        plan.status = PlanStatus.REPEALED
        plan.save(update_fields=["status"])
        audit_record(
            actor=actor, action=AuditAction.PLAN_REPEAL, obj=plan, detail={"before": before}
        )
    return plan


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
