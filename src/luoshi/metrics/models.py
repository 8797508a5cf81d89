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


class Observation(models.Model):
    """An indicator's value for a year (or a quarter of it), with its source."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="observations")
    year = models.PositiveSmallIntegerField(_("年度"))
    quarter = models.PositiveSmallIntegerField(
        _("季度"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    value = models.DecimalField(_("数值"), max_digits=16, decimal_places=4)
    source = models.CharField(_("数据来源"), max_length=200, blank=True)
    note = models.TextField(_("备注"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["indicator", "year", "quarter"]
        constraints = [  # one value per year, and one per quarter of it (portable: no NULLS NOT DISTINCT)
            models.UniqueConstraint(
                fields=["indicator", "year"],
                condition=models.Q(quarter__isnull=True),
                name="observation_unique_year",
            ),
            models.UniqueConstraint(
                fields=["indicator", "year", "quarter"],
                condition=models.Q(quarter__isnull=False),
                name="observation_unique_quarter",
            ),
        ]
        verbose_name = _("指标实际值")
        verbose_name_plural = _("指标实际值")

    def __str__(self) -> str:
        period = f"{self.year}Q{self.quarter}" if self.quarter else str(self.year)
        return f"{self.indicator} {period}: {self.value}"
