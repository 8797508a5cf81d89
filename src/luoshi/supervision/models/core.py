"""督查督办: messages and their deliveries, 催办 records, 督办单 and their steps, closed cycles' marks."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from luoshi.accounts.crypto import EncryptedCharField
from luoshi.plans.models import Measure, Organisation, Task
from luoshi.progress.models import ReportingCycle
from luoshi.supervision.texts import Param, Text, label, render_lines, text

TEXT_LIMIT = 2000


class ChannelKind(models.TextChoices):
    EMAIL = "email", _("电子邮件")
    SMS = "sms", _("短信网关")
    WECOM = "wecom", _("企业微信机器人")
    DINGTALK = "dingtalk", _("钉钉机器人")
    GOVWECHAT = "govwechat", _("政务微信机器人")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENT = "sent", _("已送达")
    FAILED = "failed", _("发送失败")


class Channel(models.Model):
    """An outside channel for one organisation's or one person's messages (robot webhook, SMS gateway)."""

    kind = models.CharField(_("渠道"), max_length=12, choices=ChannelKind.choices)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    url = models.URLField(_("地址"), max_length=500)
    secret = models.CharField(_("密钥"), max_length=200, blank=True)  # 钉钉 signing / SMS token
    enabled = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("消息渠道")
        verbose_name_plural = _("消息渠道")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(organisation__isnull=False) | models.Q(user__isnull=False),
                name="channel_has_owner",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.organisation or self.user}"


class Message(models.Model):
    """An in-app message (站内消息); its deliveries say where else it went."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="messages_received"
    )
    subject = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    link = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    # The subject and body as message ids with their values (supervision.texts), rendered in each
    # reader's language; empty for user-written text and for messages stored before (read as is).
    texts = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("消息")
        verbose_name_plural = _("消息")

    def __str__(self) -> str:
        return self.shown_subject

    @property
    def shown_subject(self) -> str:
        """The subject in the active language."""
        spec = self.texts.get("subject")
        return Text.from_json(spec).render() if spec else self.subject

    @property
    def shown_body(self) -> str:
        """The body in the active language (a digest's lines each rendered)."""
        if "lines" in self.texts:
            return render_lines(self.texts["lines"])
        spec = self.texts.get("body")
        return Text.from_json(spec).render() if spec else self.body


