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
    # bumped by every text edit: an edit made on an older copy is refused as stale
    version = models.PositiveIntegerField(default=0)

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
    # Not unique: a revision's copy of the case names the same stored file (one set of bytes,
    # checked against the same digest); stored files are never deleted.
    stored_name = models.CharField(max_length=80, db_index=True)
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
    """An evaluation of the plan as a whole (no task) or of one task: who judged it, over which
    period, how, the scores against the office's framework, the grade, the report file, and its
    findings (each of which may become a 整改 item)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="evaluations")
    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="evaluations", null=True, blank=True
    )
    kind = models.CharField(_("类型"), max_length=12, choices=EvaluationKind.choices)
    evaluator = models.CharField(_("评估主体"), max_length=100)
    period_start = models.DateField(_("评估期起"), null=True, blank=True)
    period_end = models.DateField(_("评估期止"), null=True, blank=True)
    method = models.TextField(_("评估方法"), blank=True)
    evaluated_on = models.DateField(_("评估日期"))
    score = models.DecimalField(_("得分"), max_digits=5, decimal_places=1, null=True, blank=True)
    grade = models.CharField(_("等次"), max_length=20, blank=True)
    findings = models.TextField(_("评估意见"), blank=True)
    target_met = models.BooleanField(_("评估目标是否达成"), null=True)
    report_name = models.CharField(_("评估报告"), max_length=200, blank=True)
    report_stored = models.CharField(max_length=80, blank=True)
    report_type = models.CharField(max_length=100, blank=True)
    report_sha256 = models.CharField(max_length=64, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-evaluated_on"]
        verbose_name = _("评估")
        verbose_name_plural = _("评估")

    def __str__(self) -> str:
        return f"{self.task or self.plan} {self.get_kind_display()} {self.evaluated_on}"


class Criterion(models.Model):
    """One indicator of the evaluation framework the office defines for a plan, with its full marks."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("评估指标"), max_length=100)
    max_score = models.DecimalField(_("满分"), max_digits=5, decimal_places=1)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["plan", "name"], name="one_criterion_name")]
        verbose_name = _("评估指标")
        verbose_name_plural = _("评估指标体系")

    def __str__(self) -> str:
        return self.name


class CriterionScore(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(_("得分"), max_digits=5, decimal_places=1)

    class Meta:
        ordering = ["criterion__position", "criterion_id"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "criterion"], name="one_score_each")
        ]

    def __str__(self) -> str:
        return f"{self.criterion} {self.score}"


class FindingState(models.TextChoices):
    NOTED = "noted", _("评估发现")
    OPEN = "open", _("整改中")
    REPORTED = "reported", _("已报整改情况")
    CLOSED = "closed", _("已销号")


class Finding(models.Model):
    """A finding of an evaluation. Given a unit and a deadline it becomes a 整改 item, tracked like a
    measure until the office closes it: the unit reports, the office closes or returns it."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="items")
    text = models.TextField(_("评估发现"))
    position = models.PositiveSmallIntegerField(default=0)
    state = models.CharField(
        _("状态"), max_length=10, choices=FindingState.choices, default=FindingState.NOTED
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="rectifications",
        null=True,
        blank=True,
    )
    due_on = models.DateField(_("整改期限"), null=True, blank=True)
    assigned_on = models.DateField(_("交办日期"), null=True, blank=True)
    response = models.TextField(_("整改情况"), blank=True)
    office_comment = models.TextField(_("片区办意见"), blank=True)
    closed_on = models.DateField(_("销号日期"), null=True, blank=True)

    class Meta:
        ordering = ["evaluation", "position", "pk"]
        verbose_name = _("评估发现与整改")
        verbose_name_plural = _("评估发现与整改")

    def __str__(self) -> str:
        return self.text[:40]
