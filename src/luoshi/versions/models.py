"""Links between plans of different levels: a 片区 plan implements a provincial 总体方案."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from luoshi.plans.models import Measure, Plan, Task


class LinkState(models.TextChoices):
    PROPOSED = "proposed", _("建议（待确认）")
    CONFIRMED = "confirmed", _("已确认")


class PlanLink(models.Model):
    """`plan` implements `parent` (a city plan implementing a provincial or national one)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="implements")
    parent = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="implemented_by")
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    linked_at = models.DateTimeField(_("关联时间"), auto_now_add=True)

    class Meta:
        ordering = ["parent", "plan"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "parent"], name="plan_link_unique"),
            models.CheckConstraint(condition=~Q(plan=F("parent")), name="plan_link_not_self"),
        ]
        verbose_name = _("上级方案关联")
        verbose_name_plural = _("上级方案关联")

    def __str__(self) -> str:
        return f"{self.plan} → {self.parent}"


class TaskLink(models.Model):
    """A task of the lower plan implements a task of the higher one: proposed by text similarity,
    confirmed (or corrected) by the office. Only confirmed links count in the roll-up."""

    link = models.ForeignKey(PlanLink, on_delete=models.CASCADE, related_name="task_links")
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="links_up")
    parent_task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="links_down")
    similarity = models.DecimalField(_("相似度"), max_digits=4, decimal_places=3)
    state = models.CharField(_("状态"), max_length=10, choices=LinkState.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    class Meta:
        ordering = ["link", "task__number", "parent_task__number"]
        constraints = [
            models.UniqueConstraint(fields=["link", "task", "parent_task"], name="task_link_unique")
        ]
        verbose_name = _("任务关联")
        verbose_name_plural = _("任务关联")

    def __str__(self) -> str:
        return f"{self.task} → {self.parent_task}"


class MeasureLink(models.Model):
    """A measure of the lower plan implements a measure of the higher one, as a TaskLink does for
    tasks: proposed by text similarity among the measures of the linked task, confirmed (or corrected)
    by the office; only confirmed ones show in the roll-up, from the day they were confirmed."""

    link = models.ForeignKey(PlanLink, on_delete=models.CASCADE, related_name="measure_links")
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="links_up")
    parent_measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="links_down")
    similarity = models.DecimalField(_("相似度"), max_digits=4, decimal_places=3)
    state = models.CharField(_("状态"), max_length=10, choices=LinkState.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    class Meta:
        ordering = ["link", "measure__task__number", "measure__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["link", "measure", "parent_measure"], name="measure_link_unique"
            )
        ]
        verbose_name = _("举措关联")
        verbose_name_plural = _("举措关联")

    def __str__(self) -> str:
        return f"{self.measure} → {self.parent_measure}"
