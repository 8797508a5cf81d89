"""Read-only endpoints for plans, tasks, measures and organisations."""

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext, gettext_lazy
from ninja import Field, File, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate

from luoshi.accounts.policies import is_office, reads_plans
from luoshi.api.auth import RoleGate
from luoshi.audit.services import refuse
from luoshi.plans.models import Duty, Measure, Organisation, Plan, Responsibility, Task
from luoshi.plans.services import plan_import
from luoshi.plans.summary import plan_summary
from luoshi.plans.uploads import PlanRefused, parse_upload
from luoshi.tokens.models import Scope

gate = RoleGate(reads_plans, gettext_lazy("无权查看方案"))
router = Router(tags=["plans"], auth=gate)


class UnitOut(Schema):
    organisation: str
    organisation_id: int
    role: Duty
    and_others: bool
    source: str

    @staticmethod
    def resolve_organisation(duty: Responsibility) -> str:
        return duty.organisation.name


class PlanOut(Schema):
    id: int
    title: str
    issuer: str
    published_at: dt.datetime | None
    status: str
    level: str
    source_name: str
    area_km2: float | None
    facts: dict[str, str]
    imported_at: dt.datetime
    programme_id: int
    revises_id: int | None
    effective_from: dt.date | None
    in_force: bool
    public: bool

    @staticmethod
    def resolve_in_force(plan: Plan) -> bool:
        """The version of its programme people work on (chosen by the office)."""
        return plan.programme.in_force_id == plan.pk

    @staticmethod
    def resolve_public(plan: Plan) -> bool:
        """The version of its programme the public portal shows."""
        return plan.programme.public_id == plan.pk


class TargetOut(Schema):
    kind: str
    year: int | None
    value: float
    text: str


class IndicatorOut(Schema):
    category: str
    name: str
    unit: str
    target_kind: str
    province_target: str
    area_target: str
    area_value: float | None
    area_by_year: dict[str, str]
    period_years: int | None


class PlanDetailOut(PlanOut):
    introduction: str
    targets: list[TargetOut]
    indicators: list[IndicatorOut]
    task_count: int
    measure_count: int

    @staticmethod
    def resolve_task_count(plan: Plan) -> int:
        return plan.tasks.count()

    @staticmethod
    def resolve_measure_count(plan: Plan) -> int:
        return Measure.objects.filter(task__plan=plan).count()


class MeasureOut(Schema):
    id: int
    code: str
    number: int
    text: str
    task_id: int
    first_line: int
    last_line: int
    units: list[UnitOut]

    @staticmethod
    def resolve_units(measure: Measure) -> list[Responsibility]:
        return list(measure.responsibilities.all())


class TaskOut(Schema):
    id: int
    plan_id: int
    number: int
    numeral: str
    title: str
    deadline_text: str
    due_kind: str
    due_date: dt.date | None
    first_line: int
    last_line: int
    units: list[UnitOut]

    @staticmethod
    def resolve_units(task: Task) -> list[Responsibility]:
        return list(task.responsibilities.all())


class TaskDetailOut(TaskOut):
    evaluation_target: str
    source_text: str
    measures: list[MeasureOut]

    @staticmethod
    def resolve_source_text(task: Task) -> str:
        return task.plan.source_text(task.first_line, task.last_line)


class OrganisationOut(Schema):
    id: int
    name: str
    kind: str
    level: str
    in_directory: bool
    aliases: list[str]

    @staticmethod
    def resolve_aliases(organisation: Organisation) -> list[str]:
        return [a.name for a in organisation.aliases.all()]


class ResponsibilityFilter(Schema):
    organisation: int | None = Field(None, description="organisation id")
    role: Duty | None = None


class TaskFilter(ResponsibilityFilter):
    due_before: dt.date | None = None
    due_after: dt.date | None = None
    ongoing: bool | None = None


UNITS = Prefetch("responsibilities", queryset=Responsibility.objects.select_related("organisation"))


def _duty_filter(filters: ResponsibilityFilter, prefix: str) -> Q:
    """Tasks or measures where the organisation holds the role (at task or measure level)."""
    q = Q()
    if filters.organisation is not None:
        q &= Q(**{f"{prefix}organisation_id": filters.organisation})
    if filters.role is not None:
        q &= Q(**{f"{prefix}role": filters.role})
    return q


