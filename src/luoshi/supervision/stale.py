"""A step taken on an old copy of a page (a second tab, a colleague first), for every supervision
item: the row is locked and its state read again inside the step's transaction, and the refusal
names who acted last and where the item is now (the model: progress.services._stale)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils.translation import gettext


def locked_state(model: type[Model], pk: int) -> str:
    """The item's state as stored now, its row locked until the transaction ends."""
    state: str = (
        model._default_manager.select_for_update().values_list("state", flat=True).get(pk=pk)
    )
    return state


def stale_step(last: Any, message: str, **named: object) -> ValidationError:
    """`message` (with %(who)s) filled with who took `last` (an item's latest step, or None)."""
    actor = last.actor if last is not None else None
    who = (actor.last_name or actor.username) if actor is not None else gettext("他人")
    return ValidationError({"state": message % {"who": who, **named}})
