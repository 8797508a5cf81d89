from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.http import HttpRequest

from luoshi.accounts.models import Membership, Person, ResponsiblePerson
from luoshi.audit.admin import AuditedModelAdmin


class MembershipInline(admin.StackedInline[Membership, User]):
    model = Membership
    can_delete = False
    autocomplete_fields = ["organisation"]


admin.site.unregister(User)


@admin.register(User)
class AuditedUserAdmin(AuditedModelAdmin, UserAdmin[User]):
    """Users with their organisation and role; every change is audited."""

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