@router.get("/plans", response=list[PlanOut], auth=gate.allowing(Scope.STATUS_READ))
def list_plans(request: HttpRequest) -> QuerySet[Plan]:
    return Plan.objects.select_related("programme")


@router.post("/plans/import", response=dict[str, Any])
def import_plan(
    request: HttpRequest, file: File[UploadedFile], dry_run: bool = False, level: str | None = None
) -> dict[str, Any]:
    """Read a plan document and store it (office only); `dry_run` reports without storing."""
    if not is_office(request.user):
        raise refuse(actor=request.user, message=gettext("仅片区办可以导入方案"))
    try:
        # one byte past the limit is enough to refuse a larger file: never the whole upload in memory
        data = file.read(settings.LUOSHI_MAX_IMPORT_BYTES + 1)
        parsed = parse_upload(name=file.name or "", data=data, level=level)
    except PlanRefused as refused:
        raise ValidationError({"file": [str(refused)]}) from refused
    summary = plan_summary(parsed)
    if dry_run:
        return summary | {"stored": "dry_run"}
    assert isinstance(request.user, User)
    result = plan_import(parsed=parsed, actor=request.user)
    return summary | {
        "stored": "created" if result.created else "unchanged",
        "plan_id": result.plan.pk,
    }


@router.get("/plans/{plan_id}", response=PlanDetailOut, auth=gate.allowing(Scope.STATUS_READ))
def get_plan(request: HttpRequest, plan_id: int) -> Plan:
    return get_object_or_404(
        Plan.objects.select_related("programme").prefetch_related("targets", "indicators"),
        pk=plan_id,
    )


@router.get("/plans/{plan_id}/tasks", response=list[TaskOut], auth=gate.allowing(Scope.STATUS_READ))
@paginate(LimitOffsetPagination)
def list_tasks(request: HttpRequest, plan_id: int, filters: Query[TaskFilter]) -> QuerySet[Task]:
    tasks = Task.objects.filter(plan_id=get_object_or_404(Plan, pk=plan_id).pk)
    if filters.organisation is not None or filters.role is not None:
        at_task = Q(
            pk__in=Responsibility.objects.filter(_duty_filter(filters, "")).values("task_id")
        )
        at_measure = Q(
            measures__in=Responsibility.objects.filter(_duty_filter(filters, "")).values(
                "measure_id"
            )
        )
        tasks = tasks.filter(at_task | at_measure)
    if filters.due_before:
        tasks = tasks.filter(due_date__lte=filters.due_before)
    if filters.due_after:
        tasks = tasks.filter(due_date__gte=filters.due_after)
    if filters.ongoing is not None:
        tasks = (
            tasks.filter(due_kind="ongoing")
            if filters.ongoing
            else tasks.exclude(due_kind="ongoing")
        )
    return tasks.distinct().order_by("number").prefetch_related(UNITS)


@router.get("/tasks/{task_id}", response=TaskDetailOut, auth=gate.allowing(Scope.STATUS_READ))
def get_task(request: HttpRequest, task_id: int) -> Task:
    measures = Prefetch(
        "measures", queryset=Measure.objects.select_related("task").prefetch_related(UNITS)
    )
    return get_object_or_404(
        Task.objects.select_related("plan").prefetch_related(UNITS, measures), pk=task_id
    )


@router.get("/measures", response=list[MeasureOut], auth=gate.allowing(Scope.STATUS_READ))
@paginate(LimitOffsetPagination)
def list_measures(
    request: HttpRequest,
    filters: Query[ResponsibilityFilter],
    plan: int | None = None,
    task: int | None = None,
) -> QuerySet[Measure]:
    measures = Measure.objects.all()
    if plan is not None:
        measures = measures.filter(task__plan_id=plan)
    if task is not None:
        measures = measures.filter(task_id=task)
    if filters.organisation is not None or filters.role is not None:
        measures = measures.filter(
            pk__in=Responsibility.objects.filter(_duty_filter(filters, "")).values("measure_id")
        )
    return (
        measures.select_related("task")
        .prefetch_related(UNITS)
        .order_by("task__plan", "task__number", "number")
    )


@router.get("/organisations", response=list[OrganisationOut], auth=gate.allowing(Scope.STATUS_READ))
def list_organisations(request: HttpRequest) -> QuerySet[Organisation]:
    return Organisation.objects.prefetch_related("aliases")
