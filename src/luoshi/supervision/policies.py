"""Who may see and do what in 督查督办 (built on accounts.policies)."""

from __future__ import annotations

from django.db.models import QuerySet

from luoshi.accounts.policies import (
    DEPARTMENT,
    AnyUser,
    is_office,
    leads,
    organisation_of,
    reads_everything,
    role_of,
    visible_measures,
)
from luoshi.plans.models import Measure
from luoshi.supervision.models import Message, Notice, NoticeState


def visible_notices(user: AnyUser) -> QuerySet[Notice]:
    """All for the office; issued ones for leaders and evaluators; their own unit's for a department."""
    if is_office(user):
        return Notice.objects.all()
    issued = Notice.objects.exclude(state__in=[NoticeState.PROPOSED, NoticeState.DROPPED])
    if reads_everything(user):
        return issued
    if role_of(user) in DEPARTMENT:
        return issued.filter(organisation=organisation_of(user))
    return Notice.objects.none()


def reads_notices(user: AnyUser) -> bool:
    return reads_everything(user) or role_of(user) in DEPARTMENT


def may_issue(user: AnyUser) -> bool:
    return is_office(user)


def _of_unit(user: AnyUser, notice: Notice) -> bool:
    return role_of(user) in DEPARTMENT and organisation_of(user) == notice.organisation


def may_sign(user: AnyUser, notice: Notice) -> bool:
    return notice.state == NoticeState.ISSUED and _of_unit(user, notice)


def may_reply(user: AnyUser, notice: Notice) -> bool:
    return notice.state in (NoticeState.SIGNED, NoticeState.RETURNED) and _of_unit(user, notice)


def may_decide(user: AnyUser, notice: Notice) -> bool:
    """办结 or 退回 a replied 督办单: the office."""
    return notice.state == NoticeState.REPLIED and is_office(user)


def sees_history(user: AnyUser, measure: Measure) -> bool:
    return visible_measures(user).filter(pk=measure.pk).exists()


def own_messages(user: AnyUser) -> QuerySet[Message]:
    if not user.is_authenticated:
        return Message.objects.none()
    return Message.objects.filter(recipient=user)


def may_request_extension(user: AnyUser, measure: Measure) -> bool:
    """延期申请: the measure's lead unit (reporter or head)."""
    return leads(user, measure)


def may_decide_extension(user: AnyUser) -> bool:
    return is_office(user)
