from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from luoshi.audit.actions import AuditAction
from luoshi.audit.models import AuditEvent
from luoshi.audit.services import audit_record


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    """Read-only: the trail is searched and exported, never edited."""

    list_display = ["at", "username", "ip", "action", "object_type", "object_repr", "outcome"]
    list_filter = ["action", "outcome", "object_type"]
    search_fields = ["username", "object_repr", "object_id", "ip"]
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False

    # 三权分立: only the auditor reads the trail (its own page and API), not the admin site's users.
    def has_view_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False

    def has_module_permission(self, request: HttpRequest) -> bool:
        return False


class AuditedModelAdmin(admin.ModelAdmin[Any]):
    """Admin edits go to the audit trail inside the admin's own transaction."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        action = AuditAction.ADMIN_CHANGE if change else AuditAction.ADMIN_CREATE
        audit_record(
            actor=request.user, action=action, obj=obj, detail={"fields": list(form.changed_data)}
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        audit_record(actor=request.user, action=AuditAction.ADMIN_DELETE, obj=obj)
        super().delete_model(request, obj)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            audit_record(actor=request.user, action=AuditAction.ADMIN_CREATE, obj=obj)
        for obj, fields in formset.changed_objects:
            audit_record(
                actor=request.user,
                action=AuditAction.ADMIN_CHANGE,
                obj=obj,
                detail={"fields": fields},
            )
        for obj in formset.deleted_objects:
            audit_record(
                actor=request.user, action=AuditAction.ADMIN_DELETE, obj=obj, detail={"id": obj.pk}
            )
