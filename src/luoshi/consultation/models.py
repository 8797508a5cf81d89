"""征求意见: a comment period on a draft version, the public's comments, and the office's answers."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from luoshi.plans.models import Measure, Plan, Task

TEXT_LIMIT = 1000  # a comment's length; longer is refused, never cut


class Moderation(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已受理")
    REJECTED = "rejected", _("不予受理")


class Answer(models.TextChoices):
    ADOPTED = "adopted", _("采纳")
    PARTLY = "partly", _("部分采纳")
    NOT_ADOPTED = "not_adopted", _("不采纳")


class CommentPeriod(models.Model):
    """The office opens a draft for comments from one day to another, on the whole plan or a scope."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="comment_periods")
    opens_on = models.DateField(_("开始"))
    closes_on = models.DateField(_("截止"))
    scope = models.CharField(_("征求意见范围"), max_length=300, blank=True)
    name_required = models.BooleanField(_("须填写姓名"), default=False)
    contact_required = models.BooleanField(_("须填写联系方式"), default=False)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="comment_period_closes_after_opening",
            )
        ]
        verbose_name = _("征求意见")
        verbose_name_plural = _("征求意见")

    def __str__(self) -> str:
        return f"{self.plan} {self.opens_on}–{self.closes_on}"

    def is_open(self, day: dt.date | None = None) -> bool:
        day = day or timezone.localdate()
        return self.opens_on <= day <= self.closes_on

    def is_over(self, day: dt.date | None = None) -> bool:
        return (day or timezone.localdate()) > self.closes_on


class Comment(models.Model):
    """One comment from the public on a task or a measure of the draft (or on the whole plan)."""

    period = models.ForeignKey(CommentPeriod, on_delete=models.CASCADE, related_name="comments")
    task = models.ForeignKey(
        Task, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    measure = models.ForeignKey(
        Measure, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("姓名"), max_length=50, blank=True)
    contact = models.CharField(_("联系方式"), max_length=100, blank=True)
    text = models.TextField(_("意见"), max_length=TEXT_LIMIT)
    client = models.CharField(max_length=64)  # a hash of the sender's address, for the rate limit
    # The page's answered sum (consultation/challenge.py): one comment per answer, on every database.
    challenge = models.CharField(max_length=32, null=True, blank=True, unique=True, editable=False)
    submitted_at = models.DateTimeField(default=timezone.now)
    moderation = models.CharField(
        _("审核"), max_length=10, choices=Moderation.choices, default=Moderation.PENDING
    )
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )
    answer = models.CharField(_("处理"), max_length=12, choices=Answer.choices, blank=True)
    reason = models.TextField(_("理由"), blank=True, max_length=TEXT_LIMIT)
    change_code = models.CharField(
        _("对应修改"), max_length=20, blank=True
    )  # the task or measure of the next version that answers it, e.g. 2.1
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["submitted_at", "pk"]
        verbose_name = _("意见")
        verbose_name_plural = _("意见")

    def __str__(self) -> str:
        return f"{self.target_code} {self.text[:30]}"

    @property
    def target_code(self) -> str:
        if self.measure is not None:
            return self.measure.code
        if self.task is not None:
            return str(self.task.number)
        return gettext("全文")
