"""Reporting cycles, progress reports and their review trail, evidence, contributions, reminders."""

from __future__ import annotations

import calendar
import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from luoshi.plans.models import Measure, Organisation, Plan, choice_label

TEXT_LIMIT = 2000


class CycleStatus(models.TextChoices):
    OPEN = "open", _("填报中")
    CLOSED = "closed", _("已关闭")


class ReportState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    APPROVED = "approved", _("单位已审核")
    ACCEPTED = "accepted", _("片区办已验收")


class ProgressStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("未启动")
    IN_PROGRESS = "in_progress", _("推进中")
    COMPLETED = "completed", _("已完成")
    ONGOING_IN_PLACE = "ongoing_in_place", _("机制已建立（持续推进）")


# An accepted report in one of these states makes its measure implemented (已落实).
IMPLEMENTING = (ProgressStatus.COMPLETED, ProgressStatus.ONGOING_IN_PLACE)


def period_label(starts_on: dt.date, ends_on: dt.date) -> tuple[str, dict[str, str | int]]:
    """A period's name as (message id, values): a month, a quarter, a half or a whole year when the
    period is one, else its two dates. Kept apart from its rendering so a stored message can name
    the period in each reader's language (supervision.texts)."""
    months = (ends_on.year - starts_on.year) * 12 + ends_on.month - starts_on.month + 1
    whole = (
        starts_on.day == 1 and ends_on.day == calendar.monthrange(ends_on.year, ends_on.month)[1]
    )
    year, first = starts_on.year, starts_on.month
    if whole and months == 1:
        return gettext_noop("%(year)s年%(month)s月"), {"year": year, "month": f"{first:02d}"}
    if whole and months == 3 and first % 3 == 1:
        return gettext_noop("%(year)s年第%(quarter)s季度"), {
            "year": year,
            "quarter": first // 3 + 1,
        }
    if whole and months == 6 and first in (1, 7):
        half = gettext_noop("%(year)s年上半年") if first == 1 else gettext_noop("%(year)s年下半年")
        return half, {"year": year}
    if whole and months == 12 and first == 1:
        return gettext_noop("%(year)s年"), {"year": year}
    return gettext_noop("%(start)s 至 %(end)s"), {"start": f"{starts_on}", "end": f"{ends_on}"}


def cycle_name(typed: str, starts_on: dt.date, ends_on: dt.date) -> str:
    """The name an office gave the cycle, else its period's, in the active language."""
    if typed:
        return typed
    message, values = period_label(starts_on, ends_on)
    return gettext(message) % values


