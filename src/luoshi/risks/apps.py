from django.apps import AppConfig


class RisksConfig(AppConfig):
    name = "luoshi.risks"
    verbose_name = "风险评估与预警 Risks"
