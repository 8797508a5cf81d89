from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class WebConfig(AppConfig):
    name = "luoshi.web"
    verbose_name = pgettext_lazy("app", "页面")

    def ready(self) -> None:
        from luoshi.web.security import private_files

        private_files()  # 0700 data directory, 0600 files (等保: data at rest)
