"""Writes for cases and evaluations; the case stages are a transition table."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction

from luoshi.accounts.policies import organisation_of
from luoshi.audit.actions import AuditAction
from luoshi.audit.services import audit_record, refuse
from luoshi.cases.models import CaseStage, Evaluation, InnovationCase
from luoshi.cases.policies import can_advance_case, can_propose_case, can_record_evaluation
from luoshi.plans.limits import date_errors, number_error, refuse_if
from luoshi.plans.models import Task

SCORE_MIN, SCORE_MAX = Decimal(0), Decimal(100)

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
    if not can_propose_case(actor, organisation):
        raise refuse(
            actor=actor,
            action=AuditAction.CASE_CREATE,
            message="只有片区办或本单位人员可以提出案例",
        )
    case = InnovationCase(created_by=actor, **{**fields, "organisation": organisation})
    case.full_clean()  # title length, level choice
    with transaction.atomic():
        case.save()
        case.tasks.set(tasks)
        audit_record(actor=actor, action=AuditAction.CASE_CREATE, obj=case)
    return case


def case_advance(*, case: InnovationCase, on: dt.date, actor: User) -> InnovationCase:
    """draft → submitted → selected → promoted (复制推广); only the office moves a case on."""
    if not can_advance_case(actor):
        raise refuse(
            actor=actor,
            action=AuditAction.CASE_ADVANCE,
            obj=case,
            message="只有片区办可以更新案例阶段",
        )
    if case.stage not in NEXT_STAGE:
        raise ValidationError({"stage": "案例已复制推广，没有下一阶段"})
    refuse_if(date_errors(on=on))
    stage, date_field = NEXT_STAGE[case.stage]
    with transaction.atomic():
        source = case.stage
        case.stage = stage
        setattr(case, date_field, on)
        case.save()
        audit_record(
            actor=actor,
            action=AuditAction.CASE_ADVANCE,
            obj=case,
            detail={"from": source, "to": stage},
        )
    return case


def evaluation_record(*, task: Task, actor: User, kind: str, **fields: Any) -> Evaluation:
    """Self-assessment by the task's lead unit; third-party and annual evaluations by evaluators or the office."""
    if not can_record_evaluation(actor, task, kind):
        raise refuse(
            actor=actor, action=AuditAction.EVALUATION_RECORD, obj=task, message="无权登记该类评估"
        )
    evaluation = Evaluation(task=task, kind=kind, recorded_by=actor, **fields)
    errors = date_errors(evaluated_on=evaluation.evaluated_on)
    if message := number_error(evaluation.score, low=SCORE_MIN, high=SCORE_MAX, places=1):
        errors["score"] = message
    refuse_if(errors)
    evaluation.full_clean(exclude=["target_met"])  # lengths and choices (target_met may be unknown)
    with transaction.atomic():
        evaluation.save()
        audit_record(actor=actor, action=AuditAction.EVALUATION_RECORD, obj=evaluation)
    return evaluation
