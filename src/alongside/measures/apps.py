from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "alongside.measures"
    label = "measures"
    verbose_name = "Measurement-based care"

    def ready(self) -> None:
        from alongside.audit.models import register_actions
        from alongside.measures.models import MeasureAuditAction

        register_actions(MeasureAuditAction)

        from alongside.measures.home import register

        register()

        from alongside.measures.brief_parts import register as register_brief_parts

        register_brief_parts()
