"""The moment of sign-in, kept in the session for its absolute lifetime (luoshi.accounts.identity)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from luoshi.accounts.identity import mark_signed_in


@receiver(user_logged_in)
def _signed_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        mark_signed_in(request.session, user)
