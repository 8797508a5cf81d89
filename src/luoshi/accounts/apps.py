from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "luoshi.accounts"
    verbose_name = "用户与权限 Accounts"

    def ready(self) -> None:
        from luoshi.accounts import signals, startup  # noqa: F401  (sign-in time; refusal check)
