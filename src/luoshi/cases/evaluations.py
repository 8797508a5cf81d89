"""Evaluations with their framework, scores, report file and findings; a finding given a unit and a
deadline becomes a 整改 item, tracked until the office closes it (the unit reports, the office
closes or returns it). Every write is one audited service; refusals are audited too."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy

from luoshi.accounts.policies import is_head_of, is_office, organisation_of
from luoshi.audit.actions import AuditAction
from luoshi.audit.services import audit_record, refuse
from luoshi.cases.models import Criterion, CriterionScore, Evaluation, Finding, FindingState
from luoshi.cases.policies import can_record_evaluation
from luoshi.cases.services import checked_read
from luoshi.plans.limits import date_errors, number_error, refuse_if
from luoshi.plans.models import Organisation, Plan, Task
from luoshi.progress.evidence import Download, checked_upload, evidence_storage

SCORE_MIN, SCORE_MAX = Decimal(0), Decimal(100)


def criterion_add(*, plan: Plan, actor: User, name: str, max_score: Decimal) -> Criterion:
    """The office adds an indicator to the plan's evaluation framework (评估指标体系)."""
    if not is_office(actor):
        raise refuse(
            actor=actor,
            action=AuditAction.CRITERION_ADD,
            obj=plan,
            message=gettext("评估指标体系由片区办制定"),
        )
    errors = {}
    if message := number_error(max_score, low=Decimal("0.5"), high=SCORE_MAX, places=1):
        errors["max_score"] = message
    if Criterion.objects.filter(plan=plan, name=name.strip()).exists():
        errors["name"] = gettext("已有同名评估指标")
    refuse_if(errors)
    criterion = Criterion(
        plan=plan, name=name.strip(), max_score=max_score, position=plan.criteria.count() + 1
    )
    criterion.full_clean()
    with transaction.atomic():
        criterion.save()
        audit_record(actor=actor, action=AuditAction.CRITERION_ADD, obj=criterion)
    return criterion


@dataclass
class ReportFile:
    upload: IO[bytes]
    name: str


def evaluation_record(
    *,
    plan: Plan | None = None,
    task: Task | None = None,
    actor: User,
    kind: str,
    scores: dict[int, Decimal] | None = None,
    items: list[str] | None = None,
    report: ReportFile | None = None,
    **fields: Any,
) -> Evaluation:
    """An evaluation of the plan (no task) or of a task: self-assessment by the task's lead unit (or
    the office), third-party and annual by evaluators or the office. Scores are per indicator of the
    framework (each within its full marks; the total is their sum); each line of `items` is a finding."""
    plan = plan or (task.plan if task else None)
    if plan is None:
        raise ValidationError({"task": gettext("请指定方案或任务")})
    if not can_record_evaluation(actor, task, kind):
        raise refuse(
            actor=actor,
            action=AuditAction.EVALUATION_RECORD,
            obj=task or plan,
            message=gettext("无权登记该类评估"),
        )
    evaluation = Evaluation(plan=plan, task=task, kind=kind, recorded_by=actor, **fields)
    criteria = {c.pk: c for c in plan.criteria.all()}
    errors = _evaluation_errors(evaluation, criteria, scores or {})
    refuse_if(errors)
    if scores:
        evaluation.score = sum(scores.values(), Decimal(0))
    evaluation.full_clean(exclude=["target_met", "plan", "task"])  # lengths and choices
    stored = checked_upload(report.upload, report.name) if report else None
    with transaction.atomic():
        if stored:
            evaluation.report_name, evaluation.report_type = stored[0], stored[2]
            evaluation.report_stored = secrets.token_hex(20)
            evaluation.report_sha256 = hashlib.sha256(stored[1]).hexdigest()
        evaluation.save()
        CriterionScore.objects.bulk_create(
            CriterionScore(evaluation=evaluation, criterion=criteria[c], score=s)
            for c, s in (scores or {}).items()
        )
        Finding.objects.bulk_create(
            Finding(evaluation=evaluation, text=text.strip(), position=n)
            for n, text in enumerate(t for t in items or [] if t.strip())
        )
        audit_record(actor=actor, action=AuditAction.EVALUATION_RECORD, obj=evaluation)
        if stored:  # last: a failed write rolls the rows back
            evidence_storage().save(_report_path(evaluation), ContentFile(stored[1]))
    return evaluation


def _evaluation_errors(
    evaluation: Evaluation, criteria: dict[int, Criterion], scores: dict[int, Decimal]
) -> dict[str, str]:
    errors = date_errors(
        evaluated_on=evaluation.evaluated_on,
        period_start=evaluation.period_start,
        period_end=evaluation.period_end,
    )
    start, end = evaluation.period_start, evaluation.period_end
    if start and end and end < start:
        errors["period_end"] = gettext("评估期止不能早于评估期起")
    if message := number_error(evaluation.score, low=SCORE_MIN, high=SCORE_MAX, places=1):
        errors["score"] = message
    for pk, score in scores.items():
        if pk not in criteria:
            errors["scores"] = gettext("评估指标不属于该方案的评估指标体系")
        elif message := number_error(score, low=Decimal(0), high=criteria[pk].max_score, places=1):
            errors[f"score_{pk}"] = gettext("%(criterion)s：%(problem)s") % {
                "criterion": criteria[pk].name,
                "problem": message,
            }
    return errors


