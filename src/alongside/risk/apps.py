from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "alongside.risk"
    label = "risk"
    verbose_name = "Risk analytics"
