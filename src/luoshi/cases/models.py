"""Innovation cases (制度创新案例) and evaluations (评估) of tasks."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from luoshi.plans.models import Organisation, Plan, Task


class CaseLevel(models.TextChoices):
    AREA = "area", _("片区级")
    CITY = "city", _("市级")
    PROVINCE = "province", _("省级")
    NATIONAL = "national", _("国家级")


class CaseStage(models.TextChoices):
    DRAFT = "draft", _("起草")
    SUBMITTED = "submitted", _("已报送")
    SELECTED = "selected", _("已入选")
    PROMOTED = "promoted", _("复制推广")


class InnovationCase(models.Model):
    """A replicable institutional innovation written up from one or more tasks."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="cases")
    title = models.CharField(_("案例名称"), max_length=200)
    summary = models.TextField(_("简介"), blank=True)
    tasks = models.ManyToManyField(Task, related_name="cases", blank=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="cases")
    level = models.CharField(_("报送层级"), max_length=10, choices=CaseLevel.choices)
    stage = models.CharField(
        _("阶段"), max_length=10, choices=CaseStage.choices, default=CaseStage.DRAFT
    )
    submitted_on = models.DateField(_("报送日期"), null=True, blank=True)
    selected_on = models.DateField(_("入选日期"), null=True, blank=True)
    promoted_on = models.DateField(_("推广日期"), null=True, blank=True)
    documents = models.TextField(_("相关文件"), blank=True, help_text=_("文号或链接，每行一个"))
    published = models.BooleanField(_("公开"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-submitted_on", "title"]
        verbose_name = _("创新案例")
        verbose_name_plural = _("创新案例")

    def __str__(self) -> str:
        return self.title


class EvaluationKind(models.TextChoices):
    SELF = "self", _("牵头单位自评")
    THIRD_PARTY = "third_party", _("第三方单项评估")
    ANNUAL = "annual", _("年度整体评估")


class Evaluation(models.Model):
    """An evaluation of a task: who judged it when, the score or grade, findings, and whether its
    评估目标 is met."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="evaluations")
    kind = models.CharField(_("类型"), max_length=12, choices=EvaluationKind.choices)
    evaluator = models.CharField(_("评估主体"), max_length=100)
    evaluated_on = models.DateField(_("评估日期"))
    score = models.DecimalField(_("得分"), max_digits=5, decimal_places=1, null=True, blank=True)
    grade = models.CharField(_("等次"), max_length=20, blank=True)
    findings = models.TextField(_("评估意见"), blank=True)
    target_met = models.BooleanField(_("评估目标是否达成"), null=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-evaluated_on"]
        verbose_name = _("评估")
        verbose_name_plural = _("评估")

    def __str__(self) -> str:
        return f"{self.task} {self.get_kind_display()} {self.evaluated_on}"
