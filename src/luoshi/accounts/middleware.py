"""One gate after authentication: a session past its absolute lifetime ends; a user whose role needs
two factors finishes the second one (or enrols) first; a password past its age is changed first.
Pages are redirected to the step; the API answers 401/403 (audited) until it is done."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth import logout
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext, gettext_lazy

from luoshi.accounts.identity import (
    password_outlived,
    renew_idle,
    session_outlived,
    two_factor_required,
)
from luoshi.audit.services import refuse

# Reachable before the step is done: the steps themselves, signing out, language, static files.
OPEN = ("/accounts/", "/i18n/", "/static/", "/healthz", "/public/")


class IdentityMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if isinstance(user, User):
            renew_idle(request.session)
        if isinstance(user, User) and not request.path.startswith(OPEN):
            if session_outlived(request.session):
                logout(request)  # audited as a logout by the login signals
                return self._to(
                    request, "login", status=401, message=gettext("登录已超过最长时限，请重新登录")
                )
            step = self._pending_step(request, user)
            if step is not None:
                return self._to(request, step, status=403, message=str(STEPS[step]), actor=user)
        return self.get_response(request)

    @staticmethod
    def _pending_step(request: HttpRequest, user: User) -> str | None:
        verified: Any = getattr(user, "is_verified", lambda: False)
        if two_factor_required(user) and not verified():
            return "otp_verify"
        if password_outlived(request.session):
            return "password_change"
        return None

    @staticmethod
    def _to(
        request: HttpRequest, name: str, *, status: int, message: str, actor: User | None = None
    ) -> HttpResponse:
        if request.path.startswith("/api/"):
            if actor is not None:
                refuse(actor=actor, message=message)
            return JsonResponse({"detail": message}, status=status)
        return redirect(f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}")


STEPS = {
    "otp_verify": gettext_lazy("需要完成双因素认证"),
    "password_change": gettext_lazy("密码已过期，请先修改密码"),
}
