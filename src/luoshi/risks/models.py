"""The reform risk register (风险评估与预警): risks of a task or a measure, raised by a unit or the
office, assessed by likelihood and impact; open high risks warn on the lights, the task page, the
dashboard and the 工作通报."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from luoshi.plans.models import Measure, Organisation, Plan, Task

TEXT_LIMIT = 1000


class Grade(models.TextChoices):
    LOW = "low", _("低")
    MEDIUM = "medium", _("中")
    HIGH = "high", _("高")


class RiskStatus(models.TextChoices):
    OPEN = "open", _("未化解")
    CLOSED = "closed", _("已化解")


def level_of(likelihood: str, impact: str) -> Grade:
    """The usual 3×3 matrix: high when either is high and the other at least medium, or both
    medium-high; low when both are low or one is low and the other medium."""
    score = {Grade.LOW: 1, Grade.MEDIUM: 2, Grade.HIGH: 3}
    product = score[Grade(likelihood)] * score[Grade(impact)]
    return Grade.HIGH if product >= 6 else Grade.MEDIUM if product >= 3 else Grade.LOW


class Risk(models.Model):
    """One risk. `raised_on`/`closed_on` date it, so figures as of D see it only while open on D."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="risks")
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="risks")
    measure = models.ForeignKey(
        Measure, on_delete=models.CASCADE, null=True, blank=True, related_name="risks"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="risks"
    )  # the unit that raised it; none when the office did
    description = models.CharField(_("风险描述"), max_length=TEXT_LIMIT)
    likelihood = models.CharField(_("可能性"), max_length=6, choices=Grade.choices)
    impact = models.CharField(_("影响程度"), max_length=6, choices=Grade.choices)
    level = models.CharField(_("风险等级"), max_length=6, choices=Grade.choices)
    owner = models.CharField(_("责任人"), max_length=100)
    mitigation = models.CharField(_("应对措施"), max_length=TEXT_LIMIT)
    review_on = models.DateField(_("复核日期"))
    status = models.CharField(
        _("状态"), max_length=6, choices=RiskStatus.choices, default=RiskStatus.OPEN
    )
    raised_on = models.DateField(_("登记日期"))
    closed_on = models.DateField(_("化解日期"), null=True, blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # bumped by every edit: an edit made on an older copy is refused as stale
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("风险")
        verbose_name_plural = _("风险")
        ordering = ["-raised_on", "-pk"]

    def __str__(self) -> str:
        where = (
            self.measure.code if self.measure else gettext("任务%(n)s") % {"n": self.task.number}
        )
        return gettext("%(where)s %(level)s风险：%(text)s") % {
            "where": where,
            "level": self.get_level_display(),
            "text": self.description[:40],
        }
