"""The admin site, with its refusals audited like every other page's."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib.admin import AdminSite
from django.http import HttpRequest, HttpResponseBase
from django.utils.translation import gettext

from luoshi.audit.services import refuse

V = TypeVar("V", bound=Callable[..., HttpResponseBase])


class AuditedAdminSite(AdminSite):
    """A logged-in user who is not staff is sent to the admin login, as Django does; audited once.

    The system administrator (系统管理员, a role, not staff) uses it for accounts; the ModelAdmins
    decide what it may touch. The role is read from the membership row without importing
    `accounts` (audit sits below it).
    """

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        membership = getattr(user, "membership", None) if user.is_authenticated else None
        is_sysadmin = getattr(membership, "role", None) == "sysadmin"
        return super().has_permission(request) or (user.is_active and is_sysadmin)

    def admin_view(self, view: V, cacheable: bool = False) -> V:
        inner = super().admin_view(view, cacheable)

        @wraps(inner)
        def audited(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if request.user.is_authenticated and not self.has_permission(request):
                refuse(actor=request.user, message=gettext("无权使用管理后台"))
            return inner(request, *args, **kwargs)

        return cast(V, audited)
