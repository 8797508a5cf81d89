from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class WorkplansConfig(AppConfig):
    name = "luoshi.workplans"
    verbose_name = pgettext_lazy("app", "年度工作计划")
