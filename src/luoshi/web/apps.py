from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "luoshi.web"
    verbose_name = "页面 Web"

    def ready(self) -> None:
        from luoshi.web.security import private_files

        private_files()  # 0700 data directory, 0600 files (等保: data at rest)
