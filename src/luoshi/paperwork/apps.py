from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class PaperworkConfig(AppConfig):
    name = "luoshi.paperwork"
    verbose_name = pgettext_lazy("app", "文书")
