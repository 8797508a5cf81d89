"""Who a user is in the plan's world: their organisation and role, and who answers for a measure."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator, validate_email
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from luoshi.accounts.crypto import BlindIndexField, EncryptedCharField
from luoshi.plans.models import Measure, Organisation


class Role(models.TextChoices):
    """A user's role in luoshi. Not a unit's duty on a measure: that is `plans.models.Duty`."""

    OFFICE = "office", _("片区办")
    REPORTER = "reporter", _("填报人")
    HEAD = "head", _("审核人")
    LEADER = "leader", _("领导")
    EVALUATOR = "evaluator", _("第三方评估")
    AUDITOR = "auditor", _("审计")
    # 三权分立: the two administrative roles beside the auditor; none acts in the workflow.
    SYSADMIN = "sysadmin", _("系统管理员")
    SECADMIN = "secadmin", _("安全管理员")
    PROVINCE = "province", _("省级主管部门")  # reads every plan and the roll-up, read-only


class Membership(models.Model):
    """A user's organisation and role. Reporters and heads must belong to an organisation."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="members"
    )
    role = models.CharField(_("角色"), max_length=12, choices=Role.choices)
    # Personal data, encrypted at rest (luoshi.accounts.crypto); found by exact number via the index.
    phone = EncryptedCharField(_("电话"), max_length=30, blank=True)
    phone_index = BlindIndexField(source="phone")

    class Meta:
        verbose_name = _("成员")
        verbose_name_plural = _("成员")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role__in=["reporter", "head"])
                | models.Q(organisation__isnull=False),
                name="membership_department_roles_have_organisation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.organisation or '—'})"


PHONE = RegexValidator(r"^[0-9+\-() ]{5,30}$", _("电话号码只能包含数字、空格和 + - ( )"))


class Person(models.Model):
    """A unit's 责任人 record: who answers for its measures and how to reach them. Kept by the unit's
    head; a login account is optional (many 责任人 are named in the paperwork but never log in)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="people", verbose_name=_("单位")
    )
    name = models.CharField(_("姓名"), max_length=40)
    post = models.CharField(_("职务"), max_length=60, blank=True)
    # Personal data, encrypted at rest (accounts.crypto).
    office_phone = EncryptedCharField(_("办公电话"), max_length=30, blank=True, validators=[PHONE])
    mobile = EncryptedCharField(_("手机"), max_length=30, blank=True, validators=[PHONE])
    email = EncryptedCharField(
        _("电子邮箱"), max_length=254, blank=True, validators=[validate_email]
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("登录账号"),
    )

    class Meta:
        verbose_name = _("责任人档案")
        verbose_name_plural = _("责任人档案")
        ordering = ["organisation_id", "name", "pk"]

    def __str__(self) -> str:
        if self.post:
            return gettext("%(name)s（%(post)s）") % {"name": self.name, "post": self.post}
        return self.name

    @property
    def phones(self) -> str:
        """The numbers as printed in the paperwork: office phone, then mobile."""
        return " / ".join(p for p in (self.office_phone, self.mobile) if p)


class ResponsiblePerson(models.Model):
    """责任人: the named person of one responsible organisation for one measure, set by its head."""

    measure = models.ForeignKey(
        Measure, on_delete=models.CASCADE, related_name="responsible_people"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="assignments")
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    set_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("责任人")
        verbose_name_plural = _("责任人")
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "organisation"], name="responsible_person_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.measure.code} {self.organisation}: {self.person}"


class PasswordRecord(models.Model):
    """A password a user had (its hash only) and when it was set: the history that may not be
    reused and the age that forces a change (luoshi.accounts.passwords)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="password_records"
    )
    encoded = models.CharField(max_length=256)
    set_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-set_at", "-id"]
        verbose_name = _("密码历史")
        verbose_name_plural = _("密码历史")

    def __str__(self) -> str:
        return f"{self.user} {self.set_at:%Y-%m-%d}"
