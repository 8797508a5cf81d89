"""Writes on annual work plans. Each checks its policy first (an audited refusal), then writes and
audits in one transaction."""

from __future__ import annotations

import copy
import datetime as dt

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from luoshi.accounts.policies import is_head_of, is_office, organisation_of
from luoshi.audit.actions import AuditAction
from luoshi.audit.services import audit_record, refuse
from luoshi.plans.models import Measure, Organisation, Plan
from luoshi.workplans.models import EDITABLE, TEXT_LIMIT, Milestone, WorkPlan, WorkPlanState
from luoshi.workplans.policies import (
    may_amend,
    may_decide,
    may_draft,
    may_mark_met,
    may_submit,
    of_unit,
)

FIRST_YEAR, LAST_YEAR = 2000, 2100


def work_plan_open(*, plan: Plan, year: int, actor: User) -> WorkPlan:
    """The unit's plan for a year (made as a draft the first time)."""
    organisation = organisation_of(actor)
    probe = WorkPlan(plan=plan, organisation=organisation or Organisation(), year=year)
    if organisation is None or not of_unit(actor, probe):
        raise refuse(
            actor=actor,
            action=AuditAction.WORK_PLAN_OPEN,
            obj=plan,
            message=gettext("只有责任单位可以编制年度工作计划"),
        )
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError(
            {
                "year": gettext("年度应在 %(first)s 至 %(last)s 之间")
                % {"first": FIRST_YEAR, "last": LAST_YEAR}
            }
        )
    with transaction.atomic():
        work_plan, created = WorkPlan.objects.get_or_create(
            plan=plan, organisation=organisation, year=year, revision=0
        )
        if created:
            audit_record(actor=actor, action=AuditAction.WORK_PLAN_OPEN, obj=work_plan)
    return work_plan


def milestone_add(
    *,
    work_plan: WorkPlan,
    measure: Measure,
    due_on: dt.date,
    deliverable: str,
    result: str,
    actor: User,
) -> Milestone:
    if not may_draft(actor, work_plan):
        raise refuse(
            actor=actor,
            action=AuditAction.MILESTONE_ADD,
            obj=work_plan,
            message=gettext("只有本单位可以在计划草拟或退回时添加节点"),
        )
    errors = _milestone_errors(work_plan, measure, due_on, deliverable, result)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        milestone = Milestone.objects.create(
            work_plan=work_plan,
            measure=measure,
            due_on=due_on,
            deliverable=deliverable.strip(),
            result=result.strip(),
        )
        audit_record(
            actor=actor,
            action=AuditAction.MILESTONE_ADD,
            obj=milestone,
            detail={"measure": measure.code, "due_on": due_on.isoformat()},
        )
    return milestone


def _milestone_errors(
    work_plan: WorkPlan, measure: Measure, due_on: dt.date, deliverable: str, result: str
) -> dict[str, str]:
    errors = {}
    if (
        measure.task.plan_id != work_plan.plan_id
        or not measure.responsibilities.filter(organisation=work_plan.organisation).exists()
    ):
        errors["measure"] = gettext("举措 %(code)s 不是本单位在该方案中的举措") % {
            "code": measure.code
        }
    if due_on.year != work_plan.year:
        errors["due_on"] = gettext("节点日期应在 %(year)s 年内") % {"year": work_plan.year}
    for name, text in (("deliverable", deliverable), ("result", result)):
        if not text.strip():
            errors[name] = gettext("必填")
        elif len(text.strip()) > TEXT_LIMIT:
            errors[name] = gettext("不超过 %(limit)s 字（现 %(n)s 字）") % {
                "limit": TEXT_LIMIT,
                "n": len(text.strip()),
            }
    return errors


def milestone_drop(*, milestone: Milestone, actor: User) -> None:
    if not may_draft(actor, milestone.work_plan):
        raise refuse(
            actor=actor,
            action=AuditAction.MILESTONE_DROP,
            obj=milestone,
            message=gettext("只有本单位可以在计划草拟或退回时删除节点"),
        )
    with transaction.atomic():
        audit_record(actor=actor, action=AuditAction.MILESTONE_DROP, obj=milestone)
        milestone.delete()


