from django.apps import AppConfig


class PaperworkConfig(AppConfig):
    name = "luoshi.paperwork"
    verbose_name = "文书 Paperwork"
