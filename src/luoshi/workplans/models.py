"""A unit's annual work plan (年度工作计划) with milestones (节点): date, deliverable and the
verifiable result for each of its measures; drafted and submitted by the unit, approved or
returned by the office. Only approved milestones drive lights and 我的任务."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from luoshi.plans.models import Measure, Organisation, Plan

TEXT_LIMIT = 500


class WorkPlanState(models.TextChoices):
    DRAFT = "draft", _("草拟中")
    SUBMITTED = "submitted", _("已报送")
    APPROVED = "approved", _("已审定")
    RETURNED = "returned", _("已退回")


EDITABLE = (WorkPlanState.DRAFT, WorkPlanState.RETURNED)


class WorkPlan(models.Model):
    """One unit's plan for one year of one plan."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="work_plans")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="work_plans"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    state = models.CharField(
        _("状态"), max_length=10, choices=WorkPlanState.choices, default=WorkPlanState.DRAFT
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_on = models.DateField(_("审定日期"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    return_reason = models.CharField(_("退回理由"), max_length=TEXT_LIMIT, blank=True)
    # An amendment (修订) after approval is a new revision of the same year's plan; the revision it
    # amends stays in force until the amendment is approved, then is superseded from that day.
    revision = models.PositiveSmallIntegerField(_("版次"), default=0)
    amends = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="amendments"
    )
    amend_reason = models.CharField(_("修订理由"), max_length=TEXT_LIMIT, blank=True)
    superseded_on = models.DateField(_("被修订日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("年度工作计划")
        verbose_name_plural = _("年度工作计划")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "organisation", "year", "revision"], name="work_plan_unique"
            )
        ]

    def __str__(self) -> str:
        text = gettext("%(unit)s %(year)s年度工作计划") % {
            "unit": self.organisation,
            "year": self.year,
        }
        return text + _("（修订第%(n)s版）") % {"n": self.revision} if self.revision else text

    @property
    def in_force(self) -> bool:
        return self.state == WorkPlanState.APPROVED and self.superseded_on is None

    @property
    def editable(self) -> bool:
        return self.state in EDITABLE


class Milestone(models.Model):
    """A 节点: by `due_on`, `deliverable`, checked by `result`. Marked met by the unit."""

    work_plan = models.ForeignKey(WorkPlan, on_delete=models.CASCADE, related_name="milestones")
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="milestones")
    due_on = models.DateField(_("节点日期"))
    deliverable = models.CharField(_("节点任务"), max_length=TEXT_LIMIT)
    result = models.CharField(_("可检验的成果"), max_length=TEXT_LIMIT)
    met_on = models.DateField(_("完成日期"), null=True, blank=True)
    # the milestone of the amended revision this one copies (its completion carries over)
    carried_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("节点")
        verbose_name_plural = _("节点")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"{self.measure.code} {self.due_on} {self.deliverable}"
