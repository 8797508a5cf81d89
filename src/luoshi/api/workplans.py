"""Annual work plans (年度工作计划) with their milestones (节点): read a unit's plans, and as the
unit head submit a plan or open an amendment (修订). The same policies and services as the pages:
a refusal is audited and answered 403, a plan changed meanwhile 422 with what happened."""

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Router, Schema

from luoshi.api.auth import RoleGate
from luoshi.api.metrics import requested_plan
from luoshi.audit.services import fetch_visible
from luoshi.workplans import services
from luoshi.workplans.models import Milestone, WorkPlan
from luoshi.workplans.policies import reads_work_plans, visible_work_plans

router = Router(tags=["workplans"], auth=RoleGate(reads_work_plans, _("无权查看年度工作计划")))


class MilestoneOut(Schema):
    id: int
    measure: str
    due_on: dt.date
    deliverable: str
    result: str
    met_on: dt.date | None

    @staticmethod
    def resolve_measure(milestone: Milestone) -> str:
        return milestone.measure.code


class WorkPlanOut(Schema):
    id: int
    organisation: str
    year: int
    revision: int
    amends_id: int | None
    amend_reason: str
    state: str
    approved_on: dt.date | None
    superseded_on: dt.date | None
    in_force: bool
    return_reason: str
    milestones: list[MilestoneOut]

    @staticmethod
    def resolve_organisation(work_plan: WorkPlan) -> str:
        return work_plan.organisation.name

    @staticmethod
    def resolve_milestones(work_plan: WorkPlan) -> list[Milestone]:
        return list(work_plan.milestones.all())


class AmendIn(Schema):
    reason: str


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _visible(request: HttpRequest) -> QuerySet[WorkPlan]:
    return (
        visible_work_plans(request.user)
        .select_related("organisation")
        .prefetch_related("milestones__measure__task")
    )


@router.get("/workplans", response=list[WorkPlanOut])
def list_work_plans(request: HttpRequest, plan: int | None = None, year: int | None = None) -> Any:
    """Every revision the user may read (a unit its own; the office and leaders all)."""
    found = _visible(request).filter(plan=requested_plan(plan))
    found = found.filter(year=year) if year else found
    return found.order_by("year", "organisation__name", "revision")


@router.get("/workplans/{work_plan_id}", response=WorkPlanOut)
def get_work_plan(request: HttpRequest, work_plan_id: int) -> WorkPlan:
    return fetch_visible(_visible(request), work_plan_id, actor=request.user)


@router.post("/workplans/{work_plan_id}/submit", response=WorkPlanOut)
def submit_work_plan(request: HttpRequest, work_plan_id: int) -> WorkPlan:
    work_plan = fetch_visible(_visible(request), work_plan_id, actor=request.user)
    return services.work_plan_submit(work_plan=work_plan, actor=_user(request))


@router.post("/workplans/{work_plan_id}/amend", response={201: WorkPlanOut})
def amend_work_plan(request: HttpRequest, work_plan_id: int, data: AmendIn) -> tuple[int, WorkPlan]:
    work_plan = fetch_visible(_visible(request), work_plan_id, actor=request.user)
    amendment = services.work_plan_amend(
        work_plan=work_plan, actor=_user(request), reason=data.reason
    )
    return 201, fetch_visible(_visible(request), amendment.pk, actor=request.user)
