from __future__ import annotations

from django.contrib import admin

from luoshi.audit.admin import AuditedModelAdmin
from luoshi.progress.models import Contribution, Evidence, Report, ReportEvent, ReportingCycle


@admin.register(ReportingCycle)
class ReportingCycleAdmin(AuditedModelAdmin):
    list_display = ["name", "plan", "starts_on", "ends_on", "due_on", "status"]
    list_filter = ["plan", "status"]


class ReportEventInline(admin.TabularInline[ReportEvent, Report]):
    model = ReportEvent
    extra = 0
    can_delete = False
    readonly_fields = ["actor", "action", "from_state", "to_state", "comment", "at"]


@admin.register(Report)
class ReportAdmin(AuditedModelAdmin):
    """Reports change through the workflow only: the admin shows them read-only."""

    list_display = [
        "measure",
        "cycle",
        "organisation",
        "state",
        "progress_status",
        "percent",
        "return_count",
    ]
    list_filter = ["state", "progress_status", "cycle", "organisation"]
    search_fields = ["work_done", "problems", "measure__text"]
    list_select_related = ["measure__task", "cycle", "organisation"]
    inlines = [ReportEventInline]

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


admin.site.register(Contribution)
admin.site.register(Evidence)
