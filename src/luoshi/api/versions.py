"""Programmes and their versions (status, in force, public, effective date), a revision's lineage,
and linked plans with the roll-up of the lower plans' progress, for every plan reader; the office
uploads a document as a new version of a plan (its 修订对照表 on a dry run)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import File, Query, Router, Schema
from ninja.files import UploadedFile

from luoshi.accounts.policies import is_office, reads_plans
from luoshi.api.auth import RoleGate
from luoshi.api.metrics import requested_day
from luoshi.audit.actions import AuditAction
from luoshi.audit.services import refuse
from luoshi.ingest import ParsedPlan
from luoshi.plans.models import Measure, Plan, PlanStatus, Programme, Task
from luoshi.plans.revisions import parsed_items, plan_diff, stored_items
from luoshi.plans.summary import import_summary
from luoshi.plans.uploads import PlanRefused, parse_upload
from luoshi.tokens.models import Scope
from luoshi.versions.models import LinkState, MeasureLink, PlanLink, TaskLink
from luoshi.versions.selectors import rollup
from luoshi.versions.services import plan_revise

gate = RoleGate(reads_plans, gettext_lazy("无权查看方案"))
router = Router(tags=["versions"], auth=gate)


class VersionOut(Schema):
    id: int
    title: str
    status: PlanStatus
    revises_id: int | None
    effective_from: dt.date | None
    imported_at: dt.datetime


class ProgrammeOut(Schema):
    id: int
    name: str
    in_force_id: int | None
    public_id: int | None
    versions: list[VersionOut]

    @staticmethod
    def resolve_versions(programme: Programme) -> list[Plan]:
        return list(programme.versions.all())


class CarriedOut(Schema):
    id: int
    code: str
    carried_from_id: int | None


class LineageOut(Schema):
    plan_id: int
    programme_id: int
    revises_id: int | None
    effective_from: dt.date | None
    tasks: list[CarriedOut]
    measures: list[CarriedOut]


class TaskLinkOut(Schema):
    task_id: int
    parent_task_id: int
    similarity: float
    state: LinkState


class MeasureLinkOut(Schema):
    measure_id: int
    parent_measure_id: int
    similarity: float
    state: LinkState


class PlanLinkOut(Schema):
    id: int
    plan_id: int
    parent_id: int
    task_links: list[TaskLinkOut]
    measure_links: list[MeasureLinkOut]

    @staticmethod
    def resolve_task_links(link: PlanLink) -> list[TaskLink]:
        return list(link.task_links.all())

    @staticmethod
    def resolve_measure_links(link: PlanLink) -> list[MeasureLink]:
        return list(link.measure_links.all())


class LinksOut(Schema):
    implements: list[PlanLinkOut]
    implemented_by: list[PlanLinkOut]


class LinkedOut(Schema):
    plan_id: int
    task_id: int
    number: int
    done: bool
    measures_done: int
    measures_total: int


class LinkedMeasureOut(Schema):
    plan_id: int
    parent_code: str
    measure_id: int
    code: str
    done: bool


class RollupRowOut(Schema):
    task_id: int
    number: int
    title: str
    linked: list[LinkedOut]
    measures_linked: list[LinkedMeasureOut]


class ChildRateOut(Schema):
    plan_id: int
    title: str
    task_rate: float
    tasks_done: int
    tasks_total: int
    measure_rate: float
    linked_tasks: int


class RollupOut(Schema):
    plan_id: int
    as_of: dt.date
    rows: list[RollupRowOut]
    children: list[ChildRateOut]


@router.get("/programmes", response=list[ProgrammeOut], auth=gate.allowing(Scope.STATUS_READ))
def list_programmes(request: HttpRequest) -> QuerySet[Programme]:
    """Every programme with its versions, the one in force and the public one."""
    versions = Prefetch("versions", queryset=Plan.objects.order_by("imported_at", "pk"))
    return Programme.objects.prefetch_related(versions)


@router.get("/plans/{plan_id}/lineage", response=LineageOut, auth=gate.allowing(Scope.STATUS_READ))
def plan_lineage(request: HttpRequest, plan_id: int) -> LineageOut:
    """Each task and measure with the one of the revised version it carries over (修订对照)."""
    plan = get_object_or_404(Plan, pk=plan_id)
    tasks = Task.objects.filter(plan=plan).order_by("number")
    measures = Measure.objects.filter(task__plan=plan).select_related("task")
    return LineageOut(
        plan_id=plan.pk,
        programme_id=plan.programme_id,
        revises_id=plan.revises_id,
        effective_from=plan.effective_from,
        tasks=[
            CarriedOut(id=t.pk, code=str(t.number), carried_from_id=t.carried_from_id)
            for t in tasks
        ],
        measures=[
            CarriedOut(id=m.pk, code=m.code, carried_from_id=m.carried_from_id)
            for m in measures.order_by("task__number", "number")
        ],
    )


@router.get("/plans/{plan_id}/links", response=LinksOut, auth=gate.allowing(Scope.STATUS_READ))
def plan_links(request: HttpRequest, plan_id: int) -> dict[str, list[PlanLink]]:
    """The higher plans this plan implements and the lower plans implementing it, with task links."""
    plan = get_object_or_404(Plan, pk=plan_id)
    links = PlanLink.objects.prefetch_related("task_links", "measure_links")
    return {
        "implements": list(links.filter(plan=plan)),
        "implemented_by": list(links.filter(parent=plan)),
    }


@router.get("/plans/{plan_id}/rollup", response=RollupOut, auth=gate.allowing(Scope.STATUS_READ))
def plan_rollup(request: HttpRequest, plan_id: int, as_of: dt.date | None = None) -> RollupOut:
    """The plan's tasks with the progress of the confirmed linked tasks of every lower plan, and
    the lower plans' 落实率 compared, as of `as_of` (today by default)."""
    plan = get_object_or_404(Plan, pk=plan_id)
    day = requested_day(as_of)
    found = rollup(plan, day)
    return RollupOut(
        plan_id=plan.pk,
        as_of=day,
        rows=[
            RollupRowOut(
                task_id=row.task.id,
                number=row.task.number,
                title=row.task.title,
                linked=[
                    LinkedOut(
                        plan_id=x.plan.pk,
                        task_id=x.task.id,
                        number=x.task.number,
                        done=x.done,
                        measures_done=x.measures.done,
                        measures_total=x.measures.total,
                    )
                    for x in row.linked
                ],
                measures_linked=[
                    LinkedMeasureOut(
                        plan_id=y.plan.pk,
                        parent_code=y.parent_code,
                        measure_id=y.measure.id,
                        code=y.measure.code,
                        done=y.done,
                    )
                    for y in row.measures_linked
                ],
            )
            for row in found.rows
        ],
        children=[
            ChildRateOut(
                plan_id=c.plan.pk,
                title=c.plan.title,
                task_rate=c.tasks.percent,
                tasks_done=c.tasks.done,
                tasks_total=c.tasks.total,
                measure_rate=c.measures.percent,
                linked_tasks=c.linked_tasks,
            )
            for c in found.children
        ],
    )


