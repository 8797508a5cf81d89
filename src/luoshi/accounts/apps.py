from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "luoshi.accounts"
    verbose_name = "用户与权限 Accounts"

    def ready(self) -> None:
        from luoshi.accounts import startup  # noqa: F401  (the production refusal check)
