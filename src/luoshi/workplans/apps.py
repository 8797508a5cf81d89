from django.apps import AppConfig


class WorkplansConfig(AppConfig):
    name = "luoshi.workplans"
    verbose_name = "年度工作计划 Work plans"
