"""The Django admin for plans: search, filters and inlines so the office can check an import."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from luoshi.audit.admin import AuditedModelAdmin
from luoshi.plans.ingest_text import stored_note
from luoshi.plans.models import (
    Indicator,
    Measure,
    Organisation,
    OrganisationAlias,
    Plan,
    PlanTarget,
    Responsibility,
    Section,
    Task,
)


class SectionInline(admin.TabularInline[Section, Plan]):
    model = Section
    extra = 0
    fields = ["number", "numeral", "title", "first_line", "last_line"]


class IndicatorInline(admin.TabularInline[Indicator, Plan]):
    model = Indicator
    extra = 0
    fields = ["category", "name", "unit", "target_kind", "province_target", "area_target"]


class PlanTargetInline(admin.TabularInline[PlanTarget, Plan]):
    model = PlanTarget
    extra = 0
    fields = ["kind", "year", "value", "text"]


@admin.register(Plan)
class PlanAdmin(AuditedModelAdmin):
    list_display = ["title", "issuer", "published_at", "status", "imported_at"]
    list_filter = ["status", "issuer"]
    search_fields = ["title", "issuer", "source_name"]
    readonly_fields = ["fingerprint", "imported_at", "source_name", "report_notes"]
    exclude = ["source_lines", "parse_report"]
    inlines = [SectionInline, PlanTargetInline, IndicatorInline]

    @admin.display(description=_("解析报告"))
    def report_notes(self, plan: Plan) -> str:
        """The stored notes in the reader's language (old plain-text notes as written)."""
        return "\n".join(
            f"{note.get('line') or '—'} [{note.get('code', '')}] {stored_note(note)}"
            for note in plan.parse_report
        )


class TaskResponsibilityInline(admin.TabularInline[Responsibility, Task]):
    model = Responsibility
    fk_name = "task"
    extra = 0
    fields = ["organisation", "role", "position", "as_written", "and_others", "source"]
    autocomplete_fields = ["organisation"]


class MeasureResponsibilityInline(TaskResponsibilityInline):
    fk_name = "measure"


class MeasureInline(admin.StackedInline[Measure, Task]):
    model = Measure
    extra = 0
    fields = ["number", "number_as_written", "text", "first_line", "last_line"]
    show_change_link = True


@admin.register(Task)
class TaskAdmin(AuditedModelAdmin):
    list_display = ["number", "numeral", "short_title", "deadline_text", "due_date", "plan"]
    list_display_links = ["number", "short_title"]
    list_filter = ["plan", "due_kind", "due_date", "section", "responsibilities__organisation"]
    search_fields = ["title", "evaluation_target", "measures__text"]
    inlines = [TaskResponsibilityInline, MeasureInline]

    @admin.display(description=_("任务"))
    def short_title(self, task: Task) -> str:
        return task.title[:60]


@admin.register(Measure)
class MeasureAdmin(AuditedModelAdmin):
    list_display = ["code", "short_text", "task"]
    list_filter = [
        "task__plan",
        "task__due_kind",
        "responsibilities__role",
        "responsibilities__organisation",
    ]
    search_fields = ["text", "task__title", "responsibilities__organisation__name"]
    list_select_related = ["task"]
    inlines = [MeasureResponsibilityInline]

    @admin.display(description=_("举措"))
    def short_text(self, measure: Measure) -> str:
        return measure.text[:60]


class AliasInline(admin.TabularInline[OrganisationAlias, Organisation]):
    model = OrganisationAlias
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(AuditedModelAdmin):
    list_display = ["name", "kind", "level", "in_directory"]
    list_filter = ["kind", "level", "in_directory"]
    search_fields = ["name", "aliases__name"]
    inlines = [AliasInline]


@admin.register(Responsibility)
class ResponsibilityAdmin(AuditedModelAdmin):
    list_display = ["organisation", "role", "task", "measure", "and_others", "source"]
    list_filter = ["role", "source", "and_others", "organisation"]
    search_fields = ["organisation__name", "as_written"]
    list_select_related = ["organisation", "task", "measure__task"]
    autocomplete_fields = ["organisation"]
