import django_stubs_ext
from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import pgettext_lazy

# Generic Django classes (ModelAdmin[...]) subscripted at run time. Done here, the first app Django
# loads, rather than in settings: importing settings must stay cheap (`luoshi --help`, gunicorn's
# master), and this costs seconds of imports that only a set-up Django needs.
django_stubs_ext.monkeypatch()


class AuditConfig(AppConfig):
    default = True
    name = "luoshi.audit"
    verbose_name = pgettext_lazy("app", "审计")

    def ready(self) -> None:
        from luoshi.audit import signals  # noqa: F401  (login, logout, lockout records)


class AuditedAdminConfig(admin_apps.AdminConfig):
    """Django's admin with a site that audits its refusals (installed in place of django.contrib.admin)."""

    default = False
    default_site = "luoshi.audit.admin_site.AuditedAdminSite"
