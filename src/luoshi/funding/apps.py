from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "luoshi.funding"
    verbose_name = "资金保障 Funding"
