"""Who may see and do what in 督查督办 (built on accounts.policies)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import Q, QuerySet
from django.utils import timezone

from luoshi.accounts.models import Role
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
from luoshi.plans.models import Measure, Organisation
from luoshi.supervision.models import (
    OPEN_STATES,
    Assignment,
    AssignmentState,
    Extension,
    ExtensionState,
    Level,
    Meeting,
    Message,
    Notice,
    NoticeState,
    Oversight,
)


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


def acts_for_unit(user: AnyUser, notice: Notice) -> bool:
    """Signs and answers the 督办单 when its state asks for it: a department user of its unit."""
    return _of_unit(user, notice)


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


def is_key(measure: Measure) -> bool:
    """A key item: under 重点 or 挂牌 督办 (a 督办单 of that level still open)."""
    return Notice.objects.filter(
        measure=measure, level__in=[Level.KEY, Level.LISTED], state__in=OPEN_STATES
    ).exists()


def needs_leader(extension: Extension) -> bool:
    """A key item given more than LUOSHI_EXTENSION_LEADER_DAYS of extra time also needs its
    分管领导. Extra time counts from the original deadline, or from the request for an item that
    was already late."""
    if not is_key(extension.measure):
        return False
    asked_on = timezone.localdate(extension.requested_at)
    start = max(extension.original_due, asked_on) if extension.original_due else asked_on
    return (extension.requested_due - start).days > settings.LUOSHI_EXTENSION_LEADER_DAYS


def overseers(organisation: Organisation) -> QuerySet[User]:
    """The organisation's 分管领导; every leader when none is named (as the ladder does)."""
    named = User.objects.filter(
        pk__in=Oversight.objects.filter(organisation=organisation).values("leader_id"),
        is_active=True,
    )
    if named.exists():
        return named
    return User.objects.filter(membership__role=Role.LEADER, is_active=True)


def decides_extensions(user: AnyUser) -> bool:
    """Who may come to an extension's approve/refuse at all: the office and leaders."""
    return is_office(user) or role_of(user) == Role.LEADER


def may_decide_extension(user: AnyUser, extension: Extension) -> bool:
    """The office decides a pending request; a key item's long one then waits for its 分管领导."""
    if extension.state == ExtensionState.PENDING:
        return is_office(user)
    if extension.state == ExtensionState.LEADER:
        return overseers(extension.organisation).filter(pk=user.pk or 0).exists()
    return False


# ---- 批示, 议定事项, 协调事项 -----------------------------------------------------------------


def visible_assignments(user: AnyUser) -> QuerySet[Assignment]:
    """All for the office, leaders and evaluators; a unit's own (to do, or raised by it)."""
    if reads_everything(user):
        return Assignment.objects.all()
    if role_of(user) in DEPARTMENT:
        org = organisation_of(user)
        return Assignment.objects.filter(Q(organisation=org) | Q(raised_by=org))
    return Assignment.objects.none()


def visible_meetings(user: AnyUser) -> QuerySet[Meeting]:
    """All for those who read everything; for a unit, as with its 督办事项, only the meetings that
    gave it a decision (their minutes included)."""
    if reads_everything(user):
        return Meeting.objects.all()
    return Meeting.objects.filter(pk__in=visible_assignments(user).values("meeting"))


def may_instruct(user: AnyUser) -> bool:
    """领导批示: leaders write them."""
    return role_of(user) == Role.LEADER


def may_record_meeting(user: AnyUser) -> bool:
    return is_office(user)


def may_raise_coordination(user: AnyUser) -> bool:
    """A unit asks for coordination; the office may record one for a unit too."""
    return role_of(user) in DEPARTMENT or is_office(user)


def may_assign(user: AnyUser, assignment: Assignment) -> bool:
    return is_office(user) and assignment.state == AssignmentState.RAISED


def may_answer(user: AnyUser, assignment: Assignment) -> bool:
    """落实情况: the unit it is assigned to, or the leader a 请示 went to."""
    if assignment.state != AssignmentState.OPEN:
        return False
    if assignment.owner_id is not None:
        return bool(assignment.owner_id == user.pk)
    return role_of(user) in DEPARTMENT and organisation_of(user) == assignment.organisation


def may_close(user: AnyUser, assignment: Assignment) -> bool:
    """办结 or 退回 an answered one: the office; a 批示's own leader too."""
    if assignment.state != AssignmentState.ANSWERED:
        return False
    instruction = assignment.instruction
    return is_office(user) or (instruction is not None and instruction.author_id == user.pk)


def may_urge(user: AnyUser) -> bool:
    """催办 on demand (from the 督办台账 or the measures list) is the office's."""
    return is_office(user)
