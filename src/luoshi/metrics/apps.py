from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class MetricsConfig(AppConfig):
    name = "luoshi.metrics"
    verbose_name = pgettext_lazy("app", "统计分析")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from luoshi.metrics.cache import install

        # Cached figures are invalidated by every write on any connection (metrics/cache.py).
        connection_created.connect(install, dispatch_uid="luoshi-figures-cache")
