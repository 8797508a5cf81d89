from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class RisksConfig(AppConfig):
    name = "luoshi.risks"
    verbose_name = pgettext_lazy("app", "风险评估与预警")
