from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AuditConfig(AppConfig):
    default = True
    name = "luoshi.audit"
    verbose_name = "审计 Audit trail"

    def ready(self) -> None:
        from luoshi.audit import signals  # noqa: F401  (login, logout, lockout records)


class AuditedAdminConfig(admin_apps.AdminConfig):
    """Django's admin with a site that audits its refusals (installed in place of django.contrib.admin)."""

    default = False
    default_site = "luoshi.audit.admin_site.AuditedAdminSite"
