"""Writes for 征求意见: open a period, receive a comment (limits checked), moderate, group, answer.
Every change and refusal is audited."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import NoReturn

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from luoshi.audit.actions import AuditAction
from luoshi.audit.models import Outcome
from luoshi.audit.services import audit_record
from luoshi.consultation import policies
from luoshi.consultation.models import TEXT_LIMIT, Answer, Comment, CommentPeriod, Moderation
from luoshi.plans.models import Measure, Plan, Task


def _office(actor: User, action: AuditAction, obj: object) -> None:
    if not policies.may_run_consultations(actor):
        audit_record(
            actor=actor,
            action=action,
            outcome=Outcome.REFUSED,
            detail={"reason": gettext("只有片区办可以办理征求意见"), "object": str(obj)},
        )
        raise PermissionDenied(gettext("只有片区办可以办理征求意见"))


def period_open(
    *,
    plan: Plan,
    opens_on: dt.date,
    closes_on: dt.date,
    actor: User,
    scope: str = "",
    name_required: bool = False,
    contact_required: bool = False,
) -> CommentPeriod:
    _office(actor, AuditAction.COMMENT_PERIOD_OPEN, plan)
    if closes_on < opens_on:
        raise ValidationError({"closes_on": gettext("截止日期不能早于开始日期")})
    with transaction.atomic():
        period = CommentPeriod.objects.create(
            plan=plan,
            opens_on=opens_on,
            closes_on=closes_on,
            scope=scope,
            name_required=name_required,
            contact_required=contact_required,
            opened_by=actor,
        )
        audit_record(actor=actor, action=AuditAction.COMMENT_PERIOD_OPEN, obj=period)
    return period


def client_key(address: str) -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()


def comment_submit(
    *,
    period: CommentPeriod,
    text: str,
    address: str,
    target: Task | Measure | None = None,
    name: str = "",
    contact: str = "",
    now: dt.datetime | None = None,
    challenge: str | None = None,
) -> Comment:
    """A comment from the public. Refused, naming the field, when the period is not open, a required
    field is empty, the text is empty or too long, the sender has sent too many this hour, or the
    page's answered sum (`challenge`, consultation/challenge.py) already brought a comment."""
    now = now or timezone.now()
    key = client_key(address)
    reason = policies.may_comment(period, timezone.localdate(now))
    errors: dict[str, str] = {"period": reason} if reason else {}
    text, name, contact = text.strip(), name.strip()[:50], contact.strip()[:100]
    if not text or len(text) > TEXT_LIMIT:
        errors["text"] = gettext("请填写 1–%(n)s 字的意见") % {"n": TEXT_LIMIT}
    if period.name_required and not name:
        errors["name"] = gettext("请填写姓名")
    if period.contact_required and not contact:
        errors["contact"] = gettext("请填写联系方式")
    recent = Comment.objects.filter(client=key, submitted_at__gte=now - dt.timedelta(hours=1))
    if recent.count() >= settings.LUOSHI_COMMENTS_PER_HOUR:
        errors["text"] = gettext("提交过于频繁，请稍后再试")
    if isinstance(target, Measure | Task) and _plan_of(target) != period.plan_id:
        errors["target"] = gettext("该条目不属于征求意见的方案")
    if errors:
        _refused(period, errors)
    try:
        with transaction.atomic():
            comment = Comment.objects.create(
                period=period,
                task=target if isinstance(target, Task) else None,
                measure=target if isinstance(target, Measure) else None,
                name=name,
                contact=contact,
                text=text,
                client=key,
                submitted_at=now,
                challenge=challenge,
            )
            audit_record(actor=None, action=AuditAction.COMMENT_SUBMIT, obj=comment)
    except IntegrityError:
        if challenge is None or not Comment.objects.filter(challenge=challenge).exists():
            raise  # not the one expected: a real fault, not a refusal
        # the page's answer brought a comment already (challenge is unique)
        _refused(period, {"challenge": gettext("这道验证题已用于提交意见，请重新计算")})
    return comment


def _refused(period: CommentPeriod, errors: dict[str, str]) -> NoReturn:
    audit_record(
        actor=None,
        action=AuditAction.COMMENT_SUBMIT,
        obj=period,
        outcome=Outcome.REFUSED,
        detail=errors,
    )
    raise ValidationError(errors)


def _plan_of(target: Task | Measure) -> int:
    return target.plan_id if isinstance(target, Task) else target.task.plan_id


def comment_moderate(
    *, comment: Comment, actor: User, accept: bool, duplicate_of: Comment | None = None
) -> Comment:
    """Accept (optionally as a duplicate of another accepted comment) or refuse a comment."""
    _office(actor, AuditAction.COMMENT_MODERATE, comment)
    if duplicate_of is not None and (
        duplicate_of.period_id != comment.period_id or duplicate_of.pk == comment.pk
    ):
        raise ValidationError({"duplicate_of": gettext("只能归并到同一征求意见中的另一条意见")})
    with transaction.atomic():
        comment.moderation = Moderation.APPROVED if accept else Moderation.REJECTED
        comment.duplicate_of = duplicate_of.duplicate_of or duplicate_of if duplicate_of else None
        comment.save(update_fields=["moderation", "duplicate_of"])
        audit_record(
            actor=actor,
            action=AuditAction.COMMENT_MODERATE,
            obj=comment,
            detail={"moderation": comment.moderation, "duplicate_of": comment.duplicate_of_id},
        )
    return comment


def comment_answer(
    *, comment: Comment, actor: User, answer: str, reason: str, change_code: str = ""
) -> Comment:
    """采纳 / 部分采纳 / 不采纳 with a reason (required unless adopted), and the change answering it."""
    _office(actor, AuditAction.COMMENT_ANSWER, comment)
    errors = {}
    if answer not in Answer.values:
        errors["answer"] = gettext("请选择采纳、部分采纳或不采纳")
    if answer != Answer.ADOPTED and not reason.strip():
        errors["reason"] = gettext("部分采纳或不采纳须说明理由")
    if len(reason) > TEXT_LIMIT:
        errors["reason"] = gettext("理由不能超过 %(n)s 字") % {"n": TEXT_LIMIT}
    if comment.moderation != Moderation.APPROVED:
        errors["comment"] = gettext("只能答复已受理的意见")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        comment.answer, comment.reason = answer, reason.strip()
        comment.change_code = change_code.strip()[:20]
        comment.answered_by, comment.answered_at = actor, timezone.now()
        comment.save()
        audit_record(
            actor=actor,
            action=AuditAction.COMMENT_ANSWER,
            obj=comment,
            detail={"answer": answer, "change": comment.change_code},
        )
    return comment
