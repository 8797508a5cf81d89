"""Reads about comments: the public's view of a period and the rows of the 意见采纳情况表."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext

from luoshi.consultation.models import Comment, CommentPeriod, Moderation


def main_comments(period: CommentPeriod) -> QuerySet[Comment]:
    """Accepted comments that are not duplicates of another, with their duplicates grouped under them."""
    return (
        period.comments.filter(moderation=Moderation.APPROVED, duplicate_of__isnull=True)
        .select_related("task", "measure__task")
        .prefetch_related("duplicates")
        .order_by("submitted_at", "pk")
    )


def adoption_rows(period: CommentPeriod) -> list[list[str]]:
    """序号, 条目, 意见, 提出人, 同类意见, 处理, 理由, 对应修改 — one row per distinct comment."""
    return [
        [
            str(number),
            c.target_code,
            c.text,
            c.name or gettext("匿名"),
            str(c.duplicates.filter(moderation=Moderation.APPROVED).count()),
            c.get_answer_display() if c.answer else gettext("未答复"),
            c.reason,
            c.change_code,
        ]
        for number, c in enumerate(main_comments(period), start=1)
    ]
