"""The plan as stored: plan, sections, tasks, measures, organisations, responsibilities, indicators."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


def choice_label(choices: type[models.TextChoices], value: str) -> str:
    """What Django's get_FOO_display answers (the label in the active language, or the value when
    it is not a choice), without rebuilding and hashing every label of the field on each call
    (~0.15 ms): list pages show it for every row."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("征求意见稿")
    FINAL = "final", _("正式稿")
    REPEALED = "repealed", _("已废止")


class DueKind(models.TextChoices):
    DATED = "dated", _("有期限")
    ONGOING = "ongoing", _("持续推进")
    RECURRING = "recurring", _("周期性")
    UNKNOWN = "unknown", _("未定")


class OrganisationKind(models.TextChoices):
    CENTRAL_MINISTRY = "central_ministry", _("中央部委")
    CITY_BUREAU = "city_bureau", _("市直部门")
    PARTY = "party", _("党委部门")
    PROVINCIAL = "provincial", _("省直部门")
    CENTRAL_VERTICAL = "central_vertical", _("中央驻岳单位")
    DISTRICT = "district", _("区县/园区")
    ENTERPRISE = "enterprise", _("企业")
    COURT = "court", _("法院")
    PROCURATORATE = "procuratorate", _("检察院")
    INSTITUTION = "institution", _("事业单位/社团")
    UNKNOWN = "unknown", _("未识别")


class Level(models.TextChoices):
    CENTRAL = "central", _("中央")
    PROVINCIAL = "provincial", _("省级")
    CITY = "city", _("市级")
    DISTRICT = "district", _("区县级")


class Duty(models.TextChoices):
    """A unit's duty on a task or measure. Not a user's role: that is `accounts.models.Role`."""

    LEAD = "lead", _("牵头单位")
    SUPPORTING = "supporting", _("配合单位")
    RESPONSIBLE = "responsible", _("责任单位")
    GUIDING = "guiding", _("指导单位")  # guides the work, never the lead


class UnitSource(models.TextChoices):
    WRITTEN = "written", _("原文列明")
    RULE = "rule", _("按规则推定")
    INHERITED = "inherited", _("沿用（下同/以下均需/上级事项）")


class TargetKind(models.TextChoices):
    ANNUAL_GROWTH = "annual_growth", _("年均增长")
    CUMULATIVE = "cumulative", _("多年累计")
    YEARLY_THRESHOLDS = "yearly_thresholds", _("逐年目标（落实率，系统计算）")
    COUNT = "count", _("逐年计数（案例）")
    UNKNOWN = "unknown", _("未识别")


class PlanTargetKind(models.TextChoices):
    IMPLEMENTATION_RATE = "implementation_rate", _("落实率")
    NATIONAL_CASES = "national_cases", _("国家改革创新案例")
    CASES = "cases", _("国家及省内案例")


