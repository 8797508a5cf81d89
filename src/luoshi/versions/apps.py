from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class VersionsConfig(AppConfig):
    name = "luoshi.versions"
    verbose_name = pgettext_lazy("app", "方案关系")
