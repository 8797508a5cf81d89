"""The security administrator's writes (安全管理员): unlocking accounts and resetting second factors,
and every user's own second factor. Each audited; refusals audited through `refuse`."""

from __future__ import annotations

import secrets

from axes.models import AccessAttempt  # type: ignore[import-untyped]
from axes.utils import reset  # type: ignore[import-untyped]
from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from luoshi.accounts.policies import AnyUser, is_security_admin
from luoshi.audit.actions import AuditAction
from luoshi.audit.models import Outcome
from luoshi.audit.services import audit_record, refuse


def locked_attempts() -> QuerySet[AccessAttempt]:
    """Failed sign-ins at or past the limit: locked accounts and addresses."""
    attempts: QuerySet[AccessAttempt] = AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT
    ).order_by("-attempt_time")
    return attempts


def account_unlock(*, actor: AnyUser, username: str = "", ip: str = "") -> int:
    """Lift the lock on an account or an address; returns the failed attempts cleared."""
    if not is_security_admin(actor):
        raise refuse(
            actor=actor,
            message=gettext("仅安全管理员可解除锁定"),
            action=AuditAction.ACCOUNT_UNLOCK,
        )
    with transaction.atomic():
        cleared = reset(username=username or None, ip=ip or None) if username or ip else 0
        audit_record(
            actor=actor,
            action=AuditAction.ACCOUNT_UNLOCK,
            detail={"username": username, "ip": ip, "cleared": cleared},
        )
    return int(cleared)


def otp_reset(*, actor: AnyUser, user: User) -> None:
    """Remove a user's second factor (a lost phone): they enrol again at their next sign-in."""
    if not is_security_admin(actor):
        raise refuse(
            actor=actor,
            message=gettext("仅安全管理员可重置双因素认证"),
            action=AuditAction.OTP_RESET,
        )
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        audit_record(actor=actor, action=AuditAction.OTP_RESET, obj=user)


def totp_device_pending(user: User) -> TOTPDevice:
    """The user's authenticator being set up (unconfirmed until a code from it is entered)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="TOTP", confirmed=False)


def totp_enrol(*, user: User, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the authenticator with a code from it; returns fresh backup codes, None if wrong."""
    if device.user_id != user.pk or not device.verify_token(token):
        audit_record(actor=user, action=AuditAction.OTP_ENROL, obj=user, outcome=Outcome.FAILED)
        return None
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=True).delete()
        device.confirmed = True
        device.save()
        codes = backup_codes_new(user)
        audit_record(actor=user, action=AuditAction.OTP_ENROL, obj=user)
    return codes


def backup_codes_new(user: User) -> list[str]:
    """Ten single-use codes for when the phone is not at hand (shown once, replaced each time)."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="backup")
    codes = [secrets.token_hex(4) for _ in range(settings.LUOSHI_BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes
