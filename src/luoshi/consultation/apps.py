from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class ConsultationConfig(AppConfig):
    name = "luoshi.consultation"
    verbose_name = pgettext_lazy("app", "征求意见")
