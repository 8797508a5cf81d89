from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class FundingConfig(AppConfig):
    name = "luoshi.funding"
    verbose_name = pgettext_lazy("app", "资金保障")
