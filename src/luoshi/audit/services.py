"""`audit_record(...)`: called inside the transaction of the change it records, so a failed
write rolls the change back."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import models

from luoshi.audit.context import current
from luoshi.audit.models import AuditEvent, Outcome


def audit_record(
    *,
    actor: User | AnonymousUser | None,
    action: str,
    obj: models.Model | None = None,
    outcome: Outcome = Outcome.SUCCESS,
    detail: dict[str, Any] | None = None,
    username: str = "",
    ip: str | None = None,
) -> AuditEvent:
    info = current.get()
    user = actor if isinstance(actor, User) else None
    return AuditEvent.objects.create(
        user=user,
        username=username or (user.get_username() if user else ""),
        ip=ip or (info.ip if info else None),
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        outcome=outcome,
        detail=detail or {},
    )
