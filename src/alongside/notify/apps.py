from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "alongside.notify"
    label = "notify"
    verbose_name = "Notifications"