def milestone_meet(*, milestone: Milestone, actor: User) -> Milestone:
    """The unit says the milestone is met, today (never back-dated: figures as of an earlier day
    must not change)."""
    if milestone.met_on and may_mark_met(actor, _unmet(milestone)):
        raise _met_already(milestone)  # a colleague marked it meanwhile: not a refusal
    if of_unit(actor, milestone.work_plan) and milestone.work_plan.superseded_on:
        raise _superseded(milestone.work_plan)  # amended meanwhile: not a refusal
    if not may_mark_met(actor, milestone):
        raise refuse(
            actor=actor,
            action=AuditAction.MILESTONE_MEET,
            obj=milestone,
            message=gettext("只有本单位可以标记已审定计划的节点完成"),
        )
    with transaction.atomic():
        # the plan's row first, as an amendment's approval takes it: a 节点 met as the amendment
        # is approved is either carried into it or told the plan was superseded, never lost
        plan = WorkPlan.objects.select_for_update().only("superseded_on")
        if (superseded := plan.get(pk=milestone.work_plan_id)).superseded_on:
            raise _superseded(superseded)
        current = Milestone.objects.select_for_update().only("met_on").get(pk=milestone.pk)
        if current.met_on:  # two marking at once: the second is told
            raise _met_already(current)
        milestone.met_on = timezone.localdate()
        milestone.save(update_fields=["met_on"])
        audit_record(actor=actor, action=AuditAction.MILESTONE_MEET, obj=milestone)
    return milestone


def work_plan_submit(*, work_plan: WorkPlan, actor: User) -> WorkPlan:
    if is_head_of(actor, work_plan.organisation) and not work_plan.editable:
        raise _handled(work_plan)  # a fellow head submitted first: not a refusal
    if not may_submit(actor, work_plan):
        raise refuse(
            actor=actor,
            action=AuditAction.WORK_PLAN_SUBMIT,
            obj=work_plan,
            message=gettext("只有本单位审核人可以报送草拟或退回的计划"),
        )
    if not work_plan.milestones.exists():
        raise ValidationError(gettext("计划还没有节点，请先添加节点再报送"))
    with transaction.atomic():
        locked = WorkPlan.objects.select_for_update().filter(pk=work_plan.pk)
        if (state := locked.values_list("state", flat=True).get()) not in EDITABLE:
            work_plan.state = state  # two heads at once: the second is told
            raise _handled(work_plan)
        work_plan.state = WorkPlanState.SUBMITTED
        work_plan.submitted_at = timezone.now()
        work_plan.save(update_fields=["state", "submitted_at"])
        audit_record(actor=actor, action=AuditAction.WORK_PLAN_SUBMIT, obj=work_plan)
    return work_plan


def work_plan_decide(
    *, work_plan: WorkPlan, actor: User, approve: bool, reason: str = ""
) -> WorkPlan:
    """The office approves (审定, from today its milestones count) or returns with a reason."""
    action = AuditAction.WORK_PLAN_APPROVE if approve else AuditAction.WORK_PLAN_RETURN
    if is_office(actor) and work_plan.state in DECIDED:
        raise _handled(work_plan)  # another office user decided first: not a refusal
    if not may_decide(actor, work_plan):
        raise refuse(
            actor=actor,
            action=action,
            obj=work_plan,
            message=gettext("只有片区办可以审定已报送的计划"),
        )
    if not approve and not reason.strip():
        raise ValidationError({"reason": gettext("退回须写明理由")})
    with transaction.atomic():
        locked = WorkPlan.objects.select_for_update().filter(pk=work_plan.pk)
        if (state := locked.values_list("state", flat=True).get()) != WorkPlanState.SUBMITTED:
            work_plan.state = state
            raise _handled(work_plan)
        work_plan.state = WorkPlanState.APPROVED if approve else WorkPlanState.RETURNED
        work_plan.approved_on = timezone.localdate() if approve else None
        if approve and work_plan.amends_id:
            _supersede(work_plan)
        work_plan.return_reason = "" if approve else reason.strip()[:TEXT_LIMIT]
        work_plan.decided_by = actor
        work_plan.save()
        audit_record(actor=actor, action=action, obj=work_plan, detail={"reason": reason})
    return work_plan