@router.post("/plans/{plan_id}/revisions", response=dict[str, Any])
def plan_revision_import(
    request: HttpRequest,
    plan_id: int,
    file: File[UploadedFile],
    dry_run: bool = False,
    level: str | None = None,
    match: Query[list[str] | None] = None,
) -> dict[str, Any]:
    """A document as a new version of the plan (office only), checked like every plan upload. With
    `dry_run` nothing is stored and the answer is the 修订对照表 exactly as `luoshi import-plan FILE
    --revises PLAN_ID --dry-run --format json` prints it; without, the revision is stored with what it
    carries over, neither in force nor public. `match=NEW=OLD` corrects a proposed match (NEW= for
    none), as the office does on the preview page."""
    revises = get_object_or_404(Plan, pk=plan_id)
    if not is_office(request.user):
        raise refuse(
            actor=request.user,
            message=_("仅片区办可以导入方案"),
            action=AuditAction.PLAN_IMPORT,
            obj=revises,
        )
    try:
        if revises.status == PlanStatus.REPEALED:
            raise PlanRefused(_("已废止的方案不能再修订"))
        forced = _matches(match or [])
        data = file.read(settings.LUOSHI_MAX_IMPORT_BYTES + 1)  # enough to refuse a larger one
        parsed = parse_upload(name=file.name or "", data=data, level=level)
        _matches_known(forced, revises, parsed)
    except PlanRefused as refused:
        refuse(
            actor=request.user, message=str(refused), action=AuditAction.PLAN_IMPORT, obj=revises
        )
        raise ValidationError({"file": [str(refused)]}) from refused
    diff = plan_diff(revises, parsed, forced)
    result = None
    if not dry_run:
        assert isinstance(request.user, User)
        result = plan_revise(parsed=parsed, revises=revises, diff=diff, actor=request.user)
    return import_summary(parsed, revises=revises, diff=diff, result=result)


def _matches(pairs: list[str]) -> dict[str, str | None]:
    """`match=2.3=3.3` parameters as new code → old code (None: no match)."""
    found: dict[str, str | None] = {}
    for pair in pairs:
        new, sep, old = pair.partition("=")
        if not sep or not new.strip():
            raise PlanRefused(_("match 参数应为 新编号=原编号：%(pair)s") % {"pair": pair})
        found[new.strip()] = old.strip() or None
    return found


def _matches_known(forced: dict[str, str | None], revises: Plan, parsed: ParsedPlan) -> None:
    """Refuse a correction naming a code the document or the revised plan lacks (or a task paired
    with a measure): the comparison would silently drop it, and the revision lose a carry-over."""
    if not forced:
        return
    level_of = {n.code: i for i, items in enumerate(parsed_items(parsed)) for n in items}
    old_codes = [{o.code for o in items} for items in stored_items(revises)]
    for new, old in forced.items():
        level = level_of.get(new)
        if level is None or (old is not None and old not in old_codes[level]):
            pair = f"{new}={old or ''}"
            raise PlanRefused(_("match 参数中的编号不在方案中：%(pair)s") % {"pair": pair})
