from django.apps import AppConfig


class SelfcareConfig(AppConfig):
    name = "alongside.selfcare"
    label = "selfcare"
    verbose_name = "Between-session self-care"

    def ready(self) -> None:
        from alongside.audit.models import register_actions
        from alongside.selfcare.models import SelfcareAuditAction

        register_actions(SelfcareAuditAction)

        from alongside.measures import hooks
        from alongside.selfcare.measure_hooks import homework_done_for_response

        hooks.register(hooks.RESPONSE_SUBMITTED, homework_done_for_response)

        from alongside.selfcare.brief_parts import register as register_brief_parts

        register_brief_parts()