class Delivery(models.Model):
    """One attempt series of a message on one outside channel: retried until sent or given up."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="deliveries")
    kind = models.CharField(_("渠道"), max_length=12, choices=ChannelKind.choices)
    channel = models.ForeignKey(Channel, null=True, blank=True, on_delete=models.SET_NULL)
    # A phone number or e-mail address: personal data, encrypted at rest.
    target = EncryptedCharField(_("发送至"), max_length=300)
    status = models.CharField(
        _("状态"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    last_error = models.CharField(_("错误"), max_length=300, blank=True)
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("消息投递")
        verbose_name_plural = _("消息投递")

    def __str__(self) -> str:
        return f"{self.kind} → {self.target}: {self.status}"


class Reason(models.TextChoices):
    NO_REPORT = "no_report", _("未按期报送")
    OVERDUE = "overdue", _("逾期")
    RED = "red", _("红灯")
    INSTRUCTION = "instruction", _("领导批示")
    MEETING = "meeting", _("会议议定")
    UNSIGNED = "unsigned", _("督办单逾期未签收")
    NO_REPLY = "no_reply", _("督办单逾期未反馈")
    COORDINATION = "coordination", _("协调事项")
    RISK_REVIEW = "risk_review", _("风险逾期未复核")
    OTHER = "other", _("其他")


class Rung(models.TextChoices):
    REPORTER = "reporter", _("填报人")
    HEAD = "head", _("单位负责人")
    LEADER = "leader", _("分管领导")
    OFFICE = "office", _("片区办")


class Urging(models.Model):
    """催办: one reminder to one person about one item for one reason on one day (never twice)."""

    measure = models.ForeignKey(
        Measure, null=True, blank=True, on_delete=models.CASCADE, related_name="urgings"
    )
    notice = models.ForeignKey(
        "Notice", null=True, blank=True, on_delete=models.CASCADE, related_name="urgings"
    )
    assignment = models.ForeignKey(
        "Assignment", null=True, blank=True, on_delete=models.CASCADE, related_name="urgings"
    )
    risk = models.ForeignKey(
        "risks.Risk", null=True, blank=True, on_delete=models.CASCADE, related_name="urgings"
    )
    reason = models.CharField(_("事由"), max_length=12, choices=Reason.choices)
    rung = models.CharField(_("层级"), max_length=10, choices=Rung.choices)
    detail = models.CharField(_("说明"), max_length=200, blank=True)
    detail_text = models.JSONField(default=dict, blank=True)  # `detail` for every reader (texts)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField(_("日期"))
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="urgings")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["day", "id"]
        verbose_name = _("催办记录")
        verbose_name_plural = _("催办记录")
        # The item an urging is about is one of four references, the others empty. Empty counts
        # as 0 in the constraint, so two urgings about the same item are equal on every database
        # (SQLite cannot make NULLs equal in a unique index, NULLS NOT DISTINCT).
        constraints = [
            models.UniqueConstraint(
                *(
                    Coalesce(item, 0, output_field=models.IntegerField())
                    for item in ("measure", "notice", "assignment", "risk")
                ),
                "reason",
                "recipient",
                "day",
                name="urging_once_per_item_reason_and_day",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} → {self.recipient} ({self.day})"

    @property
    def shown_detail(self) -> str:
        """`detail` in the active language (rows stored before: as written)."""
        return Text.from_json(self.detail_text).render() if self.detail_text else self.detail


class MarkKind(models.TextChoices):
    MISSED = "missed", _("未报送")
    LATE = "late", _("逾期报送")


class CycleMark(models.Model):
    """What closing a cycle recorded for one measure: its report missing, or submitted late."""

    cycle = models.ForeignKey(ReportingCycle, on_delete=models.CASCADE, related_name="marks")
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="cycle_marks")
    kind = models.CharField(_("情况"), max_length=8, choices=MarkKind.choices)
    days_late = models.PositiveSmallIntegerField(default=0)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cycle", "measure"], name="cycle_mark_unique")
        ]

    def __str__(self) -> str:
        return f"{self.cycle} {self.measure.code}: {self.kind}"


class Level(models.TextChoices):
    GENERAL = "general", _("一般督办")
    KEY = "key", _("重点督办")
    LISTED = "listed", _("挂牌督办")


class NoticeState(models.TextChoices):
    PROPOSED = "proposed", _("建议督办")
    ISSUED = "issued", _("已交办")
    SIGNED = "signed", _("已签收")
    REPLIED = "replied", _("已反馈")
    RETURNED = "returned", _("已退回")
    CLOSED = "closed", _("已办结")
    DROPPED = "dropped", _("不予督办")


OPEN_STATES = (NoticeState.ISSUED, NoticeState.SIGNED, NoticeState.REPLIED, NoticeState.RETURNED)


class Notice(models.Model):
    """督办单: the office's written order on a measure, task or unit, numbered 督办〔YYYY〕N号."""

    year = models.PositiveSmallIntegerField(null=True, blank=True)
    number = models.PositiveIntegerField(null=True, blank=True)  # the year's sequence, from 1
    level = models.CharField(_("督办级别"), max_length=8, choices=Level.choices)
    reason = models.CharField(_("督办事由"), max_length=12, choices=Reason.choices)
    requirement = models.TextField(_("督办要求"), max_length=TEXT_LIMIT, blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="notices", verbose_name=_("承办单位")
    )
    measure = models.ForeignKey(
        Measure, null=True, blank=True, on_delete=models.PROTECT, related_name="notices"
    )
    task = models.ForeignKey(
        Task, null=True, blank=True, on_delete=models.PROTECT, related_name="notices"
    )
    assignment = models.ForeignKey(  # a 批示 or 议定事项 the 督办单 chases
        "Assignment", null=True, blank=True, on_delete=models.PROTECT, related_name="notices"
    )
    state = models.CharField(
        _("状态"), max_length=10, choices=NoticeState.choices, default=NoticeState.ISSUED
    )
    reply_due = models.DateField(_("反馈期限"), null=True, blank=True)
    issued_at = models.DateTimeField(_("交办时间"), null=True, blank=True)
    signed_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    replied_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    reply = models.TextField(_("办理情况"), max_length=TEXT_LIMIT, blank=True)
    proposed_on = models.DateField(null=True, blank=True)  # the ladder's day, for its daily cap
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year", "-number", "-id"]
        verbose_name = _("督办单")
        verbose_name_plural = _("督办单")
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="notice_number_unique")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.label_text.render()

    @property
    def label_text(self) -> Text:
        """The number (督办〔2026〕3号) as a message text, for messages read in any language."""
        if self.number is None:
            return text(gettext_noop("建议督办 #%(pk)s"), pk=self.pk)
        return text(
            gettext_noop("督办〔%(year)s〕%(number)s号"), year=self.year or "", number=self.number
        )

    @property
    def subject(self) -> str:
        found = self.subject_text
        return found.render() if isinstance(found, Text) else str(found)

    @property
    def subject_text(self) -> Param:
        """What the 督办单 is about, as a message text (a unit's name is itself)."""
        if self.measure is not None:
            return text(gettext_noop("举措 %(code)s"), code=self.measure.code)
        if self.task is not None:
            return text(gettext_noop("任务 %(number)s"), number=self.task.number)
        if self.assignment is not None:
            kind = self.assignment.kind
            return text(
                gettext_noop("%(kind)s #%(pk)s"),
                kind=label(dict(self.assignment._meta.get_field("kind").flatchoices)[kind]),
                pk=self.assignment.pk,
            )
        return str(self.organisation)


