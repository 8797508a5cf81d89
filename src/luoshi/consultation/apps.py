from django.apps import AppConfig


class ConsultationConfig(AppConfig):
    name = "luoshi.consultation"
    verbose_name = "征求意见 Consultation"
