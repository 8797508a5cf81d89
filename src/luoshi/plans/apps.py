from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "luoshi.plans"
    verbose_name = "方案 Plans"
