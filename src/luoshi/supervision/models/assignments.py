"""督办事项 beyond the plan: 领导批示, meetings and their 议定事项, 协调事项 — each one unit's (or one
leader's) to-do with a due date, answered, and closed by the office, like a measure but outside 落实率."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from luoshi.plans.models import Measure, Organisation, Task
from luoshi.progress.models import Report
from luoshi.supervision.models.core import TEXT_LIMIT, Notice
from luoshi.supervision.texts import Text, cycle_text, text


class AssignmentKind(models.TextChoices):
    INSTRUCTION = "instruction", _("领导批示")
    DECISION = "decision", _("会议议定事项")
    COORDINATION = "coordination", _("协调事项")


class AssignmentState(models.TextChoices):
    RAISED = "raised", _("待分派")
    OPEN = "open", _("办理中")
    ANSWERED = "answered", _("已反馈")
    CLOSED = "closed", _("已办结")


OPEN_ASSIGNMENT_STATES = (AssignmentState.RAISED, AssignmentState.OPEN, AssignmentState.ANSWERED)


class Instruction(models.Model):
    """领导批示: a leader's instruction on a measure, task, report, 督办单 or unit."""

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("批示内容"), max_length=TEXT_LIMIT)
    measure = models.ForeignKey(
        Measure, null=True, blank=True, on_delete=models.PROTECT, related_name="instructions"
    )
    task = models.ForeignKey(
        Task, null=True, blank=True, on_delete=models.PROTECT, related_name="instructions"
    )
    report = models.ForeignKey(
        Report, null=True, blank=True, on_delete=models.PROTECT, related_name="instructions"
    )
    notice = models.ForeignKey(
        Notice, null=True, blank=True, on_delete=models.PROTECT, related_name="instructions"
    )
    due_on = models.DateField(_("落实期限"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("领导批示")
        verbose_name_plural = _("领导批示")

    def __str__(self) -> str:
        return gettext("批示 %(pk)s") % {"pk": self.pk}

    @property
    def subject(self) -> str:
        return self.subject_text.render()

    @property
    def subject_text(self) -> Text:
        """What the 批示 is about, as a message text (read in any language)."""
        if self.measure_id is not None:
            return text(gettext_noop("举措 %(code)s"), code=self.measure.code)  # type: ignore[union-attr]
        if self.task_id is not None:
            return text(gettext_noop("任务 %(number)s"), number=self.task.number)  # type: ignore[union-attr]
        if self.report_id is not None:
            report = self.report
            return text(
                gettext_noop("进展报告 %(code)s · %(cycle)s"),
                code=report.measure.code,  # type: ignore[union-attr]
                cycle=cycle_text(report.cycle),  # type: ignore[union-attr]
            )
        if self.notice is not None:
            return self.notice.label_text
        return text(gettext_noop("单位工作"))


class MeetingKind(models.TextChoices):
    LEADING_GROUP = "leading_group", _("领导小组会议")
    TOPIC = "topic", _("专题会议")
    JOINT = "joint", _("联席会议")


class Meeting(models.Model):
    """A meeting whose decisions (议定事项) are tracked; its minutes (会议纪要) filed with it."""

    kind = models.CharField(_("会议类型"), max_length=16, choices=MeetingKind.choices)
    title = models.CharField(_("会议名称"), max_length=200)
    held_on = models.DateField(_("会议日期"))
    attendees = models.TextField(_("参会人员"), max_length=TEXT_LIMIT, blank=True)
    minutes_name = models.CharField(_("会议纪要"), max_length=200, blank=True)
    minutes_stored = models.CharField(max_length=80, blank=True)
    minutes_type = models.CharField(max_length=100, blank=True)
    minutes_sha256 = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("会议")
        verbose_name_plural = _("会议")

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.title}"


class Assignment(models.Model):
    """One to-do of one unit (or, for a 请示, one leader): from a 批示, a meeting's decision, or a
    unit's coordination request. Open → answered (落实情况) → closed by the office, or back to open."""

    kind = models.CharField(_("类别"), max_length=14, choices=AssignmentKind.choices)
    state = models.CharField(
        _("状态"), max_length=10, choices=AssignmentState.choices, default=AssignmentState.OPEN
    )
    text = models.TextField(_("事项"), max_length=TEXT_LIMIT)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("承办单位"),
    )
    owner = models.ForeignKey(  # a leader asked to answer a 请示 (coordination)
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    raised_by = models.ForeignKey(  # the unit that asked for coordination
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    instruction = models.ForeignKey(
        Instruction, null=True, blank=True, on_delete=models.CASCADE, related_name="assignments"
    )
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.CASCADE, related_name="decisions"
    )
    report = models.ForeignKey(  # the report whose 问题与困难 it came from
        Report, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    measure = models.ForeignKey(
        Measure, null=True, blank=True, on_delete=models.PROTECT, related_name="assignments"
    )
    due_on = models.DateField(_("办理期限"), null=True, blank=True)
    answer = models.TextField(_("落实情况"), max_length=TEXT_LIMIT, blank=True)
    answered_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("督办事项")
        verbose_name_plural = _("督办事项")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class AssignmentEvent(models.Model):
    """One step of an assignment: made, assigned, answered, returned, closed, turned into a 督办单."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(_("操作"), max_length=12)
    to_state = models.CharField(max_length=10, choices=AssignmentState.choices)
    comment = models.TextField(_("意见"), blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.assignment} {self.action}"
