from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class PlansConfig(AppConfig):
    name = "luoshi.plans"
    verbose_name = pgettext_lazy("app", "方案")
