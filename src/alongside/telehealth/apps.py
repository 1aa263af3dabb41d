from django.apps import AppConfig


class TelehealthConfig(AppConfig):
    name = "alongside.telehealth"
    verbose_name = "Video sessions"

    def ready(self) -> None:
        from alongside.audit.models import register_actions
        from alongside.telehealth.models import TelehealthAuditAction

        register_actions(TelehealthAuditAction)

        from alongside.telehealth.page_parts import register

        register()
