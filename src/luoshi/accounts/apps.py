from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class AccountsConfig(AppConfig):
    name = "luoshi.accounts"
    verbose_name = pgettext_lazy("app", "用户与权限")

    def ready(self) -> None:
        from luoshi.accounts import signals, startup  # noqa: F401  (sign-in time; refusal check)
