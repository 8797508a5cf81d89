from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.http import HttpRequest

from luoshi.accounts.models import Membership, Person, ResponsiblePerson
from luoshi.accounts.policies import may_administer
from luoshi.audit.admin import AuditedModelAdmin


class SystemAdministered:
    """What the system administrator (系统管理员) manages besides the superuser: accounts."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return may_administer(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return may_administer(request.user)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return may_administer(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return may_administer(request.user)


class MembershipInline(SystemAdministered, admin.StackedInline[Membership, User]):
    model = Membership
    can_delete = False
    autocomplete_fields = ["organisation"]
    exclude = ["phone_index"]


admin.site.unregister(User)


@admin.register(User)
class AuditedUserAdmin(SystemAdministered, AuditedModelAdmin, UserAdmin[User]):
    """Users with their organisation and role; every change is audited."""

    def get_readonly_fields(self, request: HttpRequest, obj: User | None = None) -> Any:
        """Only the superuser grants superuser, staff or Django permissions (no escalation)."""
        fields = list(super().get_readonly_fields(request, obj))
        if not getattr(request.user, "is_superuser", False):
            fields += ["is_superuser", "is_staff", "groups", "user_permissions"]
        return fields

    inlines = [MembershipInline]
    list_display = ["username", "last_name", "first_name", "email", "is_active", "membership"]
    list_filter = ["is_active", "membership__role", "membership__organisation"]

    def has_delete_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        return False  # users are deactivated, never deleted: their audit rows keep pointing at them


@admin.register(ResponsiblePerson)
class ResponsiblePersonAdmin(AuditedModelAdmin):
    list_display = ["measure", "organisation", "person", "set_by", "set_at"]
    list_filter = ["organisation"]
    raw_id_fields = ["measure", "person", "set_by"]


@admin.register(Person)
class PersonAdmin(AuditedModelAdmin):
    list_display = ["name", "post", "organisation", "office_phone", "user"]
    list_filter = ["organisation"]
    search_fields = ["name", "post"]
    raw_id_fields = ["user"]
