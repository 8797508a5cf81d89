"""Writes of 督查督办. Each is one transaction that leaves a step on the item and an audit row;
refusals are audited outside it."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Sequence
from typing import IO, Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext as _

from luoshi.accounts.models import Membership, Role
from luoshi.accounts.policies import is_office
from luoshi.audit.actions import AuditAction
from luoshi.audit.services import audit_record, refuse
from luoshi.plans.models import Measure, Organisation, Task
from luoshi.progress.evidence import checked_upload, evidence_storage
from luoshi.progress.models import CycleStatus, ReportingCycle
from luoshi.progress.selectors import expected_reports, filed_in
from luoshi.supervision import texts
from luoshi.supervision.messaging import message_send
from luoshi.supervision.models import (
    TEXT_LIMIT,
    Assignment,
    Channel,
    ChannelKind,
    CycleMark,
    Level,
    MarkKind,
    Message,
    Notice,
    NoticeEvent,
    NoticeFile,
    NoticeState,
    NoticeStep,
    Reason,
)
from luoshi.supervision.policies import acts_for_unit, may_issue
from luoshi.supervision.stale import locked_state, stale_step
from luoshi.supervision.texts import Text


def _refuse(actor: User, action: AuditAction, obj: Any, message: str) -> PermissionDenied:
    return refuse(actor=actor, action=action, obj=obj, message=message)


def _stale(notice: Notice) -> ValidationError:
    """A step taken on an old copy of the page: who did what last, and where the 督办单 is now."""
    last = notice.events.select_related("actor").order_by("-at", "-id").first()
    return stale_step(
        last,
        _("该督办单已于 %(when)s 由 %(who)s %(step)s，当前状态：%(state)s。请刷新后再操作。"),
        step=NoticeStep(last.action).label if last else "",
        state=NoticeState(notice.state).label,
    )


def _lock(notice: Notice, *states: NoticeState) -> None:
    """Inside the step's transaction: the row locked and its state read again, so of two people
    acting at once (or one page sent twice) the second is told instead of repeating the step."""
    notice.state = locked_state(Notice, notice.pk)
    if notice.state not in states:
        raise _stale(notice)


def _step(notice: Notice, actor: User | None, action: NoticeStep, comment: str = "") -> None:
    NoticeEvent.objects.create(
        notice=notice, actor=actor, action=action, to_state=notice.state, comment=comment
    )
    audit_record(
        actor=actor,
        action=AuditAction.notice_step(action),
        obj=notice,
        detail={"state": notice.state},
    )


def _tell_unit(notice: Notice, subject: Text, roles: tuple[str, ...]) -> None:
    link = reverse("supervision:notice", args=[notice.pk])
    for m in Membership.objects.filter(
        organisation=notice.organisation, role__in=roles, user__is_active=True
    ).select_related("user"):
        message_send(recipient=m.user, subject=subject, body=notice.requirement, link=link)


def _tell_office(notice: Notice, subject: Text) -> None:
    link = reverse("supervision:notice", args=[notice.pk])
    for m in Membership.objects.filter(role=Role.OFFICE, user__is_active=True).select_related(
        "user"
    ):
        message_send(recipient=m.user, subject=subject, body=notice.reply, link=link)


def _next_number(year: int) -> int:
    last = Notice.objects.filter(year=year).aggregate(n=Max("number"))["n"]
    return (last or 0) + 1


def _clean(level: str, reason: str, requirement: str, reply_due: dt.date | None) -> None:
    errors = {}
    if level not in Level.values:
        errors["level"] = gettext("请选择督办级别")
    if reason not in Reason.values:
        errors["reason"] = gettext("请选择督办事由")
    if not requirement.strip():
        errors["requirement"] = gettext("请填写督办要求")
    elif len(requirement) > TEXT_LIMIT:
        errors["requirement"] = gettext("不能超过 %(n)s 字") % {"n": TEXT_LIMIT}
    if reply_due is None:
        errors["reply_due"] = gettext("请填写反馈期限")
    elif reply_due < timezone.localdate():
        errors["reply_due"] = gettext("反馈期限不能早于今天")
    if errors:
        raise ValidationError(errors)


def notice_issue(
    *,
    actor: User,
    level: str,
    reason: str,
    requirement: str,
    reply_due: dt.date | None,
    organisation: Organisation | None = None,
    measure: Measure | None = None,
    task: Task | None = None,
    proposal: Notice | None = None,
    assignment: Assignment | None = None,
) -> Notice:
    """交办: the office issues a 督办单 (new, or from a proposal) and numbers it in the year's sequence."""
    if not may_issue(actor):
        raise _refuse(
            actor,
            AuditAction.NOTICE_ISSUE,
            proposal or measure or task,
            gettext("只有片区办可以下发督办单"),
        )
    _clean(level, reason, requirement, reply_due)
    if proposal is not None and proposal.state != NoticeState.PROPOSED:
        raise _stale(proposal)
    notice = proposal or Notice(measure=measure, task=task, assignment=assignment)
    organisation = organisation or (proposal.organisation if proposal else None)
    if organisation is None:
        raise ValidationError({"organisation": gettext("请选择承办单位")})
    now = timezone.now()
    for _attempt in range(3):  # two offices numbering at once: the unique number decides
        try:
            with transaction.atomic():
                if proposal is not None:
                    _lock(notice, NoticeState.PROPOSED)
                notice.year = timezone.localdate(now).year
                notice.number = _next_number(notice.year)
                notice.level, notice.reason, notice.requirement = level, reason, requirement
                notice.reply_due, notice.organisation = reply_due, organisation
                notice.state, notice.issued_at = NoticeState.ISSUED, now
                notice.save()
                _step(notice, actor, NoticeStep.ISSUE)
                _tell_unit(
                    notice,
                    texts.text(gettext_noop("%(notice)s 请签收"), notice=notice.label_text),
                    (Role.HEAD, Role.REPORTER),
                )
            return notice
        except IntegrityError:
            if proposal is None:
                notice.pk = None
    raise ValidationError({"number": gettext("督办单编号冲突，请重试")})