class Organisation(models.Model):
    """A responsible unit (责任单位). Shared by all plans; each document's names resolve to it."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    kind = models.CharField(_("类型"), max_length=20, choices=OrganisationKind.choices)
    level = models.CharField(_("层级"), max_length=20, choices=Level.choices)
    in_directory = models.BooleanField(_("目录内"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("单位")
        verbose_name_plural = _("单位")

    def __str__(self) -> str:
        return self.name


class OrganisationAlias(models.Model):
    """Another name met in documents for the same organisation (市发改委 → 市发展改革委)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(_("别名"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("别名")
        verbose_name_plural = _("别名")

    def __str__(self) -> str:
        return self.name


class Programme(models.Model):
    """A plan and its later versions (征求意见稿 → 正式稿 → 修订). The office alone chooses which version
    is in force (what users work on) and which is public (what the portal shows); an import never does."""

    name = models.CharField(_("名称"), max_length=300)
    in_force = models.ForeignKey(
        "Plan", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    public = models.ForeignKey(
        "Plan", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("方案系列")
        verbose_name_plural = _("方案系列")

    def __str__(self) -> str:
        return self.name


HEAVY_PLAN_FIELDS = ("source_lines", "parse_report")


class PlanManager(models.Manager["Plan"]):
    """Plans without the imported document's lines and parse report (~60 KB of JSON per plan):
    pages list every plan in force, and decoding those for each one cost more than the page.
    They load on first access (`source_text`, the admin); a plan reached through a foreign key
    (`task.plan`) has them already."""

    def get_queryset(self) -> models.QuerySet[Plan]:
        return super().get_queryset().defer(*HEAVY_PLAN_FIELDS)


class Plan(models.Model):
    """One imported implementation plan (实施方案), identified by its content fingerprint;
    a version of its programme."""

    title = models.CharField(_("标题"), max_length=300)
    issuer = models.CharField(_("发布单位"), max_length=100, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=PlanStatus.choices)
    level = models.CharField(
        _("发文层级"), max_length=20, choices=Level.choices, default=Level.CITY
    )  # whose 发展改革委 an unprefixed name in it means
    place = models.CharField(_("发文地区"), max_length=60, blank=True)  # 广州市, 浙江省 …
    doc_number = models.CharField(_("文号"), max_length=60, blank=True)  # 国发〔2019〕3号
    issuers = models.JSONField(_("发文机关"), default=list, blank=True)
    issued_on = models.DateField(_("成文日期"), null=True, blank=True)
    scope = models.TextField(_("适用范围"), blank=True)
    source_name = models.CharField(_("来源文件"), max_length=300)
    fingerprint = models.CharField(_("内容指纹"), max_length=64, unique=True)
    introduction = models.TextField(_("前言"), blank=True)
    area_km2 = models.DecimalField(
        _("面积（平方公里）"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    facts = models.JSONField(_("概况"), default=dict, blank=True)
    source_lines = models.JSONField(_("原文"), default=list, blank=True)
    parse_report = models.JSONField(_("解析报告"), default=list, blank=True)
    imported_at = models.DateTimeField(_("导入时间"), auto_now_add=True)
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="versions", verbose_name=_("方案系列")
    )
    revises = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="revisions"
    )  # the version this one was imported as a revision of
    effective_from = models.DateField(
        _("生效日期"), null=True, blank=True
    )  # set when the office puts the version in force; it applies from then on

    objects = PlanManager()

    class Meta:
        ordering = ["-imported_at"]
        verbose_name = _("方案")
        verbose_name_plural = _("方案")

    def __str__(self) -> str:
        return self.title

    def source_text(self, first: int, last: int) -> str:
        """The document's own lines `first`…`last`, to show an item's source paragraph."""
        return "\n".join(text for number, text in self.source_lines if first <= number <= last)


class Section(models.Model):
    """A top-level part of the plan (一、总体目标 … 五、保障措施)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="sections")
    number = models.PositiveSmallIntegerField(_("序号"))
    numeral = models.CharField(_("原文序号"), max_length=10)
    title = models.CharField(_("标题"), max_length=200)
    text = models.TextField(_("正文"), blank=True)
    first_line = models.PositiveIntegerField(_("起始行"))
    last_line = models.PositiveIntegerField(_("结束行"))

    class Meta:
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="section_unique_number")
        ]
        verbose_name = _("部分")
        verbose_name_plural = _("部分")

    def __str__(self) -> str:
        return gettext("%(numeral)s、%(title)s") % {"numeral": self.numeral, "title": self.title}


class Task(models.Model):
    """A reform task (任务), e.g. （二十三）建设具有国际先进水平的国际贸易“单一窗口”."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="tasks")
    number = models.PositiveSmallIntegerField(_("序号"))
    numeral = models.CharField(_("原文序号"), max_length=10)
    title = models.TextField(_("任务"))
    deadline_text = models.CharField(_("落实时间"), max_length=100, blank=True)
    due_kind = models.CharField(
        _("期限类型"), max_length=10, choices=DueKind.choices, default=DueKind.UNKNOWN
    )
    due_date = models.DateField(_("截止日期"), null=True, blank=True, db_index=True)
    evaluation_target = models.TextField(_("评估目标"), blank=True)
    units_note = models.CharField(_("分工说明"), max_length=300, blank=True)
    first_line = models.PositiveIntegerField(_("起始行"))
    last_line = models.PositiveIntegerField(_("结束行"))
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="carried_to"
    )  # the same task in the version this one revises (修订对照表 match)

    class Meta:
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="task_unique_number")
        ]
        verbose_name = _("任务")
        verbose_name_plural = _("任务")

    def __str__(self) -> str:
        return gettext("（%(numeral)s）%(title)s") % {
            "numeral": self.numeral,
            "title": self.title[:40],
        }

    @property
    def is_ongoing(self) -> bool:
        return self.due_kind == DueKind.ONGOING


class Measure(models.Model):
    """A measure (落实举措) of a task; its due date is its own when the text states one, else the task's."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="measures")
    number = models.PositiveSmallIntegerField(_("序号"))
    number_as_written = models.CharField(_("原文序号"), max_length=20, blank=True)
    group = models.CharField(_("所属事项"), max_length=300, blank=True)
    text = models.TextField(_("举措"))
    scope = models.CharField(_("适用范围"), max_length=300, blank=True)
    deadline_text = models.CharField(_("举措时限"), max_length=100, blank=True)
    due_kind = models.CharField(_("期限类型"), max_length=10, choices=DueKind.choices, blank=True)
    due_date = models.DateField(_("举措截止日期"), null=True, blank=True)
    units_note = models.CharField(_("分工说明"), max_length=300, blank=True)
    first_line = models.PositiveIntegerField(_("起始行"))
    last_line = models.PositiveIntegerField(_("结束行"))
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="carried_to"
    )  # the same measure in the version this one revises: its reports and history carry over

    class Meta:
        ordering = ["task__plan", "task__number", "number"]
        constraints = [
            models.UniqueConstraint(fields=["task", "number"], name="measure_unique_number")
        ]
        verbose_name = _("举措")
        verbose_name_plural = _("举措")

    def __str__(self) -> str:
        return f"{self.code} {self.text[:40]}"

    @property
    def code(self) -> str:
        """Stable reference within a plan: task number . measure number, e.g. 52.3."""
        return f"{self.task.number}.{self.number}"

    @property
    def deadline_in_force(self) -> tuple[str, dt.date | None]:
        """The words and date the measure is held to: its own, else its task's."""
        if self.deadline_text:
            return self.deadline_text, self.due_date
        return self.task.deadline_text, self.task.due_date


class Responsibility(models.Model):
    """Organisation X has role R on a task or on a measure (exactly one of the two)."""

    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, null=True, blank=True, related_name="responsibilities"
    )
    measure = models.ForeignKey(
        Measure, on_delete=models.CASCADE, null=True, blank=True, related_name="responsibilities"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="responsibilities"
    )
    role = models.CharField(_("角色"), max_length=12, choices=Duty.choices)
    position = models.PositiveSmallIntegerField(_("排序"))
    as_written = models.CharField(_("原文写法"), max_length=100)
    and_others = models.BooleanField(_("含“等”其他单位"), default=False)
    source = models.CharField(
        _("依据"), max_length=10, choices=UnitSource.choices, default=UnitSource.WRITTEN
    )

    class Meta:
        ordering = ["position"]
        constraints = [
            models.CheckConstraint(
                condition=Q(task__isnull=True) ^ Q(measure__isnull=True),
                name="responsibility_one_target",
            ),
            models.UniqueConstraint(
                fields=["task", "organisation"], name="responsibility_unique_task_org"
            ),
            models.UniqueConstraint(
                fields=["measure", "organisation"], name="responsibility_unique_measure_org"
            ),
        ]
        verbose_name = _("责任分工")
        verbose_name_plural = _("责任分工")

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"

    def get_role_display(self) -> str:  # type: ignore[no-redef]  # faster than Django's
        return choice_label(Duty, self.role)