DECIDED = {WorkPlanState.APPROVED, WorkPlanState.RETURNED}


def work_plan_amend(*, work_plan: WorkPlan, actor: User, reason: str) -> WorkPlan:
    """The unit head opens an amendment (修订) of the plan in force: a new revision for the same
    year holding a copy of its milestones, drafted, submitted and decided like the first; until
    the office approves it the plan in force stays in force."""
    if is_head_of(actor, work_plan.organisation) and not work_plan.in_force:
        raise _amended(work_plan)  # amended or superseded meanwhile: not a refusal
    if not may_amend(actor, work_plan):
        raise refuse(
            actor=actor,
            action=AuditAction.WORK_PLAN_AMEND,
            obj=work_plan,
            message=gettext("只有本单位审核人可以修订已审定的计划"),
        )
    if not reason.strip():
        raise ValidationError({"reason": gettext("请写明修订理由")})
    if len(reason.strip()) > TEXT_LIMIT:
        raise ValidationError(
            {
                "reason": gettext("不超过 %(limit)s 字（现 %(n)s 字）")
                % {"limit": TEXT_LIMIT, "n": len(reason.strip())}
            }
        )
    with transaction.atomic():
        current = WorkPlan.objects.select_for_update().get(pk=work_plan.pk)
        if not current.in_force or current.amendments.exists():  # two heads at once
            raise _amended(current)
        amendment = WorkPlan.objects.create(
            plan_id=current.plan_id,
            organisation_id=current.organisation_id,
            year=current.year,
            revision=current.revision + 1,
            amends=current,
            amend_reason=reason.strip(),
        )
        Milestone.objects.bulk_create(
            Milestone(
                work_plan=amendment,
                measure_id=m.measure_id,
                due_on=m.due_on,
                deliverable=m.deliverable,
                result=m.result,
                met_on=m.met_on,
                carried_from=m,
            )
            for m in current.milestones.all()
        )
        audit_record(
            actor=actor,
            action=AuditAction.WORK_PLAN_AMEND,
            obj=amendment,
            detail={"amends": current.pk, "reason": reason.strip()},
        )
    return amendment


def _supersede(amendment: WorkPlan) -> None:
    """An approved amendment replaces the revision it amends from today; a milestone of that
    revision met while the amendment was being written stays met in its copy."""
    assert amendment.amends_id is not None
    amended = WorkPlan.objects.filter(pk=amendment.amends_id)
    amended.update(superseded_on=timezone.localdate())
    for copy_ in amendment.milestones.filter(
        met_on__isnull=True, carried_from__met_on__isnull=False
    ).select_related("carried_from"):
        assert copy_.carried_from is not None
        copy_.met_on = copy_.carried_from.met_on
        copy_.save(update_fields=["met_on"])


def _amended(work_plan: WorkPlan) -> ValidationError:
    return ValidationError(
        gettext("该计划已有修订（可能刚被他人提出）或已不是现行计划，请刷新后查看修订记录")
    )


def _handled(work_plan: WorkPlan) -> ValidationError:
    return ValidationError(
        gettext("该计划已被他人处理，当前状态：%(state)s。请刷新后再操作。")
        % {"state": work_plan.get_state_display()}
    )


def _unmet(milestone: Milestone) -> Milestone:
    probe = copy.copy(milestone)
    probe.met_on = None
    return probe


def _superseded(work_plan: WorkPlan) -> ValidationError:
    return ValidationError(
        gettext("该节点所在的计划已于 %(day)s 被修订版取代，请在现行计划中标记完成")
        % {"day": f"{work_plan.superseded_on:%Y-%m-%d}"}
    )


def _met_already(milestone: Milestone) -> ValidationError:
    return ValidationError(
        gettext("该节点已于 %(day)s 标记完成（可能刚被他人处理），请刷新后查看")
        % {"day": f"{milestone.met_on:%Y-%m-%d}"}
    )
