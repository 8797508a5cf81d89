from django.apps import AppConfig


class MetricsConfig(AppConfig):
    name = "luoshi.metrics"
    verbose_name = "统计分析 Metrics"
