from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "alongside.care"
    label = "care"
    verbose_name = "Practices and care"
