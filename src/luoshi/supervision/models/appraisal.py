"""考核 beyond the plan's events: 容错免责 (the plan's 三个区分开来 safeguard) and the office's 加减分."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from luoshi.plans.models import Measure, Organisation
from luoshi.supervision.models.core import TEXT_LIMIT


class ExemptionState(models.TextChoices):
    PENDING = "pending", _("待认定")
    APPROVED = "approved", _("予以免责")
    REFUSED = "refused", _("不予免责")


class Exemption(models.Model):
    """容错免责: a unit that followed procedure but missed a target asks not to be penalised on a
    measure; once the office approves (as of its decision's date), 考核 shows the exemption instead
    of the deductions on that measure."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="exemptions")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("免责理由"), max_length=TEXT_LIMIT)
    evidence = models.TextField(_("依据材料"), max_length=TEXT_LIMIT)
    state = models.CharField(
        _("状态"), max_length=10, choices=ExemptionState.choices, default=ExemptionState.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField(_("认定日期"), null=True, blank=True, db_index=True)
    decision_note = models.TextField(_("认定意见"), blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("容错免责")
        verbose_name_plural = _("容错免责")

    def __str__(self) -> str:
        return gettext("容错免责 %(code)s · %(unit)s") % {
            "code": self.measure.code,
            "unit": self.organisation,
        }


class ScoreAdjustment(models.Model):
    """The office's 加分 or 减分 for a unit, with its reason and date, counted in 考核 from then on."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    points = models.SmallIntegerField(_("分值"))
    reason = models.CharField(_("理由"), max_length=200)
    on = models.DateField(_("日期"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-on", "-id"]
        verbose_name = _("考核加减分")
        verbose_name_plural = _("考核加减分")

    def __str__(self) -> str:
        return f"{self.organisation} {self.points:+d}"