class ReportingCycle(models.Model):
    """A reporting period (monthly by default): each unimplemented measure expects one report in it."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="cycles")
    # The office's own name for the cycle; blank (the default) names it from its period, in the
    # reader's language (`name`).
    typed_name = models.CharField(_("名称"), max_length=60, blank=True, db_column="name")
    starts_on = models.DateField(_("开始"))
    ends_on = models.DateField(_("结束"))
    due_on = models.DateField(_("填报截止"))
    status = models.CharField(
        _("状态"), max_length=10, choices=CycleStatus.choices, default=CycleStatus.OPEN
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["plan", "starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "starts_on"], name="cycle_unique_start"),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="cycle_ends_after_start",
            ),
        ]
        verbose_name = _("填报周期")
        verbose_name_plural = _("填报周期")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return cycle_name(self.typed_name, self.starts_on, self.ends_on)

    @name.setter
    def name(self, value: str) -> None:
        self.typed_name = value


class Report(models.Model):
    """A lead organisation's progress report on one measure for one cycle, through the review workflow."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="reports")
    cycle = models.ForeignKey(ReportingCycle, on_delete=models.PROTECT, related_name="reports")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="reports")
    state = models.CharField(
        _("流程状态"), max_length=10, choices=ReportState.choices, default=ReportState.DRAFT
    )
    progress_status = models.CharField(
        _("进展"), max_length=20, choices=ProgressStatus.choices, default=ProgressStatus.NOT_STARTED
    )
    percent = models.PositiveSmallIntegerField(
        _("完成比例"), default=0, validators=[MaxValueValidator(100)]
    )
    work_done = models.TextField(_("工作进展"), blank=True, max_length=TEXT_LIMIT)
    problems = models.TextField(_("问题与困难"), blank=True, max_length=TEXT_LIMIT)
    next_steps = models.TextField(_("下一步计划"), blank=True, max_length=TEXT_LIMIT)
    return_count = models.PositiveSmallIntegerField(_("退回次数"), default=0)
    return_reason = models.TextField(_("退回理由"), blank=True)
    carried_forward = models.BooleanField(_("沿用上期"), default=False)
    published = models.BooleanField(
        _("公开"), default=False
    )  # the office's choice: shown on the public portal
    version = models.PositiveIntegerField(default=1)  # optimistic lock: a stale save is refused
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["cycle__starts_on", "measure"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "cycle"], name="report_one_per_cycle")
        ]
        # the few reports in review among hundreds of thousands: a unit's drafts and queue
        # (我的任务), the desk's waiting ones
        indexes = [
            models.Index(fields=["organisation", "state"], name="report_unit_state"),
            models.Index(fields=["state"], name="report_state"),
        ]
        verbose_name = _("进展报告")
        verbose_name_plural = _("进展报告")

    def __str__(self) -> str:
        return f"{self.measure.code} · {self.cycle}"

    def get_state_display(self) -> str:  # type: ignore[no-redef]  # faster than Django's
        return choice_label(ReportState, self.state)

    def get_progress_status_display(self) -> str:  # type: ignore[no-redef]
        return choice_label(ProgressStatus, self.progress_status)

    @property
    def implements(self) -> bool:
        return self.state == ReportState.ACCEPTED and self.progress_status in IMPLEMENTING


class ReportStep(models.TextChoices):
    """What a report event records: its creation, then each workflow move (workflow.Action, whose
    values and labels tests/progress/test_workflow.py keeps equal to these)."""

    DRAFT = "draft", _("创建草稿")
    SUBMIT = "submit", _("提交")
    WITHDRAW = "withdraw", _("撤回")
    APPROVE = "approve", _("审核通过")
    SEND_BACK = "send_back", _("退回修改")
    ACCEPT = "accept", _("验收")
    RETURN = "return", _("退回")
    UNDO_ACCEPT = "undo_accept", _("撤销验收")


class ReportEvent(models.Model):
    """One step of a report's review: who moved it from which state to which, and why."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(_("操作"), max_length=20, choices=ReportStep.choices)
    from_state = models.CharField(max_length=10, blank=True)
    to_state = models.CharField(max_length=10)
    comment = models.TextField(_("意见"), blank=True)
    at = models.DateTimeField(default=timezone.now)
    # What a submission sent, so a report can be rebuilt as it stood on any date (progress.asof).
    progress_status = models.CharField(
        _("进展"), max_length=20, choices=ProgressStatus.choices, blank=True
    )
    percent = models.PositiveSmallIntegerField(_("完成比例"), null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.action} {self.from_state}→{self.to_state}"


class Contribution(models.Model):
    """A supporting organisation's input for a measure in a cycle; the lead sees it when drafting."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="contributions")
    cycle = models.ForeignKey(
        ReportingCycle, on_delete=models.PROTECT, related_name="contributions"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="contributions"
    )
    text = models.TextField(_("配合单位进展"), max_length=TEXT_LIMIT)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "cycle", "organisation"], name="contribution_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.measure.code}"


class Evidence(models.Model):
    """A file attached to a report, stored outside the web root under a random name, with its digest."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="evidence")
    original_name = models.CharField(_("文件名"), max_length=200)
    stored_name = models.CharField(max_length=80, unique=True)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")

    def __str__(self) -> str:
        return self.original_name


class Reminder(models.Model):
    """A reminder sent (催办): one per recipient, subject and day, so none is sent twice."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(max_length=20)
    key = models.CharField(max_length=100)
    sent_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "key", "sent_on"], name="reminder_once_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} → {self.recipient} ({self.sent_on})"
