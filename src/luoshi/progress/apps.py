from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "luoshi.progress"
    verbose_name = "进展填报 Progress"
