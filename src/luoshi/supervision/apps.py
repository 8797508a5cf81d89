from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class SupervisionConfig(AppConfig):
    name = "luoshi.supervision"
    verbose_name = pgettext_lazy("app", "督查督办")

    def ready(self) -> None:
        from luoshi.metrics.scoring import register_score_source
        from luoshi.progress.timing import register_deadline_rule
        from luoshi.supervision.appraisal import score_source
        from luoshi.supervision.extensions import extension_rule

        register_deadline_rule(extension_rule)
        register_score_source(score_source)
