"""Innovation cases (改革创新案例) and evaluations (评估): lists and the writes of their services."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy
from ninja import Router, Schema

from luoshi.accounts.policies import reads_plans
from luoshi.api.auth import RoleGate
from luoshi.api.metrics import requested_plan
from luoshi.cases.evaluations import evaluation_record
from luoshi.cases.models import CaseLevel, Evaluation, EvaluationKind, InnovationCase
from luoshi.cases.services import case_advance, case_create
from luoshi.plans.models import Organisation, Plan, Task

router = Router(tags=["cases"], auth=RoleGate(reads_plans, gettext_lazy("无权查看案例")))


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


class CaseIn(Schema):
    plan_id: int
    title: str
    summary: str = ""
    level: CaseLevel
    task_ids: list[int] = []
    organisation_id: int | None = None


class CaseOut(Schema):
    id: int
    title: str
    summary: str
    level: str
    stage: str
    organisation: str
    submitted_on: dt.date | None
    selected_on: dt.date | None
    promoted_on: dt.date | None
    task_numbers: list[int]

    @staticmethod
    def resolve_organisation(case: InnovationCase) -> str:
        return case.organisation.name

    @staticmethod
    def resolve_task_numbers(case: InnovationCase) -> list[int]:
        return [t.number for t in case.tasks.all()]


@router.get("/cases", response=list[CaseOut])
def list_cases(request: HttpRequest, plan: int | None = None) -> Any:
    return (
        InnovationCase.objects.filter(plan=requested_plan(plan))
        .select_related("organisation")
        .prefetch_related("tasks")
    )


@router.post("/cases", response={201: CaseOut})
def create_case(request: HttpRequest, data: CaseIn) -> tuple[int, InnovationCase]:
    plan = get_object_or_404(Plan, pk=data.plan_id)
    fields: dict[str, Any] = {
        "plan": plan,
        "title": data.title,
        "summary": data.summary,
        "level": data.level,
    }
    if data.organisation_id:
        fields["organisation"] = get_object_or_404(Organisation, pk=data.organisation_id)
    tasks = list(Task.objects.filter(plan=plan, pk__in=data.task_ids))
    return 201, case_create(actor=_user(request), tasks=tasks, **fields)


class AdvanceIn(Schema):
    on: dt.date


@router.post("/cases/{case_id}/advance", response=CaseOut)
def advance_case(request: HttpRequest, case_id: int, data: AdvanceIn) -> InnovationCase:
    return case_advance(
        case=get_object_or_404(InnovationCase, pk=case_id), on=data.on, actor=_user(request)
    )


class EvaluationIn(Schema):
    task_id: int
    kind: EvaluationKind
    evaluator: str
    evaluated_on: dt.date
    score: Decimal | None = None
    grade: str = ""
    findings: str = ""
    target_met: bool | None = None


class EvaluationOut(Schema):
    id: int
    plan_id: int
    task_id: int | None
    kind: str
    evaluator: str
    evaluated_on: dt.date
    score: Decimal | None
    grade: str
    findings: str
    target_met: bool | None


@router.get("/evaluations", response=list[EvaluationOut])
def list_evaluations(request: HttpRequest, task: int | None = None) -> Any:
    evaluations = Evaluation.objects.all()
    return evaluations.filter(task_id=task) if task else evaluations


@router.post("/evaluations", response={201: EvaluationOut})
def record_evaluation(request: HttpRequest, data: EvaluationIn) -> tuple[int, Evaluation]:
    task = get_object_or_404(Task, pk=data.task_id)
    fields = data.dict(exclude={"task_id", "kind"})
    return 201, evaluation_record(task=task, actor=_user(request), kind=data.kind, **fields)
