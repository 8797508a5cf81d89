from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "luoshi.cases"
    verbose_name = "创新案例与评估 Cases"