def notice_drop(*, notice: Notice, actor: User, comment: str = "") -> Notice:
    """The office decides a proposed 督办单 is not needed."""
    if not is_office(actor):
        raise _refuse(actor, AuditAction.NOTICE_DROP, notice, gettext("只有片区办可以处理督办建议"))
    with transaction.atomic():
        _lock(notice, NoticeState.PROPOSED)
        notice.state = NoticeState.DROPPED
        notice.save(update_fields=["state"])
        _step(notice, actor, NoticeStep.DROP, comment)
    return notice


def notice_sign(*, notice: Notice, actor: User) -> Notice:
    """签收: the unit acknowledges the 督办单; the time is kept."""
    if not acts_for_unit(actor, notice):
        raise _refuse(
            actor, AuditAction.NOTICE_SIGN, notice, gettext("只有承办单位可以签收未签收的督办单")
        )
    with transaction.atomic():
        _lock(notice, NoticeState.ISSUED)
        notice.state, notice.signed_at = NoticeState.SIGNED, timezone.now()
        notice.save(update_fields=["state", "signed_at"])
        _step(notice, actor, NoticeStep.SIGN)
    return notice


def notice_reply(
    *, notice: Notice, actor: User, text: str, files: Sequence[tuple[IO[bytes], str]]
) -> Notice:
    """办理反馈: what was done, with evidence files; goes to the office."""
    if not acts_for_unit(actor, notice):
        raise _refuse(
            actor, AuditAction.NOTICE_REPLY, notice, gettext("只有承办单位可以反馈已签收的督办单")
        )
    if not text.strip():
        raise ValidationError({"reply": gettext("请填写办理情况")})
    if len(text) > TEXT_LIMIT:
        raise ValidationError({"reply": gettext("不能超过 %(n)s 字") % {"n": TEXT_LIMIT}})
    checked = [checked_upload(upload, name) for upload, name in files]  # all checked before storing
    written = []
    try:
        with transaction.atomic():
            _lock(notice, NoticeState.SIGNED, NoticeState.RETURNED)
            notice.state, notice.replied_at, notice.reply = (
                NoticeState.REPLIED,
                timezone.now(),
                text,
            )
            notice.save(update_fields=["state", "replied_at", "reply"])
            for name, data, mime in checked:
                written.append(_store(notice, actor, name, data, mime))
            _step(notice, actor, NoticeStep.REPLY, text)
            _tell_office(
                notice,
                texts.text(gettext_noop("%(notice)s 已反馈，请审核"), notice=notice.label_text),
            )
    except Exception:
        for path in written:
            evidence_storage().delete(path)
        raise
    return notice


def _store(notice: Notice, actor: User, name: str, data: bytes, mime: str) -> str:
    """Into the evidence storage (local or object storage), under a random name."""
    stored = secrets.token_hex(20)
    path = f"{stored[:2]}/{stored}"
    NoticeFile.objects.create(
        notice=notice,
        original_name=name,
        stored_name=stored,
        content_type=mime,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=actor,
    )
    return evidence_storage().save(path, ContentFile(data))


