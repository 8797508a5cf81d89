"""The audit trail: one immutable row per change, login, refusal, upload, download or export."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
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

    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    # PROTECT: deleting a user would rewrite its rows; users are deactivated instead.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
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
    # The hash chain (luoshi.audit.chain): position, the previous row's hash, this row's, and how.
    seq = models.BigIntegerField(_("序号"), null=True, unique=True)
    prev_hash = models.CharField(max_length=128, blank=True)
    hash = models.CharField(max_length=128, blank=True)
    algorithm = models.CharField(_("摘要算法"), max_length=10, blank=True)

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


class AuditCheckpoint(models.Model):
    """The chain's end at a moment, signed with a key kept outside the database (HMAC-SHA256)."""

    at = models.DateTimeField(auto_now_add=True)
    seq = models.BigIntegerField()
    hash = models.CharField(max_length=128)
    signature = models.CharField(max_length=64)
    # A purge anchor: rows up to `seq` were exported and removed after the retention period; the
    # chain's first remaining row links to `hash`.
    purge = models.BooleanField(default=False)

    class Meta:
        ordering = ["seq"]
        verbose_name = _("审计签名检查点")
        verbose_name_plural = _("审计签名检查点")

    def __str__(self) -> str:
        return f"{self.seq} {self.hash[:12]}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableError("audit checkpoints cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ImmutableError("audit checkpoints cannot be deleted")
