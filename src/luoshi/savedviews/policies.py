"""A saved filter is its owner's alone: nobody else may open, see or delete it."""

from __future__ import annotations

from luoshi.accounts.policies import AnyUser
from luoshi.savedviews.models import SavedView


def may_use(user: AnyUser, view: SavedView) -> bool:
    return bool(user.is_authenticated) and view.owner_id == user.pk
