"""API tokens: how another system (a provincial platform, a unit's own system) uses the JSON API.

A token acts through its own service account (a User with a membership), so every policy that scopes
what a person sees and does scopes the token the same way; the token's scopes then narrow which
endpoints it may call at all. Only a hash of the secret is stored.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from luoshi.plans.models import Organisation


class Scope(models.TextChoices):
    """What a token may call; each API endpoint open to tokens names one (api/auth.py)."""

    STATUS_READ = "status:read", _("读取方案结构、落实情况和上报数据")
    REPORTS_READ = "reports:read", _("读取本单位举措、填报周期和进展报告")
    REPORTS_WRITE = "reports:write", _("填报本单位举措的进展报告")


class ApiToken(models.Model):
    """A credential of one organisation or integration: named, scoped, revocable, optionally expiring."""

    name = models.CharField(_("名称"), max_length=60, unique=True)
    # The unit whose system uses it (acts as that unit's 填报人); empty: a provincial platform
    # (acts as 省级主管部门, read-only).
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("所属单位"),
    )
    scopes = models.JSONField(_("权限范围"), default=list)
    digest = models.CharField(max_length=64, unique=True)  # SHA-256 of the secret, hex
    prefix = models.CharField(_("令牌前缀"), max_length=12)  # to recognise it in lists and logs
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_token"
    )
    expires_on = models.DateField(_("有效期至"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def usable_on(self, day: dt.date) -> bool:
        """Not revoked, not past its last day, and its service account not deactivated (in the
        admin: switching the account off must stop the token as it stops a person)."""
        return (
            self.revoked_at is None
            and (self.expires_on is None or day <= self.expires_on)
            and self.account.is_active
        )
