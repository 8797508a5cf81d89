"""Who may open a comment period, moderate and answer (the office); who may comment (anyone, while
the period is open); what the public reads (answers, once the period is over)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext

from luoshi.accounts.policies import AnyUser, is_office
from luoshi.consultation.models import CommentPeriod


def may_run_consultations(user: AnyUser) -> bool:
    return is_office(user)


def may_comment(period: CommentPeriod, day: dt.date) -> str | None:
    """Why the public cannot comment on `period` on `day`, or None."""
    if day < period.opens_on:
        return gettext("征求意见尚未开始")
    if day > period.closes_on:
        return gettext("征求意见已截止")
    return None


def answers_public(period: CommentPeriod, day: dt.date) -> bool:
    """Answers are published after the period, never while people are still commenting."""
    return period.is_over(day)
