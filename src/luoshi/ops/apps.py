from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running luoshi in production: serving, health, backup and restore, storage."""

    name = "luoshi.ops"
    label = "ops"
