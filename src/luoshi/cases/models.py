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
    REVIEWED = "reviewed", _("已审查")
    REJECTED = "rejected", _("不予推广")
    SELECTED = "selected", _("已入选")
    PROMOTED = "promoted", _("复制推广")


class CaseCategory(models.TextChoices):
    INVESTMENT = "investment", _("投资自由化便利化")
    TRADE = "trade", _("贸易便利化")
    FINANCE = "finance", _("金融开放创新")
    GOVERNMENT = "government", _("政府职能转变")
    INDUSTRY = "industry", _("产业开放发展")
    OTHER = "other", _("其他")


class PromotionScope(models.TextChoices):
    NATIONAL = "national", _("全国")
    PROVINCE = "province", _("全省")
    CITY = "city", _("全市")


class ReviewResult(models.TextChoices):
    PASS = "pass", _("通过")
    REVISE = "revise", _("修改后再审")
    REJECT = "reject", _("不予推广")


class RiskLevel(models.TextChoices):
    LOW = "low", _("低")
    MEDIUM = "medium", _("中")
    HIGH = "high", _("高")


class InnovationCase(models.Model):
    """A replicable institutional innovation written up from one or more tasks."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="cases")
    title = models.CharField(_("案例名称"), max_length=200)
    summary = models.TextField(_("简介"), blank=True)
    full_text = models.TextField(_("案例全文"), blank=True)
    category = models.CharField(
        _("类别"), max_length=12, choices=CaseCategory.choices, default=CaseCategory.OTHER
    )
    tasks = models.ManyToManyField(Task, related_name="cases", blank=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="cases")
    level = models.CharField(_("报送层级"), max_length=10, choices=CaseLevel.choices)
    stage = models.CharField(
        _("阶段"), max_length=10, choices=CaseStage.choices, default=CaseStage.DRAFT
    )
    submitted_on = models.DateField(_("报送日期"), null=True, blank=True)
    reviewed_on = models.DateField(_("审查通过日期"), null=True, blank=True)
    rejected_on = models.DateField(_("不予推广日期"), null=True, blank=True)
    selected_on = models.DateField(_("入选日期"), null=True, blank=True)
    promoted_on = models.DateField(_("推广日期"), null=True, blank=True)
    promoted_scope = models.CharField(
        _("推广范围"), max_length=10, choices=PromotionScope.choices, blank=True
    )
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


class CaseReview(models.Model):
    """One 分类审查 of a case before promotion: its classification, the risk it carries, the
    reviewer's opinion and the result (pass, revise and review again, or not to be promoted)."""

    case = models.ForeignKey(InnovationCase, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_on = models.DateField(_("审查日期"))
    category = models.CharField(_("类别"), max_length=12, choices=CaseCategory.choices)
    risk = models.CharField(_("风险等级"), max_length=8, choices=RiskLevel.choices)
    opinion = models.TextField(_("审查意见"))
    result = models.CharField(_("审查结论"), max_length=8, choices=ReviewResult.choices)

    class Meta:
        ordering = ["reviewed_on", "pk"]
        verbose_name = _("分类审查")
        verbose_name_plural = _("分类审查")

    def __str__(self) -> str:
        return f"{self.case} {self.get_result_display()}"


class CaseAttachment(models.Model):
    """A file of a case (its write-up, supporting documents), checked and stored like evidence."""

    case = models.ForeignKey(InnovationCase, on_delete=models.CASCADE, related_name="attachments")
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
        verbose_name = _("案例附件")
        verbose_name_plural = _("案例附件")

    def __str__(self) -> str:
        return self.original_name


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
