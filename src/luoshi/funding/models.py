"""Funding (资金保障): the amounts of a unit's reform projects (改革项目清单) — planned, allocated and
spent, and where the money comes from — per measure. The office reads totals by unit and source."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from luoshi.plans.models import Measure, Organisation, Plan

AMOUNT_LIMIT = Decimal(10) ** 12  # yuan; nothing a free-trade-zone project carries exceeds it


class Source(models.TextChoices):
    CENTRAL = "central", _("中央")
    PROVINCE = "province", _("省")
    CITY = "city", _("市")
    COUNTY = "county", _("区县")
    OWN = "own", _("自筹")
    PRIVATE = "private", _("社会资本")
    OTHER = "other", _("其他")


class Project(models.Model):
    """One project of a unit on one of its measures; amounts in yuan."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="funding_projects")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="funding_projects"
    )
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="funding_projects")
    name = models.CharField(_("项目名称"), max_length=200)
    source = models.CharField(_("资金来源"), max_length=10, choices=Source.choices)
    planned = models.DecimalField(_("计划投资（元）"), max_digits=15, decimal_places=2)
    allocated = models.DecimalField(_("已下达（元）"), max_digits=15, decimal_places=2)
    spent = models.DecimalField(_("已支出（元）"), max_digits=15, decimal_places=2)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    # bumped by every edit: a save made on an older copy is refused as stale (last save must not win)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("改革项目")
        verbose_name_plural = _("改革项目")
        ordering = ["organisation__name", "pk"]

    def __str__(self) -> str:
        return gettext("%(name)s（%(source)s）") % {
            "name": self.name,
            "source": self.get_source_display(),
        }
