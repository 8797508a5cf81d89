from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class ProgressConfig(AppConfig):
    name = "luoshi.progress"
    verbose_name = pgettext_lazy("app", "进展填报")