def notice_decide(*, notice: Notice, actor: User, close: bool, comment: str = "") -> Notice:
    """办结 (销号) or 退回 with a reason: the office, on a replied 督办单."""
    action = NoticeStep.CLOSE if close else NoticeStep.RETURN
    if not is_office(actor):
        raise _refuse(
            actor,
            AuditAction.notice_step(action),
            notice,
            gettext("只有片区办可以办结或退回已反馈的督办单"),
        )
    if not close and not comment.strip():
        raise ValidationError({"comment": gettext("退回须说明理由")})
    with transaction.atomic():
        _lock(notice, NoticeState.REPLIED)
        if close:
            notice.state, notice.closed_at = NoticeState.CLOSED, timezone.now()
        else:
            notice.state = NoticeState.RETURNED
        notice.save(update_fields=["state", "closed_at"])
        _step(notice, actor, action, comment)
        said = gettext_noop("%(notice)s 已办结") if close else gettext_noop("%(notice)s 被退回")
        _tell_unit(notice, texts.text(said, notice=notice.label_text), (Role.HEAD, Role.REPORTER))
    return notice


def notice_file(*, file_id: int, notice: Notice) -> tuple[NoticeFile, bytes]:
    """A reply's evidence file for someone who may see the notice; checked against its digest."""
    found = notice.files.get(pk=file_id)
    with evidence_storage().open(f"{found.stored_name[:2]}/{found.stored_name}", "rb") as stored:
        data = stored.read()
    if hashlib.sha256(data).hexdigest() != found.sha256:
        raise ValidationError(
            {"file": gettext("“%(name)s”校验失败，可能已被篡改") % {"name": found.original_name}}
        )
    return found, data


def cycle_close(*, cycle: ReportingCycle, actor: User) -> dict[str, int]:
    """The office closes a cycle: no new reports; missing ones marked missed, late ones late."""
    if not is_office(actor):
        raise _refuse(actor, AuditAction.CYCLE_CLOSE, cycle, gettext("只有片区办可以关闭填报周期"))
    if cycle.status == CycleStatus.CLOSED:
        raise ValidationError({"cycle": gettext("该填报周期已关闭")})
    filed = filed_in(cycle)  # through the lineage: a predecessor's report counts
    marks = []
    for measure_id in expected_reports(cycle).values_list("pk", flat=True):
        at = filed.get(measure_id)
        if at is None:
            marks.append(CycleMark(cycle=cycle, measure_id=measure_id, kind=MarkKind.MISSED))
        elif (late := (timezone.localdate(at) - cycle.due_on).days) > 0:
            marks.append(
                CycleMark(cycle=cycle, measure_id=measure_id, kind=MarkKind.LATE, days_late=late)
            )
    with transaction.atomic():
        cycle.status = CycleStatus.CLOSED
        cycle.save(update_fields=["status"])
        CycleMark.objects.bulk_create(marks)
        counts = {k: sum(1 for m in marks if m.kind == k) for k in MarkKind.values}
        audit_record(actor=actor, action=AuditAction.CYCLE_CLOSE, obj=cycle, detail=counts)
    return counts


def messages_read(*, actor: User, message: Message | None = None) -> int:
    """Mark one of the actor's messages (or all) read; returns how many changed."""
    unread = Message.objects.filter(recipient=actor, read_at__isnull=True)
    if message is not None:
        unread = unread.filter(pk=message.pk)
    return unread.update(read_at=timezone.now())


def channel_add(
    *,
    actor: User,
    kind: str,
    url: str,
    organisation: Organisation | None = None,
    user: User | None = None,
    secret: str = "",
) -> Channel:
    if not is_office(actor):
        raise _refuse(
            actor,
            AuditAction.CHANNEL_ADD,
            organisation or user,
            gettext("只有片区办可以配置消息渠道"),
        )
    if kind not in ChannelKind.values or kind == ChannelKind.EMAIL:
        raise ValidationError({"kind": gettext("请选择短信网关或机器人")})
    if organisation is None and user is None:
        raise ValidationError({"organisation": gettext("请选择单位或人员")})
    if not url.startswith(("https://", "http://")):
        raise ValidationError({"url": gettext("地址应以 http:// 或 https:// 开头")})
    with transaction.atomic():
        channel = Channel.objects.create(
            kind=kind, url=url, organisation=organisation, user=user, secret=secret
        )
        audit_record(actor=actor, action=AuditAction.CHANNEL_ADD, obj=channel)
    return channel
