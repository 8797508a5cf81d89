"""Writes for cases and evaluations; the case stages are a transition table."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import IO, Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext as _

from luoshi.accounts.policies import organisation_of
from luoshi.audit.actions import AuditAction
from luoshi.audit.models import AuditEvent, Outcome
from luoshi.audit.services import audit_record, refuse
from luoshi.cases.models import (
    CaseAttachment,
    CaseReview,
    CaseStage,
    Evaluation,
    InnovationCase,
    PromotionScope,
    ReviewResult,
)
from luoshi.cases.policies import (
    can_advance_case,
    can_attach_to_case,
    can_propose_case,
    can_review_case,
)
from luoshi.plans.limits import StaleEdit, date_errors, refuse_if
from luoshi.plans.models import Plan, Task
from luoshi.progress.evidence import Download, EvidenceCorrupted, checked_upload, evidence_storage

# stage → (next stage, the date field it sets). A submitted case moves on only through its
# 分类审查 (case_review): pass → reviewed, reject → rejected, revise → stays submitted.
NEXT_STAGE: dict[str, tuple[str, str]] = {
    CaseStage.DRAFT: (CaseStage.SUBMITTED, "submitted_on"),
    CaseStage.REVIEWED: (CaseStage.SELECTED, "selected_on"),
    CaseStage.SELECTED: (CaseStage.PROMOTED, "promoted_on"),
}
NO_NEXT = {
    CaseStage.SUBMITTED: gettext_lazy("案例须先经分类审查通过"),
    CaseStage.REJECTED: gettext_lazy("案例经审查不予推广，没有下一阶段"),
    CaseStage.PROMOTED: gettext_lazy("案例已复制推广，没有下一阶段"),
}
# the date each stage was reached, in order: a later step cannot be dated before an earlier one
STAGE_DATES = ["submitted_on", "reviewed_on", "rejected_on", "selected_on", "promoted_on"]


def case_create(*, actor: User, tasks: list[Task], **fields: Any) -> InnovationCase:
    """A department proposes a case (for its own organisation); the office may for any."""
    organisation = fields.get("organisation") or organisation_of(actor)
    if organisation is None:
        raise ValidationError({"organisation": gettext("请指定提出案例的单位")})
    if not can_propose_case(actor, organisation):
        raise refuse(
            actor=actor,
            action=AuditAction.CASE_CREATE,
            message=gettext("只有片区办或本单位人员可以提出案例"),
        )
    case = InnovationCase(created_by=actor, **{**fields, "organisation": organisation})
    case.full_clean()  # title length, level choice
    with transaction.atomic():
        case.save()
        case.tasks.set(tasks)
        audit_record(actor=actor, action=AuditAction.CASE_CREATE, obj=case)
    return case


EDITABLE_STAGES = {CaseStage.DRAFT, CaseStage.SUBMITTED}
CASE_TEXT_FIELDS = ("title", "category", "level", "summary", "full_text")


def case_update(
    *, case: InnovationCase, actor: User, tasks: list[Task], version: int | None, **fields: Any
) -> InnovationCase:
    """The proposing unit or the office improves a case's text before its review passes (after a
    修改后再审 opinion, say); each change audited with the fields it touched. `version` is the copy
    the user edited: if someone saved since, the edit is refused (`StaleEdit`) naming who and what
    the case says now, and nothing is written."""
    if not can_propose_case(actor, case.organisation) or case.stage not in EDITABLE_STAGES:
        raise refuse(
            actor=actor,
            action=AuditAction.CASE_UPDATE,
            obj=case,
            message=gettext("只有提出单位或片区办可以修改尚未通过审查的案例"),
        )
    changed = [f for f in CASE_TEXT_FIELDS if f in fields and getattr(case, f) != fields[f]]
    for name in changed:
        setattr(case, name, fields[name])
    case.full_clean()
    with transaction.atomic():
        current = InnovationCase.objects.select_for_update().get(pk=case.pk)
        if current.stage != case.stage:  # reviewed meanwhile: its text is now the reviewed one
            case.stage = current.stage
            raise _stale(case)
        if current.version != version:
            raise _edited(current)
        case.version = current.version + 1
        case.save()
        case.tasks.set(tasks)
        audit_record(
            actor=actor, action=AuditAction.CASE_UPDATE, obj=case, detail={"fields": changed}
        )
    return case


def _edited(current: InnovationCase) -> StaleEdit:
    last = (
        AuditEvent.objects.filter(
            object_type=InnovationCase._meta.label_lower,
            object_id=str(current.pk),
            action=AuditAction.CASE_UPDATE,
            outcome=Outcome.SUCCESS,
        )
        .order_by("-at", "-id")
        .first()
    )
    when = f"{timezone.localtime(last.at):%Y-%m-%d %H:%M}" if last else "—"
    who = last.username if last else "—"
    return StaleEdit(
        _(
            "该案例已于 %(when)s 由 %(who)s 修改，现名称：%(title)s；简介：%(summary)s。"
            "您填写的内容仍在下方，核对后再次保存将以此为准。"
        )
        % {"when": when, "who": who, "title": current.title, "summary": current.summary[:200]},
        current.version,
    )


def case_advance(
    *, case: InnovationCase, on: dt.date, actor: User, scope: str = "", seen: str = ""
) -> InnovationCase:
    """draft → submitted (报送), reviewed → selected (入选), selected → promoted (复制推广, with
    where: `scope` 全国/全省/全市); only the office moves a case on. With `seen` (the stage the
    page showed), a step taken on a case someone moved on meanwhile is refused as stale."""
    if not can_advance_case(actor):
        raise refuse(
            actor=actor,
            action=AuditAction.CASE_ADVANCE,
            obj=case,
            message=gettext("只有片区办可以更新案例阶段"),
        )
    if seen and seen != case.stage:
        raise _stale(case)
    if case.stage not in NEXT_STAGE:
        why = NO_NEXT.get(CaseStage(case.stage))
        raise ValidationError({"stage": str(why) if why else gettext("案例没有下一阶段")})
    stage, date_field = NEXT_STAGE[case.stage]
    errors = date_errors(on=on) or _order_errors(case, on)
    if stage == CaseStage.PROMOTED and scope not in PromotionScope.values:
        errors["scope"] = gettext("请选择推广范围（全国、全省或全市）")
    refuse_if(errors)
    with transaction.atomic():
        source = _lock_stage(case)
        case.stage = stage
        setattr(case, date_field, on)
        if stage == CaseStage.PROMOTED:
            case.promoted_scope = scope
        case.save()
        audit_record(
            actor=actor,
            action=AuditAction.CASE_ADVANCE,
            obj=case,
            detail={"from": source, "to": stage, "on": on.isoformat(), "scope": scope},
        )
    return case


def _lock_stage(case: InnovationCase) -> str:
    """The case's stage, locked until the transaction ends; a stage changed since `case` was read
    (two people taking the same step at once) is refused as stale, so a step never runs twice."""
    current = InnovationCase.objects.select_for_update().values_list("stage", flat=True)
    stage = current.get(pk=case.pk)
    if stage != case.stage:
        case.stage = stage
        raise _stale(case)
    return stage


def _stale(case: InnovationCase) -> ValidationError:
    return ValidationError(
        {
            "stage": gettext("该案例已被他人更新，当前阶段：%(stage)s。请刷新后再操作。")
            % {"stage": case.get_stage_display()}
        }
    )


def _order_errors(case: InnovationCase, on: dt.date) -> dict[str, str]:
    reached = [d for f in STAGE_DATES if (d := getattr(case, f)) is not None]
    if reached and on < max(reached):
        return {
            "on": gettext("日期不能早于上一步（%(day)s）") % {"day": f"{max(reached):%Y-%m-%d}"}
        }
    return {}


def case_review(
    *,
    case: InnovationCase,
    actor: User,
    on: dt.date,
    category: str,
    risk: str,
    opinion: str,
    result: str,
) -> CaseReview:
    """分类审查 of a submitted case: its classification, risk and the reviewer's opinion; pass moves it
    to reviewed (it may then be selected), reject ends it (不予推广), revise keeps it submitted for
    the unit to improve and a later review."""
    if not can_review_case(actor):
        raise refuse(
            actor=actor,
            action=AuditAction.CASE_REVIEW,
            obj=case,
            message=gettext("只有片区办可以进行案例分类审查"),
        )
    if case.stage != CaseStage.SUBMITTED:
        raise (
            _stale(case)
            if case.stage != CaseStage.DRAFT
            else ValidationError({"stage": gettext("只有已报送、待审查的案例可以审查")})
        )
    review = CaseReview(
        case=case,
        reviewer=actor,
        reviewed_on=on,
        category=category,
        risk=risk,
        opinion=opinion.strip(),
        result=result,
    )
    refuse_if(date_errors(reviewed_on=on) or _order_errors(case, on))
    review.full_clean(exclude=["case", "reviewer"])  # choices, a non-empty opinion
    with transaction.atomic():
        _lock_stage(case)
        review.save()
        case.category = category
        if result == ReviewResult.PASS:
            case.stage, case.reviewed_on = CaseStage.REVIEWED, on
        elif result == ReviewResult.REJECT:
            case.stage, case.rejected_on = CaseStage.REJECTED, on
        case.save()
        audit_record(
            actor=actor,
            action=AuditAction.CASE_REVIEW,
            obj=case,
            detail={"result": result, "risk": risk, "category": category},
        )
    return review


def case_attach(
    *, case: InnovationCase, upload: IO[bytes], name: str, actor: User
) -> CaseAttachment:
    """A file for the case, checked like evidence (content, size, name) and stored outside the web root."""
    if not can_attach_to_case(actor, case):
        raise refuse(
            actor=actor,
            action=AuditAction.CASE_ATTACH,
            obj=case,
            message=gettext("只有提出单位或片区办可以为未推广的案例上传附件"),
        )
    name, data, mime = checked_upload(upload, name)
    with transaction.atomic():
        attachment = CaseAttachment.objects.create(
            case=case,
            original_name=name,
            stored_name=secrets.token_hex(20),
            content_type=mime,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            uploaded_by=actor,
        )
        audit_record(
            actor=actor, action=AuditAction.CASE_ATTACH, obj=attachment, detail={"size": len(data)}
        )
        # Last: a failed write rolls the row back.
        evidence_storage().save(_stored_path(attachment), ContentFile(data))
    return attachment


def _stored_path(attachment: CaseAttachment) -> str:
    return f"cases/{attachment.stored_name[:2]}/{attachment.stored_name}"


def case_file_read(*, attachment: CaseAttachment, actor: User) -> Download:
    """The file, checked against its digest; every download audited (the caller checked visibility)."""
    data = checked_read(
        _stored_path(attachment),
        attachment.sha256,
        actor=actor,
        action=AuditAction.CASE_FILE_DOWNLOAD,
        obj=attachment,
        corrupted=gettext("附件“%(name)s”校验失败，可能已被篡改")
        % {"name": attachment.original_name},
    )
    return Download(attachment.original_name, attachment.content_type, data)


def checked_read(
    path: str, sha256: str, *, actor: User, action: AuditAction, obj: Any, corrupted: str
) -> bytes:
    """A stored file's bytes if they still match their digest; every read audited (a mismatch as
    failed, raising EvidenceCorrupted with `corrupted`). Case attachments and evaluation reports."""
    with evidence_storage().open(path, "rb") as stored:
        data: bytes = stored.read()
    if hashlib.sha256(data).hexdigest() != sha256:
        audit_record(actor=actor, action=action, obj=obj, outcome=Outcome.FAILED)
        raise EvidenceCorrupted(corrupted)
    audit_record(actor=actor, action=action, obj=obj)
    return data


def cases_carry(*, plan: Plan) -> int:
    """A revision keeps the innovation cases of the version it revises, as cases of the new version
    on the tasks it carries over, with their 分类审查; the earlier version keeps its own (its figures
    never change). The copy's attachments name the earlier case's stored files (no bytes copied; each
    read is still checked against the file's digest)."""
    if plan.revises_id is None:
        return 0
    carried = dict(
        Task.objects.filter(plan=plan, carried_from__isnull=False).values_list(
            "carried_from_id", "pk"
        )
    )
    count = 0
    for case in InnovationCase.objects.filter(plan_id=plan.revises_id).prefetch_related("tasks"):
        tasks = [carried[t.pk] for t in case.tasks.all() if t.pk in carried]
        copy = InnovationCase.objects.get(pk=case.pk)  # unprefetched: its tasks are its own
        copy.pk, copy._state.adding, copy.plan = None, True, plan
        copy.save()
        copy.tasks.set(tasks)
        reviews = list(CaseReview.objects.filter(case=case))
        for review in reviews:
            review.pk, review.case = None, copy
        CaseReview.objects.bulk_create(reviews)
        _attachments_share(case, copy)
        count += 1
    return count


def _attachments_share(case: InnovationCase, copy: InnovationCase) -> None:
    """`copy` gets a row for each of `case`'s files naming the same stored file and digest, with the
    original upload's name, uploader and time."""
    for attachment in CaseAttachment.objects.filter(case=case).order_by("pk"):
        uploaded_at = attachment.uploaded_at
        attachment.pk, attachment._state.adding, attachment.case = None, True, copy
        attachment.save()  # auto_now_add stamps it now: the upload time is set back below
        CaseAttachment.objects.filter(pk=attachment.pk).update(uploaded_at=uploaded_at)


def evaluations_carry(*, plan: Plan) -> int:
    """A revision keeps the evaluations of every task it carries over, and those of the whole
    plan, with their dates; the earlier version keeps its own."""
    carried = dict(
        Task.objects.filter(plan=plan, carried_from__isnull=False).values_list(
            "carried_from_id", "pk"
        )
    )
    copies = []
    for evaluation in Evaluation.objects.filter(
        Q(task__in=list(carried)) | Q(plan_id=plan.revises_id, task__isnull=True)
    ):
        evaluation.pk, evaluation.plan = None, plan
        if evaluation.task_id is not None:
            evaluation.task_id = carried[evaluation.task_id]
        copies.append(evaluation)
    Evaluation.objects.bulk_create(copies)
    return len(copies)