class Indicator(models.Model):
    """A row of the plan's KPI table (主要预期指标), with the province's and the area's targets."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="indicators")
    position = models.PositiveSmallIntegerField(_("排序"))
    category = models.CharField(_("类别"), max_length=50)
    name = models.CharField(_("指标名称"), max_length=100)
    unit = models.CharField(_("单位"), max_length=20, blank=True)
    target_kind = models.CharField(_("目标类型"), max_length=20, choices=TargetKind.choices)
    province_target = models.CharField(_("省目标"), max_length=200, blank=True)
    area_target = models.CharField(_("片区目标"), max_length=200, blank=True)
    province_value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    area_value = models.DecimalField(
        _("片区目标值"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    province_by_year = models.JSONField(default=dict, blank=True)
    area_by_year = models.JSONField(_("片区逐年目标"), default=dict, blank=True)
    period_years = models.PositiveSmallIntegerField(_("累计年数"), null=True, blank=True)
    source_line = models.PositiveIntegerField(_("原文行"))

    class Meta:
        ordering = ["plan", "position"]
        verbose_name = _("主要预期指标")
        verbose_name_plural = _("主要预期指标")

    def __str__(self) -> str:
        return self.name


class PlanTarget(models.Model):
    """A plan-level promise: 落实率 ≥ X% by the end of a year, or a number of innovation cases."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets")
    kind = models.CharField(_("目标"), max_length=30, choices=PlanTargetKind.choices)
    year = models.PositiveSmallIntegerField(_("年度"), null=True, blank=True)
    value = models.DecimalField(_("目标值"), max_digits=10, decimal_places=2)
    text = models.CharField(_("原文"), max_length=200)
    source_line = models.PositiveIntegerField(_("原文行"))

    class Meta:
        ordering = ["plan", "kind", "year"]
        verbose_name = _("方案目标")
        verbose_name_plural = _("方案目标")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year or ''} {self.value}"
