"""Writes about a plan's relations: a revision's import with everything it carries over, and links to
the plan a plan implements. Each one transaction, each audited."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext as _

from luoshi.accounts.services import responsible_people_carry
from luoshi.audit.actions import AuditAction
from luoshi.audit.services import audit_record, refuse
from luoshi.cases.services import cases_carry, evaluations_carry
from luoshi.ingest import ParsedPlan
from luoshi.metrics.observations import observations_carry
from luoshi.plans.models import Measure, Plan, Task
from luoshi.plans.revisions import Diff, most_similar, similarity
from luoshi.plans.services import ImportResult, plan_import
from luoshi.versions import policies
from luoshi.versions.models import LinkState, MeasureLink, PlanLink, TaskLink
from luoshi.versions.selectors import links_seen

L = TypeVar("L", TaskLink, MeasureLink)
C = TypeVar("C", Task, Measure)
STALE_LINKS = gettext_lazy(
    "打开本页后任务关联已被他人修改，未保存；请核对当前关联后重新确认（您的选择已保留）"
)
PROPOSED = LinkState.PROPOSED
PROPOSE = 0.3  # below this similarity a child task gets no proposed parent task


def plan_revise(
    *, parsed: ParsedPlan, revises: Plan, diff: Diff | None = None, actor: User | None = None
) -> ImportResult:
    """Store `parsed` as a new version of `revises` and carry over what its matched tasks and
    measures had (reports, evidence and cycles are read through the lineage; the rest is copied).
    Neither in force nor public: the office chooses that, with an effective date."""
    with transaction.atomic():
        result = plan_import(parsed=parsed, actor=actor, revises=revises, diff=diff)
        if result.created:
            carried = revision_carry_over(plan=result.plan)
            audit_record(
                actor=actor, action=AuditAction.PLAN_CARRY_OVER, obj=result.plan, detail=carried
            )
    return result


def revision_carry_over(*, plan: Plan) -> dict[str, int]:
    """Copy onto a revision what belongs to the tasks and measures it carries over. The earlier
    version keeps its own rows, so its figures (and every figure before the effective date) stay."""
    return {
        "responsible_people": responsible_people_carry(plan=plan),
        "cases": cases_carry(plan=plan),
        "evaluations": evaluations_carry(plan=plan),
        "indicator_values": observations_carry(plan=plan),
        "task_links": _links_carry(plan),
    }


def _links_carry(plan: Plan) -> int:
    """The revision implements what its earlier version implemented, and what implemented the earlier
    version implements the revision, through the tasks it carries over."""
    if plan.revises_id is None:
        return 0
    tasks = dict(
        Task.objects.filter(plan=plan, carried_from__isnull=False).values_list(
            "carried_from_id", "pk"
        )
    )
    measures = dict(
        Measure.objects.filter(task__plan=plan, carried_from__isnull=False).values_list(
            "carried_from_id", "pk"
        )
    )
    count = 0
    related = ("task_links", "measure_links")
    for old in PlanLink.objects.filter(plan_id=plan.revises_id).prefetch_related(*related):
        new = _link_copy(old, plan_id=plan.pk, parent_id=old.parent_id)
        count += len(
            TaskLink.objects.bulk_create(_moved(old.task_links.all(), new, tasks, "task_id"))
        )
        MeasureLink.objects.bulk_create(
            _moved(old.measure_links.all(), new, measures, "measure_id")
        )
    for old in PlanLink.objects.filter(parent_id=plan.revises_id).prefetch_related(*related):
        new = _link_copy(old, plan_id=old.plan_id, parent_id=plan.pk)
        count += len(
            TaskLink.objects.bulk_create(_moved(old.task_links.all(), new, tasks, "parent_task_id"))
        )
        MeasureLink.objects.bulk_create(
            _moved(old.measure_links.all(), new, measures, "parent_measure_id")
        )
    return count


def _link_copy(old: PlanLink, *, plan_id: int, parent_id: int) -> PlanLink:
    """A copy of `old` between the given plans, linked when `old` was (as its task links keep the
    day they were decided): the roll-up as of a date counts only plans linked by then."""
    new = PlanLink.objects.create(plan_id=plan_id, parent_id=parent_id, linked_by=old.linked_by)
    PlanLink.objects.filter(pk=new.pk).update(linked_at=old.linked_at)  # auto_now_add sets now
    new.linked_at = old.linked_at
    return new


def _moved(links: Iterable[L], new: PlanLink, carried: dict[int, int], side: str) -> list[L]:
    """Unsaved copies of `links` onto `new`, their `side` moved to the carried task or measure."""
    copies = []
    for link in links:
        if getattr(link, side) in carried:
            link.pk, link.link = None, new
            setattr(link, side, carried[getattr(link, side)])
            copies.append(link)
    return copies


def plan_link(*, plan: Plan, parent: Plan, actor: User | None) -> PlanLink:
    """The office records that `plan` implements `parent`, and each of `plan`'s tasks gets the most
    similar task of `parent` as a proposed link, for the office to confirm or correct."""
    if actor is not None and not policies.may_link(actor):
        raise refuse(
            actor=actor,
            message=gettext("只有片区办可以关联上级方案"),
            action=AuditAction.PLAN_LINK,
            obj=plan,
        )
    reason = policies.why_not_linked(plan.pk, parent.pk, plan.programme_id == parent.programme_id)
    if reason:
        refuse(actor=actor, action=AuditAction.PLAN_LINK, obj=plan, message=reason)
        raise ValidationError({"parent": reason})
    with transaction.atomic():
        link, created = PlanLink.objects.get_or_create(
            plan=plan, parent=parent, defaults={"linked_by": actor}
        )
        if created:
            tasks = TaskLink.objects.bulk_create(proposals(link))
            MeasureLink.objects.bulk_create(
                measure_proposals(link, {t.task_id: t.parent_task_id for t in tasks})
            )
            audit_record(
                actor=actor, action=AuditAction.PLAN_LINK, obj=plan, detail={"parent": parent.pk}
            )
    return link


def proposals(link: PlanLink) -> list[TaskLink]:
    """For each task of the lower plan, the higher plan's task whose title is most like its own."""
    parents = list(Task.objects.filter(plan_id=link.parent_id).order_by("number"))
    tasks = list(Task.objects.filter(plan_id=link.plan_id).order_by("number"))
    return [
        TaskLink(link=link, task=task, parent_task=parent, similarity=score, state=PROPOSED)
        for task, (score, parent) in _most_like(tasks, parents, lambda t: t.title)
    ]


