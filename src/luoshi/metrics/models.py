"""KPI observations (主要预期指标的实际值) and who enters them."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from luoshi.plans.models import Indicator, Organisation


class IndicatorOwner(models.Model):
    """The organisation the office assigns to enter an indicator's values (e.g. 市统计局)."""

    indicator = models.OneToOneField(Indicator, on_delete=models.CASCADE, related_name="owner")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"{self.indicator} → {self.organisation}"


class ValueBasis(models.TextChoices):
    """What a value measures: the level itself (亿元, 家) or its growth over the same period a year before."""

    LEVEL = "level", _("数值")
    GROWTH = "growth", _("增速（%）")


class Observation(models.Model):
    """One entry of an indicator's value for a year, or a quarter of it (cumulative 1–3月, 1–6月, …).

    Entries are never overwritten: a correction is a new entry that names the one it corrects, so the
    value known on any date (period ended and entered by then) can be rebuilt, and the history shown.
    """

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="observations")
    year = models.PositiveSmallIntegerField(_("年度"))
    quarter = models.PositiveSmallIntegerField(
        _("季度"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    value = models.DecimalField(_("数值"), max_digits=16, decimal_places=4)
    basis = models.CharField(
        _("口径"), max_length=10, choices=ValueBasis.choices, default=ValueBasis.LEVEL
    )
    source = models.CharField(_("数据来源"), max_length=200, blank=True)
    note = models.TextField(_("备注"), blank=True)
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("更正"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["indicator", "year", "quarter", "entered_at", "pk"]
        verbose_name = _("指标实际值")
        verbose_name_plural = _("指标实际值")

    def __str__(self) -> str:
        period = f"{self.year}Q{self.quarter}" if self.quarter else str(self.year)
        return f"{self.indicator} {period}: {self.value}"
