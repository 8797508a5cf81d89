"""The audit trail's two writers.

`audit_record(...)` is called inside the transaction of the change it records, so a failed write rolls
the change back. `refuse(...)` records a refusal and returns the exception to raise; it is called before
any transaction of the refused change opens (a refusal row written inside it would be rolled back with
it). Every refusal — page, API or service — goes through `refuse`.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext

from luoshi.audit.actions import AuditAction
from luoshi.audit.chain import checkpoint, seal
from luoshi.audit.context import current
from luoshi.audit.models import AuditEvent, Outcome

M = TypeVar("M", bound=models.Model)


def audit_record(
    *,
    actor: User | AnonymousUser | None,
    action: AuditAction,
    obj: models.Model | None = None,
    outcome: Outcome = Outcome.SUCCESS,
    detail: dict[str, Any] | None = None,
    username: str = "",
    ip: str | None = None,
) -> AuditEvent:
    info = current.get()
    user = actor if isinstance(actor, User) else None
    event = AuditEvent(
        user=user,
        username=username or (user.get_username() if user else ""),
        ip=ip or (info.ip if info else None),
        action=AuditAction(action),
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        outcome=outcome,
        detail=detail or {},
    )
    with transaction.atomic():  # the chain's lock is held until the enclosing transaction ends
        seal(event)
        event.save()
        if event.seq and event.seq % settings.LUOSHI_AUDIT_CHECKPOINT_EVERY == 0:
            checkpoint()
    return event


def refuse(
    *,
    actor: User | AnonymousUser | None,
    message: str,
    action: AuditAction = AuditAction.ACCESS,
    obj: models.Model | None = None,
    detail: dict[str, Any] | None = None,
) -> PermissionDenied:
    """One audited refusal: writes its row and returns the `PermissionDenied` to raise.

    The row names the request's path when there is one, and the reason shown to the user.
    """
    info = current.get()
    context = {"path": info.path} if info and info.path else {}
    audit_record(
        actor=actor,
        action=action,
        obj=obj,
        outcome=Outcome.REFUSED,
        detail={**context, "reason": str(message), **(detail or {})},
    )
    return PermissionDenied(message)


def fetch_visible(visible: QuerySet[M], pk: object, *, actor: User | AnonymousUser) -> M:
    """The object with `pk` if `visible` (a policy's scoped queryset) holds it, for pages and API alike.

    What the user may not see is a 404 — the same as what does not exist — and, when it does exist,
    one audited refusal.
    """
    found = visible.filter(pk=pk).first()
    if found is None:
        model = visible.model
        if model._default_manager.filter(pk=pk).exists():
            refuse(
                actor=actor,
                message=gettext("无权查看"),
                detail={"object": f"{model._meta.label_lower}:{pk}"},
            )
        raise Http404
    return found