class NoticeStep(models.TextChoices):
    """What a 督办单 event records; each but 提议 has its audit action `notice_<step>`."""

    PROPOSE = "propose", _("提议督办")
    ISSUE = "issue", _("下发")
    DROP = "drop", _("不予督办")
    SIGN = "sign", _("签收")
    REPLY = "reply", _("反馈")
    CLOSE = "close", _("办结")
    RETURN = "return", _("退回")


class NoticeEvent(models.Model):
    """One step of a 督办单: proposed, issued, signed, replied, returned, closed, escalated."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(_("操作"), max_length=12, choices=NoticeStep.choices)
    to_state = models.CharField(max_length=10, choices=NoticeState.choices)
    comment = models.TextField(_("意见"), blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.notice} {self.action}"


class NoticeFile(models.Model):
    """Evidence attached to a 督办单's reply, stored like report evidence (random name, digest)."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="files")
    original_name = models.CharField(_("文件名"), max_length=200)
    stored_name = models.CharField(max_length=80, unique=True)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.original_name


class Oversight(models.Model):
    """分管: the leader who oversees an organisation, the last rung of the escalation ladder."""

    leader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("分管领导")
        verbose_name_plural = _("分管领导")
        constraints = [
            models.UniqueConstraint(fields=["leader", "organisation"], name="oversight_unique")
        ]

    def __str__(self) -> str:
        return f"{self.leader} → {self.organisation}"


class ExtensionState(models.TextChoices):
    PENDING = "pending", _("待审批")
    LEADER = "leader", _("待分管领导审批")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("不予批准")


class Extension(models.Model):
    """延期申请: a lead unit asks to move a measure's deadline. Once approved, the new deadline is
    in force from the decision's date on (progress.timing.deadline_in_force); the original stays."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="extensions")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    original_due = models.DateField(_("原定期限"), null=True, blank=True)
    requested_due = models.DateField(_("申请延至"))
    reason = models.TextField(_("延期理由"), max_length=TEXT_LIMIT)
    state = models.CharField(
        _("状态"), max_length=10, choices=ExtensionState.choices, default=ExtensionState.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField(_("决定日期"), null=True, blank=True, db_index=True)
    decision_note = models.TextField(_("审批意见"), blank=True)
    # A key item's long extension: the office agrees first, then the 分管领导 decides.
    office_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    office_on = models.DateField(_("片区办同意日期"), null=True, blank=True)
    office_note = models.TextField(_("片区办意见"), blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")

    def __str__(self) -> str:
        return f"{self.measure.code} → {self.requested_due}"