def _report_path(evaluation: Evaluation) -> str:
    return f"evaluations/{evaluation.report_stored[:2]}/{evaluation.report_stored}"


def evaluation_report_read(*, evaluation: Evaluation, actor: User) -> Download:
    """The report file, checked against its digest; every download audited (the caller checked
    that the actor may see the evaluation)."""
    data = checked_read(
        _report_path(evaluation),
        evaluation.report_sha256,
        actor=actor,
        action=AuditAction.EVALUATION_REPORT_DOWNLOAD,
        obj=evaluation,
        corrupted=gettext("评估报告“%(name)s”校验失败，可能已被篡改")
        % {"name": evaluation.report_name},
    )
    return Download(evaluation.report_name, evaluation.report_type, data)


RESPOND_NOW = gettext_lazy("该整改事项当前不能报送整改情况")
DECIDE_AFTER = gettext_lazy("单位报送整改情况后才能销号或退回")


def _check_state(
    finding: Finding, expected: str, message: str | Promise, *, lock: bool = False
) -> None:
    """Refuse a step unless the finding is in `expected`; with `lock`, re-read under a row lock in
    the writing transaction, so two people taking the same step at once never both apply it. The
    message names the current state: another user may have just taken the step."""
    if lock:
        current = Finding.objects.select_for_update().values_list("state", flat=True)
        finding.state = current.get(pk=finding.pk)
    if finding.state != expected:
        state = finding.get_state_display()
        raise ValidationError(
            {
                "state": gettext(
                    "%(refusal)s（当前状态：%(state)s，可能刚被他人处理，请刷新后查看）"
                )
                % {"refusal": message, "state": state}
            }
        )


def finding_assign(
    *, finding: Finding, actor: User, organisation: Organisation, due_on: dt.date, on: dt.date
) -> Finding:
    """The office makes a finding a 整改 item: a unit and a deadline (from `on`, the day it is
    交办). It is then tracked like a measure: due, late, done only when the office closes it."""
    if not is_office(actor):
        raise refuse(
            actor=actor,
            action=AuditAction.FINDING_ASSIGN,
            obj=finding,
            message=gettext("整改事项由片区办交办"),
        )
    _check_state(finding, FindingState.NOTED, gettext("该评估发现已交办整改"))
    errors = date_errors(due_on=due_on, assigned_on=on)
    if not errors and due_on < on:
        errors["due_on"] = gettext("整改期限不能早于交办日期")
    refuse_if(errors)
    with transaction.atomic():
        _check_state(finding, FindingState.NOTED, gettext("该评估发现已交办整改"), lock=True)
        finding.organisation, finding.due_on, finding.assigned_on = organisation, due_on, on
        finding.state = FindingState.OPEN
        finding.save()
        audit_record(
            actor=actor,
            action=AuditAction.FINDING_ASSIGN,
            obj=finding,
            detail={"organisation": organisation.name, "due_on": due_on.isoformat()},
        )
    return finding


def finding_respond(*, finding: Finding, actor: User, text: str) -> Finding:
    """The unit's head reports what it did (整改情况); the office then closes or returns it."""
    if (
        not is_head_of(actor, finding.organisation)
        and organisation_of(actor) != finding.organisation
    ):
        raise refuse(
            actor=actor,
            action=AuditAction.FINDING_RESPOND,
            obj=finding,
            message=gettext("只有承担整改的单位可以报送整改情况"),
        )
    _check_state(finding, FindingState.OPEN, RESPOND_NOW)
    refuse_if({"response": gettext("请填写整改情况")} if not text.strip() else {})
    with transaction.atomic():
        _check_state(finding, FindingState.OPEN, RESPOND_NOW, lock=True)
        finding.response, finding.state = text.strip(), FindingState.REPORTED
        finding.save()
        audit_record(actor=actor, action=AuditAction.FINDING_RESPOND, obj=finding)
    return finding


def finding_close(*, finding: Finding, actor: User, on: dt.date) -> Finding:
    """The office closes (销号) a 整改 item whose unit reported it done."""
    return _office_decides(finding, actor, AuditAction.FINDING_CLOSE, on=on)


def finding_return(*, finding: Finding, actor: User, comment: str) -> Finding:
    """The office returns a report of 整改 that is not enough; the item stays open (and may be late)."""
    refuse_if({"comment": gettext("请说明退回理由")} if not comment.strip() else {})
    return _office_decides(finding, actor, AuditAction.FINDING_RETURN, comment=comment.strip())


def _office_decides(
    finding: Finding,
    actor: User,
    action: AuditAction,
    *,
    on: dt.date | None = None,
    comment: str = "",
) -> Finding:
    if not is_office(actor):
        raise refuse(
            actor=actor, action=action, obj=finding, message=gettext("整改销号由片区办办理")
        )
    _check_state(finding, FindingState.REPORTED, DECIDE_AFTER)
    if on is not None:
        refuse_if(date_errors(on=on))
        if finding.assigned_on and on < finding.assigned_on:
            refuse_if({"on": gettext("销号日期不能早于交办日期")})
    with transaction.atomic():
        _check_state(finding, FindingState.REPORTED, DECIDE_AFTER, lock=True)
        if on is not None:
            finding.state, finding.closed_on = FindingState.CLOSED, on
        else:
            finding.state, finding.office_comment = FindingState.OPEN, comment
        finding.save()
        audit_record(actor=actor, action=action, obj=finding, detail={"comment": comment})
    return finding
