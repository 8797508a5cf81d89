"""A step taken on an old copy of a page (a second tab, a colleague first), for every supervision
item: the row is locked and its state read again inside the step's transaction, and the refusal
names who acted last, when, and where the item is now (the model: progress.services._stale)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext

from luoshi.accounts.policies import organisation_of
from luoshi.audit.models import AuditEvent, Outcome


def locked_state(model: type[Model], pk: int) -> str:
    """The item's state as stored now, its row locked until the transaction ends."""
    state: str = (
        model._default_manager.select_for_update().values_list("state", flat=True).get(pk=pk)
    )
    return state


def moment(at: dt.datetime) -> str:
    """When, as a person reads it: the time today, else the day and the time."""
    local = timezone.localtime(at)
    if local.date() == timezone.localdate():
        return f"{local:%H:%M}"
    return gettext("%(month)s月%(day)s日 %(time)s") % {
        "month": local.month,
        "day": local.day,
        "time": f"{local:%H:%M}",
    }


def actor_name(user: User | None) -> str:
    """Who acted, as another unit knows them: their unit, else their name."""
    if user is None:
        return gettext("他人")
    organisation = organisation_of(user)
    return organisation.name if organisation else (user.last_name or user.username)


def stale_step(last: Any, message: str, **named: object) -> ValidationError:
    """`message` (with %(who)s and %(when)s) filled from `last`, an item's latest step (or None)."""
    actor = last.actor if last is not None else None
    when = moment(last.at) if last is not None else "—"
    return ValidationError({"state": message % {"who": actor_name(actor), "when": when, **named}})


def stale_decision(obj: Model, message: str, **named: object) -> ValidationError:
    """The same for an item without steps of its own (延期, 容错免责): its last change in the trail."""
    last = (
        AuditEvent.objects.filter(
            object_type=obj._meta.label_lower, object_id=str(obj.pk), outcome=Outcome.SUCCESS
        )
        .select_related("user")
        .order_by("-at", "-id")
        .first()
    )
    who = actor_name(last.user) if last is not None else gettext("他人")
    when = moment(last.at) if last is not None else "—"
    return ValidationError({"state": message % {"who": who, "when": when, **named}})
