from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class CasesConfig(AppConfig):
    name = "luoshi.cases"
    verbose_name = pgettext_lazy("app", "创新案例与评估")
