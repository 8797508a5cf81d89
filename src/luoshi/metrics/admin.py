from django.contrib import admin

from luoshi.audit.admin import AuditedModelAdmin
from luoshi.metrics.models import IndicatorOwner, Observation


@admin.register(Observation)
class ObservationAdmin(AuditedModelAdmin):
    list_display = ["indicator", "year", "quarter", "value", "source", "entered_by"]
    list_filter = ["indicator", "year"]


admin.site.register(IndicatorOwner, AuditedModelAdmin)
