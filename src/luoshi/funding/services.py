"""Writes on funding, each audited; refusals audited before any transaction."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext as _

from luoshi.accounts.policies import organisation_of
from luoshi.audit.actions import AuditAction
from luoshi.audit.services import audit_record, refuse
from luoshi.funding.models import AMOUNT_LIMIT, Project, Source
from luoshi.funding.policies import may_add, may_edit
from luoshi.plans.limits import StaleEdit
from luoshi.plans.models import Measure

AMOUNTS = {
    "planned": gettext_lazy("计划投资"),
    "allocated": gettext_lazy("已下达"),
    "spent": gettext_lazy("已支出"),
}


def _check(name: str, source: str, amounts: dict[str, Decimal]) -> None:
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = gettext("必填")
    elif len(name.strip()) > 200:
        errors["name"] = gettext("不超过 %(limit)s 字（现 %(n)s 字）") % {
            "limit": 200,
            "n": len(name.strip()),
        }
    if source not in Source.values:
        errors["source"] = gettext("请选择资金来源")
    for field, label in AMOUNTS.items():
        value = amounts[field]
        if not value.is_finite() or value < 0:
            errors[field] = gettext("%(label)s不能为负数") % {"label": label}
        elif value > AMOUNT_LIMIT:
            errors[field] = gettext("%(label)s不能超过 1 万亿元") % {"label": label}
        elif value != value.quantize(Decimal("0.01")):
            errors[field] = gettext("%(label)s最多两位小数") % {"label": label}
    if not errors and amounts["spent"] > amounts["allocated"]:
        # money cannot be spent before it is allocated: refuse rather than warn
        errors["spent"] = gettext("已支出（%(spent)s）不能超过已下达（%(allocated)s）") % {
            "spent": amounts["spent"],
            "allocated": amounts["allocated"],
        }
    if errors:
        raise ValidationError(errors)


def project_add(
    *, actor: User, measure: Measure, name: str, source: str, amounts: dict[str, Decimal]
) -> Project:
    if not may_add(actor, measure):
        raise refuse(
            actor=actor,
            action=AuditAction.FUNDING_SAVE,
            obj=measure,
            message=gettext("只有该举措的责任单位可以登记改革项目"),
        )
    _check(name, source, amounts)
    organisation = organisation_of(actor)
    assert organisation is not None  # may_add: a unit's member
    with transaction.atomic():
        project = Project.objects.create(
            plan_id=measure.task.plan_id,
            organisation=organisation,
            measure=measure,
            name=name.strip(),
            source=source,
            updated_by=actor,
            **amounts,
        )
        audit_record(
            actor=actor, action=AuditAction.FUNDING_SAVE, obj=project, detail=_detail(project)
        )
    return project


def project_edit(
    *,
    actor: User,
    project: Project,
    name: str,
    source: str,
    amounts: dict[str, Decimal],
    version: int | None,
    measure: Measure | None = None,
) -> Project:
    """`measure`: moves the project to another measure of the unit's; None keeps it. `version` is
    the copy the user edited: if someone saved since, the edit is refused (`StaleEdit`) with what
    the project holds now, and nothing is written."""
    moved = measure is not None and measure.pk != project.measure_id
    if not may_edit(actor, project) or (moved and measure and not may_add(actor, measure)):
        raise refuse(
            actor=actor,
            action=AuditAction.FUNDING_SAVE,
            obj=project,
            message=gettext("只有登记项目的单位可以修改改革项目"),
        )
    _check(name, source, amounts)
    with transaction.atomic():
        current = Project.objects.select_for_update().get(pk=project.pk)
        if current.version != version:
            raise _stale(current)
        project.name = name.strip()
        project.source = source
        if measure is not None:
            project.measure = measure
        for field, value in amounts.items():
            setattr(project, field, value)
        project.updated_by = actor
        project.version = current.version + 1
        project.save()
        audit_record(
            actor=actor, action=AuditAction.FUNDING_SAVE, obj=project, detail=_detail(project)
        )
    return project


def _detail(project: Project) -> dict[str, str]:
    return {"source": project.source} | {f: str(getattr(project, f)) for f in AMOUNTS}


def _stale(current: Project) -> StaleEdit:
    at = timezone.localtime(current.updated_at)
    return StaleEdit(
        _(
            "该项目已于 %(when)s 由 %(who)s 修改，现为：%(name)s，%(source)s，计划投资 %(planned)s、"
            "已下达 %(allocated)s、已支出 %(spent)s 元。您填写的内容仍在下方，核对后再次保存将以此为准。"
        )
        % {
            "when": f"{at:%Y-%m-%d %H:%M}",
            "who": current.updated_by.last_name or current.updated_by.username,
            "name": current.name,
            "source": current.get_source_display(),
            "planned": current.planned,
            "allocated": current.allocated,
            "spent": current.spent,
        },
        current.version,
    )
