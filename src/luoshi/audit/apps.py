from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "luoshi.audit"
    verbose_name = "审计 Audit trail"

    def ready(self) -> None:
        from luoshi.audit import signals  # noqa: F401  (login, logout, lockout records)
