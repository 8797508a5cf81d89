"""Writes on the risk register, each audited; refusals audited before any transaction."""

from __future__ import annotations

import copy
import datetime as dt

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from luoshi.accounts.policies import is_office, organisation_of
from luoshi.audit.actions import AuditAction
from luoshi.audit.services import audit_record, refuse
from luoshi.plans.limits import StaleEdit, refuse_if
from luoshi.plans.models import Measure, Task
from luoshi.risks.models import TEXT_LIMIT, Grade, Risk, RiskStatus, level_of
from luoshi.risks.policies import may_close, may_raise


def risk_raise(
    *,
    actor: User,
    task: Task,
    measure: Measure | None,
    description: str,
    likelihood: str,
    impact: str,
    owner: str,
    mitigation: str,
    review_on: dt.date,
) -> Risk:
    if not may_raise(actor, task):
        raise refuse(
            actor=actor,
            action=AuditAction.RISK_RAISE,
            obj=task,
            message=gettext("只有片区办或该任务的责任单位可以登记风险"),
        )
    errors = {}
    if measure is not None and measure.task_id != task.pk:
        errors["measure"] = gettext("举措 %(code)s 不属于任务 %(task)s") % {
            "code": measure.code,
            "task": task.number,
        }
    errors |= _errors(description, likelihood, impact, owner, mitigation, review_on)
    if errors:
        raise ValidationError(errors)
    today = timezone.localdate()
    with transaction.atomic():
        risk = Risk.objects.create(
            plan_id=task.plan_id,
            task=task,
            measure=measure,
            organisation=None if is_office(actor) else organisation_of(actor),
            description=description.strip(),
            likelihood=likelihood,
            impact=impact,
            level=level_of(likelihood, impact),
            owner=owner.strip(),
            mitigation=mitigation.strip(),
            review_on=review_on,
            raised_on=today,
            raised_by=actor,
        )
        audit_record(
            actor=actor, action=AuditAction.RISK_RAISE, obj=risk, detail={"level": risk.level}
        )
    return risk


def _errors(
    description: str, likelihood: str, impact: str, owner: str, mitigation: str, review_on: dt.date
) -> dict[str, str]:
    errors = {}
    for name, text in (("description", description), ("owner", owner), ("mitigation", mitigation)):
        limit = 100 if name == "owner" else TEXT_LIMIT
        if not text.strip():
            errors[name] = gettext("必填")
        elif len(text.strip()) > limit:
            errors[name] = gettext("不超过 %(limit)s 字（现 %(n)s 字）") % {
                "limit": limit,
                "n": len(text.strip()),
            }
    for name, grade in (("likelihood", likelihood), ("impact", impact)):
        if grade not in Grade.values:
            errors[name] = gettext("请选择 低 / 中 / 高")
    if review_on < timezone.localdate():
        errors["review_on"] = gettext("复核日期不能早于今天")
    return errors


def risk_edit(
    *,
    risk: Risk,
    actor: User,
    version: int | None,
    description: str,
    likelihood: str,
    impact: str,
    owner: str,
    mitigation: str,
    review_on: dt.date,
) -> Risk:
    """The office or the raising unit corrects an open risk (its grades, owner, mitigation, next
    review date). `version` is the copy edited: a save on a copy someone changed since is refused
    (`StaleEdit`) with what the risk says now, and nothing is written."""
    if not may_close(actor, _as_open(risk)) or risk.status != RiskStatus.OPEN:
        raise refuse(
            actor=actor,
            action=AuditAction.RISK_EDIT,
            obj=risk,
            message=gettext("只有片区办或登记风险的单位可以修改未化解的风险"),
        )
    refuse_if(_errors(description, likelihood, impact, owner, mitigation, review_on))
    with transaction.atomic():
        current = Risk.objects.select_for_update().get(pk=risk.pk)
        if current.version != version or current.status != RiskStatus.OPEN:
            raise StaleEdit(
                gettext(
                    "该风险已被他人修改（现为：%(level)s风险，%(status)s，责任人 %(owner)s，"
                    "复核日期 %(review)s）。您填写的内容仍在下方，核对后再次保存将以此为准。"
                )
                % {
                    "level": current.get_level_display(),
                    "status": current.get_status_display(),
                    "owner": current.owner,
                    "review": f"{current.review_on:%Y-%m-%d}",
                },
                current.version,
            )
        changed = {
            "description": description.strip(),
            "likelihood": likelihood,
            "impact": impact,
            "level": level_of(likelihood, impact),
            "owner": owner.strip(),
            "mitigation": mitigation.strip(),
            "review_on": review_on,
        }
        fields = sorted(k for k, v in changed.items() if getattr(current, k) != v)
        for name, value in changed.items():
            setattr(risk, name, value)
        risk.version = current.version + 1
        risk.save(update_fields=[*changed, "version"])
        audit_record(
            actor=actor,
            action=AuditAction.RISK_EDIT,
            obj=risk,
            detail={"fields": fields, "level": risk.level},
        )
    return risk


def risk_close(*, risk: Risk, actor: User) -> Risk:
    if risk.status == RiskStatus.CLOSED and may_close(actor, _as_open(risk)):
        raise _closed_already(risk)  # a colleague closed it meanwhile: not a refusal
    if not may_close(actor, risk):
        raise refuse(
            actor=actor,
            action=AuditAction.RISK_CLOSE,
            obj=risk,
            message=gettext("只有片区办或登记风险的单位可以标记风险已化解"),
        )
    with transaction.atomic():
        current = Risk.objects.select_for_update().only("status", "closed_on").get(pk=risk.pk)
        if current.status == RiskStatus.CLOSED:  # two closing at once: the second is told
            raise _closed_already(current)
        risk.status = RiskStatus.CLOSED
        risk.closed_on = timezone.localdate()
        risk.save(update_fields=["status", "closed_on"])
        audit_record(actor=actor, action=AuditAction.RISK_CLOSE, obj=risk)
    return risk


def _as_open(risk: Risk) -> Risk:
    probe = copy.copy(risk)
    probe.status = RiskStatus.OPEN
    return probe


def _closed_already(risk: Risk) -> ValidationError:
    return ValidationError(
        gettext("该风险已于 %(day)s 标记化解（可能刚被他人处理），请刷新后查看")
        % {"day": f"{risk.closed_on:%Y-%m-%d}"}
    )
