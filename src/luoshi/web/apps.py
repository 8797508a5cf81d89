from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "luoshi.web"
    verbose_name = "页面 Web"
