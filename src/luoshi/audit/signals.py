"""Logins, logouts, failed logins and lockouts go to the audit trail (Django and django-axes signals)."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out  # type: ignore[import-untyped]
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from luoshi.audit.actions import AuditAction
from luoshi.audit.context import client_ip
from luoshi.audit.models import Outcome
from luoshi.audit.services import audit_record


def _ip(request: HttpRequest | None) -> str | None:
    return client_ip(request) if request is not None else None


@receiver(user_logged_in)
def _logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    audit_record(actor=user, action=AuditAction.LOGIN, ip=_ip(request))


@receiver(user_logged_out)
def _logged_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_record(actor=user, action=AuditAction.LOGOUT, ip=_ip(request))


@receiver(user_login_failed)
def _login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kw: Any
) -> None:
    audit_record(
        actor=None,
        action=AuditAction.LOGIN,
        outcome=Outcome.FAILED,
        username=str(credentials.get("username", "")),
        ip=_ip(request),
    )


@receiver(user_locked_out)
def _locked_out(
    sender: Any,
    request: HttpRequest | None,
    username: str | None,
    ip_address: str | None,
    **kw: Any,
) -> None:
    audit_record(
        actor=None,
        action=AuditAction.LOCKOUT,
        outcome=Outcome.REFUSED,
        username=username or "",
        ip=ip_address,
    )
