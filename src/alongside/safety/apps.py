from django.apps import AppConfig


class SafetyConfig(AppConfig):
    name = "alongside.safety"
    label = "safety"
    verbose_name = "Safety: crisis language and crisis resources"

    def ready(self) -> None:
        from alongside.audit.models import register_actions
        from alongside.safety.models import SafetyAuditAction

        register_actions(SafetyAuditAction)

        from alongside.safety.page_parts import register

        register()
