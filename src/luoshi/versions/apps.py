from django.apps import AppConfig


class VersionsConfig(AppConfig):
    name = "luoshi.versions"
    verbose_name = "方案关系 Plan versions and links"
