"""Reads: a person's saved filters on one list (one query)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet

from luoshi.savedviews.models import SavedView


def saved_views(user: User | AnonymousUser, list_key: str) -> QuerySet[SavedView]:
    if not isinstance(user, User):
        return SavedView.objects.none()
    return SavedView.objects.filter(owner=user, list_key=list_key)