def measure_proposals(link: PlanLink, pairs: dict[int, int]) -> list[MeasureLink]:
    """For each measure of a linked task (`pairs`: task → higher plan's task), the measure of the
    higher task whose text is most like its own, as a proposal."""
    parents: dict[int, list[Measure]] = defaultdict(list)
    for measure in Measure.objects.filter(task_id__in=set(pairs.values())):
        parents[measure.task_id].append(measure)
    measures = list(Measure.objects.filter(task_id__in=list(pairs)).order_by("task_id", "number"))
    by_higher: dict[int, list[Measure]] = defaultdict(list)  # compared with the same measures
    for measure in measures:
        by_higher[pairs[measure.task_id]].append(measure)
    best: dict[int, tuple[float, Measure]] = {}
    for higher, own in by_higher.items():
        best |= {m.pk: found for m, found in _most_like(own, parents[higher], lambda p: p.text)}
    return [
        MeasureLink(
            link=link,
            measure=measure,
            parent_measure=best[measure.pk][1],
            similarity=best[measure.pk][0],
            state=PROPOSED,
        )
        for measure in measures
        if measure.pk in best
    ]


def _most_like(
    items: list[C], candidates: list[C], text_of: Callable[[C], str]
) -> list[tuple[C, tuple[float, C]]]:
    """Each item with the candidate whose text is most like its own and their rounded similarity
    (the first of equals), for the items where one reaches PROPOSE: a proposal worth the office's
    look."""
    found = most_similar([text_of(i) for i in items], [text_of(c) for c in candidates], PROPOSE)
    return [
        (item, (round(best[0], 3), candidates[best[1]]))
        for item, best in zip(items, found, strict=True)
        if best is not None
    ]


