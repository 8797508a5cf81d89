"""The audit trail: one immutable row per change, login, refusal, upload, download or export."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from luoshi.audit.actions import AuditAction


class Outcome(models.TextChoices):
    SUCCESS = "success", _("成功")
    REFUSED = "refused", _("拒绝")
    FAILED = "failed", _("失败")


class ImmutableError(RuntimeError):
    pass


class AuditEvent(models.Model):
    """Who did what to which object, when, from where, and how it ended. Never edited or deleted."""

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    username = models.CharField(_("用户"), max_length=150, blank=True, db_index=True)
    ip = models.GenericIPAddressField(_("来源IP"), null=True, blank=True)
    action = models.CharField(_("操作"), max_length=60, db_index=True, choices=AuditAction.choices)
    object_type = models.CharField(_("对象类型"), max_length=60, blank=True, db_index=True)
    object_id = models.CharField(_("对象ID"), max_length=60, blank=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    outcome = models.CharField(
        _("结果"), max_length=10, choices=Outcome.choices, default=Outcome.SUCCESS
    )
    detail = models.JSONField(_("详情"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.object_repr}"

    # A guard, not domain logic: the trail is append-only whatever code path tries to change it.
    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableError("audit events cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ImmutableError("audit events cannot be deleted")
