"""Writes for cases and evaluations; the case stages are a transition table."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from luoshi.accounts.models import Role
from luoshi.accounts.policies import DEPARTMENT, is_office, organisation_of, role_of
from luoshi.audit.services import audit_record
from luoshi.cases.models import CaseStage, Evaluation, EvaluationKind, InnovationCase
from luoshi.plans.models import Role as Duty
from luoshi.plans.models import Task

# stage → (next stage, the date field it sets)
NEXT_STAGE: dict[str, tuple[str, str]] = {
    CaseStage.DRAFT: (CaseStage.SUBMITTED, "submitted_on"),
    CaseStage.SUBMITTED: (CaseStage.SELECTED, "selected_on"),
    CaseStage.SELECTED: (CaseStage.PROMOTED, "promoted_on"),
}


def case_create(*, actor: User, tasks: list[Task], **fields: Any) -> InnovationCase:
    """A department proposes a case (for its own organisation); the office may for any."""
    organisation = fields.get("organisation") or organisation_of(actor)
    if organisation is None:
        raise ValidationError({"organisation": "请指定提出案例的单位"})
    if not (
        is_office(actor)
        or (role_of(actor) in DEPARTMENT and organisation == organisation_of(actor))
    ):
        raise PermissionDenied("只有片区办或本单位人员可以提出案例")
    with transaction.atomic():
        case = InnovationCase.objects.create(
            created_by=actor, **{**fields, "organisation": organisation}
        )
        case.tasks.set(tasks)
        audit_record(actor=actor, action="case_create", obj=case)
    return case


def case_advance(*, case: InnovationCase, on: dt.date, actor: User) -> InnovationCase:
    """draft → submitted → selected → promoted (复制推广); only the office moves a case on."""
    if not is_office(actor):
        raise PermissionDenied("只有片区办可以更新案例阶段")
    if case.stage not in NEXT_STAGE:
        raise ValidationError({"stage": "案例已复制推广，没有下一阶段"})
    stage, date_field = NEXT_STAGE[case.stage]
    with transaction.atomic():
        source = case.stage
        case.stage = stage
        setattr(case, date_field, on)
        case.save()
        audit_record(
            actor=actor, action="case_advance", obj=case, detail={"from": source, "to": stage}
        )
    return case


def evaluation_record(*, task: Task, actor: User, kind: str, **fields: Any) -> Evaluation:
    """Self-assessment by the task's lead unit; third-party and annual evaluations by evaluators or the office."""
    allowed = (
        is_office(actor)
        or (kind != EvaluationKind.SELF and role_of(actor) == Role.EVALUATOR)
        or (
            kind == EvaluationKind.SELF
            and role_of(actor) in DEPARTMENT
            and task.measures.filter(
                responsibilities__organisation=organisation_of(actor),
                responsibilities__role=Duty.LEAD,
            ).exists()
        )
    )
    if not allowed:
        raise PermissionDenied("无权登记该类评估")
    with transaction.atomic():
        evaluation = Evaluation.objects.create(task=task, kind=kind, recorded_by=actor, **fields)
        audit_record(actor=actor, action="evaluation_record", obj=evaluation)
    return evaluation