def task_links_confirm(
    *,
    link: PlanLink,
    choices: dict[int, int | None],
    actor: User | None,
    seen: str | None = None,
    measures: dict[int, int | None] | None = None,
) -> int:
    """The office confirms or corrects the task links, all at once: `choices` maps each task of the
    lower plan to the higher plan's task it implements (None: none); `measures` likewise each
    measure to the higher plan's measure. Tasks and measures not named keep their links; a task
    linked anew gets proposals for its measures, an unlinked one loses its measures' links. Refused
    whole when a choice names a task or measure of another plan, or when `seen`
    (selectors.links_seen of the page the choices were made on) no longer matches."""
    if actor is not None and not policies.may_link(actor):
        raise refuse(
            actor=actor,
            message=gettext("只有片区办可以确认任务关联"),
            action=AuditAction.TASK_LINKS_CONFIRM,
            obj=link,
        )
    tasks = dict(Task.objects.filter(plan_id=link.plan_id).values_list("pk", "title"))
    parents = dict(Task.objects.filter(plan_id=link.parent_id).values_list("pk", "title"))
    wrong = [
        t for t, p in choices.items() if t not in tasks or (p is not None and p not in parents)
    ]
    if wrong:
        refuse(
            actor=actor,
            action=AuditAction.TASK_LINKS_CONFIRM,
            obj=link,
            message=_("任务不属于关联的方案：%(ids)s") % {"ids": wrong},
        )
        raise ValidationError(
            {"task": _("第 %(id)s 项任务的关联不属于这两个方案") % {"id": wrong[0]}}
        )
    measures = measures or {}
    _check_measures(link, measures, actor)
    with transaction.atomic():
        PlanLink.objects.select_for_update().filter(
            pk=link.pk
        ).first()  # one confirmation at a time
        stale = seen is not None and seen != links_seen(link)
        if not stale:
            confirmed = _links_replace(link, choices, tasks, parents, actor)
            _measure_links_replace(link, choices, measures, actor)
    if stale:  # audited outside the transaction, which wrote nothing
        refuse(
            actor=actor,
            action=AuditAction.TASK_LINKS_CONFIRM,
            obj=link,
            message=gettext("任务关联已被他人修改"),
        )
        raise ValidationError({"seen": str(STALE_LINKS)})
    return confirmed


def _links_replace(
    link: PlanLink,
    choices: dict[int, int | None],
    tasks: dict[int, str],
    parents: dict[int, str],
    actor: User | None,
) -> int:
    now = timezone.now()
    TaskLink.objects.filter(link=link, task_id__in=list(choices)).delete()
    TaskLink.objects.bulk_create(
        TaskLink(
            link=link,
            task_id=task_id,
            parent_task_id=parent_id,
            similarity=round(similarity(tasks[task_id], parents[parent_id]), 3),
            state=LinkState.CONFIRMED,
            decided_by=actor,
            decided_at=now,
        )
        for task_id, parent_id in choices.items()
        if parent_id is not None
    )
    confirmed = sum(p is not None for p in choices.values())
    audit_record(
        actor=actor,
        action=AuditAction.TASK_LINKS_CONFIRM,
        obj=link,
        detail={"confirmed": confirmed, "none": len(choices) - confirmed},
    )
    return confirmed


def _check_measures(link: PlanLink, measures: dict[int, int | None], actor: User | None) -> None:
    own = set(Measure.objects.filter(task__plan_id=link.plan_id).values_list("pk", flat=True))
    higher = set(Measure.objects.filter(task__plan_id=link.parent_id).values_list("pk", flat=True))
    wrong = [m for m, p in measures.items() if m not in own or (p is not None and p not in higher)]
    if wrong:
        message = _("举措关联不属于这两个方案：%(ids)s") % {"ids": wrong}
        refuse(actor=actor, action=AuditAction.TASK_LINKS_CONFIRM, obj=link, message=message)
        raise ValidationError({"measure": message})


def _measure_links_replace(
    link: PlanLink,
    choices: dict[int, int | None],
    measures: dict[int, int | None],
    actor: User | None,
) -> None:
    """Measure links after the office's choices: those of unlinked tasks and stale proposals go,
    the chosen ones are confirmed, and measures of linked tasks left without one get a proposal."""
    links = MeasureLink.objects.filter(link=link)
    links.filter(measure__task_id__in=[t for t, p in choices.items() if p is None]).delete()
    links.filter(state=LinkState.PROPOSED, measure__task_id__in=list(choices)).delete()
    links.filter(measure_id__in=list(measures)).delete()
    texts = dict(
        Measure.objects.filter(pk__in=[*measures, *measures.values()]).values_list("pk", "text")
    )
    now = timezone.now()
    MeasureLink.objects.bulk_create(
        MeasureLink(
            link=link,
            measure_id=measure_id,
            parent_measure_id=parent_id,
            similarity=round(similarity(texts[measure_id], texts[parent_id]), 3),
            state=LinkState.CONFIRMED,
            decided_by=actor,
            decided_at=now,
        )
        for measure_id, parent_id in measures.items()
        if parent_id is not None
    )
    linked = set(links.values_list("measure_id", flat=True)) | set(measures)
    pairs = {t: p for t, p in choices.items() if p is not None}
    MeasureLink.objects.bulk_create(
        x for x in measure_proposals(link, pairs) if x.measure_id not in linked
    )
