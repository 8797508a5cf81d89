"""The unread count every page's header shows next to the message centre."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from luoshi.supervision.selectors import unread_count


def unread(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_messages": unread_count(user)}
