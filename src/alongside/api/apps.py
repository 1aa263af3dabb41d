from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "alongside.api"
    label = "api"
    verbose_name = "JSON API"
