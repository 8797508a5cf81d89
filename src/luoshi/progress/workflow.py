"""The review workflow as an explicit transition table: (state, action) → where it goes and who may."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from luoshi.progress.models import ReportState


class Action(models.TextChoices):
    SUBMIT = "submit", _("提交")  # reporter → head
    WITHDRAW = "withdraw", _("撤回")  # the filing unit takes a submission back before its head acts
    APPROVE = "approve", _("审核通过")  # head signs off → office
    SEND_BACK = "send_back", _("退回修改")  # head returns to own reporter
    ACCEPT = "accept", _("验收")  # office accepts (验收)
    RETURN = "return", _("退回")  # office returns with a reason (退回)
    # The office takes back its 验收 for a few minutes (not a table move: see report_transition).
    UNDO_ACCEPT = "undo_accept", _("撤销验收")


class Actor(StrEnum):
    LEAD_DEPARTMENT = (
        "lead_department"  # reporter or head of the organisation that filed the report
    )
    LEAD_HEAD = "lead_head"
    OFFICE = "office"


@dataclass(frozen=True)
class Transition:
    target: ReportState
    actor: Actor
    needs_reason: bool = False
    counts_as_return: bool = False


TRANSITIONS: dict[tuple[ReportState, Action], Transition] = {
    (ReportState.DRAFT, Action.SUBMIT): Transition(ReportState.SUBMITTED, Actor.LEAD_DEPARTMENT),
    (ReportState.SUBMITTED, Action.WITHDRAW): Transition(ReportState.DRAFT, Actor.LEAD_DEPARTMENT),
    (ReportState.SUBMITTED, Action.APPROVE): Transition(ReportState.APPROVED, Actor.LEAD_HEAD),
    (ReportState.SUBMITTED, Action.SEND_BACK): Transition(
        ReportState.DRAFT, Actor.LEAD_HEAD, needs_reason=True
    ),
    (ReportState.APPROVED, Action.ACCEPT): Transition(ReportState.ACCEPTED, Actor.OFFICE),
    (ReportState.APPROVED, Action.RETURN): Transition(
        ReportState.DRAFT, Actor.OFFICE, needs_reason=True, counts_as_return=True
    ),
}

ACTION_LABELS = {action: action.label for action in Action}


class InvalidTransition(Exception):
    """The action does not apply to a report in its current state."""


def transition_for(state: str, action: str) -> Transition:
    try:
        return TRANSITIONS[(ReportState(state), Action(action))]
    except (KeyError, ValueError):
        label = ReportState(state).label if state in ReportState.values else state
        allowed = gettext("、").join(
            str(ACTION_LABELS[a]) for s, a in TRANSITIONS if s == state
        ) or gettext("无")
        wanted = ACTION_LABELS.get(Action(action), action) if action in Action else action
        raise InvalidTransition(
            gettext("状态为“%(state)s”的报告不能执行“%(action)s”操作（可执行：%(allowed)s）")
            % {"state": label, "action": wanted, "allowed": allowed}
        ) from None
