from django.contrib import admin

from luoshi.audit.admin import AuditedModelAdmin
from luoshi.cases.models import Evaluation, InnovationCase


@admin.register(InnovationCase)
class InnovationCaseAdmin(AuditedModelAdmin):
    list_display = ["title", "organisation", "level", "stage", "submitted_on", "published"]
    list_filter = ["level", "stage", "published", "plan"]
    search_fields = ["title", "summary"]
    filter_horizontal = ["tasks"]


@admin.register(Evaluation)
class EvaluationAdmin(AuditedModelAdmin):
    list_display = ["task", "kind", "evaluator", "evaluated_on", "score", "grade", "target_met"]
    list_filter = ["kind", "target_met"]
    search_fields = ["findings", "evaluator"]
