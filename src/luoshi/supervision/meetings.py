"""Meetings (会议) with their minutes and 议定事项: the office records a meeting and adds its decisions,
each an assignment to one unit with a deadline, tracked like every other (supervision.assignments)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import IO

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext, gettext_noop

from luoshi.audit.actions import AuditAction
from luoshi.audit.services import audit_record, refuse
from luoshi.plans.models import Measure, Organisation
from luoshi.progress.evidence import checked_upload, evidence_storage
from luoshi.supervision import texts
from luoshi.supervision.assignments import _due, _step, _tell_unit, _text
from luoshi.supervision.models import TEXT_LIMIT, Assignment, AssignmentKind, Meeting, MeetingKind
from luoshi.supervision.policies import may_record_meeting


def meeting_record(
    *,
    actor: User,
    kind: str,
    title: str,
    held_on: dt.date | None,
    attendees: str = "",
    minutes: tuple[IO[bytes], str] | None = None,
) -> Meeting:
    """The office records a meeting, with its minutes (会议纪要) filed like evidence."""
    if not may_record_meeting(actor):
        raise refuse(
            actor=actor,
            action=AuditAction.MEETING_RECORD,
            message=gettext("只有片区办可以记录会议"),
        )
    errors: dict[str, str] = {}
    if kind not in MeetingKind.values:
        errors["kind"] = gettext("请选择会议类型")
    if not title.strip():
        errors["title"] = gettext("请填写会议名称")
    elif len(title) > 200:
        errors["title"] = gettext("不能超过 %(n)s 字") % {"n": 200}
    if held_on is None:
        errors["held_on"] = gettext("请填写会议日期")
    if len(attendees) > TEXT_LIMIT:
        errors["attendees"] = gettext("不能超过 %(n)s 字") % {"n": TEXT_LIMIT}
    if errors:
        raise ValidationError(errors)
    checked = checked_upload(*minutes) if minutes else None  # refused before anything is stored
    assert held_on is not None
    meeting = Meeting(
        kind=kind, title=title, held_on=held_on, attendees=attendees, created_by=actor
    )
    written = ""
    try:
        with transaction.atomic():
            if checked is not None:
                name, data, mime = checked
                stored = secrets.token_hex(20)
                meeting.minutes_name, meeting.minutes_stored = name, stored
                meeting.minutes_type = mime
                meeting.minutes_sha256 = hashlib.sha256(data).hexdigest()
                written = evidence_storage().save(f"{stored[:2]}/{stored}", ContentFile(data))
            meeting.save()
            audit_record(actor=actor, action=AuditAction.MEETING_RECORD, obj=meeting)
    except Exception:
        if written:
            evidence_storage().delete(written)
        raise
    return meeting


def meeting_minutes(meeting: Meeting) -> bytes:
    """The minutes file, checked against its digest."""
    path = f"{meeting.minutes_stored[:2]}/{meeting.minutes_stored}"
    with evidence_storage().open(path, "rb") as stored:
        data = stored.read()
    if hashlib.sha256(data).hexdigest() != meeting.minutes_sha256:
        raise ValidationError(
            {
                "minutes": gettext("“%(name)s”校验失败，可能已被篡改")
                % {"name": meeting.minutes_name}
            }
        )
    return bytes(data)


def decision_add(
    *,
    actor: User,
    meeting: Meeting,
    text: str,
    organisation: Organisation | None,
    due_on: dt.date | None,
    measure: Measure | None = None,
) -> Assignment:
    """议定事项: one decision of a meeting, for one unit with a deadline; tracked until closed."""
    if not may_record_meeting(actor):
        raise refuse(
            actor=actor,
            action=AuditAction.DECISION_ADD,
            obj=meeting,
            message=gettext("只有片区办可以添加议定事项"),
        )
    errors: dict[str, str] = {}
    _text(errors, "text", text, gettext("议定事项"))
    _due(errors, due_on)
    if organisation is None:
        errors["organisation"] = gettext("请选择承办单位")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        assignment = Assignment.objects.create(
            kind=AssignmentKind.DECISION,
            text=text,
            organisation=organisation,
            meeting=meeting,
            measure=measure,
            due_on=due_on,
            created_by=actor,
        )
        _step(assignment, actor, "create")
        _tell_unit(
            assignment,
            texts.text(
                gettext_noop("%(meeting)s议定事项，请于 %(due)s 前落实"),
                meeting=meeting.title,
                due=str(due_on),
            ),
        )
        audit_record(actor=actor, action=AuditAction.DECISION_ADD, obj=assignment)
    return assignment
