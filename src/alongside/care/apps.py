from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "alongside.care"
    label = "care"
    verbose_name = "Practices and care"

    def ready(self) -> None:
        from alongside.care.notice_names import client_names
        from alongside.notify.naming import register_namer

        register_namer(client_names)  # staff notices name their client
